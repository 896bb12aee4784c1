// Tests of the FOCUS value parsers: nulls, timestamps, exact numbers (incl. scientific notation)
// and the Tags JSON object.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/csv_reader.hpp"
#include "engine/focus_values.hpp"

using ratebook::Decimal;
using ratebook::is_null;
using ratebook::parse_number;
using ratebook::parse_tags;
using ratebook::parse_timestamp;
using ratebook::Timestamp;

namespace {

using Tags = std::vector<std::pair<std::string, std::string>>;

constexpr int32_t day_2024_09_18 = 19984;  // days from 1970-01-01 to 2024-09-18

std::string number_text(std::string_view text) {
    std::string why;
    auto value = parse_number(text, &why);
    return value ? value->to_string() : "error: " + why;
}

std::string number_error(std::string_view text) {
    std::string why;
    auto value = parse_number(text, &why);
    return value ? "accepted " + value->to_string() : why;
}

std::string timestamp_error(std::string_view text) {
    std::string why;
    auto value = parse_timestamp(text, &why);
    return value ? "accepted" : why;
}

std::string tags_error(std::string_view json) {
    Tags tags;
    std::string why;
    return parse_tags(json, tags, &why) ? "accepted" : why;
}

Tags tags_of(std::string_view json) {
    Tags tags;
    std::string why;
    INFO(json);
    CHECK(parse_tags(json, tags, &why));
    CHECK(why == "");
    return tags;
}

}  // namespace

TEST_CASE("focus: nulls are empty, NULL or null") {
    CHECK(is_null(""));
    CHECK(is_null("NULL"));
    CHECK(is_null("null"));
    CHECK_FALSE(is_null("Null"));
    CHECK_FALSE(is_null(" NULL"));
    CHECK_FALSE(is_null("0"));
    CHECK_FALSE(is_null("NULLS"));
}

TEST_CASE("focus: timestamps in every shape the providers write") {
    const Timestamp ten_pm{day_2024_09_18, 22 * 3600};
    CHECK(parse_timestamp("2024-09-18T22:00:00Z") == ten_pm);
    CHECK(parse_timestamp("2024-09-18T22:00:00.000Z") == ten_pm);
    CHECK(parse_timestamp("2024-09-18T22:00:00.9999999Z") == ten_pm);  // fraction dropped
    CHECK(parse_timestamp("2024-09-18 22:00:00") == ten_pm);
    CHECK(parse_timestamp("2024-09-18t22:00:00z") == ten_pm);
    CHECK(parse_timestamp("2024-09-18T22:00Z") == ten_pm);
    CHECK(parse_timestamp("2024-09-18T22:00:00+00:00") == ten_pm);
    CHECK(parse_timestamp("2024-09-18T22:00:00+02:00") == Timestamp{day_2024_09_18, 20 * 3600});
    CHECK(parse_timestamp("2024-09-18T22:00:00+0200") == Timestamp{day_2024_09_18, 20 * 3600});
    CHECK(parse_timestamp("2024-09-18T01:30:00+02:00") == Timestamp{day_2024_09_18 - 1, 23 * 3600 + 1800});
    CHECK(parse_timestamp("2024-09-18T22:00:00-05:00") == Timestamp{day_2024_09_18 + 1, 3 * 3600});
    CHECK(parse_timestamp("2024-09-18") == Timestamp{day_2024_09_18, 0});
    CHECK(parse_timestamp("2024-10-01 00:00:00") == Timestamp{day_2024_09_18 + 13, 0});
    CHECK(parse_timestamp("1970-01-01T00:00:00Z") == Timestamp{0, 0});
    CHECK(parse_timestamp("1969-12-31T23:00:00Z") == Timestamp{-1, 23 * 3600});
    CHECK(parse_timestamp("2024-02-29") == Timestamp{19782, 0});  // leap day
    CHECK(parse_timestamp("2026-10-05T23:59:59Z") == Timestamp{20731, 86399});
    CHECK(Timestamp{1, 0} > Timestamp{0, 86399});
}

