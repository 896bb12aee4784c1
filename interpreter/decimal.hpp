// Exact decimal numbers for money, quantities, percents and rates. No binary floating point.
//
// Representation: value = coefficient x 10^-scale, with a signed 128-bit coefficient
// (|coefficient| < 10^38, so up to 38 significant digits) and 0 <= scale <= max_scale (18).
//
// Exactness: +, - and x are exact whenever the exact result fits 38 digits and 18 decimal
// places; a product needing more than 18 places (e.g. two 10-place rates multiplied) is rounded
// half-even to 18 places, and so is every quotient. Anything that does not fit 38 digits throws
// DecimalError(overflow); dividing by zero throws DecimalError(division_by_zero). Never a wrap,
// never an infinity. Values compare by value: 1.50 == 1.5.
#pragma once
#include <compare>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ratebook {

enum class RoundingMode : uint8_t {
    half_even,  // banker's rounding: 2.345 -> 2.34, 2.355 -> 2.36 (the default)
    half_up,    // halves away from zero: 2.345 -> 2.35, -2.345 -> -2.35
    half_down,  // halves toward zero: 2.345 -> 2.34
    down,       // toward zero (truncate)
    up,         // away from zero
    ceiling,    // toward +infinity
    floor,      // toward -infinity
};

// "half_even", "half-even", "HALF_EVEN" ... -> mode; nullopt for anything else.
std::optional<RoundingMode> rounding_mode_from_name(std::string_view name);
std::string_view rounding_mode_name(RoundingMode m);  // canonical "half_even"

class DecimalError : public std::runtime_error {
public:
    enum class Kind { overflow, division_by_zero, invalid };
    DecimalError(Kind k, const std::string& what) : std::runtime_error(what), kind(k) {}
    Kind kind;
};

class Decimal {
public:
    static constexpr int max_scale = 18;
    static constexpr int max_digits = 38;

    constexpr Decimal() : coef_(0), scale_(0) {}
    static Decimal from_int(int64_t v) { return Decimal(v, 0); }
    // coefficient x 10^-scale; throws DecimalError(overflow) if out of range.
    static Decimal from_parts(__int128 coefficient, int scale);

    // Parses plain decimal text: optional sign, digits, optional '.' and digits ("-12.5",
    // "0.0000002", ".5", "5."). No exponent, spaces, thousands separators, NaN or inf.
    // More than 18 decimal places, or more than 38 digits, is refused rather than rounded.
    // On failure returns nullopt and, if `why` is given, a plain reason ("not a number",
    // "too many decimal places (max 18)", "too many digits (max 38)").
    static std::optional<Decimal> parse(std::string_view text, std::string* why = nullptr);

    // Exact text with all `scale` places: 1.50 stays "1.50"; "-0.5"; no exponent ever.
    std::string to_string() const;
    // Exact text with trailing fractional zeros removed: 1.50 -> "1.5", 2.00 -> "2".
    std::string to_plain_string() const;

    // Rounded to `places` decimal places (0..18) by `mode`; the result has exactly that scale
    // when places >= the current scale it is rescaled without change (1.5 -> 1.50).
    Decimal rounded(int places, RoundingMode mode = RoundingMode::half_even) const;
    // Same value with the smallest scale (trailing zeros dropped).
    Decimal normalized() const;

    __int128 coefficient() const { return coef_; }
    int scale() const { return scale_; }
    bool is_zero() const { return coef_ == 0; }
    int sign() const { return coef_ < 0 ? -1 : (coef_ > 0 ? 1 : 0); }
    Decimal operator-() const;
    Decimal abs() const { return coef_ < 0 ? -*this : *this; }

    // The same-scale case (sums of money at one scale, the aggregation loop) is inline: a call
    // costs more than the add. Everything else, and any overflow, goes to add().
    friend Decimal operator+(const Decimal& a, const Decimal& b) {
        if (a.scale_ == b.scale_) [[likely]] {
            // Unsigned add wraps instead of overflowing; a true sum within +-(10^38 - 1) maps to
            // bits + (10^38 - 1) <= 2 (10^38 - 1), and every other sum of two in-range
            // coefficients (|sum| < 2 x 10^38 < 2^128 - 10^38) lands above it.
            const unsigned __int128 bits =
                static_cast<unsigned __int128>(a.coef_) + static_cast<unsigned __int128>(b.coef_);
            if (bits + (limit_bits - 1) <= 2 * (limit_bits - 1)) [[likely]]
                return Decimal(static_cast<__int128>(bits), a.scale_);
        }
        return add(a, b);
    }
    friend Decimal operator-(const Decimal& a, const Decimal& b);
    friend Decimal operator*(const Decimal& a, const Decimal& b);
    friend Decimal operator/(const Decimal& a, const Decimal& b);  // 18 places, half-even
    Decimal& operator+=(const Decimal& b) { return *this = *this + b; }
    Decimal& operator-=(const Decimal& b) { return *this = *this - b; }

    friend bool operator==(const Decimal& a, const Decimal& b) { return compare(a, b) == 0; }
    friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
        int c = compare(a, b);
        return c < 0 ? std::strong_ordering::less
                     : (c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal);
    }
    static int compare(const Decimal& a, const Decimal& b);  // -1, 0, 1 by value

    // Hash consistent with ==: equal values hash equal whatever their scale.
    size_t hash() const;

private:
    constexpr Decimal(__int128 c, int s) : coef_(c), scale_(static_cast<int8_t>(s)) {}
    static constexpr unsigned __int128 limit_bits =  // 10^38
        static_cast<unsigned __int128>(10'000'000'000'000'000'000ull) * 10'000'000'000'000'000'000ull;
    static Decimal add(const Decimal& a, const Decimal& b);  // the general case of +
    __int128 coef_;
    int8_t scale_;
};

}  // namespace ratebook
