// Drill-down fields defined by rules (service, product, component; interpreter/drilldown.hpp)
// and named tier schedules from the stdlib (stdlib/tiers/*.rules). Every expected charge line is
// worked out by hand in its comment.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/rating.hpp"
#include "interpreter/disasm.hpp"
#include "interpreter/loader.hpp"

using namespace ratebook;
namespace fs = std::filesystem;

namespace {

const char* header =
    "ServiceName,SkuId,ResourceId,ResourceName,RegionId,PricingQuantity,PricingUnit,BilledCost,"
    "ChargePeriodStart,BillingPeriodStart,Tags\n";

RateRun rate_rows(const RuleSet& rules, const std::string& rows) {
    fs::path p = fs::temp_directory_path() / ("ratebook_drilldown_" + std::to_string(::getpid()) + ".csv");
    std::ofstream(p) << header << rows;
    RateRun run = rate_feeds(rules, {p.string()}, [](const RejectRow& r) { FAIL("rejected: " << r.reason); });
    fs::remove(p);
    return run;
}

std::unique_ptr<RuleSet> compile(const std::string& text) {
    Diagnostics diags;
    auto rules = load_ruleset_from_text("drilldown.rules", text, diags);
    REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
    return rules;
}

// One charge line as "account|ru|service|product|component|records|charge" (charge rounded as billed).
std::vector<std::string> lines_of(const RuleSet& rules, const RateRun& run) {
    std::vector<std::string> out;
    for (const auto& l : run.lines)
        out.push_back(l.account + "|" + l.ru + "|" + l.service + "|" + l.product + "|" + l.component + "|" +
                      std::to_string(l.records) + "|" + billed_charge(rules, l).to_string());
    return out;
}

const char* drilldown_rules = R"(
const family = "Managed databases"

drilldown {
  component none                    # every rate: one line per service and product, not per resource
}

rate "Databases" {
  match ServiceName == "DB"
  ru "DB"
  service family                    # a const: the same text on every line
  product RegionId                  # a column
  component ResourceName            # the rate's own clause wins over the drilldown block
  charge BilledCost
}

rate "Storage" {
  match ServiceName == "STO"
  ru "STO"
  product if tag("tier") == "" then SkuId else tag("tier")
  charge BilledCost
}

rate "Compute" {
  match ServiceName == "VM"
  ru "VM"
  charge BilledCost
}
)";

}  // namespace

TEST_CASE("drill-down clauses define a charge line's service, product and component") {
    auto rules = compile(drilldown_rules);
    RateRun run = rate_rows(*rules,
                            "DB,SKU-A,res-1,db-one,us-east,1,Hours,10.00,2026-10-01,2026-10-01,{}\n"
                            "DB,SKU-B,res-2,db-one,us-east,1,Hours,5.00,2026-10-02,2026-10-01,{}\n"
                            "DB,SKU-A,res-3,db-two,us-west,1,Hours,2.50,2026-10-01,2026-10-01,{}\n"
                            "STO,S1,res-4,,,1,GB-Mo,1.00,2026-10-01,2026-10-01,\"{\"\"tier\"\":\"\"hot\"\"}\"\n"
                            "STO,S1,res-5,,,1,GB-Mo,2.00,2026-10-01,2026-10-01,{}\n"
                            "VM,V1,res-6,,,1,Hours,3.00,2026-10-01,2026-10-01,{}\n"
                            "VM,V1,res-7,,,1,Hours,4.00,2026-10-02,2026-10-01,{}\n");
    CHECK(run.charged == 7);
    // Databases: service is the const; product the region; component the resource's name, so
    // res-1 and res-2 (both db-one in us-east, different SKUs) are one line: 10.00 + 5.00 = 15.00.
    // Storage: product is the tag `tier` when present (hot), else the SkuId (S1); component none
    // from the drilldown block. Compute: ServiceName and SkuId as always, component none, so two
    // resources are one line: 3.00 + 4.00 = 7.00.
    CHECK(lines_of(*rules, run) == std::vector<std::string>{
                                       "99999-SUSPENSE|DB|Managed databases|us-east|db-one|2|15.00",
                                       "99999-SUSPENSE|DB|Managed databases|us-west|db-two|1|2.50",
                                       "99999-SUSPENSE|STO|STO|S1||1|2.00",
                                       "99999-SUSPENSE|STO|STO|hot||1|1.00",
                                       "99999-SUSPENSE|VM|VM|V1||2|7.00",
                                   });
}