TEST_CASE("focus: impossible or malformed timestamps are refused with a reason") {
    CHECK(timestamp_error("2024-02-30") == "no such date: 2024-02-30 (that month has 29 days)");
    CHECK(timestamp_error("2023-02-29T00:00:00Z") == "no such date: 2023-02-29 (that month has 28 days)");
    CHECK(timestamp_error("2024-13-01") == "no such month: 13 in 2024-13-01");
    CHECK(timestamp_error("2024-09-18T25:00:00Z") == "hour out of range: 25 (0-23) in 2024-09-18T25:00:00Z");
    CHECK(timestamp_error("2024-09-18T23:60:00Z").find("minute out of range: 60") == 0);
    CHECK(timestamp_error("2024-09-18T23:59:60Z").find("second out of range: 60") == 0);
    CHECK(timestamp_error("") == "empty value is not a timestamp");
    CHECK(timestamp_error("junk") ==
          "not a timestamp: junk (expected a date like 2024-09-18 or a timestamp like 2024-09-18T22:00:00Z)");
    CHECK(timestamp_error("2024-9-18").find("not a timestamp") == 0);
    CHECK(timestamp_error("2024-09-18T22:00:00Zjunk") == "unexpected text after the timestamp: junk");
    CHECK(timestamp_error("2024-09-18T22:00:00+25:00").find("invalid time zone offset +25:00") == 0);
    CHECK(timestamp_error("2024-09-18T22").find("not a time of day") == 0);
    CHECK(timestamp_error("2024-09-18X22:00:00").find("unexpected text after the date") == 0);
    CHECK(timestamp_error("2024-09-18T22:00:00.Z").find("expected digits after the decimal point") == 0);
    CHECK_FALSE(parse_timestamp("2024-09-18T22:00:00 UTC"));
}

TEST_CASE("focus: plain decimal numbers are exact") {
    CHECK(number_text("0.00000080000") == "0.00000080000");
    CHECK(number_text("-12") == "-12");
    CHECK(number_text("2.000000000000000") == "2.000000000000000");
    CHECK(number_text("+3.5") == "3.5");
    CHECK(number_text(".5") == "0.5");
    CHECK(number_text("123456789012345678901234567890.12345678") == "123456789012345678901234567890.12345678");
    // Zeros past 18 places carry no value and are dropped rather than refused.
    CHECK(number_text("2.00000000000000000000") == "2.000000000000000000");
    CHECK(number_error("0.0000000000000000001") == "too many decimal places (max 18): 0.0000000000000000001");
}

TEST_CASE("focus: scientific notation is converted exactly, without floating point") {
    CHECK(number_text("1.5E-7") == "0.00000015");
    CHECK(number_text("1e-10") == "0.0000000001");
    CHECK(number_text("2.5e+3") == "2500");
    CHECK(number_text("1.23E2") == "123");
    CHECK(number_text("1.2345E2") == "123.45");
    CHECK(number_text("-4.5e-1") == "-0.45");
    CHECK(number_text("0.000123e3") == "0.123");
    CHECK(number_text("1E18") == "1000000000000000000");
    CHECK(number_text("1e-18") == "0.000000000000000001");
    CHECK(number_text("9.9999999999999999999999999999999999999e37") ==
          "99999999999999999999999999999999999999");  // 38 digits: the most a Decimal holds
    CHECK(number_text("1.100000000000000000000e-1") == "0.110000000000000000");
    CHECK(number_text("0e400") == "0");
    CHECK(number_text("3.0E0") == "3.0");
    CHECK(*parse_number("1.5E-7") == *parse_number("0.00000015"));
}

