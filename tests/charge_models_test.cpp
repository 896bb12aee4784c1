// Charge models beyond unit rates and tiers: package blocks, cost-plus markup, flat monthly
// fees prorated by days of service, the account master's active dates, and a baseline with
// ARC/RRC. Every figure is worked out by hand in its comment.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "engine/outputs.hpp"
#include "engine/rating.hpp"
#include "engine/whatif.hpp"
#include "interpreter/loader.hpp"

using namespace ratebook;
namespace fs = std::filesystem;

namespace {

Decimal dec(const char* s) { return *Decimal::parse(s); }

const char* header =
    "ServiceName,SkuId,ResourceId,PricingQuantity,PricingUnit,BilledCost,EffectiveCost,ListCost,"
    "ChargePeriodStart,BillingPeriodStart,Tags\n";

RateRun rate_rows(const RuleSet& rules, const std::string& rows, std::vector<RejectRow>* rejects = nullptr) {
    fs::path p = fs::temp_directory_path() / ("ratebook_charge_models_" + std::to_string(::getpid()) + ".csv");
    std::ofstream(p) << header << rows;
    RateRun run = rate_feeds(rules, {p.string()}, [&](const RejectRow& r) { if (rejects) rejects->push_back(r); });
    fs::remove(p);
    return run;
}

std::unique_ptr<RuleSet> compile(const std::string& text) {
    Diagnostics diags;
    auto rules = load_ruleset_from_text("models.rules", text, diags);
    REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
    return rules;
}

// A rule set folder with an account master, for fees and active dates.
class MasterFolder {
public:
    MasterFolder(const std::string& rules_text, const std::string& accounts_csv, const std::string& extra_toml = "",
                 const std::string& extra_table = "", const std::string& extra_csv = "") {
        dir_ = fs::temp_directory_path() / ("ratebook_master_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "tables");
        std::ofstream(dir_ / "ratebook.toml")
            << "name = \"test\"\nfiscal_year = 2027\nfiscal_year_start = 2026-09-01\ncurrency = \"USD\"\n"
               "suspense_account = \"99999-SUSPENSE\"\n"
               "[tables.accounts]\npath = \"tables/accounts.csv\"\n"
               "[account_master]\ntable = \"accounts\"\nactive_from = \"ActiveFrom\"\nactive_to = \"ActiveTo\"\n";
        std::ofstream(dir_ / "tables" / "accounts.csv") << accounts_csv;
        if (!extra_table.empty()) {
            std::ofstream(dir_ / "ratebook.toml", std::ios::app) << extra_toml;
            std::ofstream(dir_ / "tables" / extra_table) << extra_csv;
        }
        std::ofstream(dir_ / "models.rules") << rules_text;
    }
    ~MasterFolder() { fs::remove_all(dir_); }
    std::unique_ptr<RuleSet> load(Diagnostics& diags) const { return load_ruleset(dir_.string(), diags); }

private:
    fs::path dir_;
};

std::map<std::string, std::string> charges_by(const RuleSet& rules, const RateRun& run,
                                              std::string (*key)(const ChargeLine&)) {
    std::map<std::string, std::string> out;
    for (const auto& l : run.lines) out[key(l)] = billed_charge(rules, l).to_string();
    return out;
}

std::string by_component(const ChargeLine& l) { return l.component; }
std::string by_account(const ChargeLine& l) { return l.account + "|" + l.ru + "|" + l.component; }

}  // namespace

TEST_CASE("package blocks: a part block rounded up, or prorated, at and around the block edge") {
    auto rules = compile(R"(
rate "Requests, whole blocks" {
  match ServiceName == "API"
  ru "API-REQ"
  blocks 1,000 at $0.40
  partial up
}
rate "Requests, prorated" {
  match ServiceName == "DNS"
  ru "DNS-Q"
  blocks 1,000,000 at $0.40
  partial prorated
}
)");
    const BlockPricing& up = *rules->rates[0].blocks;
    const BlockPricing& pro = *rules->rates[1].blocks;
    // 1,000 requests = exactly 1 block: 1 x 0.40 = 0.40
    CHECK(up.charge_for(dec("1000")).rounded(2).to_string() == "0.40");
    // 1,001 requests = 1.001 blocks, a part block rounds up to 2: 2 x 0.40 = 0.80
    CHECK(up.charge_for(dec("1001")).rounded(2).to_string() == "0.80");
    // 999 requests = 0.999 of a block -> 1 block: 0.40; 1 request -> 1 block: 0.40
    CHECK(up.charge_for(dec("999")).rounded(2).to_string() == "0.40");
    CHECK(up.charge_for(dec("1")).rounded(2).to_string() == "0.40");
    // No volume (or a net credit month): no block is sold
    CHECK(up.charge_for(dec("0")).is_zero());
    CHECK(up.charge_for(dec("-5")).is_zero());
    // Prorated: 1,312,728.451726 queries / 1,000,000 x 0.40 = 0.5250913806904 -> 0.53
    CHECK(pro.charge_for(dec("1312728.451726")).to_plain_string() == "0.5250913806904");
    // 500,000 queries = half a block: 0.20
    CHECK(pro.charge_for(dec("500000")).rounded(2).to_string() == "0.20");

    // Priced once on the account's month, then spread over its lines by volume:
    // 600 + 901 = 1,501 requests -> 2 blocks -> 0.80. Shares: 0.80 x 600/1501 = 0.31979...,
    // 0.80 x 901/1501 = 0.48021...; floors 0.31 + 0.48 = 0.79, the missing cent goes to the
    // larger remainder (0.00979... on the first line): 0.32 + 0.48 = 0.80.
    RateRun run = rate_rows(*rules,
                            "API,S,api-1,600,Requests,0,0,0,2026-10-01,2026-10-01,{}\n"
                            "API,S,api-2,901,Requests,0,0,0,2026-10-02,2026-10-01,{}\n");
    auto c = charges_by(*rules, run, by_component);
    CHECK(c["api-1"] == "0.32");
    CHECK(c["api-2"] == "0.48");
}

TEST_CASE("cost-plus markup on BilledCost, EffectiveCost or ListCost is a charge expression") {
    auto rules = compile(R"(
const markup = 1.65%
rate "On billed cost" { match ServiceName == "B" ru "CP-B" charge BilledCost * (1 + markup) }
rate "On effective cost" { match ServiceName == "E" ru "CP-E" charge EffectiveCost * (1 + markup) }
rate "On list cost" { match ServiceName == "L" ru "CP-L" charge ListCost * (1 + 25%) }
)");
    RateRun run = rate_rows(*rules,
                            "B,S,b,1,Hours,1234.56,1000.00,1500.00,2026-10-01,2026-10-01,{}\n"
                            "E,S,e,1,Hours,1234.56,1000.00,1500.00,2026-10-01,2026-10-01,{}\n"
                            "L,S,l,1,Hours,1234.56,1000.00,1500.00,2026-10-01,2026-10-01,{}\n");
    auto c = charges_by(*rules, run, by_component);
    // 1,234.56 x 1.0165 = 1,254.930240 -> 1,254.93
    CHECK(c["b"] == "1254.93");
    // 1,000.00 x 1.0165 = 1,016.50
    CHECK(c["e"] == "1016.50");
    // 1,500.00 x 1.25 = 1,875.00
    CHECK(c["l"] == "1875.00");
}

TEST_CASE("baseline with ARC and RRC, at and around the deadband edges") {
    auto rules = compile(R"(
rate "Managed servers" {
  match ServiceName == "Servers"
  ru "SRV"
  charge $0.00
  baseline 100
  deadband 5
  arc at $2.00
  rrc at $1.00
}
rate "Managed search" {
  match ServiceName == "Search"
  ru "SRCH"
  baseline 450 at $90.00
  deadband 25
  arc at $0.20
  rrc at $0.15
}
)");
    const BaselineAdjustment& b = *rules->rates[0].baseline;
    // The band is 95..105. At 105 (upper edge): ARC units max(0, 105 - 100 - 5) = 0
    CHECK(b.arc_units(dec("105")).is_zero());
    // 105.5: 0.5 units above the band; 106: 1 unit
    CHECK(b.arc_units(dec("105.5")).to_plain_string() == "0.5");
    CHECK(b.arc_units(dec("106")).to_plain_string() == "1");
    // At 95 (lower edge): RRC units max(0, 100 - 95 - 5) = 0; 94: 1 unit; 100: neither
    CHECK(b.rrc_units(dec("95")).is_zero());
    CHECK(b.rrc_units(dec("94")).to_plain_string() == "1");
    CHECK(b.arc_units(dec("100")).is_zero());
    CHECK(b.rrc_units(dec("100")).is_zero());

    // No account rule: every line is the suspense account's, one account per rule. Servers: 60 + 46 = 106 units -> ARC 1 x 2.00 = 2.00, no RRC.
    // Search: 299.979714 hours -> RRC (450 - 299.979714 - 25) = 125.020286 x 0.15
    // = 18.7530429 -> -18.75, plus the base charge 90.00.
    RateRun run = rate_rows(*rules,
                            "Servers,S,srv-1,60,Units,0,0,0,2026-10-01,2026-10-01,{}\n"
                            "Servers,S,srv-2,46,Units,0,0,0,2026-10-01,2026-10-01,{}\n"
                            "Search,S,es-1,299.979714,Hours,0,0,0,2026-10-01,2026-10-01,{}\n");
    auto c = charges_by(*rules, run, by_component);
    CHECK(c["additional resource charge: 1 units above 100 + 5"] == "2.00");
    CHECK(c["reduced resource credit: 125.020286 units below 450 - 25"] == "-18.75");
    CHECK(c["baseline charge: 450 units"] == "90.00");
    CHECK(c["srv-1"] == "0.00");
    CHECK(c["es-1"] == "0.00");
    // Inside the band, nothing is added: 100 units -> only the usage line.
    RateRun inside = rate_rows(*rules, "Servers,S,srv-1,100,Units,0,0,0,2026-10-01,2026-10-01,{}\n");
    CHECK(inside.lines.size() == 1);
}

TEST_CASE("monthly fee per account, prorated by days of service; inactive usage goes to suspense") {
    const std::string accounts =
        "CostCenter,AccountCode,CustomerName,ActiveFrom,ActiveTo\n"
        "CC-A,10001-0,Whole month,2026-09-01,\n"
        "CC-B,10002-0,Opened on the 15th,2026-10-15,\n"
        "CC-C,10003-0,Closed on the 20th,,2026-10-20\n"
        "CC-D,10004-0,Closed in September,2026-09-01,2026-09-30\n"
        "CC-E,10005-0,Opens in November,2026-11-01,\n";
    const std::string rules_text = R"(
account "Cost centers" {
  from tag("cost-center") in table accounts.CostCenter -> AccountCode
}
rate "Compute" { match ServiceName == "Compute" ru "CMP" charge BilledCost }
fee "Account management" { monthly $250.00 ru "ACCT-MGT" prorate days }
fee "Service desk" { monthly $10.00 ru "DESK" }
)";
    MasterFolder folder(rules_text, accounts);
    Diagnostics diags;
    auto rules = folder.load(diags);
    REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
    RateRun run = rate_rows(*rules,
                            // B on the 14th (the day before it opens) and on the 15th (its first day)
                            "Compute,S,b-14,1,Hours,5.00,0,0,2026-10-14T10:00:00Z,2026-10-01,\"{\"\"cost-center\"\":\"\"CC-B\"\"}\"\n"
                            "Compute,S,b-15,1,Hours,7.00,0,0,2026-10-15T00:00:00Z,2026-10-01,\"{\"\"cost-center\"\":\"\"CC-B\"\"}\"\n"
                            // C on the 20th (its last day) and the 21st (closed)
                            "Compute,S,c-20,1,Hours,3.00,0,0,2026-10-20T23:59:59Z,2026-10-01,\"{\"\"cost-center\"\":\"\"CC-C\"\"}\"\n"
                            "Compute,S,c-21,1,Hours,4.00,0,0,2026-10-21T00:00:00Z,2026-10-01,\"{\"\"cost-center\"\":\"\"CC-C\"\"}\"\n");
    REQUIRE(run.charged == 4);
    auto c = charges_by(*rules, run, by_account);
    // Usage: the 15th and the 20th are active days (both ends included); the 14th and the 21st
    // go to suspense, flagged with the account they mapped to.
    CHECK(c["10002-0|CMP|b-15"] == "7.00");
    CHECK(c["10003-0|CMP|c-20"] == "3.00");
    CHECK(c["99999-SUSPENSE|CMP|b-14"] == "5.00");
    CHECK(c["99999-SUSPENSE|CMP|c-21"] == "4.00");
    for (const auto& l : run.lines)
        if (l.account == "99999-SUSPENSE") {
            CHECK((l.inactive_account == "10002-0" || l.inactive_account == "10003-0"));
            CHECK(l.account_source.rfind("INACTIVE ACCOUNT 1000", 0) == 0);
        }
    // Fees for October 2026 (31 days), from the billing month of the records:
    //   A, the whole month: 250.00
    //   B, 15..31 = 17 days: 250 x 17 / 31 = 137.0967741935... -> 137.10
    //   C, 1..20 = 20 days: 250 x 20 / 31 = 161.2903225806... -> 161.29
    //   D (closed in September) and E (opens in November): no fee
    CHECK(c["10001-0|ACCT-MGT|"] == "250.00");
    CHECK(c["10002-0|ACCT-MGT|17 of 31 days"] == "137.10");
    CHECK(c["10003-0|ACCT-MGT|20 of 31 days"] == "161.29");
    int fee_lines = 0, desk_lines = 0;
    for (const auto& l : run.lines) {
        if (l.ru == "ACCT-MGT") ++fee_lines;
        if (l.ru == "DESK") {
            ++desk_lines;
            // Not prorated: the full 10.00 for every account active on any day of the month.
            CHECK(billed_charge(*rules, l).to_string() == "10.00");
        }
        CHECK(l.account != "10004-0");
        CHECK(l.account != "10005-0");
    }
    CHECK(fee_lines == 3);
    CHECK(desk_lines == 3);
}

