// Every operator over every pair of types: accepted pairs give the exact value, refused pairs
// give the error code. Operands: Money $10.50, Percent 20%, Decimal 4, Quantity PricingQuantity
// (1000 on the test record), Date 2026-10-01, Text "a", Bool true.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "tests/support/evaluate.hpp"

using ratebook::testing::evaluate;

namespace {

const std::map<char, std::string> operand = {
    {'M', "$10.50"}, {'P', "20%"}, {'D', "4"}, {'Q', "PricingQuantity"},
    {'T', "2026-10-01"}, {'X', "\"a\""}, {'B', "true"}};

struct Case {
    const char* pair;  // left and right type letters
    const char* op;
    const char* value;  // expected value, or an error code "E...."
};

// Accepted arithmetic, worked by hand (10.50, 20% = 0.20, 4, 1000).
const Case arithmetic[] = {
    {"MM", "+", "$21"},    {"MM", "-", "$0"},     {"MM", "/", "1"},
    {"QQ", "+", "2000"},   {"QQ", "-", "0"},      {"QQ", "/", "1"},
    {"QD", "+", "1004"},   {"QD", "-", "996"},    {"QD", "*", "4000"},   {"QD", "/", "250"},
    {"DQ", "+", "1004"},   {"DQ", "-", "-996"},   {"DQ", "*", "4000"},
    {"DD", "+", "8"},      {"DD", "-", "0"},      {"DD", "*", "16"},     {"DD", "/", "1"},
    {"PP", "+", "40%"},    {"PP", "-", "0%"},     {"PP", "*", "4%"},     {"PP", "/", "1"},
    {"DP", "+", "4.2"},    {"DP", "-", "3.8"},    {"DP", "*", "80%"},    {"DP", "/", "20"},
    {"PD", "+", "4.2"},    {"PD", "-", "-3.8"},   {"PD", "*", "80%"},    {"PD", "/", "5%"},
    {"MD", "*", "$42"},    {"MD", "/", "$2.625"}, {"DM", "*", "$42"},
    {"MP", "*", "$2.1"},   {"MP", "/", "$52.5"},  {"PM", "*", "$2.1"},
    {"MQ", "*", "$10500"}, {"MQ", "/", "$0.0105"}, {"QM", "*", "$10500"},
    {"QP", "*", "200"},    {"QP", "/", "5000"},   {"PQ", "*", "200"},
    {"XX", "+", "\"aa\""},  // texts join: "a" + "a"; every other operation on text is refused
};

std::string expected_for(const std::string& pair, const std::string& op) {
    for (const auto& c : arithmetic)
        if (pair == c.pair && op == c.op) return c.value;
    return "E0202";
}

}  // namespace

TEST_CASE("arithmetic over every pair of types") {
    const std::string letters = "MPDQTXB";
    for (char a : letters)
        for (char b : letters)
            for (std::string op : {"+", "-", "*", "/"}) {
                std::string expr = operand.at(a) + " " + op + " " + operand.at(b);
                std::string want = expected_for(std::string{a, b}, op);
                auto got = evaluate(expr);
                CAPTURE(expr);
                if (want.rfind("E0", 0) == 0) {
                    CHECK(got.code == want);
                } else {
                    CHECK(got.code == "");
                    CHECK(got.value == want);
                }
            }
}

