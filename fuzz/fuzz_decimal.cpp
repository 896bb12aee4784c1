// Fuzz target: exact decimals. The bytes are two numbers separated by a newline; each is parsed
// by Decimal::parse and by the feed parser parse_number, and arithmetic is checked against
// invariants that hold for exact decimals (no binary floating point anywhere):
//   print/parse round trip, a+b == b+a, (a+b)-b == a, a*b == b*a, a-a == 0, -(-a) == a,
//   normalized and rounded keep or bound the value, equal values hash equal, and q = a/b
//   satisfies |a - q*b| <= |b| * 10^-18 (division keeps 18 places).
// Overflow and division by zero must throw DecimalError, never wrap.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/focus_values.hpp"
#include "interpreter/decimal.hpp"

using namespace ratebook;

namespace {

[[noreturn]] void fail() { __builtin_trap(); }

std::optional<Decimal> parse_both(std::string_view s) {
    std::string why;
    auto d = Decimal::parse(s, &why);
    if (!d && why.empty()) fail();
    std::string why2;
    auto n = parse_number(s, &why2);
    if (!n && why2.empty()) fail();
    // The feed parser accepts a superset (sign '+', exponents); where both accept, they agree.
    if (d && n && !(*d == *n)) fail();
    if (d) {
        auto back = Decimal::parse(d->to_string());
        if (!back || !(*back == *d) || back->scale() != d->scale()) fail();
        auto plain = Decimal::parse(d->to_plain_string());
        if (!plain || !(*plain == *d)) fail();
    }
    return d ? d : n;
}

template <class F>
std::optional<Decimal> attempt(F f) {
    try {
        return f();
    } catch (const DecimalError&) {
        return std::nullopt;
    }
}

const Decimal one_ulp = *Decimal::parse("0.000000000000000001");

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 256) return 0;
    std::string_view in(reinterpret_cast<const char*>(data), size);
    size_t nl = in.find('\n');
    auto a = parse_both(in.substr(0, nl));
    if (nl == std::string_view::npos || !a) return 0;
    std::string_view rest = in.substr(nl + 1);
    int mode_byte = rest.empty() ? 0 : static_cast<unsigned char>(rest.back());
    auto b = parse_both(rest);
    if (!b) return 0;

    if (!(-(-*a) == *a)) fail();
    if (!(*a - *a).is_zero()) fail();
    if (!(a->normalized() == *a)) fail();
    if ((*a == *b) != (Decimal::compare(*a, *b) == 0)) fail();
    if (*a == *b && a->hash() != b->hash()) fail();
    if (Decimal::compare(*a, *b) != -Decimal::compare(*b, *a)) fail();

    auto sum = attempt([&] { return *a + *b; });
    auto sum2 = attempt([&] { return *b + *a; });
    if (sum.has_value() != sum2.has_value() || (sum && !(*sum == *sum2))) fail();
    if (sum) {
        auto back = attempt([&] { return *sum - *b; });
        if (back && !(*back == *a)) fail();
    }
    auto prod = attempt([&] { return *a * *b; });
    auto prod2 = attempt([&] { return *b * *a; });
    if (prod.has_value() != prod2.has_value() || (prod && !(*prod == *prod2))) fail();

    if (b->is_zero()) {
        try {
            (void)(*a / *b);
            fail();
        } catch (const DecimalError& e) {
            if (e.kind != DecimalError::Kind::division_by_zero) fail();
        }
    } else if (auto q = attempt([&] { return *a / *b; })) {
        if (q->scale() > Decimal::max_scale) fail();
        auto qb = attempt([&] { return *q * *b; });
        auto diff = qb ? attempt([&] { return (*a - *qb).abs(); }) : std::nullopt;
        auto bound = attempt([&] { return b->abs() * one_ulp; });
        // q*b is itself rounded to 18 places, so allow one more unit.
        if (diff && bound) {
            auto limit = attempt([&] { return *bound + one_ulp; });
            if (limit && *diff > *limit) fail();
        }
    }

    int places = mode_byte % 19;
    auto mode = static_cast<RoundingMode>((mode_byte / 19) % 7);
    if (auto r = attempt([&] { return a->rounded(places, mode); })) {
        if (r->scale() != places) fail();
        // |r - a| < 10^-places
        Decimal unit = Decimal::from_parts(1, places);
        auto diff = attempt([&] { return (*r - *a).abs(); });
        if (diff && !(*diff < unit)) fail();
        if (places >= a->scale() && !(*r == *a)) fail();
    }
    return 0;
}
