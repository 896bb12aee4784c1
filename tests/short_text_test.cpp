// Tests of the row checks' fast paths, against the slow ones they stand in for: same_text
// against std::string_view equality at every length and every position of a difference, and
// plain_number_sign against parse_number on every text it says yes to (and on texts it must
// refuse).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/focus_values.hpp"
#include "engine/short_text.hpp"

using ratebook::parse_number;
using ratebook::plain_number_sign;
using ratebook::same_text;

TEST_CASE("same_text agrees with string equality at every length and every differing byte") {
    for (size_t n = 0; n <= 70; ++n) {
        std::string a(n, 'x');
        for (size_t i = 0; i < n; ++i) a[i] = static_cast<char>('a' + i % 26);
        std::string b = a;
        CHECK(same_text(a, b));
        for (size_t i = 0; i < n; ++i) {
            b[i] ^= 1;
            CHECK_FALSE(same_text(a, b));
            b[i] ^= 1;
        }
        CHECK_FALSE(same_text(a, a + "y"));  // lengths differ
    }
    CHECK(same_text(std::string_view(), std::string_view()));  // empty views with null data
}

TEST_CASE("plain_number_sign: what it accepts parse_number accepts, with the same sign") {
    const std::vector<std::string> plain = {"0", "-0", "+0", "0.00", "-0.000", ".5", "5.", "-.5", "+3.5",
                                            "0.0144979450", "19.4074973165", "-12", "123456789012345678",
                                            "-0.00000000000000001", "000000000000000001"};
    for (const auto& text : plain) {
        CAPTURE(text);
        int sign = 9;
        REQUIRE(plain_number_sign(text, sign));
        auto parsed = parse_number(text);
        REQUIRE(parsed);
        CHECK(sign == parsed->sign());
    }
    // Not plain: refused here, and left to parse_number (which accepts some, refuses others).
    const std::vector<std::string> other = {"",     "-",   ".",    "1.2.3", "1e5",  "1E-7",
                                            "NaN",  "inf", " 1",   "1 ",    "1,000", "--1",
                                            "1234567890123456789" /* 19 digits */, "0x10", "+", "1-"};
    for (const auto& text : other) {
        CAPTURE(text);
        int sign = 9;
        CHECK_FALSE(plain_number_sign(text, sign));
    }
    CHECK(parse_number("1e5"));                    // taken by the full parser
    CHECK(parse_number("1234567890123456789"));   // 19 digits: the full parser's to decide
    CHECK_FALSE(parse_number("1.2.3"));
}