TEST_CASE("focus: numbers that are not exact finite decimals are refused with a reason") {
    CHECK(number_error("1e400") == "number out of range: 1e400");
    CHECK(number_error("1e38") == "number out of range: 1e38");
    CHECK(number_error("9.99999999999999999999999999999999999999e37") ==
          "number out of range: 9.99999999999999999999999999999999999999...");  // 39 digits
    CHECK(number_error("-1E999999999999999999") == "number out of range: -1E999999999999999999");
    CHECK(number_error("1e-19") == "number needs more than 18 decimal places: 1e-19");
    CHECK(number_error("NaN") == "not a number: NaN");
    CHECK(number_error("nan") == "not a number: nan");
    CHECK(number_error("inf") == "infinity is not a usable number: inf");
    CHECK(number_error("-Infinity") == "infinity is not a usable number: -Infinity");
    CHECK(number_error("12abc") == "not a number: 12abc");
    CHECK(number_error("") == "empty value is not a number");
    CHECK(number_error(" 12") == "not a number:  12");
    CHECK(number_error("1,000") == "not a number: 1,000");
    CHECK(number_error("1e") == "not a number: 1e");
    CHECK(number_error("e5") == "not a number: e5");
    CHECK(number_error("1e5.5") == "not a number: 1e5.5");
    CHECK(number_error("--1") == "not a number: --1");
    CHECK(number_error("0x10") == "not a number: 0x10");
    CHECK(number_error(".") == "not a number: .");
    CHECK(number_error(std::string(100, '7') + "x") == "not a number: " + std::string(40, '7') + "...");
}

TEST_CASE("focus: tags are a JSON object of text values, in input order") {
    CHECK(tags_of(R"({"cost-center":"CC-0001","env":"prod"})") == Tags{{"cost-center", "CC-0001"}, {"env", "prod"}});
    CHECK(tags_of(R"({"application": "BrightLensMatrix", "environment": "dev", " org": "x"})") ==
          Tags{{"application", "BrightLensMatrix"}, {"environment", "dev"}, {" org", "x"}});
    CHECK(tags_of(" { } ").empty());
    CHECK(tags_of("").empty());
    CHECK(tags_of("NULL").empty());
    CHECK(tags_of("null").empty());
}

TEST_CASE("focus: tag escapes are decoded to UTF-8") {
    CHECK(tags_of(R"({"a\"b":"c\\d\/e\n\t"})") == Tags{{"a\"b", "c\\d/e\n\t"}});
    CHECK(tags_of(R"({"name":"Caf\u00e9 \u65e5"})") == Tags{{"name", "Caf\xC3\xA9 \xE6\x97\xA5"}});
    CHECK(tags_of(R"({"face":"\ud83d\ude00"})") == Tags{{"face", "\xF0\x9F\x98\x80"}});
    CHECK(tags_of("{\"raw\":\"Caf\xC3\xA9\"}") == Tags{{"raw", "Caf\xC3\xA9"}});
}

TEST_CASE("focus: scalar tag values keep their text; null is empty") {
    CHECK(tags_of(R"({"n":1.50,"neg":-2e3,"t":true,"f":false,"z":null,"zero":0})") ==
          Tags{{"n", "1.50"}, {"neg", "-2e3"}, {"t", "true"}, {"f", "false"}, {"z", ""}, {"zero", "0"}});
}

TEST_CASE("focus: a duplicate tag key keeps the last value at the first position") {
    CHECK(tags_of(R"({"env":"dev","app":"x","env":"prod"})") == Tags{{"env", "prod"}, {"app", "x"}});
}

TEST_CASE("focus: parse_tags reuses and resizes the output") {
    Tags tags{{"old", "1"}, {"older", "2"}, {"oldest", "3"}};
    CHECK(parse_tags(R"({"k":"v"})", tags));
    CHECK(tags == Tags{{"k", "v"}});
    CHECK(parse_tags("", tags));
    CHECK(tags.empty());
}