TEST_CASE("without drill-down clauses the lines are ServiceName, SkuId and ResourceId, as before") {
    auto rules = compile("rate \"All\" { match true ru \"R\" charge BilledCost }\n");
    CHECK(!rules->rates[0].drilldown.custom);  // the engine reads the feed's columns directly
    RateRun run = rate_rows(*rules,
                            "VM,V1,res-6,web,us-east,1,Hours,3.00,2026-10-01,2026-10-01,{}\n"
                            "VM,V1,res-7,web,us-east,1,Hours,4.00,2026-10-02,2026-10-01,{}\n");
    CHECK(lines_of(*rules, run) == std::vector<std::string>{"99999-SUSPENSE|R|VM|V1|res-6|1|3.00",
                                                            "99999-SUSPENSE|R|VM|V1|res-7|1|4.00"});
}

TEST_CASE("drill-down fields are compiled: fixed texts resolved once, expressions as chunks, all hashed") {
    auto rules = compile(drilldown_rules);
    const DrillDown& db = rules->rates[0].drilldown;
    CHECK(db.service.source == DrillDownField::Source::fixed);
    CHECK(db.service.fixed == "Managed databases");
    CHECK(db.product.source == DrillDownField::Source::computed);
    CHECK(db.component.source == DrillDownField::Source::computed);
    const DrillDown& vm = rules->rates[2].drilldown;
    CHECK(vm.service.source == DrillDownField::Source::feed);
    CHECK(vm.component.source == DrillDownField::Source::fixed);
    CHECK(vm.component.fixed.empty());
    // A rule set that differs only in a drill-down clause is another rule set.
    auto plain = compile("rate \"A\" { match true ru \"R\" charge BilledCost }\n");
    auto drilled = compile("rate \"A\" { match true ru \"R\" charge BilledCost component none }\n");
    CHECK(plain->content_hash != drilled->content_hash);
}

TEST_CASE("stdlib tier schedules price a rate's month at percentages of its base price") {
    auto rules = compile(R"(
use "tiers/three_step_discount"
use "tiers/storage_volume"
use "tiers/requests_free_allowance"

account "By tag" { from tag("cc") }

rate "Metered API" {
  match ServiceName == "API"
  ru "API"
  tiers "Three-step volume discount" at $0.05
}
rate "Object storage" {
  match ServiceName == "STO"
  ru "STO"
  tiers "Standard storage volume discount" at $0.023
}
rate "Function requests" {
  match ServiceName == "FN"
  ru "FN"
  tiers "First million requests free" at $0.0000002
}
)");
    // The schedule's shares times the base price, exactly: 100%, 90%, 80% of $0.05.
    const TierSchedule& api = *rules->rates[0].tiers;
    REQUIRE(api.tiers.size() == 3);
    CHECK(api.tiers[1].price.to_plain_string() == "0.045");
    CHECK(api.tiers[2].price.to_plain_string() == "0.04");
    const char* a = "\"{\"\"cc\"\":\"\"A\"\"}\"";
    const char* b = "\"{\"\"cc\"\":\"\"B\"\"}\"";
    auto row = [](const char* service, const char* res, const char* qty, const char* tags) {
        return std::string(service) + ",S," + res + ",,," + qty + ",u,0,2026-10-01,2026-10-01," + tags + "\n";
    };
    RateRun run = rate_rows(*rules, row("API", "api-1", "5000", a) + row("API", "api-2", "7500", a) +
                                        row("API", "api-3", "800", b) + row("STO", "bucket", "60000", a) +
                                        row("FN", "fn-1", "3500000", a) + row("FN", "fn-2", "800000", b));
    // Account A, Metered API: 12,500 units = 1,000 x $0.05 + 9,000 x $0.045 + 2,500 x $0.04
    //   = 50.00 + 405.00 + 100.00 = $555.00, spread by volume: 555 x 5,000/12,500 = 222.00 and
    //   555 x 7,500/12,500 = 333.00.
    // Account B, Metered API: 800 units, all in the first band: 800 x $0.05 = $40.00.
    // Account A, Object storage: 60,000 GB-months = 50,000 x $0.023 + 10,000 x ($0.023 x 95%)
    //   = 1,150.00 + 10,000 x 0.02185 = 1,150.00 + 218.50 = $1,368.50.
    // Account A, Function requests: 3,500,000 = 1,000,000 free + 2,500,000 x $0.0000002 = $0.50.
    // Account B, Function requests: 800,000, inside the free million: $0.00.
    CHECK(lines_of(*rules, run) == std::vector<std::string>{
                                       "A|API|API|S|api-1|1|222.00",
                                       "A|API|API|S|api-2|1|333.00",
                                       "A|FN|FN|S|fn-1|1|0.50",
                                       "A|STO|STO|S|bucket|1|1368.50",
                                       "B|API|API|S|api-3|1|40.00",
                                       "B|FN|FN|S|fn-2|1|0.00",
                                   });
}

