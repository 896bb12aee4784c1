#include "interpreter/decimal.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

using ratebook::Decimal;
using ratebook::DecimalError;
using ratebook::RoundingMode;

// Failures print "1.50" rather than "{?}".
namespace doctest {
template <>
struct StringMaker<Decimal> {
    static String convert(const Decimal& d) { return d.to_string().c_str(); }
};
}  // namespace doctest

namespace {

using Kind = DecimalError::Kind;

Decimal D(std::string_view text) {
    std::string why;
    auto d = Decimal::parse(text, &why);
    INFO("parsing \"", std::string(text), "\": ", why);
    REQUIRE(d.has_value());
    return *d;
}

std::string S(std::string_view text) { return D(text).to_string(); }

constexpr __int128 pow10(int n) {
    __int128 p = 1;
    while (n-- > 0) p *= 10;
    return p;
}
constexpr __int128 kLimit = pow10(38);

// The error kind an expression throws, or nullopt when it does not throw.
std::optional<Kind> error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const DecimalError& e) {
        return e.kind;
    }
    return std::nullopt;
}

std::optional<std::string> parse_error(std::string_view text) {
    std::string why = "(unset)";
    if (Decimal::parse(text, &why)) return std::nullopt;
    return why;
}

const char* const kMax = "99999999999999999999.999999999999999999";  // 38 nines, 18 places
const char* const kMin = "0.000000000000000001";                     // smallest positive

}  // namespace

