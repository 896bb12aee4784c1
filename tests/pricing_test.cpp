// Charge models priced on the month (tiers), effective dates, and largest-remainder
// allocation. Every figure is worked out by hand in its comment.
#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <unistd.h>

#include "engine/allocation.hpp"
#include "engine/rating.hpp"
#include "interpreter/loader.hpp"

using namespace ratebook;
namespace fs = std::filesystem;

namespace {

Decimal dec(const char* s) { return *Decimal::parse(s); }

const char* storage_tiers = R"(
rate "Object storage" {
  match ServiceName == "Cloud Storage"
  ru "STO-OBJ"
  tiers graduated
  first 50,000 at $0.023
  next 450,000 at $0.022
  over at $0.021
}
rate "Archive storage" {
  match ServiceName == "Archive"
  ru "STO-ARC"
  tiers volume
  first 50,000 at $0.023
  next 450,000 at $0.022
  over at $0.021
}
rate "Compute, autumn price" {
  match ServiceName == "Compute"
  ru "CMP"
  charge PricingQuantity * $0.10
  until 2026-12-31
}
rate "Compute, winter price" {
  match ServiceName == "Compute"
  ru "CMP"
  charge PricingQuantity * $0.08
  effective 2027-01-01
}
)";

std::unique_ptr<RuleSet> compile(const std::string& text, Diagnostics& diags) {
    return load_ruleset_from_text("pricing.rules", text, diags);
}

RateRun rate_csv(const RuleSet& rules, const std::string& rows, std::vector<RejectRow>* rejects = nullptr) {
    fs::path p = fs::temp_directory_path() / ("ratebook_pricing_test_" + std::to_string(::getpid()) + ".csv");
    std::ofstream(p) << "ServiceName,SkuId,ResourceId,PricingQuantity,PricingUnit,BilledCost,ChargePeriodStart,SubAccountId\n" << rows;
    RateRun run = rate_feeds(rules, {p.string()}, [&](const RejectRow& r) { if (rejects) rejects->push_back(r); });
    fs::remove(p);
    return run;
}

const TierSchedule& tiers_of(const RuleSet& rules, const char* name) {
    for (const auto& r : rules.rates)
        if (r.name == name) return *r.tiers;
    FAIL("no rule ", name);
    throw 0;
}

}  // namespace

TEST_CASE("graduated and volume tiers, at and around every band edge") {
    Diagnostics diags;
    auto rules = compile(storage_tiers, diags);
    REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
    const TierSchedule& g = tiers_of(*rules, "Object storage");
    // graduated: 50,000 x 0.023 = 1,150
    CHECK(g.charge_for(dec("50000")).rounded(2).to_string() == "1150.00");
    // 50,000 x 0.023 + 10,000 x 0.022 = 1,150 + 220 = 1,370 (the LANGUAGE.md example)
    CHECK(g.charge_for(dec("60000")).rounded(2).to_string() == "1370.00");
    // 50,000.5: 1,150 + 0.5 x 0.022 = 1,150.011
    CHECK(g.charge_for(dec("50000.5")).to_plain_string() == "1150.011");
    // 500,000: 1,150 + 450,000 x 0.022 = 1,150 + 9,900 = 11,050
    CHECK(g.charge_for(dec("500000")).rounded(2).to_string() == "11050.00");
    // 600,000: 11,050 + 100,000 x 0.021 = 13,150
    CHECK(g.charge_for(dec("600000")).rounded(2).to_string() == "13150.00");
    // 0 and a net credit month of -100 (priced at the first band): 0 and -2.30
    CHECK(g.charge_for(dec("0")).is_zero());
    CHECK(g.charge_for(dec("-100")).rounded(2).to_string() == "-2.30");

    const TierSchedule& v = tiers_of(*rules, "Archive storage");
    // volume: all units at the band reached. 50,000 (still the first band) x 0.023 = 1,150
    CHECK(v.charge_for(dec("50000")).rounded(2).to_string() == "1150.00");
    // 60,000 x 0.022 = 1,320
    CHECK(v.charge_for(dec("60000")).rounded(2).to_string() == "1320.00");
    // 500,000 x 0.022 = 11,000; 500,001 x 0.021 = 10,500.021 -> 10,500.02
    CHECK(v.charge_for(dec("500000")).rounded(2).to_string() == "11000.00");
    CHECK(v.charge_for(dec("500001")).rounded(2).to_string() == "10500.02");
}