TEST_CASE("a named schedule gives exactly the tiers written out by hand") {
    auto named = compile(R"(
schedule "Steps" { tiers volume first 100 at 100% next 900 at 50% over at 25% }
rate "R" { match true ru "R" tiers "Steps" at $2.00 }
)");
    auto by_hand = compile(R"(
rate "R" { match true ru "R" tiers volume first 100 at $2.00 next 900 at $1.00 over at $0.50 }
)");
    // Volume tiers: 1,500 units reach the last band, all at $0.50: $750.00; 150 units the
    // second, all at $1.00: $150.00.
    CHECK(named->rates[0].tiers->charge_for(*Decimal::parse("1500")).to_plain_string() == "750");
    CHECK(named->rates[0].tiers->charge_for(*Decimal::parse("150")).to_plain_string() == "150");
    CHECK(by_hand->rates[0].tiers->charge_for(*Decimal::parse("150")).to_plain_string() == "150");
    // The disassembly names the schedule; otherwise the tiers read the same.
    std::string d = disassemble(*named, "R", false);
    CHECK(d.find("schedule \"Steps\" at $2.00") != std::string::npos);
}

TEST_CASE("texts joined with + make a drill-down field per record, and fixed texts once") {
    auto rules = compile(R"(
const family = "Managed " + "caches"
rate "Caches" {
  match SkuId + "/" + RegionId != "S9/nowhere"
  ru "DB-CACHE"
  service family
  product SkuId + " in " + RegionId
  component none
  charge BilledCost
}
)");
    CHECK(rules->rates[0].drilldown.service.source == DrillDownField::Source::fixed);
    CHECK(rules->rates[0].drilldown.service.fixed == "Managed caches");
    // Each record's joined text is its own, even though the rater reuses its text storage from
    // one record to the next: S1 in us-east (1.00 + 4.00 = 5.00, records 1 and 4), S1 in us-west
    // (2.00), S2 in us-east (3.00).
    RateRun run = rate_rows(*rules,
                            "C,S1,r1,,us-east,1,Hours,1.00,2026-10-01,2026-10-01,{}\n"
                            "C,S1,r2,,us-west,1,Hours,2.00,2026-10-01,2026-10-01,{}\n"
                            "C,S2,r3,,us-east,1,Hours,3.00,2026-10-01,2026-10-01,{}\n"
                            "C,S1,r4,,us-east,1,Hours,4.00,2026-10-02,2026-10-01,{}\n");
    CHECK(lines_of(*rules, run) == std::vector<std::string>{
                                       "99999-SUSPENSE|DB-CACHE|Managed caches|S1 in us-east||2|5.00",
                                       "99999-SUSPENSE|DB-CACHE|Managed caches|S1 in us-west||1|2.00",
                                       "99999-SUSPENSE|DB-CACHE|Managed caches|S2 in us-east||1|3.00",
                                   });
}

TEST_CASE("a joined text longer than the VM allows rejects the record, not the run") {
    auto rules = compile("rate \"R\" { match true ru \"R\" product SkuId + SkuId charge BilledCost }\n");
    std::string big(40000, 'x');  // 40,000 + 40,000 = 80,000 characters > 65,536
    fs::path p = fs::temp_directory_path() / ("ratebook_drilldown_long_" + std::to_string(::getpid()) + ".csv");
    std::ofstream(p) << header << "C," << big << ",r1,,,1,Hours,1.00,2026-10-01,2026-10-01,{}\n"
                     << "C,short,r2,,,1,Hours,2.00,2026-10-01,2026-10-01,{}\n";
    std::vector<RejectRow> rejects;
    RateRun run = rate_feeds(*rules, {p.string()}, [&](const RejectRow& r) { rejects.push_back(r); });
    fs::remove(p);
    CHECK(run.charged == 1);
    REQUIRE(rejects.size() == 1);
    CHECK(rejects[0].reason.find("longer than 65,536 characters") != std::string::npos);
    CHECK(lines_of(*rules, run) == std::vector<std::string>{"99999-SUSPENSE|R|C|shortshort|r2|1|2.00"});
}
