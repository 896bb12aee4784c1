#include "interpreter/decimal.hpp"

#include <bit>
#include <utility>

namespace ratebook {

namespace {

using i128 = __int128;
using u128 = unsigned __int128;

// Built by hand because std::numeric_limits is not specialized for __int128 in strict C++20.
constexpr auto make_pow10() {
    struct Table { u128 v[39]; } t{};
    u128 p = 1;
    for (int i = 0; i <= 38; ++i) { t.v[i] = p; p *= 10; }
    return t;
}
constexpr auto kPow10 = make_pow10();
constexpr u128 pow10(int n) { return kPow10.v[n]; }
// Scale differences are at most 18, and 10^18 fits one 64-bit limb.
constexpr uint64_t pow10_64(int n) { return static_cast<uint64_t>(kPow10.v[n]); }

constexpr i128 kLimit = static_cast<i128>(pow10(38));  // |coefficient| must stay below this

// One unsigned compare instead of two signed ones. Takes the two's-complement bits so a sum of two
// in-range coefficients (up to 2 x 10^38, past 2^127) can be checked after a wrapping unsigned add:
// every true value in (-2 x 10^38, 2 x 10^38) outside the range still lands above the bound.
inline bool fits_bits(u128 bits) {
    constexpr u128 l = static_cast<u128>(kLimit) - 1;
    return bits + l <= 2 * l;
}
inline bool fits(i128 c) { return fits_bits(static_cast<u128>(c)); }
inline bool fits_i64(i128 c) { return c == static_cast<int64_t>(c); }
inline u128 magnitude(i128 c) { return c < 0 ? -static_cast<u128>(c) : static_cast<u128>(c); }

[[noreturn, gnu::cold]] void throw_overflow(const char* op) {
    throw DecimalError(DecimalError::Kind::overflow,
                       std::string("decimal overflow in ") + op + ": result needs more than 38 digits");
}

// ---- 256-bit unsigned arithmetic, only for the slow paths --------------------------------------

struct U256 {
    uint64_t w[4];  // little-endian 64-bit limbs
};

U256 u256_from(u128 a) { return {{static_cast<uint64_t>(a), static_cast<uint64_t>(a >> 64), 0, 0}}; }

U256 mul_128x128(u128 a, u128 b) {
    uint64_t a0 = static_cast<uint64_t>(a), a1 = static_cast<uint64_t>(a >> 64);
    uint64_t b0 = static_cast<uint64_t>(b), b1 = static_cast<uint64_t>(b >> 64);
    u128 p00 = static_cast<u128>(a0) * b0, p01 = static_cast<u128>(a0) * b1;
    u128 p10 = static_cast<u128>(a1) * b0, p11 = static_cast<u128>(a1) * b1;
    u128 mid = (p00 >> 64) + static_cast<uint64_t>(p01) + static_cast<uint64_t>(p10);
    // Cannot carry out: the full product is below 2^256.
    u128 hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    return {{static_cast<uint64_t>(p00), static_cast<uint64_t>(mid), static_cast<uint64_t>(hi),
             static_cast<uint64_t>(hi >> 64)}};
}

U256 add(const U256& a, const U256& b) {
    U256 r{};
    unsigned carry = 0;
    for (int i = 0; i < 4; ++i) {
        u128 s = static_cast<u128>(a.w[i]) + b.w[i] + carry;
        r.w[i] = static_cast<uint64_t>(s);
        carry = static_cast<unsigned>(s >> 64);
    }
    return r;
}

U256 sub(const U256& a, const U256& b) {  // requires a >= b
    U256 r{};
    uint64_t borrow = 0;
    for (int i = 0; i < 4; ++i) {
        uint64_t d = a.w[i] - b.w[i];
        uint64_t nb = (a.w[i] < b.w[i]) | (d < borrow);
        r.w[i] = d - borrow;
        borrow = nb;
    }
    return r;
}

int cmp(const U256& a, const U256& b) {
    for (int i = 3; i >= 0; --i)
        if (a.w[i] != b.w[i]) return a.w[i] < b.w[i] ? -1 : 1;
    return 0;
}

bool fits_u128(const U256& a) { return (a.w[2] | a.w[3]) == 0; }
u128 low_u128(const U256& a) { return (static_cast<u128>(a.w[1]) << 64) | a.w[0]; }
bool below_limit(const U256& a) { return fits_u128(a) && low_u128(a) < static_cast<u128>(kLimit); }

// a /= d, returns a % d.
uint64_t divmod_u64(U256& a, uint64_t d) {
    u128 rem = 0;
    for (int i = 3; i >= 0; --i) {
        u128 cur = (rem << 64) | a.w[i];
        a.w[i] = static_cast<uint64_t>(cur / d);
        rem = cur % d;
    }
    return static_cast<uint64_t>(rem);
}

void increment(U256& a) {
    for (int i = 0; i < 4; ++i)
        if (++a.w[i] != 0) return;
}

// a = round_half_even(a / 10^k), 1 <= k <= 18.
void round_pow10_half_even(U256& a, int k) {
    uint64_t p = pow10_64(k);
    uint64_t r = divmod_u64(a, p);
    // p <= 10^18, so 2r cannot wrap.
    if (2 * r > p || (2 * r == p && (a.w[0] & 1))) increment(a);
}

// Knuth's algorithm D (TAOCP 4.3.1, as in Hacker's Delight "divmnu") on 32-bit digits, so every
// intermediate fits 64 bits. Quotient of u (m digits) by v (n digits, v[n-1] != 0), m >= n >= 2.
void divmnu(uint32_t* q, uint32_t* r, const uint32_t* u, const uint32_t* v, int m, int n) {
    constexpr uint64_t b = 1ull << 32;
    uint32_t un[9], vn[4];
    const int s = std::countl_zero(v[n - 1]);  // normalize so the top divisor digit has its high bit set
    // The 64-bit casts make s == 0 shift by 32 (defined) instead of a 32-bit shift by 32 (undefined).
    for (int i = n - 1; i > 0; --i)
        vn[i] = static_cast<uint32_t>((static_cast<uint64_t>(v[i]) << s) | (static_cast<uint64_t>(v[i - 1]) >> (32 - s)));
    vn[0] = static_cast<uint32_t>(static_cast<uint64_t>(v[0]) << s);
    un[m] = static_cast<uint32_t>(static_cast<uint64_t>(u[m - 1]) >> (32 - s));
    for (int i = m - 1; i > 0; --i)
        un[i] = static_cast<uint32_t>((static_cast<uint64_t>(u[i]) << s) | (static_cast<uint64_t>(u[i - 1]) >> (32 - s)));
    un[0] = static_cast<uint32_t>(static_cast<uint64_t>(u[0]) << s);

    for (int j = m - n; j >= 0; --j) {
        uint64_t num = (static_cast<uint64_t>(un[j + n]) << 32) | un[j + n - 1];
        uint64_t qhat = num / vn[n - 1];
        uint64_t rhat = num - qhat * vn[n - 1];
        while (qhat >= b || qhat * vn[n - 2] > ((rhat << 32) | un[j + n - 2])) {
            --qhat;
            rhat += vn[n - 1];
            if (rhat >= b) break;
        }
        int64_t k = 0, t = 0;
        for (int i = 0; i < n; ++i) {
            uint64_t p = qhat * vn[i];
            t = static_cast<int64_t>(un[i + j]) - k - static_cast<int64_t>(p & 0xFFFFFFFFu);
            un[i + j] = static_cast<uint32_t>(t);
            k = static_cast<int64_t>(p >> 32) - (t >> 32);
        }
        t = static_cast<int64_t>(un[j + n]) - k;
        un[j + n] = static_cast<uint32_t>(t);
        q[j] = static_cast<uint32_t>(qhat);
        if (t < 0) {  // qhat was one too large (rare): add the divisor back
            --q[j];
            uint64_t c = 0;
            for (int i = 0; i < n; ++i) {
                uint64_t sum = static_cast<uint64_t>(un[i + j]) + vn[i] + c;
                un[i + j] = static_cast<uint32_t>(sum);
                c = sum >> 32;
            }
            un[j + n] = static_cast<uint32_t>(un[j + n] + c);
        }
    }
    for (int i = 0; i < n; ++i)
        r[i] = static_cast<uint32_t>((static_cast<uint64_t>(un[i]) >> s) | (static_cast<uint64_t>(un[i + 1]) << (32 - s)));
}

// quotient = a / d, returns a % d; d != 0.
u128 divmod_u128(const U256& a, u128 d, U256& quotient) {
    if ((d >> 64) == 0) {
        quotient = a;
        return divmod_u64(quotient, static_cast<uint64_t>(d));
    }
    uint32_t u[8], v[4], q[8] = {}, r[4] = {};
    for (int i = 0; i < 4; ++i) {
        u[2 * i] = static_cast<uint32_t>(a.w[i]);
        u[2 * i + 1] = static_cast<uint32_t>(a.w[i] >> 32);
        v[i] = static_cast<uint32_t>(d >> (32 * i));
    }
    int m = 8, n = 4;
    while (m > 0 && u[m - 1] == 0) --m;
    while (v[n - 1] == 0) --n;  // n >= 3 here since d >= 2^64
    if (m < n) {
        quotient = U256{};
        return low_u128(a);
    }
    divmnu(q, r, u, v, m, n);
    for (int i = 0; i < 4; ++i) quotient.w[i] = (static_cast<uint64_t>(q[2 * i + 1]) << 32) | q[2 * i];
    u128 rem = 0;
    for (int i = n - 1; i >= 0; --i) rem = (rem << 32) | r[i];
    return rem;
}

// Result of a slow path, turned into a Decimal by the befriended operators (the constructor is
// private and the header cannot grow more friends).
struct Parts {
    i128 coef;
    int scale;
};

// Builds the exact (or, beyond 18 places, half-even rounded) result of + - * from a 256-bit
// magnitude. The scale is never reduced to make room, even when only trailing zeros overflow:
// a result's scale always follows from its operands' scales, which formatting relies on.
Parts fit(bool negative, U256 m, int scale, const char* op) {
    if (scale > Decimal::max_scale) {
        round_pow10_half_even(m, scale - Decimal::max_scale);
        scale = Decimal::max_scale;
    }
    if (!below_limit(m)) throw_overflow(op);
    const i128 c = static_cast<i128>(low_u128(m));
    return {negative ? -c : c, scale};
}

[[gnu::noinline]] Parts add_slow(i128 ca, int sa, i128 cb, int sb) {
    if (sa > sb) {
        std::swap(ca, cb);
        std::swap(sa, sb);
    }
    const int d = sb - sa;
    i128 aligned, sum;
    if (!__builtin_mul_overflow(ca, static_cast<i128>(pow10(d)), &aligned) &&
        !__builtin_add_overflow(aligned, cb, &sum) && fits(sum))
        return {sum, sb};
    // Aligning can pass 2^127 while the exact sum still fits (1.75e37 + -9.9e36 at one place).
    const U256 ma = mul_128x128(magnitude(ca), pow10(d));
    const U256 mb = u256_from(magnitude(cb));
    const bool na = ca < 0, nb = cb < 0;
    if (na == nb) return fit(na, add(ma, mb), sb, "addition");
    if (cmp(ma, mb) >= 0) return fit(na, sub(ma, mb), sb, "addition");
    return fit(nb, sub(mb, ma), sb, "addition");
}

[[gnu::noinline]] Parts mul_slow(i128 ca, int sa, i128 cb, int sb) {
    return fit((ca < 0) != (cb < 0), mul_128x128(magnitude(ca), magnitude(cb)), sa + sb,
               "multiplication");
}

}  // namespace

// ---- rounding mode names ------------------------------------------------------------------------

std::optional<RoundingMode> rounding_mode_from_name(std::string_view name) {
    // Lower-case and read '-' as '_', so "HALF-EVEN" becomes "half_even"; the same name with the
    // separator left out ("halfeven") is accepted too.
    char buf[16];
    if (name.empty() || name.size() > sizeof buf) return std::nullopt;
    for (size_t i = 0; i < name.size(); ++i) {
        char c = name[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c == '-') c = '_';
        buf[i] = c;
    }
    const std::string_view n(buf, name.size());
    static constexpr struct { std::string_view canonical, joined; RoundingMode mode; } table[] = {
        {"half_even", "halfeven", RoundingMode::half_even},
        {"half_up", "halfup", RoundingMode::half_up},
        {"half_down", "halfdown", RoundingMode::half_down},
        {"down", "down", RoundingMode::down},
        {"up", "up", RoundingMode::up},
        {"ceiling", "ceiling", RoundingMode::ceiling},
        {"floor", "floor", RoundingMode::floor},
    };
    for (const auto& e : table)
        if (n == e.canonical || n == e.joined) return e.mode;
    return std::nullopt;
}

std::string_view rounding_mode_name(RoundingMode m) {
    switch (m) {
        case RoundingMode::half_even: return "half_even";
        case RoundingMode::half_up: return "half_up";
        case RoundingMode::half_down: return "half_down";
        case RoundingMode::down: return "down";
        case RoundingMode::up: return "up";
        case RoundingMode::ceiling: return "ceiling";
        case RoundingMode::floor: return "floor";
    }
    return "unknown";
}

// ---- construction and text ----------------------------------------------------------------------

Decimal Decimal::from_parts(__int128 coefficient, int scale) {
    if (scale < 0 || scale > max_scale)
        throw DecimalError(DecimalError::Kind::invalid, "decimal scale out of range (0..18)");
    if (!fits(coefficient)) throw_overflow("from_parts");
    return Decimal(coefficient, scale);
}

std::optional<Decimal> Decimal::parse(std::string_view text, std::string* why) {
    auto fail = [why](const char* reason) -> std::optional<Decimal> {
        if (why) *why = reason;
        return std::nullopt;
    };
    auto is_digit = [](char c) { return c >= '0' && c <= '9'; };

    const size_t n = text.size();
    size_t i = 0;
    bool negative = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
    const size_t int_begin = i;
    while (i < n && is_digit(text[i])) ++i;
    const size_t int_len = i - int_begin;
    size_t frac_begin = i, frac_len = 0;
    if (i < n && text[i] == '.') {
        frac_begin = ++i;
        while (i < n && is_digit(text[i])) ++i;
        frac_len = i - frac_begin;
    }
    if (i != n || int_len + frac_len == 0) return fail("not a number");
    if (frac_len > static_cast<size_t>(max_scale)) return fail("too many decimal places (max 18)");

    // Leading zeros, including those after the point in "0.0005", add no digits to the coefficient.
    size_t significant = int_len + frac_len;
    for (size_t k = int_begin; k < n && significant > 0; ++k) {
        if (text[k] == '.') continue;
        if (text[k] != '0') break;
        --significant;
    }
    if (significant > static_cast<size_t>(max_digits)) return fail("too many digits (max 38)");

    // Digits gather in 64-bit chunks of 19 so the common short number never touches 128-bit math.
    u128 coef = 0;
    uint64_t chunk = 0;
    int chunk_len = 0;
    auto take = [&](size_t begin, size_t len) {
        for (size_t k = begin; k < begin + len; ++k) {
            chunk = chunk * 10 + static_cast<uint64_t>(text[k] - '0');
            if (++chunk_len == 19) {
                coef = coef * pow10(19) + chunk;
                chunk = 0;
                chunk_len = 0;
            }
        }
    };
    take(int_begin, int_len);
    take(frac_begin, frac_len);
    coef = coef * pow10(chunk_len) + chunk;
    const i128 c = static_cast<i128>(coef);
    return Decimal(negative ? -c : c, static_cast<int>(frac_len));
}

namespace {
// Writes the decimal digits of m backwards ending just before `end`, at least min_digits of them
// (zero-padded); returns the first written position.
char* write_digits(u128 m, char* end, int min_digits) {
    char* p = end;
    constexpr uint64_t chunk = 10000000000000000000ull;  // 10^19: peel 64-bit pieces, not 128-bit digits
    while (m >= chunk) {
        uint64_t part = static_cast<uint64_t>(m % chunk);
        m /= chunk;
        for (int k = 0; k < 19; ++k) {
            *--p = static_cast<char>('0' + part % 10);
            part /= 10;
        }
    }
    uint64_t rest = static_cast<uint64_t>(m);
    do {
        *--p = static_cast<char>('0' + rest % 10);
        rest /= 10;
    } while (rest != 0);
    while (end - p < min_digits) *--p = '0';
    return p;
}
}  // namespace

std::string Decimal::to_string() const {
    char digits[48];
    char* const end = digits + sizeof digits;
    const char* first = write_digits(magnitude(coef_), end, scale_ + 1);
    const size_t total = static_cast<size_t>(end - first);
    const size_t int_len = total - static_cast<size_t>(scale_);

    std::string out;
    out.reserve(total + 2);
    if (coef_ < 0) out.push_back('-');
    out.append(first, int_len);
    if (scale_ > 0) {
        out.push_back('.');
        out.append(first + int_len, static_cast<size_t>(scale_));
    }
    return out;
}

std::string Decimal::to_plain_string() const { return normalized().to_string(); }

// ---- rounding -----------------------------------------------------------------------------------

Decimal Decimal::rounded(int places, RoundingMode mode) const {
    if (places < 0 || places > max_scale)
        throw DecimalError(DecimalError::Kind::invalid, "rounding places out of range (0..18)");
    if (places >= scale_) {
        i128 c;
        if (__builtin_mul_overflow(coef_, static_cast<i128>(pow10(places - scale_)), &c) || !fits(c))
            throw_overflow("rounding");
        return Decimal(c, places);
    }
    const uint64_t p = pow10_64(scale_ - places);
    const bool negative = coef_ < 0;
    const u128 m = magnitude(coef_);
    u128 q;
    uint64_t r;
    if ((m >> 64) == 0) {  // the usual case: one 64-bit division
        q = static_cast<uint64_t>(m) / p;
        r = static_cast<uint64_t>(m) % p;
    } else {
        q = m / p;
        r = static_cast<uint64_t>(m - q * p);
    }
    // Compare the dropped part with half a unit as 2r against p; p <= 10^18 so 2r cannot wrap.
    const uint64_t twice = 2 * r;
    bool away = false;  // away from zero, applied to the magnitude
    switch (mode) {
        case RoundingMode::half_even: away = twice > p || (twice == p && (q & 1)); break;
        case RoundingMode::half_up: away = twice >= p; break;
        case RoundingMode::half_down: away = twice > p; break;
        case RoundingMode::down: away = false; break;
        case RoundingMode::up: away = r != 0; break;
        case RoundingMode::ceiling: away = r != 0 && !negative; break;
        case RoundingMode::floor: away = r != 0 && negative; break;
    }
    q += away;  // q < 10^37 here, so this stays in range
    const i128 c = static_cast<i128>(q);
    return Decimal(negative ? -c : c, places);
}

Decimal Decimal::normalized() const {
    if (coef_ == 0) return Decimal();
    int s = scale_;
    if (fits_i64(coef_)) {  // 64-bit division is several times cheaper than the 128-bit helper
        int64_t c = static_cast<int64_t>(coef_);
        while (s > 0 && c % 10 == 0) {
            c /= 10;
            --s;
        }
        return Decimal(c, s);
    }
    i128 c = coef_;
    while (s > 0 && c % 10 == 0) {
        c /= 10;
        --s;
    }
    return Decimal(c, s);
}

// ---- arithmetic ---------------------------------------------------------------------------------

Decimal Decimal::operator-() const { return Decimal(-coef_, scale_); }

Decimal Decimal::add(const Decimal& a, const Decimal& b) {
    if (a.scale_ == b.scale_) {
        // Signed addition could pass 2^127 (undefined); the unsigned one wraps and fits_bits copes.
        const u128 bits = static_cast<u128>(a.coef_) + static_cast<u128>(b.coef_);
        if (!fits_bits(bits)) [[unlikely]] throw_overflow("addition");
        return Decimal(static_cast<i128>(bits), a.scale_);
    }
    // Mixed scales with 64-bit coefficients, the usual money case: |aligned + other| is below
    // 2^63 * 10^18 + 2^63 < 10^38, so no check of any kind is needed.
    if (fits_i64(a.coef_) && fits_i64(b.coef_)) [[likely]] {
        const bool a_lower = a.scale_ < b.scale_;
        const Decimal& lo = a_lower ? a : b;
        const Decimal& hi = a_lower ? b : a;
        const i128 aligned = static_cast<i128>(static_cast<int64_t>(lo.coef_)) *
                             static_cast<int64_t>(pow10_64(hi.scale_ - lo.scale_));
        return Decimal(aligned + static_cast<int64_t>(hi.coef_), hi.scale_);
    }
    const Parts r = add_slow(a.coef_, a.scale_, b.coef_, b.scale_);
    return Decimal(r.coef, r.scale);
}

Decimal operator-(const Decimal& a, const Decimal& b) { return a + (-b); }

Decimal operator*(const Decimal& a, const Decimal& b) {
    const int s = a.scale_ + b.scale_;
    const i128 ca = a.coef_, cb = b.coef_;
    if (s <= Decimal::max_scale) [[likely]] {
        // Two 64-bit factors give at most 2^126 < 10^38: one multiply, no range check needed.
        if (fits_i64(ca) && fits_i64(cb)) [[likely]]
            return Decimal(static_cast<i128>(static_cast<int64_t>(ca)) * static_cast<int64_t>(cb), s);
        i128 p;
        if (!__builtin_mul_overflow(ca, cb, &p) && fits(p)) return Decimal(p, s);
    }
    const Parts r = mul_slow(ca, a.scale_, cb, b.scale_);
    return Decimal(r.coef, r.scale);
}

Decimal operator/(const Decimal& a, const Decimal& b) {
    if (b.coef_ == 0) [[unlikely]]
        throw DecimalError(DecimalError::Kind::division_by_zero, "division by zero");
    // a/b at 18 places is round(ca * 10^(18 - sa + sb) / cb); the exponent is 0..36.
    const int e = Decimal::max_scale - a.scale_ + b.scale_;
    const u128 ua = magnitude(a.coef_), ub = magnitude(b.coef_);
    u128 q, r;
    u128 num;
    if (!__builtin_mul_overflow(ua, pow10(e), &num)) [[likely]] {
        q = num / ub;
        r = num - q * ub;
    } else {
        U256 wide_q;
        r = divmod_u128(mul_128x128(ua, pow10(e)), ub, wide_q);
        if (!below_limit(wide_q)) throw_overflow("division");
        q = low_u128(wide_q);
    }
    // r < ub < 2^127, so 2r cannot wrap.
    const u128 twice = r << 1;
    q += (twice > ub || (twice == ub && (q & 1))) ? 1 : 0;
    if (q >= static_cast<u128>(kLimit)) throw_overflow("division");
    const i128 c = static_cast<i128>(q);
    return Decimal((a.coef_ < 0) != (b.coef_ < 0) ? -c : c, Decimal::max_scale);
}

// ---- comparison and hashing ---------------------------------------------------------------------

int Decimal::compare(const Decimal& a, const Decimal& b) {
    i128 x = a.coef_, y = b.coef_;
    // Overflow while rescaling means that side's magnitude is >= 2^127 > 10^38 > the other's,
    // so its sign alone decides (read from the original, as the overflowed product is wrapped).
    if (a.scale_ < b.scale_) {
        if (__builtin_mul_overflow(x, static_cast<i128>(pow10(b.scale_ - a.scale_)), &x))
            return a.coef_ < 0 ? -1 : 1;
    } else if (a.scale_ > b.scale_) {
        if (__builtin_mul_overflow(y, static_cast<i128>(pow10(a.scale_ - b.scale_)), &y))
            return b.coef_ < 0 ? 1 : -1;
    }
    return (x > y) - (x < y);
}

size_t Decimal::hash() const {
    // Equal values have equal coef * 10^(18 - scale) as integers, so also modulo 2^128; the
    // wrapping multiply needs no loop to strip trailing zeros.
    u128 v = static_cast<u128>(coef_) * pow10(max_scale - scale_);
    uint64_t h = static_cast<uint64_t>(v) ^ (static_cast<uint64_t>(v >> 64) * 0x9E3779B97F4A7C15ull);
    // splitmix64 finalizer: spreads nearby amounts across all bits for open-addressing tables.
    h ^= h >> 30;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 27;
    h *= 0x94D049BB133111EBull;
    h ^= h >> 31;
    return static_cast<size_t>(h);
}

}  // namespace ratebook