TEST_CASE("focus: malformed tags are refused with a reason") {
    CHECK(tags_error(R"({"x":{"y":"z"}})") == "tag 'x' has a nested value; tags must be text");
    CHECK(tags_error(R"({"list":["a"]})") == "tag 'list' has a nested value; tags must be text");
    CHECK(tags_error(R"(["a"])") == R"(tags must be a JSON object like {"cost-center":"CC-0001"})");
    CHECK(tags_error(R"("text")") == R"(tags must be a JSON object like {"cost-center":"CC-0001"})");
    CHECK(tags_error(R"({"a" "b"})") == "expected ':' after tag name 'a'");
    CHECK(tags_error(R"({"a":"b",})") == "expected a quoted tag name at character 10");
    CHECK(tags_error(R"({"a":"b" "c":"d"})") == "expected ',' or '}' after the value of tag 'a'");
    CHECK(tags_error(R"({"a":"b)") == "unterminated text in the tags (a closing quote is missing)");
    CHECK(tags_error(R"({"a":"b"} x)") == "unexpected text after the closing '}' of the tags");
    CHECK(tags_error(R"({"a":"b")") == "expected ',' or '}' after the value of tag 'a'");
    CHECK(tags_error(R"({a:"b"})") == "expected a quoted tag name at character 2");
    CHECK(tags_error(R"({"a":prod})") == "tag 'a' has a value that is not text, a number, true, false or null");
    CHECK(tags_error(R"({"a":01})") == "expected ',' or '}' after the value of tag 'a'");
    CHECK(tags_error(R"({"a":1.})") == "tag 'a' has a malformed number");
    CHECK(tags_error(R"({"a":"\q"})") == "tag 'a' contains an unknown escape \\q");
    CHECK(tags_error(R"({"a":"\u12"})") == "tag 'a' contains a \\u escape without four hex digits");
    CHECK(tags_error(R"({"a":"\ud83d"})") == "tag 'a' contains an unpaired \\u surrogate");
    CHECK(tags_error(R"({"a":"\ude00"})") == "tag 'a' contains an unpaired \\u surrogate");
    CHECK(tags_error("{\"a\":\"line\nbreak\"}") ==
          "tag 'a' contains a control character; write it as an escape such as \\n");
    CHECK(tags_error("{\"k\ney\":\"v\"}") ==
          "a tag name contains a control character; write it as an escape such as \\n");
}

TEST_CASE("focus: every number, timestamp and tags value of the FOCUS 1.0 sample parses") {
    const std::string path = RATEBOOK_SOURCE_DIR "/tests/data/focus-sample/focus_sample.csv";
    if (!std::filesystem::exists(path)) {
        MESSAGE("skipped: " << path << " is absent");
        return;
    }
    const std::set<std::string> numbers = {"BilledCost",    "ConsumedQuantity", "ContractedCost",  "ContractedUnitPrice",
                                           "EffectiveCost", "ListCost",         "ListUnitPrice",   "PricingQuantity"};
    const std::set<std::string> timestamps = {"BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart",
                                              "ChargePeriodEnd"};
    ratebook::CsvReader reader(path);
    const auto& header = reader.header();
    ratebook::CsvRecord rec;
    Tags tags;
    std::string why;
    size_t parsed = 0, refused = 0, tagged = 0;
    while (reader.next(rec)) {
        REQUIRE(rec.error == "");
        for (size_t i = 0; i < header.size(); ++i) {
            const std::string_view value = rec.fields[i];
            if (is_null(value)) continue;
            bool ok = true;
            if (numbers.count(header[i])) ok = parse_number(value, &why).has_value();
            else if (timestamps.count(header[i])) ok = parse_timestamp(value, &why).has_value();
            else if (header[i] == "Tags") ok = parse_tags(value, tags, &why) && !tags.empty() && ++tagged;
            else continue;
            ++parsed;
            if (!ok) {
                ++refused;
                MESSAGE("line " << rec.line << " " << header[i] << ": " << why);
            }
        }
    }
    CHECK(refused == 0);
    CHECK(parsed > 10000);
    CHECK(tagged > 600);
}