TEST_CASE("fee proration in a 28-day February") {
    const std::string accounts =
        "CostCenter,AccountCode,CustomerName,ActiveFrom,ActiveTo\n"
        "CC-A,10001-0,Opened on the 8th,2027-02-08,\n";
    MasterFolder folder("rate \"Compute\" { match ServiceName == \"Compute\" ru \"CMP\" charge BilledCost }\n"
                        "fee \"Account management\" { monthly $250.00 ru \"ACCT-MGT\" prorate days }\n",
                        accounts);
    Diagnostics diags;
    auto rules = folder.load(diags);
    REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
    RateRun run = rate_rows(*rules, "Compute,S,x,1,Hours,1.00,0,0,2027-02-10,2027-02-01T00:00:00Z,{}\n");
    // 8..28 February = 21 of 28 days: 250 x 21 / 28 = 187.50 exactly
    auto c = charges_by(*rules, run, by_account);
    CHECK(c["10001-0|ACCT-MGT|21 of 28 days"] == "187.50");
}

TEST_CASE("fees that cannot be charged are said, not silently left out") {
    const std::string accounts =
        "CostCenter,AccountCode,CustomerName,ActiveFrom,ActiveTo\n"
        "CC-A,10001-0,Whole month,2026-09-01,\n";
    MasterFolder folder("rate \"Compute\" { match ServiceName == \"Compute\" ru \"CMP\" charge BilledCost }\n"
                        "fee \"Account management\" { monthly $250.00 ru \"ACCT-MGT\" }\n",
                        accounts);
    Diagnostics diags;
    auto rules = folder.load(diags);
    REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
    // Every record rejected (no rate for Storage): the month the fee is for is unknown.
    RateRun none = rate_rows(*rules, "Storage,S,x,1,GB,1.00,0,0,2026-10-10,2026-10-01,{}\n");
    CHECK(none.charged == 0);
    CHECK(none.lines.empty());
    REQUIRE(none.notes.size() == 1);
    CHECK(none.notes[0].rfind("1 monthly fee rule charged nothing: no charged record gives", 0) == 0);
    std::ostringstream summary;
    write_summary_json(summary, *rules, none, {});
    CHECK(summary.str().find("\"notes\": [\"1 monthly fee rule charged nothing") != std::string::npos);
    // A dry run of the same month says it too, for each rule set (`ratebook whatif` prints them).
    {
        fs::path p = fs::temp_directory_path() / ("ratebook_charge_models_whatif_" + std::to_string(::getpid()) + ".csv");
        std::ofstream(p) << header << "Storage,S,x,1,GB,1.00,0,0,2026-10-10,2026-10-01,{}\n";
        WhatIfRun dry = rate_whatif(*rules, *rules, {p.string()});
        fs::remove(p);
        REQUIRE(dry.current.notes.size() == 1);
        REQUIRE(dry.proposed.notes.size() == 1);
        CHECK(dry.proposed.notes[0].rfind("1 monthly fee rule charged nothing", 0) == 0);
    }
    // One charged record gives the month: the fee is charged and there is nothing to say.
    RateRun one = rate_rows(*rules, "Compute,S,x,1,Hours,1.00,0,0,2026-10-10,2026-10-01,{}\n");
    CHECK(one.notes.empty());
    CHECK(charges_by(*rules, one, by_account)["10001-0|ACCT-MGT|"] == "250.00");
}