TEST_CASE("tiers price each account's month, spread over its lines to the cent") {
    Diagnostics diags;
    auto rules = compile(storage_tiers, diags);
    REQUIRE(!diags.has_errors());
    // No account rule: every line is the suspense account's; three buckets of one account.
    RateRun run = rate_csv(*rules,
                           "Cloud Storage,S1,bucket-1,30000,GB-Mo,0,2026-10-01,SA\n"
                           "Cloud Storage,S1,bucket-2,20000,GB-Mo,0,2026-10-01,SA\n"
                           "Cloud Storage,S1,bucket-3,10000,GB-Mo,0,2026-10-01,SA\n");
    // Month: 60,000 GB-Mo -> 1,370.00. Shares by volume: 685.00, 456.666..., 228.333...
    // Floors 685.00 + 456.66 + 228.33 = 1,369.99; the missing cent goes to the largest
    // remainder (bucket-2, 0.00666...): 685.00, 456.67, 228.33.
    std::map<std::string, std::string> by_bucket;
    for (const auto& l : run.lines) by_bucket[l.component] = billed_charge(*rules, l).to_string();
    CHECK(by_bucket["bucket-1"] == "685.00");
    CHECK(by_bucket["bucket-2"] == "456.67");
    CHECK(by_bucket["bucket-3"] == "228.33");
}

TEST_CASE("effective dates choose the rate by ChargePeriodStart, boundary days included") {
    Diagnostics diags;
    auto rules = compile(storage_tiers, diags);
    REQUIRE(!diags.has_errors());
    RateRun run = rate_csv(*rules,
                           "Compute,C1,vm-dec31,10,Hours,0,2026-12-31T23:00:00Z,SA\n"
                           "Compute,C1,vm-jan01,10,Hours,0,2027-01-01T00:00:00Z,SA\n");
    std::map<std::string, std::string> charge, rule;
    for (const auto& l : run.lines) {
        charge[l.component] = billed_charge(*rules, l).to_string();
        rule[l.component] = rules->rates[l.rate].name;
    }
    // 31 December, the last day of the autumn price: 10 x 0.10 = 1.00
    CHECK(charge["vm-dec31"] == "1.00");
    CHECK(rule["vm-dec31"] == "Compute, autumn price");
    // 1 January, the first day of the winter price: 10 x 0.08 = 0.80
    CHECK(charge["vm-jan01"] == "0.80");
    CHECK(rule["vm-jan01"] == "Compute, winter price");
}

TEST_CASE("date and tier mistakes are compile errors") {
    auto first_code = [](const std::string& text) {
        Diagnostics d;
        compile(text, d);
        for (const auto& x : d.items())
            if (x.severity == Severity::error) return x.code;
        return std::string();
    };
    const std::string base = "rate \"A\" { match ServiceName == \"X\" ru \"R\" charge BilledCost ";
    const std::string base2 = "rate \"B\" { match ServiceName == \"X\" ru \"R\" charge BilledCost ";
    // Overlap on 1 January: both rules would price that day.
    CHECK(first_code(base + "until 2027-01-01 }\n" + base2 + "effective 2027-01-01 }") == "E0228");
    // Same match, no dates, same priority: always competing.
    CHECK(first_code(base + "}\n" + base2 + "}") == "E0228");
    // ...but a priority makes it a deliberate override; a fully covered lower rule is warned of.
    CHECK(first_code(base + "}\n" + base2 + "priority 5 }") == "");
    {
        Diagnostics d;
        compile(base + "}\n" + base2 + "priority 5 }", d);
        REQUIRE(d.warning_count() == 1);
        CHECK(d.items()[0].code == "W0234");
        CHECK(d.items()[0].message == "rate \"A\" can never be chosen: \"B\" has the same match and a higher priority on every day it applies");
        Diagnostics partial;  // the override covers only part of A's dates: no warning
        compile(base + "}\n" + base2 + "priority 5 until 2026-12-31 }", partial);
        CHECK(partial.items().empty());
    }
    CHECK(first_code(base + "effective 2027-09-01 }") == "E0231");  // after FY2027 ends
    CHECK(first_code(base + "effective 2027-03-01 until 2027-02-01 }") == "E0231");
    CHECK(first_code(base + "effective \"2027-03-01\" }") == "E0218");
    const std::string tiered = "rate \"T\" { match ServiceName == \"X\" ru \"R\" ";
    CHECK(first_code(tiered + "tiers graduated first 10 at $1 next 10 at $0.5 }") == "E0232");     // no `over`
    CHECK(first_code(tiered + "first 10 at $1 over at $0.5 }") == "E0232");                       // no `tiers`
    CHECK(first_code(tiered + "tiers stepped first 10 at $1 over at $0.5 }") == "E0232");
    CHECK(first_code(tiered + "tiers graduated first 10 at $1 over at $0.5 charge BilledCost }") == "E0232");
    CHECK(first_code(tiered + "tiers graduated first 10 at 1 over at $0.5 }") == "E0218");        // price not money
    CHECK(first_code(tiered + "tiers graduated first PricingQuantity at $1 over at $0.5 }") == "E0230");
    CHECK(first_code(tiered + "tiers graduated first 0 at $1 over at $0.5 }") == "E0232");
    CHECK(first_code(tiered + "charge BilledCost ru2 \"X\" }") == "E0215");                     // unknown clause
    CHECK(first_code(tiered + "charge BilledCost priority 1 at $2 }") == "E0215");  // `at` outside a tier
}