TEST_CASE("comparisons over every pair of types") {
    // Values on each side are chosen so that every accepted comparison has a known answer.
    const std::map<char, std::pair<std::string, std::string>> sides = {
        {'M', {"$10.50", "$10.5"}},       {'P', {"20%", "0.2%"}},
        {'D', {"4", "4.0"}},              {'Q', {"PricingQuantity", "1000"}},
        {'T', {"2026-10-01", "2026-10-02"}}, {'X', {"\"a\"", "\"b\""}},
        {'B', {"true", "false"}}};
    const std::string letters = "MPDQTXB";
    for (char a : letters)
        for (char b : letters)
            for (std::string op : {"==", "!=", "<", "<=", ">", ">="}) {
                std::string expr = sides.at(a).first + " " + op + " " + sides.at(b).second;
                auto got = evaluate(expr);
                CAPTURE(expr);
                bool same_kind = a == b || (a == 'Q' && b == 'D') || (a == 'D' && b == 'Q');
                bool equality_only = a == 'X' || a == 'B';
                if (!same_kind || (equality_only && op != "==" && op != "!=")) {
                    CHECK(got.code == "E0203");
                    continue;
                }
                REQUIRE(got.code == "");
                CHECK(got.type == "Bool");
            }
    CHECK(evaluate("$10.50 == $10.5").value == "true");      // equal by value, whatever the scale
    CHECK(evaluate("20% > 0.2%").value == "true");
    CHECK(evaluate("PricingQuantity >= 1000").value == "true");
    CHECK(evaluate("2026-10-01 < 2026-10-02").value == "true");
    CHECK(evaluate("\"a\" != \"b\"").value == "true");
    CHECK(evaluate("true == false").value == "false");
}

TEST_CASE("logic, lists and conditionals") {
    CHECK(evaluate("true and false").value == "false");
    CHECK(evaluate("true or false").value == "true");
    CHECK(evaluate("not (1 > 2)").value == "true");
    CHECK(evaluate("ServiceName in [\"Storage\", \"Compute\"]").value == "true");
    CHECK(evaluate("ServiceName not in [\"Storage\", \"Compute\"]").value == "false");
    CHECK(evaluate("PricingQuantity in [10, 1000]").value == "true");
    CHECK(evaluate("ChargePeriodStart in [2026-10-05]").value == "true");
    CHECK(evaluate("if PricingQuantity > 500 then $1.00 else $2.00").value == "$1");
    CHECK(evaluate("if PricingQuantity > 5000 then $1.00 else $2.00").value == "$2");
    CHECK(evaluate("tag(\"cost-center\")").value == "\"CC-0001\"");
    CHECK(evaluate("tag(\"missing\") == \"\"").value == "true");
    CHECK(evaluate("-BilledCost").value == "-$12");
    CHECK(evaluate("1 and true").code == "E0204");
    CHECK(evaluate("if 1 then $1 else $2").code == "E0204");
    CHECK(evaluate("if true then $1 else 2").code == "E0209");
    CHECK(evaluate("ServiceName in [\"a\", 1]").code == "E0210");
    CHECK(evaluate("ServiceName in [ServiceName]").code == "E0210");
    CHECK(evaluate("not BilledCost").code == "E0204");
    CHECK(evaluate("-ServiceName").code == "E0202");
}

TEST_CASE("short-circuit: the right side of and/or runs only when needed") {
    // EffectiveCost is empty on the test record: reading it is a runtime error (E0403).
    CHECK(evaluate("EffectiveCost > $0").code == "E0403");
    CHECK(evaluate("false and EffectiveCost > $0").value == "false");
    CHECK(evaluate("true or EffectiveCost > $0").value == "true");
    CHECK(evaluate("if true then $1 else EffectiveCost").value == "$1");
}

TEST_CASE("built-in functions") {
    CHECK(evaluate("round($2.345, 2)").value == "$2.34");
    CHECK(evaluate("round($2.345, 2, \"half_up\")").value == "$2.35");
    CHECK(evaluate("round(-$2.345, 2, \"floor\")").value == "-$2.35");
    CHECK(evaluate("round(PricingQuantity / 3, 1)").value == "333.3");
    CHECK(evaluate("min($5, BilledCost)").value == "$5");
    CHECK(evaluate("max(PricingQuantity, 1500)").value == "1500");
    CHECK(evaluate("abs(-$3.10)").value == "$3.1");
    CHECK(evaluate("clamp(PricingQuantity, 0, 500)").value == "500");
    CHECK(evaluate("round($1, 19)").code == "E0207");
    CHECK(evaluate("round($1, 2, \"bankers\")").code == "E0207");
    CHECK(evaluate("round(\"a\", 2)").code == "E0207");
    CHECK(evaluate("min($1, 2)").code == "E0207");
    CHECK(evaluate("round($1)").code == "E0206");
    CHECK(evaluate("abs(1, 2)").code == "E0206");
    CHECK(evaluate("rnd($1, 2)").code == "E0205");
    CHECK(evaluate("tag(ServiceName)").code == "E0208");
}