TEST_CASE("per-account baselines from a table, the rule's baseline for accounts not in it") {
    const std::string accounts =
        "CostCenter,AccountCode,CustomerName,ActiveFrom,ActiveTo\n"
        "CC-A,10001-0,Own baseline,,\n"
        "CC-B,10002-0,Rule's baseline,,\n";
    MasterFolder folder(R"(
account "Cost centers" { from tag("cost-center") in table accounts.CostCenter -> AccountCode }
rate "Managed search" {
  match ServiceName == "Search"
  ru "SRCH"
  baseline 450 at $90.00
  baseline_table search_baselines
  deadband 25
  arc at $0.20
  rrc at $0.15
}
)",
                        accounts, "[tables.search_baselines]\npath = \"tables/search_baselines.csv\"\n",
                        "search_baselines.csv", "AccountCode,Baseline\n10001-0,300\n");
    Diagnostics diags;
    auto rules = folder.load(diags);
    REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
    RateRun run = rate_rows(*rules,
                            "Search,S,a,465.780113,Hours,0,0,0,2026-10-01,2026-10-01,\"{\"\"cost-center\"\":\"\"CC-A\"\"}\"\n"
                            "Search,S,b,465.780113,Hours,0,0,0,2026-10-01,2026-10-01,\"{\"\"cost-center\"\":\"\"CC-B\"\"}\"\n");
    auto c = charges_by(*rules, run, by_account);
    // A: baseline 300 from the table, band 275..325: 465.780113 - 300 - 25 = 140.780113 hours
    // above, x 0.20 = 28.1560226 -> 28.16; its base line names its own 300 units.
    CHECK(c["10001-0|SRCH|additional resource charge: 140.780113 units above 300 + 25"] == "28.16");
    CHECK(c["10001-0|SRCH|baseline charge: 300 units"] == "90.00");
    // B: the rule's 450, band 425..475: 465.780113 is inside, so only the base charge.
    CHECK(c["10002-0|SRCH|baseline charge: 450 units"] == "90.00");
    int b_lines = 0;
    for (const auto& l : run.lines) b_lines += l.account == "10002-0";
    CHECK(b_lines == 2);  // the usage line and the base charge
}