TEST_CASE("largest remainder: 10,000 random pools sum exactly, no part a cent off its share") {
    uint64_t state = 0x9E3779B97F4A7C15ull;
    auto next = [&] {  // splitmix64: a fixed sequence, the same on every machine
        uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    };
    const Decimal cent = dec("0.01");
    for (int round = 0; round < 10000; ++round) {
        // Pools from -$10,000.00 to $1,000,000.00, 1 to 40 accounts, weights with 0-6 decimals.
        int64_t pool_cents = static_cast<int64_t>(next() % 100'000'001) - 1'000'000;
        Decimal pool = Decimal::from_parts(pool_cents, 2);
        size_t n = 1 + next() % 40;
        std::vector<Decimal> weights;
        for (size_t i = 0; i < n; ++i)
            weights.push_back(Decimal::from_parts(static_cast<int64_t>(next() % 5'000'000), static_cast<int>(next() % 7)));
        auto parts = allocate_largest_remainder(pool, weights, 2);
        Decimal sum, total_weight;
        for (const auto& p : parts) sum += p;
        for (const auto& w : weights) total_weight += w;
        REQUIRE(sum == pool);
        for (size_t i = 0; i < n; ++i) {
            Decimal exact = total_weight.is_zero() ? pool / Decimal::from_int(static_cast<int64_t>(n))
                                                   : pool * (weights[i] / total_weight);
            CHECK((parts[i] - exact).abs() < cent);
        }
    }
}

TEST_CASE("a monthly minimum tops up an account's charges with a line of its own") {
    Diagnostics diags;
    auto rules = compile(R"(
account "By sub-account" { from SubAccountId }
rate "Managed firewall" {
  match ServiceName == "Firewall"
  ru "SEC-FW"
  charge PricingQuantity * $1.25
  minimum $25.00
}
)", diags);
    REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
    RateRun run = rate_csv(*rules,
                           "Firewall,F1,fw-1,8,Hours,0,2026-10-01,SMALL\n"    // 8 x 1.25 = 10.00
                           "Firewall,F1,fw-2,40,Hours,0,2026-10-01,LARGE\n");  // 40 x 1.25 = 50.00
    std::map<std::string, std::string> charge;
    for (const auto& l : run.lines) charge[l.account + "/" + l.component] = billed_charge(*rules, l).to_string();
    CHECK(charge.size() == 3);
    CHECK(charge["SMALL/fw-1"] == "10.00");
    CHECK(charge["SMALL/minimum monthly charge"] == "15.00");  // 25.00 - 10.00
    CHECK(charge["LARGE/fw-2"] == "50.00");                    // above the minimum: no top-up
    CHECK(run.charged == 2);  // the top-up is a charge line, not a record
}
