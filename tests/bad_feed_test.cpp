// A corpus of broken feeds, rated with the hand-computed rule set: each problem gives its exact
// reject reason (and the identity in = charged + rejected holds), or, when the file cannot be
// used at all, the exit-2 message naming the problem.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <unistd.h>

#include "engine/csv_reader.hpp"
#include "engine/rating.hpp"
#include "interpreter/loader.hpp"

using namespace ratebook;
namespace fs = std::filesystem;

namespace {

const std::string header =
    "ProviderName,ServiceCategory,ServiceName,SkuId,ResourceId,SubAccountId,PricingQuantity,"
    "PricingUnit,BilledCost,ChargePeriodStart,Tags\n";
const std::string good_row =
    "Azure,Compute,Virtual Machines,D2s,r01,SA-9,10,Hours,1.00,2026-10-01T00:00:00Z,{}\n";

std::unique_ptr<RuleSet> hand_rules() {
    Diagnostics diags;
    auto rules = load_ruleset(std::string(RATEBOOK_SOURCE_DIR) + "/tests/data/hand/rules", diags);
    REQUIRE(!diags.has_errors());
    return rules;
}

fs::path write_feed(const std::string& name, const std::string& text) {
    fs::path p = fs::temp_directory_path() / ("ratebook_bad_feed_" + std::to_string(::getpid()) + "_" + name);
    std::ofstream(p, std::ios::binary) << text;
    return p;
}

struct Outcome {
    RateRun run;
    std::map<uint64_t, std::string> reasons;  // line -> "category: reason"
    std::string fatal;                        // FeedError message, when the file is unusable
};

Outcome rate_text(const std::string& name, const std::string& text) {
    auto rules = hand_rules();
    Outcome o;
    fs::path p = write_feed(name, text);
    try {
        o.run = rate_feeds(*rules, {p.string()},
                           [&](const RejectRow& r) { o.reasons[r.line] = r.category + ": " + r.reason; });
        CHECK(o.run.rows_in == o.run.charged + o.run.rejected);
    } catch (const FeedError& e) {
        o.fatal = e.what();
    }
    fs::remove(p);
    return o;
}

}  // namespace