TEST_CASE("names, consts and folding") {
    CHECK(evaluate("BilledCost * (1 + fee)", "const fee = 4.5%").value == "$12.54");
    CHECK(evaluate("fee2", "const fee = 4.5%\nconst fee2 = fee * 2").value == "9%");
    CHECK(evaluate("BiledCost").code == "E0201");
    CHECK(evaluate("x", "const x = BilledCost").code == "E0211");
    CHECK(evaluate("x", "const x = 1\nconst x = 2").code == "E0212");
    CHECK(evaluate("x", "const x = $1 / 0").code == "E0223");
    CHECK(evaluate("100 EUR").code == "E0213");
}

TEST_CASE("runtime errors stop the record with a reason") {
    CHECK(evaluate("BilledCost / (PricingQuantity - 1000)").code == "E0401");
    CHECK(evaluate("BilledCost * 10000000000000000000000000000000000000").code == "E0402");
}

TEST_CASE("calendar functions") {
    CHECK(evaluate("days_in_month(2027-02-01)").value == "28");
    CHECK(evaluate("days_in_month(2028-02-10)").value == "29");  // leap year
    CHECK(evaluate("days_in_month(ChargePeriodStart)").value == "31");  // October
    CHECK(evaluate("day_of(ChargePeriodStart)").value == "5");
    CHECK(evaluate("month_of(ChargePeriodStart)").value == "10");
    CHECK(evaluate("year_of(ChargePeriodStart)").value == "2026");
    CHECK(evaluate("days_between(2026-10-01, ChargePeriodStart)").value == "4");
    CHECK(evaluate("days_between(2027-03-01, 2027-02-01)").value == "-28");
    // The stated month-end policy: a day past the end of the target month becomes its last day.
    CHECK(evaluate("add_months(2027-01-31, 1)").value == "2027-02-28");
    CHECK(evaluate("add_months(2028-01-31, 1)").value == "2028-02-29");
    CHECK(evaluate("add_months(2026-10-05, -13)").value == "2025-09-05");
    CHECK(evaluate("add_months(2026-10-05, 1.5)").code == "E0223");          // folded: refused at compile time
    CHECK(evaluate("add_months(ChargePeriodStart, 1.5)").code == "E0402");  // at run time: the record is rejected
    // Proration of a monthly fee by days of service: $250.00 x 12 / 31 = 96.774... -> 96.77
    CHECK(evaluate("round($250.00 * (days_between(2026-10-20, 2026-11-01) / days_in_month(2026-10-20)), 2)").value == "$96.77");
    CHECK(evaluate("days_in_month(\"2027-02-01\")").code == "E0207");
    CHECK(evaluate("add_months(2027-01-31, \"1\")").code == "E0207");
}

TEST_CASE("percent consts show exactly, whatever their size") {
    CHECK(evaluate("p", "const p = 4.5%").value == "4.5%");
    CHECK(evaluate("p", "const p = 0.25%").value == "0.25%");
    CHECK(evaluate("p", "const p = 1200%").value == "1200%");
    CHECK(evaluate("p", "const p = -0.5%").value == "-0.5%");
    CHECK(evaluate("p", "const p = 99999999999999999999999999999999999999%").value ==
          "99999999999999999999999999999999999999%");
}