TEST_SUITE("decimal") {

// ---- parsing and formatting ---------------------------------------------------------------------

TEST_CASE("decimal: canonical text round-trips exactly, keeping its scale") {
    const char* canonical[] = {
        "0", "1", "-1", "1.50", "-0.05", "0.00", "-12", "12.345", "0.0000002", "1000000",
        "19.99", "-0.5", "100.000", kMin, "-0.000000000000000001", kMax,
        "-99999999999999999999.999999999999999999", "99999999999999999999999999999999999999",
        "-99999999999999999999999999999999999999", "0.000000000000000000",
        "12345678901234567890.123456789012345678", "9223372036854775808", "-9223372036854775809",
        "18446744073709551616.5"};
    for (const char* text : canonical) {
        CAPTURE(text);
        CHECK(S(text) == text);
        CHECK(D(D(text).to_string()) == D(text));
        CHECK(D(D(text).to_string()).scale() == D(text).scale());
    }
}

TEST_CASE("decimal: accepted non-canonical spellings") {
    CHECK(S("+1.5") == "1.5");
    CHECK(S(".5") == "0.5");
    CHECK(S("-.5") == "-0.5");
    CHECK(S("+.25") == "0.25");
    CHECK(S("5.") == "5");
    CHECK(S("-5.") == "-5");
    CHECK(S("007.10") == "7.10");
    CHECK(S("-0") == "0");
    CHECK(S("+0") == "0");
    CHECK(S("-0.00") == "0.00");
    CHECK(S("-.000") == "0.000");
    CHECK(D("-0").sign() == 0);
    CHECK(D("5.").scale() == 0);
    CHECK(D("1.50").scale() == 2);
    CHECK(D("1.50").coefficient() == 150);
    CHECK(D("-0.0000002").coefficient() == -2);
    CHECK(D("-0.0000002").scale() == 7);
}

TEST_CASE("decimal: 18 places and 38 digits are the limits; leading zeros are free") {
    CHECK(D(kMin).coefficient() == 1);
    CHECK(D(kMin).scale() == 18);
    CHECK(D(kMax).coefficient() == kLimit - 1);
    CHECK(D("12345678901234567890123456789012345678").coefficient() > 0);
    CHECK(S("0000000012345678901234567890123456789012345678") == "12345678901234567890123456789012345678");
    CHECK(S("000000000000000000000000000000000000000000.5") == "0.5");
    CHECK(S("0.100000000000000000") == "0.100000000000000000");  // trailing zeros are digits here

    CHECK(parse_error("0.0000000000000000001") == "too many decimal places (max 18)");
    CHECK(parse_error("1.0000000000000000000") == "too many decimal places (max 18)");
    CHECK(parse_error("-0.1234567890123456789") == "too many decimal places (max 18)");
    CHECK(parse_error("123456789012345678901234567890123456789") == "too many digits (max 38)");
    CHECK(parse_error("100000000000000000000000000000000000000") == "too many digits (max 38)");
    CHECK(parse_error("-999999999999999999999.999999999999999999") == "too many digits (max 38)");
    // 21 integer digits + 18 places: each limit alone is fine, together they are 39 digits.
    CHECK(parse_error("100000000000000000000.000000000000000000") == "too many digits (max 38)");
}

TEST_CASE("decimal: parse refuses anything that is not plain decimal text") {
    const std::string_view bad[] = {
        "", "-", "+", ".", "-.", "+.", "NaN", "nan", "inf", "-inf", "Infinity", "1e5", "1E5",
        "1e-5", "1,000", "1,5", " 1", "1 ", "\t1", "1\n", "0x10", "1.2.3", "--1", "+-1", "-+1",
        "1-", "1.5.", "..5", "1_000", "$1", "1%", "٣", std::string_view("1\0", 2), "1..", "- 1"};
    for (std::string_view text : bad) {
        CAPTURE(std::string(text));
        CHECK(parse_error(text) == "not a number");
        CHECK_FALSE(Decimal::parse(text).has_value());  // without `why` too
    }
    // Syntax is judged before length, so junk is "not a number" however long it is.
    CHECK(parse_error("0.0000000000000000001x") == "not a number");
}

TEST_CASE("decimal: to_plain_string drops only trailing fractional zeros") {
    CHECK(D("1.50").to_plain_string() == "1.5");
    CHECK(D("2.00").to_plain_string() == "2");
    CHECK(D("-0.050").to_plain_string() == "-0.05");
    CHECK(D("0.000").to_plain_string() == "0");
    CHECK(D("-0.000").to_plain_string() == "0");
    CHECK(D("100").to_plain_string() == "100");
    CHECK(D("10.0").to_plain_string() == "10");
    CHECK(D("-12.340").to_plain_string() == "-12.34");
    CHECK(D(kMin).to_plain_string() == kMin);
    CHECK(D("10000000000000000000.000000000000000000").to_plain_string() == "10000000000000000000");
}

TEST_CASE("decimal: from_parts and from_int") {
    CHECK(Decimal::from_parts(150, 2).to_string() == "1.50");
    CHECK(Decimal::from_parts(-5, 2).to_string() == "-0.05");
    CHECK(Decimal::from_parts(kLimit - 1, 18).to_string() == kMax);
    CHECK(Decimal::from_parts(-(kLimit - 1), 0).to_string() == "-99999999999999999999999999999999999999");
    CHECK(Decimal::from_parts(0, 18).to_string() == "0.000000000000000000");

    CHECK(error_of([] { Decimal::from_parts(kLimit, 0); }) == Kind::overflow);
    CHECK(error_of([] { Decimal::from_parts(-kLimit, 18); }) == Kind::overflow);
    CHECK(error_of([] { Decimal::from_parts(kLimit + 1, 0); }) == Kind::overflow);
    CHECK(error_of([] { Decimal::from_parts(pow10(37) * 17, 3); }) == Kind::overflow);  // near 2^127
    // The most negative __int128 has no positive counterpart; it must not slip through an abs().
    const __int128 most_negative = -(static_cast<__int128>((~static_cast<unsigned __int128>(0)) >> 1)) - 1;
    CHECK(error_of([&] { Decimal::from_parts(most_negative, 0); }) == Kind::overflow);
    CHECK(error_of([] { Decimal::from_parts(1, 19); }) == Kind::invalid);
    CHECK(error_of([] { Decimal::from_parts(1, -1); }) == Kind::invalid);

    CHECK(Decimal::from_int(INT64_MIN).to_string() == "-9223372036854775808");
    CHECK(Decimal::from_int(INT64_MAX).to_string() == "9223372036854775807");
    CHECK(Decimal::from_int(-7).scale() == 0);
    CHECK(Decimal().to_string() == "0");
}

TEST_CASE("decimal: round trip through text for many coefficient and scale pairs") {
    const __int128 coefficients[] = {0, 1, 9, 10, 99, 12345, INT64_MAX, static_cast<__int128>(INT64_MAX) + 1,
                                     pow10(19), pow10(19) - 1, pow10(37), kLimit - 1,
                                     static_cast<__int128>(123456789012345678) * pow10(20) + 90123};
    for (__int128 c : coefficients)
        for (int sign : {1, -1})
            for (int scale = 0; scale <= Decimal::max_scale; ++scale) {
                const Decimal d = Decimal::from_parts(sign * c, scale);
                CAPTURE(d);
                const Decimal back = D(d.to_string());
                CHECK(back.coefficient() == d.coefficient());
                CHECK(back.scale() == scale);
                CHECK(D(d.to_plain_string()) == d);
            }
}

// ---- rounding -----------------------------------------------------------------------------------

TEST_CASE("decimal: every rounding mode on halves and non-halves, both signs") {
    struct Row {
        const char* value;
        int places;
        // half_even, half_up, half_down, down, up, ceiling, floor
        const char* expected[7];
    };
    const Row rows[] = {
        {"2.345", 2, {"2.34", "2.35", "2.34", "2.34", "2.35", "2.35", "2.34"}},
        {"2.355", 2, {"2.36", "2.36", "2.35", "2.35", "2.36", "2.36", "2.35"}},
        {"-2.345", 2, {"-2.34", "-2.35", "-2.34", "-2.34", "-2.35", "-2.34", "-2.35"}},
        {"-2.355", 2, {"-2.36", "-2.36", "-2.35", "-2.35", "-2.36", "-2.35", "-2.36"}},
        {"2.3451", 2, {"2.35", "2.35", "2.35", "2.34", "2.35", "2.35", "2.34"}},
        {"-2.3451", 2, {"-2.35", "-2.35", "-2.35", "-2.34", "-2.35", "-2.34", "-2.35"}},
        {"2.3449", 2, {"2.34", "2.34", "2.34", "2.34", "2.35", "2.35", "2.34"}},
        {"-2.3449", 2, {"-2.34", "-2.34", "-2.34", "-2.34", "-2.35", "-2.34", "-2.35"}},
        {"2.340", 2, {"2.34", "2.34", "2.34", "2.34", "2.34", "2.34", "2.34"}},
        {"-2.340", 2, {"-2.34", "-2.34", "-2.34", "-2.34", "-2.34", "-2.34", "-2.34"}},
        {"0.5", 0, {"0", "1", "0", "0", "1", "1", "0"}},
        {"1.5", 0, {"2", "2", "1", "1", "2", "2", "1"}},
        {"2.5", 0, {"2", "3", "2", "2", "3", "3", "2"}},
        {"-0.5", 0, {"0", "-1", "0", "0", "-1", "0", "-1"}},
        {"-1.5", 0, {"-2", "-2", "-1", "-1", "-2", "-1", "-2"}},
        {"-2.5", 0, {"-2", "-3", "-2", "-2", "-3", "-2", "-3"}},
        {"0.4", 0, {"0", "0", "0", "0", "1", "1", "0"}},
        {"-0.6", 0, {"-1", "-1", "-1", "0", "-1", "0", "-1"}},
        {"-0.000000000000000001", 17, {"0.00000000000000000", "0.00000000000000000", "0.00000000000000000",
                                       "0.00000000000000000", "-0.00000000000000001", "0.00000000000000000",
                                       "-0.00000000000000001"}},
        // Coefficients past 64 bits take the 128-bit division path.
        {"12345678901234567890.125", 2,
         {"12345678901234567890.12", "12345678901234567890.13", "12345678901234567890.12",
          "12345678901234567890.12", "12345678901234567890.13", "12345678901234567890.13",
          "12345678901234567890.12"}},
        {"-987654321987654321987654.321985", 5,
         {"-987654321987654321987654.32198", "-987654321987654321987654.32199",
          "-987654321987654321987654.32198", "-987654321987654321987654.32198",
          "-987654321987654321987654.32199", "-987654321987654321987654.32198",
          "-987654321987654321987654.32199"}},
        {"-99999999999999999999.999999999999999999", 0,
         {"-100000000000000000000", "-100000000000000000000", "-100000000000000000000",
          "-99999999999999999999", "-100000000000000000000", "-99999999999999999999",
          "-100000000000000000000"}},
    };
    const RoundingMode modes[] = {RoundingMode::half_even, RoundingMode::half_up, RoundingMode::half_down,
                                  RoundingMode::down,      RoundingMode::up,      RoundingMode::ceiling,
                                  RoundingMode::floor};
    for (const Row& row : rows)
        for (int m = 0; m < 7; ++m) {
            CAPTURE(row.value);
            CAPTURE(rounding_mode_name(modes[m]));
            const Decimal r = D(row.value).rounded(row.places, modes[m]);
            CHECK(r.to_string() == row.expected[m]);
            CHECK(r.scale() == row.places);
        }
}

TEST_CASE("decimal: rounded defaults to half_even and never yields negative zero") {
    CHECK(D("2.345").rounded(2).to_string() == "2.34");
    CHECK(D("2.355").rounded(2).to_string() == "2.36");
    CHECK(D("-0.4").rounded(0, RoundingMode::half_up).to_string() == "0");
    CHECK(D("-0.4").rounded(0, RoundingMode::ceiling).to_string() == "0");
    CHECK(D("-0.004").rounded(2, RoundingMode::down).to_string() == "0.00");
    CHECK(D("-0.004").rounded(2, RoundingMode::down).sign() == 0);
}

TEST_CASE("decimal: rounding to as many places or more only rescales") {
    CHECK(D("1.5").rounded(4).to_string() == "1.5000");
    CHECK(D("-1.5").rounded(1, RoundingMode::up).to_string() == "-1.5");
    CHECK(D("7").rounded(18, RoundingMode::floor).to_string() == "7.000000000000000000");
    CHECK(D("99999999999999999999").rounded(18).to_string() == "99999999999999999999.000000000000000000");
    CHECK(error_of([] { (void)D("100000000000000000000").rounded(18); }) == Kind::overflow);
    CHECK(error_of([] { (void)D("99999999999999999999999999999999999999").rounded(1); }) == Kind::overflow);
    CHECK(error_of([] { (void)D("-1").rounded(19); }) == Kind::invalid);
    CHECK(error_of([] { (void)D("1").rounded(-1); }) == Kind::invalid);
}

TEST_CASE("decimal: rounding mode names") {
    const RoundingMode all[] = {RoundingMode::half_even, RoundingMode::half_up, RoundingMode::half_down,
                                RoundingMode::down,      RoundingMode::up,      RoundingMode::ceiling,
                                RoundingMode::floor};
    for (RoundingMode m : all) CHECK(ratebook::rounding_mode_from_name(rounding_mode_name(m)) == m);

    CHECK(rounding_mode_name(RoundingMode::half_even) == "half_even");
    CHECK(rounding_mode_name(RoundingMode::ceiling) == "ceiling");
    CHECK(ratebook::rounding_mode_from_name("half-even") == RoundingMode::half_even);
    CHECK(ratebook::rounding_mode_from_name("halfeven") == RoundingMode::half_even);
    CHECK(ratebook::rounding_mode_from_name("HALF_EVEN") == RoundingMode::half_even);
    CHECK(ratebook::rounding_mode_from_name("HalfEven") == RoundingMode::half_even);
    CHECK(ratebook::rounding_mode_from_name("Half-Up") == RoundingMode::half_up);
    CHECK(ratebook::rounding_mode_from_name("halfdown") == RoundingMode::half_down);
    CHECK(ratebook::rounding_mode_from_name("DOWN") == RoundingMode::down);
    CHECK(ratebook::rounding_mode_from_name("Up") == RoundingMode::up);
    CHECK(ratebook::rounding_mode_from_name("CEILING") == RoundingMode::ceiling);
    CHECK(ratebook::rounding_mode_from_name("floor") == RoundingMode::floor);

    for (std::string_view bad : {"", "half", "even", "half even", "half__even", "half_even ", " up",
                                 "half_even_", "xhalf_even", "ceil", "round", "half_evenhalf_even",
                                 "-", "_"}) {
        CAPTURE(std::string(bad));
        CHECK_FALSE(ratebook::rounding_mode_from_name(bad).has_value());
    }
}

// ---- addition and subtraction -------------------------------------------------------------------

TEST_CASE("decimal: addition and subtraction are exact at the larger scale") {
    CHECK((D("1.5") + D("0.25")).to_string() == "1.75");
    CHECK((D("0.1") + D("0.2")) == D("0.3"));
    CHECK((D("0.1") + D("0.2")).to_string() == "0.3");
    CHECK((D("1.10") + D("2.205")).to_string() == "3.305");
    CHECK((D("-5") + D("3.25")).to_string() == "-1.75");
    CHECK((D("3.25") - D("5")).to_string() == "-1.75");
    CHECK((D("1.5") - D("1.5")).to_string() == "0.0");
    CHECK((D("-0.5") + D("0.5")).to_string() == "0.0");
    CHECK((D("0.0000002") - D("0.0000003")).to_string() == "-0.0000001");
    CHECK((D(kMax) - D(kMax)).to_string() == "0.000000000000000000");
    CHECK((D(kMax) + (-D(kMax))).sign() == 0);
    CHECK((D(kMax) - D(kMin)).to_string() == "99999999999999999999.999999999999999998");
    CHECK((D("99999999999999999999999999999999999998") + D("1")).to_string() ==
          "99999999999999999999999999999999999999");

    Decimal total;
    for (int i = 0; i < 1000; ++i) total += D("0.01");
    CHECK(total.to_string() == "10.00");
    total -= D("10");
    CHECK(total.is_zero());
    CHECK(total.to_string() == "0.00");
}

TEST_CASE("decimal: addition stays exact when aligning scales passes 128 bits") {
    // 1.75e37 aligned to one place is 1.75e38 > 2^127, yet the exact sum has 38 digits.
    CHECK((D("17500000000000000000000000000000000000") + D("-9999999999999999999999999999999999999.9"))
              .to_string() == "7500000000000000000000000000000000000.1");
    CHECK((D("-9999999999999999999999999999999999999.9") + D("17500000000000000000000000000000000000"))
              .to_string() == "7500000000000000000000000000000000000.1");
    CHECK((D("-17500000000000000000000000000000000000") - D("-9999999999999999999999999999999999999.9"))
              .to_string() == "-7500000000000000000000000000000000000.1");
    CHECK((D("12345678901234567890") + D(kMin)).to_string() == "12345678901234567890.000000000000000001");
}

TEST_CASE("decimal: addition and subtraction overflow instead of wrapping") {
    CHECK(error_of([] { (void)(D(kMax) + D(kMin)); }) == Kind::overflow);
    CHECK(error_of([] { (void)(-D(kMax) - D(kMin)); }) == Kind::overflow);
    CHECK(error_of([] { (void)(D(kMax) + D(kMax)); }) == Kind::overflow);  // the sum passes 2^127
    CHECK(error_of([] { (void)(-D(kMax) + -D(kMax)); }) == Kind::overflow);
    CHECK(error_of([] { (void)(D(kMax) - -D(kMax)); }) == Kind::overflow);
    CHECK(error_of([] { (void)(D("99999999999999999999999999999999999999") + D("1")); }) == Kind::overflow);
    CHECK(error_of([] { (void)(D("-99999999999999999999999999999999999999") - D("1")); }) == Kind::overflow);
    // Different scales: the integer operand cannot be aligned to 18 places.
    CHECK(error_of([] { (void)(D("99999999999999999999999999999999999999") + D(kMin)); }) == Kind::overflow);
    CHECK(error_of([] { (void)(D("100000000000000000000") + D(kMin)); }) == Kind::overflow);
    // ...but one step below the limit still fits.
    CHECK((D("100000000000000000000") - D(kMin)).to_string() == kMax);
}

// ---- multiplication -----------------------------------------------------------------------------

TEST_CASE("decimal: products of cloud rates are exact") {
    CHECK(D("0.0000002") * D("1000000") == D("0.2"));
    CHECK((D("0.0000002") * D("1000000")).to_string() == "0.2000000");
    CHECK((D("0.0000000001") * D("0.00000001")).to_string() == "0.000000000000000001");
    CHECK((D("0.000016667") * D("3600")).to_string() == "0.060001200");
    CHECK((D("0.023") * D("730")).to_string() == "16.790");
    CHECK((D("19.99") * D("3")).to_string() == "59.97");
    CHECK((D("-1.5") * D("2.5")).to_string() == "-3.75");
    CHECK((D("-1.5") * D("-2")).to_string() == "3.0");
    CHECK((D("0") * D("-5")).to_string() == "0");
    CHECK((D("-0.00") * D("5.5")).to_string() == "0.000");
    CHECK(D("1.25") * D("-4") == D("-5"));
    // Past 64 bits per factor but the product still fits 38 digits.
    CHECK((D("12345678901234567890") * D("1000000000000000000")).to_string() ==
          "12345678901234567890000000000000000000");
    CHECK((D("-9223372036854775808") * D("-9223372036854775808")).to_string() ==
          "85070591730234615865843651857942052864");
}

TEST_CASE("decimal: products needing more than 18 places are rounded half-even to 18") {
    CHECK((D("0.1234567890") * D("0.1234567890")).to_string() == "0.015241578750190521");
    CHECK((D("0.1234567890") * D("0.1234567890")).scale() == 18);
    // Exact halves at the 19th place go to the even neighbour, symmetrically for negatives.
    CHECK((D("0.000000000000000005") * D("0.1")).to_string() == "0.000000000000000000");
    CHECK((D("0.000000000000000015") * D("0.1")).to_string() == "0.000000000000000002");
    CHECK((D("0.000000000000000025") * D("0.1")).to_string() == "0.000000000000000002");
    CHECK((D("0.000000000000000035") * D("0.1")).to_string() == "0.000000000000000004");
    CHECK((D("-0.000000000000000025") * D("0.1")).to_string() == "-0.000000000000000002");
    CHECK((D("-0.000000000000000035") * D("0.1")).to_string() == "-0.000000000000000004");
    CHECK((D("0.000000000000000025") * D("0.10000000001")).to_string() == "0.000000000000000003");
    CHECK((D(kMin) * D(kMin)).to_string() == "0.000000000000000000");
    CHECK((-D(kMin) * D("0.1")).to_string() == "0.000000000000000000");  // no "-0"
}

TEST_CASE("decimal: products whose coefficient passes 128 bits use the wide path") {
    // 38 digits times 1 at 17 places: a 56-digit coefficient at 35 places, exactly the operand.
    CHECK((D("12345678901234567890.123456789012345678") * D("1.00000000000000000")).to_string() ==
          "12345678901234567890.123456789012345678");
    CHECK((D(kMax) * D("0.99999999999999999")).to_string() == "99999999999999998999.999999999999999999");
    CHECK((-D(kMax) * D("0.99999999999999999")).to_string() == "-99999999999999998999.999999999999999999");
    CHECK((D(kMax) * D("1.000000000000000000")).to_string() == kMax);
}

TEST_CASE("decimal: multiplication overflow") {
    CHECK(error_of([] { (void)(D("10000000000000000000") * D("10000000000000000000")); }) == Kind::overflow);
    CHECK(error_of([] { (void)(D(kMax) * D("1.1")); }) == Kind::overflow);
    CHECK(error_of([] { (void)(D("99999999999999999999999999999999999999") * D("2")); }) == Kind::overflow);
    CHECK(error_of([] { (void)(D("-99999999999999999999999999999999999999") * D("2")); }) == Kind::overflow);
    CHECK(error_of([] { (void)(D("-99999999999999999999999999999999999999") *
                               D("-99999999999999999999999999999999999999")); }) == Kind::overflow);
    // The product fits 128 bits but not 38 digits.
    CHECK(error_of([] { (void)(D("50000000000000000000") * D("2000000000000000000")); }) == Kind::overflow);
    // 10^20 at 18 places needs 39 digits, although the value itself is an integer.
    CHECK(error_of([] { (void)(D("10000000000.000000000") * D("10000000000.000000000")); }) == Kind::overflow);
}

// ---- division -----------------------------------------------------------------------------------

TEST_CASE("decimal: quotients have 18 places, rounded half-even") {
    CHECK((D("1") / D("3")).to_string() == "0.333333333333333333");
    CHECK((D("2") / D("3")).to_string() == "0.666666666666666667");
    CHECK((D("-2") / D("3")).to_string() == "-0.666666666666666667");
    CHECK((D("2") / D("-3")).to_string() == "-0.666666666666666667");
    CHECK((D("-2") / D("-3")).to_string() == "0.666666666666666667");
    CHECK((D("1") / D("8")).to_string() == "0.125000000000000000");
    CHECK((D("10.00") / D("4")).to_string() == "2.500000000000000000");
    CHECK((D("0") / D("7")).to_string() == "0.000000000000000000");
    CHECK((D("-0") / D("-7")).to_string() == "0.000000000000000000");
    CHECK((D("100") / D("0.0000002")).to_string() == "500000000.000000000000000000");
    // Halves at the 19th place.
    CHECK((D(kMin) / D("2")).to_string() == "0.000000000000000000");
    CHECK((D("0.000000000000000003") / D("2")).to_string() == "0.000000000000000002");
    CHECK((D("0.000000000000000005") / D("2")).to_string() == "0.000000000000000002");
    CHECK((D("-0.000000000000000005") / D("2")).to_string() == "-0.000000000000000002");
    CHECK((D("-0.000000000000000001") / D("2")).to_string() == "0.000000000000000000");
}

TEST_CASE("decimal: quotients with 256-bit intermediates") {
    // 10^19 * 10^18 does not fit 128 bits, the 37-digit quotient does.
    CHECK((D("10000000000000000000") / D("3")).to_string() == "3333333333333333333.333333333333333333");
    CHECK((D("-10000000000000000000") / D("3")).to_string() == "-3333333333333333333.333333333333333333");
    // Divisor wider than 64 bits.
    CHECK((D("12345678901234567890123456.789") / D("98765432109876543210.12345")).to_string() ==
          "124999.998860937500015332");
    CHECK((D(kMax) / D("1")).to_string() == kMax);
    CHECK((D(kMax) / D(kMax)).to_string() == "1.000000000000000000");
    CHECK((D("1") / D(kMin)).to_string() == "1000000000000000000.000000000000000000");
    CHECK((D("99999999999999999999999999999999999999") / D("99999999999999999999999999999999999999"))
              .to_string() == "1.000000000000000000");
    CHECK((D(kMin) / D("99999999999999999999999999999999999999")).to_string() == "0.000000000000000000");
    // Divisor between 2^64 and 2^80 (71 bits).
    CHECK((D("98765432109876543210987654321") / D("1234567890123456789012")).to_string() ==
          "80000000.729000006633922460");
    // Found by search: these make the long division's first quotient-digit guess one too large,
    // which only the final add-back step corrects.
    CHECK((D("1912015470638384065080277.08382060121") / D("14757395258967641298.3")).to_string() ==
          "129563.207943251888627713");
    CHECK((D("17376932133745247414199944943.16483129") / D("-2417851639229258366189573")).to_string() ==
          "-7186.930683341891941377");
    CHECK((D("54450476371441515077769464120013.771676") / D("1584563250285286751870881628.18")).to_string() ==
          "34363.081664072534261761");
}

TEST_CASE("decimal: division by zero and quotient overflow") {
    CHECK(error_of([] { (void)(D("1") / D("0")); }) == Kind::division_by_zero);
    CHECK(error_of([] { (void)(D("0") / D("0.00")); }) == Kind::division_by_zero);
    CHECK(error_of([] { (void)(D("-5") / Decimal()); }) == Kind::division_by_zero);
    CHECK_THROWS_WITH_AS((void)(D("1") / D("0")), "division by zero", DecimalError);

    CHECK(error_of([] { (void)(D("100000000000000000000") / D("1")); }) == Kind::overflow);
    CHECK(error_of([] { (void)(D("1000") / D(kMin)); }) == Kind::overflow);
    CHECK(error_of([] { (void)(D("-99999999999999999999999999999999999999") / D("0.5")); }) == Kind::overflow);
    // Quotients just past 2^128 at 18 places, whose low 128 bits alone would look small and valid.
    CHECK(error_of([] { (void)(D("340282366920938463464") / D("1")); }) == Kind::overflow);
    CHECK(error_of([] { (void)(D("34028236692093846346338") / D("100.000000000000000000")); }) == Kind::overflow);
    // The quotient just passes 10^20 (38 digits at 18 places).
    CHECK(error_of([] { (void)(D(kMax) / D("0.99999999999999999")); }) == Kind::overflow);
}

// ---- comparison and hashing ---------------------------------------------------------------------

TEST_CASE("decimal: comparison is by value across scales") {
    CHECK(D("1.50") == D("1.5"));
    CHECK(D("1.5") != D("1.51"));
    CHECK(D("1.5") < D("1.51"));
    CHECK(D("-1.5") > D("-1.51"));
    CHECK(D("0") == D("0.000"));
    CHECK(D("-0.00") == D("0"));
    CHECK(D("10") == D("10.000000000000000000"));
    CHECK(D("-3") < D("2.99"));
    CHECK(D("0.2") > D("0.199999999999999999"));
    CHECK((D("2.0") <=> D("2")) == std::strong_ordering::equal);
    CHECK((D("2.01") <=> D("2")) == std::strong_ordering::greater);
    CHECK(Decimal::compare(D("-0.1"), D("0")) == -1);
    CHECK(Decimal::compare(D("0.1"), D("0.10")) == 0);

    // Rescaling a 38-digit integer to 18 places would not fit; comparison must not care.
    const Decimal huge = D("99999999999999999999999999999999999999");
    CHECK(huge > D(kMin));
    CHECK(huge > D(kMax));
    CHECK(-huge < D(kMin));
    CHECK(-huge < -D(kMax));
    CHECK(-huge < D("-0.000000000000000001"));
    CHECK(D(kMin) < huge);
    CHECK(D(kMax) < huge);
    CHECK(-D(kMax) > -huge);
    CHECK(D("0.0") < huge);
    CHECK(D("0.0") > -huge);

    std::vector<Decimal> v = {D("2"), D("-1.5"), D("0.10"), D("-1.50"), D("0.1"), D(kMin), D("-2")};
    std::sort(v.begin(), v.end());
    CHECK(v.front() == D("-2"));
    CHECK(v[1] == D("-1.5"));
    CHECK(v[3] == D(kMin));
    CHECK(v.back() == D("2"));
}

TEST_CASE("decimal: hash agrees with == across scales") {
    const std::vector<std::vector<const char*>> groups = {
        {"1.5", "1.50", "1.500000000000000000"},
        {"0", "0.00", "-0.0", "0.000000000000000000"},
        {"-12", "-12.000", "-12.000000000000000000"},
        {"12345678901234567890", "12345678901234567890.000000000000000000"},
        {"99999999999999999999", "99999999999999999999.0"},
        {"-0.05", "-0.050", "-.05"}};
    for (const auto& group : groups)
        for (const char* x : group)
            for (const char* y : group) {
                CAPTURE(x);
                CAPTURE(y);
                CHECK(D(x) == D(y));
                CHECK(D(x).hash() == D(y).hash());
            }
    // Equal values built by arithmetic hash equal too.
    CHECK((D("0.0000002") * D("1000000")).hash() == D("0.2").hash());

    struct Hasher {
        size_t operator()(const Decimal& d) const { return d.hash(); }
    };
    std::unordered_set<Decimal, Hasher> set = {D("1.5"), D("1.50"), D("1.500"), D("2"), D("2.0")};
    CHECK(set.size() == 2);

    // Not a quality benchmark, only a guard against a constant or scale-blind hash.
    std::set<size_t> distinct;
    Decimal cents = D("0.00");
    for (int i = 0; i < 10000; ++i, cents += D("0.01")) distinct.insert(cents.hash());
    CHECK(distinct.size() == 10000);
    CHECK(D("1").hash() != D("-1").hash());
    CHECK(D("1").hash() != D("0.1").hash());
}

// ---- the rest of the API ------------------------------------------------------------------------

TEST_CASE("decimal: normalized, negation, abs, sign") {
    CHECK(D("1.500").normalized().coefficient() == 15);
    CHECK(D("1.500").normalized().scale() == 1);
    CHECK(D("0.000").normalized().scale() == 0);
    CHECK(D("100").normalized().to_string() == "100");
    CHECK(D("-2.000").normalized().to_string() == "-2");
    CHECK(D("10000000000000000000.000000000000000000").normalized().to_string() == "10000000000000000000");
    CHECK(D(kMin).normalized().scale() == 18);

    CHECK((-D("1.50")).to_string() == "-1.50");
    CHECK((-D("-1.50")).to_string() == "1.50");
    CHECK((-D("0.00")).to_string() == "0.00");
    CHECK((-D(kMax)).to_string() == "-99999999999999999999.999999999999999999");
    CHECK(D("-3.2").abs().to_string() == "3.2");
    CHECK(D("3.2").abs().to_string() == "3.2");
    CHECK(D("-3.2").sign() == -1);
    CHECK(D("0.0").sign() == 0);
    CHECK(D("0.01").sign() == 1);
    CHECK(D("0.00").is_zero());
    CHECK_FALSE(D(kMin).is_zero());
}

}  // TEST_SUITE