TEST_CASE("bad feeds: per-row problems are rejected with their reason") {
    SUBCASE("too few fields") {
        auto o = rate_text("few.csv", header + good_row + "Azure,Compute,Virtual Machines\n");
        CHECK(o.reasons[3] == "malformed row: expected 11 fields, found 3");
        CHECK(o.run.charged == 1);
    }
    SUBCASE("too many fields") {
        auto o = rate_text("many.csv", header + "Azure,Compute,Virtual Machines,D2s,r01,SA-9,10,Hours,1.00,2026-10-01,{},extra\n");
        CHECK(o.reasons[2] == "malformed row: expected 11 fields, found 12");
    }
    SUBCASE("unterminated quote at end of file") {
        auto o = rate_text("quote.csv", header + good_row + "Azure,Compute,\"Virtual Machines,D2s\n");
        CHECK(o.reasons[3] == "malformed row: unterminated quoted field");
        CHECK(o.run.rows_in == 2);
    }
    SUBCASE("junk numbers are never coerced") {
        std::string rows;
        for (std::string v : {"NaN", "inf", "-Infinity", "1e400", "12abc", "\"1,000\"", "0x10"})
            rows += "Azure,Compute,Virtual Machines,D2s,r01,SA-9,10,Hours," + v + ",2026-10-01,{}\n";
        auto o = rate_text("junk.csv", header + rows);
        CHECK(o.run.rejected == 7);
        CHECK(o.run.charged == 0);
        for (const auto& [line, reason] : o.reasons) {
            CAPTURE(reason);
            CHECK(reason.find("invalid number: BilledCost is not a valid number") == 0);
        }
        CHECK(o.reasons[5].find("out of range") != std::string::npos);  // 1e400
    }
    SUBCASE("empty required value") {
        auto o = rate_text("empty.csv", header + "Azure,Compute,Virtual Machines,D2s,r01,SA-9,10,Hours,,2026-10-01,{}\n"
                                                 "Azure,Compute,Virtual Machines,D2s,r01,SA-9,10,Hours,NULL,2026-10-01,{}\n");
        CHECK(o.reasons[2] == "missing value: BilledCost is empty");
        CHECK(o.reasons[3] == "missing value: BilledCost is empty");
    }
    SUBCASE("a 10 MB field") {
        std::string huge(10u << 20, 'x');
        auto o = rate_text("huge.csv", header + "Azure,Compute,Virtual Machines,D2s," + huge + ",SA-9,10,Hours,1.00,2026-10-01,{}\n" + good_row);
        CHECK(o.reasons[2] == "malformed row: field ResourceId is longer than 1048576 bytes");
        CHECK(o.run.charged == 1);
    }
    SUBCASE("invalid UTF-8") {
        auto o = rate_text("utf8.csv", header + "Azure,Compute,Virtual \xff\xfe Machines,D2s,r01,SA-9,10,Hours,1.00,2026-10-01,{}\n");
        CHECK(o.reasons[2] == "malformed row: invalid UTF-8 in field ServiceName");
    }
    SUBCASE("tags that are not a JSON object") {
        auto o = rate_text("tags.csv", header + "Azure,Compute,Virtual Machines,D2s,r01,SA-9,10,Hours,1.00,2026-10-01,\"[1,2]\"\n");
        CHECK(o.reasons[2].find("invalid tags: Tags is not a JSON object of text values") == 0);
    }
    SUBCASE("quoted fields, doubled quotes, embedded newlines and CRLF keep line numbers right") {
        auto o = rate_text("quoted.csv", header +
                                             "Azure,Compute,\"Virtual Machines\",D2s,\"r\"\"01\",SA-9,10,Hours,1.00,2026-10-01,{}\r\n"
                                             "Azure,Compute,Virtual Machines,D2s,\"multi\nline\",SA-9,10,Hours,1.00,2026-10-01,{}\r\n"
                                             "Azure,Compute,Nope,D2s,r01,SA-9,10,Hours,1.00,2026-10-01,{}\r\n");
        CHECK(o.run.charged == 2);
        CHECK(o.reasons.count(5) == 1);  // the third record starts on physical line 5
    }
    SUBCASE("a byte order mark before the header") {
        auto o = rate_text("bom.csv", "\xEF\xBB\xBF" + header + good_row);
        CHECK(o.run.charged == 1);
    }
}

TEST_CASE("bad feeds: unusable files stop the run with a message naming the problem") {
    SUBCASE("missing BilledCost column") {
        auto o = rate_text("nobilled.csv",
                           "ProviderName,ServiceCategory,ServiceName,SkuId,ResourceId,SubAccountId,PricingQuantity,PricingUnit,ChargePeriodStart,Tags\n");
        CHECK(o.fatal.find("missing required column BilledCost") != std::string::npos);
    }
    SUBCASE("missing several columns") {
        auto o = rate_text("few_columns.csv", "ProviderName,BilledCost\n");
        CHECK(o.fatal.find("missing required columns") != std::string::npos);
        CHECK(o.fatal.find("ServiceName") != std::string::npos);
        CHECK(o.fatal.find("Tags") != std::string::npos);
    }
    SUBCASE("duplicate header") {
        auto o = rate_text("duphead.csv", "BilledCost,ServiceName,BilledCost\n");
        CHECK(o.fatal.find("BilledCost") != std::string::npos);
        CHECK(o.fatal.find("twice") != std::string::npos);
    }
    SUBCASE("empty file") {
        auto o = rate_text("empty_file.csv", "");
        CHECK(!o.fatal.empty());
    }
    SUBCASE("unreadable file") {
        auto rules = hand_rules();
        CHECK_THROWS_AS(rate_feeds(*rules, {"/nonexistent/usage.csv"}, [](const RejectRow&) {}), FeedError);
    }
}
