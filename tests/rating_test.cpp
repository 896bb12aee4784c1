// Hand-computed rating of tests/data/hand/usage.csv (23 records) with tests/data/hand/rules.
// Every charge below is worked out in its comment; lines are rounded half-even to cents.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "engine/outputs.hpp"
#include "engine/rating.hpp"
#include "interpreter/loader.hpp"

using namespace ratebook;

namespace {

const std::string data_dir = std::string(RATEBOOK_SOURCE_DIR) + "/tests/data/hand";

struct Loaded {
    std::unique_ptr<RuleSet> rules;
    RateRun run;
    std::vector<RejectRow> rejects;
};

Loaded rate_hand_month() {
    Loaded l;
    Diagnostics diags;
    l.rules = load_ruleset(data_dir + "/rules", diags);
    REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
    l.run = rate_feeds(*l.rules, {data_dir + "/usage.csv"},
                       [&](const RejectRow& r) { l.rejects.push_back(r); });
    return l;
}

}  // namespace

TEST_CASE("hand-computed month: every charge to the cent") {
    Loaded l = rate_hand_month();
    std::map<std::string, std::string> charge_by_resource, account_by_resource, rule_by_resource;
    for (const auto& line : l.run.lines) {
        charge_by_resource[line.component] = billed_charge(*l.rules, line).to_string();
        account_by_resource[line.component] = line.account;
        rule_by_resource[line.component] = l.rules->rates[line.rate].name;
    }
    // r01: two days of 10 h at $0.0960 = 0.96 + 0.96, aggregated on one line = 1.92
    CHECK(charge_by_resource["r01"] == "1.92");
    // r02: 7.5 h x 0.0960 = 0.72
    CHECK(charge_by_resource["r02"] == "0.72");
    // r03: 100.123456 h x 0.0960 = 9.611851776 -> 9.61
    CHECK(charge_by_resource["r03"] == "9.61");
    // r04: 1 h x 0.0960 = 0.096 -> 0.10; untagged, found through SubAccountId SA-9
    CHECK(charge_by_resource["r04"] == "0.10");
    CHECK(account_by_resource["r04"] == "20009-0");
    // r05: GPU SKU, priority 10 beats "VM hours": 2 h x $3.00 = 6.00
    CHECK(charge_by_resource["r05"] == "6.00");
    CHECK(rule_by_resource["r05"] == "GPU hours");
    // r06: 50,000 GB-Mo x 0.023 = 1,150.00
    CHECK(charge_by_resource["r06"] == "1150.00");
    // r07: 0.5 GB-Mo x 0.023 = 0.0115 -> 0.01; CC-3 not in the table, no SubAccountId -> suspense
    CHECK(charge_by_resource["r07"] == "0.01");
    CHECK(account_by_resource["r07"] == "99999-SUSPENSE");
    // r08: cost plus 4.5%: 100.00 x 1.045 = 104.50
    CHECK(charge_by_resource["r08"] == "104.50");
    // r09: 0.125 x 1.045 = 0.130625 -> 0.13
    CHECK(charge_by_resource["r09"] == "0.13");
    // r10: a credit passes through with the fee: -20.00 x 1.045 = -20.90
    CHECK(charge_by_resource["r10"] == "-20.90");
    // r11: 2,500,000 requests -> 2.5 million, rounded up to 3 blocks x $3.50 = 10.50
    CHECK(charge_by_resource["r11"] == "10.50");
    // r12: 999,999 requests -> 0.999999 million, up to 1 block = 3.50
    CHECK(charge_by_resource["r12"] == "3.50");
    // r22: 0.005 h x 0.0960 = 0.00048 -> 0.00 (charged, rounds to nothing)
    CHECK(charge_by_resource["r22"] == "0.00");
    // r23: 10.00 / 4 h x 2 = 5.00
    CHECK(charge_by_resource["r23"] == "5.00");
    CHECK(l.run.lines.size() == 14);

    // Total = 1.92 + 0.72 + 9.61 + 0.10 + 6.00 + 1150.00 + 0.01 + 104.50 + 0.13 - 20.90
    //       + 10.50 + 3.50 + 0.00 + 5.00 = 1,271.09
    CHECK(total_billed(*l.rules, l.run).to_string() == "1271.09");
    CHECK(l.run.rows_in == 23);
    CHECK(l.run.charged == 15);
    CHECK(l.run.rejected == 8);
    CHECK(l.run.rows_in == l.run.charged + l.run.rejected);
}

TEST_CASE("hand-computed month: every reject has its line and reason") {
    Loaded l = rate_hand_month();
    std::map<uint64_t, std::string> reason_by_line;
    for (const auto& r : l.rejects) reason_by_line[r.line] = r.category + ": " + r.reason;
    REQUIRE(reason_by_line.size() == 8);
    CHECK(reason_by_line[14] == "no rate rule matches: no rate rule matches (ServiceName=Quantum Annealer, SkuId=QA-1)");
    CHECK(reason_by_line[15].find("more than one rate rule matches: rate rules \"Mystery A\"") == 0);
    CHECK(reason_by_line[15].find("\"Mystery B\"") != std::string::npos);
    CHECK(reason_by_line[16] == "rule error: division by zero in rate \"Ratio\" at " + data_dir +
                                    "/rules/rates.rules:52:21");
    CHECK(reason_by_line[17].find("invalid number: BilledCost is not a valid number: \"NaN\"") == 0);
    CHECK(reason_by_line[18] == "malformed row: expected 11 fields, found 10");
    CHECK(reason_by_line[19] == "missing value: BilledCost is empty");
    CHECK(reason_by_line[20].find("invalid tags: ") == 0);
    CHECK(reason_by_line[22].find("rule error: PricingQuantity is empty on this record in rate \"VM hours\"") == 0);
}

TEST_CASE("the real FOCUS 1.0 sample: every row charged or rejected with a reason") {
    // tests/data/focus-sample: 1,000 anonymised rows (FinOps Foundation, CC BY 4.0). Its rule
    // set prices every category but "Other" (47 rows) and "AI and Machine Learning" (9 rows).
    Diagnostics diags;
    auto rules = load_ruleset(std::string(RATEBOOK_SOURCE_DIR) + "/tests/data/focus-sample-rules", diags);
    REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
    std::vector<RejectRow> rejects;
    RateRun run = rate_feeds(*rules, {std::string(RATEBOOK_SOURCE_DIR) + "/tests/data/focus-sample/focus_sample.csv"},
                             [&](const RejectRow& r) { rejects.push_back(r); });
    CHECK(run.rows_in == 1000);
    CHECK(run.rows_in == run.charged + run.rejected);
    CHECK(run.rejected == 56);
    CHECK(run.rejects_by_category["no rate rule matches"] == 56);
    for (const auto& r : rejects) {
        CHECK(r.line >= 2);
        CHECK(!r.reason.empty());
        CHECK(!r.raw.empty());
    }
    // Untagged rows (289 AWS rows have Tags NULL) land visibly in suspense, never dropped.
    Decimal suspense;
    for (const auto& line : run.lines)
        if (line.account == "99999-SUSPENSE") suspense += billed_charge(*rules, line);
    CHECK(suspense > Decimal());
}
