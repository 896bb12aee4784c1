// Typed table columns, lookup() in expressions, longest-prefix account sources and the
// fiscal-year, business-day and proration functions. Each case builds a small rule set in a
// temporary folder; every expected charge is worked out in its comment.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "engine/rating.hpp"
#include "grammar/parser.hpp"
#include "interpreter/compiler.hpp"
#include "interpreter/loader.hpp"
#include "interpreter/vm.hpp"
#include "tests/support/evaluate.hpp"

using namespace ratebook;
namespace fs = std::filesystem;

namespace {

const std::string toml_head =
    "name = \"tables test\"\nfiscal_year = 2027\nfiscal_year_start = 2026-09-01\ncurrency = \"USD\"\n"
    "suspense_account = \"99999-SUSPENSE\"\n";

// A rule set folder under the temp directory (the process id keeps concurrent runs apart).
struct TempRuleSet {
    fs::path dir;
    explicit TempRuleSet(const std::string& name)
        : dir(fs::temp_directory_path() / ("ratebook_tables_" + std::to_string(::getpid()) + "_" + name)) {
        fs::remove_all(dir);
        fs::create_directories(dir / "tables");
    }
    ~TempRuleSet() { fs::remove_all(dir); }
    void write(const std::string& name, const std::string& text) const {
        std::ofstream(dir / name, std::ios::binary) << text;
    }
    std::unique_ptr<RuleSet> load(Diagnostics& diags) const { return load_ruleset(dir.string(), diags, nullptr, "rs"); }
};

// Runs a record-independent expression against a loaded rule set (tables and holidays included).
std::string value_of(RuleSet& rules, const std::string& expression) {
    Diagnostics diags;
    ExprPtr e = parse_expression(make_source("expr", expression), diags);
    REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
    Chunk c = compile_expression(*e, rules, diags);
    REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
    Vm vm(rules);
    Record empty;
    Value out;
    VmError err;
    if (!vm.run(c, empty, out, err)) return err.code + ": " + err.message;
    if (c.result == Type::text) return std::string(out.text.view());
    if (c.result == Type::date) return std::to_string(out.days);
    return out.num.to_string();
}

const std::string usage_header = "ProviderName,ServiceCategory,ServiceName,SkuId,ResourceId,SubAccountId,"
                                 "PricingQuantity,PricingUnit,BilledCost,ChargePeriodStart,Tags\n";

std::string usage_row(const std::string& sku, const std::string& resource, const std::string& qty) {
    return "AWS,Compute,VM," + sku + "," + resource + ",SA-1," + qty + ",Hours,1.00,2026-10-05T00:00:00Z,\n";
}

struct Rated {
    RateRun run;
    std::vector<RejectRow> rejects;
};

Rated rate(const RuleSet& rules, const TempRuleSet& rs, const std::string& usage) {
    rs.write("usage.csv", usage);
    Rated r;
    r.run = rate_feeds(rules, {(rs.dir / "usage.csv").string()}, [&](const RejectRow& row) { r.rejects.push_back(row); });
    return r;
}

const std::string prices_toml = toml_head +
                                "[tables.prices]\npath = \"tables/prices.csv\"\nkey = \"Sku\"\n"
                                "columns = { Rate = \"money\", Discount = \"percent\", Since = \"date\", "
                                "Included = \"quantity\" }\n";

}  // namespace

TEST_CASE("lookup() reads a typed column; a missing key takes the default") {
    TempRuleSet rs("lookup");
    rs.write("ratebook.toml", prices_toml);
    rs.write("tables/prices.csv",
             "Sku,Rate,Discount,Since,Included\n"
             "VM-S,0.10,10%,2026-09-01,2\n"
             "VM-L,$0.40,0%,2026-10-01,0\n");
    rs.write("rates.rules",
             "rate \"VMs\" {\n"
             "  match ServiceName == \"VM\"\n  ru \"CMP\"\n"
             "  charge (PricingQuantity - lookup(prices, SkuId, Included, 0)) * lookup(prices, SkuId, Rate, $0.50)\n"
             "         * (1 - lookup(prices, SkuId, Discount, 0%))\n"
             "}\n");
    Diagnostics diags;
    auto rules = rs.load(diags);
    REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
    auto rated = rate(*rules, rs,
                      usage_header + usage_row("VM-S", "r1", "10") + usage_row("VM-L", "r2", "5") +
                          usage_row("VM-X", "r3", "4"));
    std::map<std::string, std::string> by_resource;
    for (const auto& l : rated.run.lines) by_resource[l.component] = billed_charge(*rules, l).to_string();
    // r1: (10 - 2 included) x $0.10 x (1 - 10%) = 8 x 0.10 x 0.9 = $0.72
    CHECK(by_resource["r1"] == "0.72");
    // r2: (5 - 0) x $0.40 ("$0.40" in the file: a money cell may carry its $) x (1 - 0%) = $2.00
    CHECK(by_resource["r2"] == "2.00");
    // r3: VM-X is not in the table: every lookup takes its default: (4 - 0) x $0.50 x (1 - 0%) = $2.00
    CHECK(by_resource["r3"] == "2.00");
    CHECK(rated.rejects.empty());
    // Typed values come out typed: a date column is a Date, a percent a fraction.
    CHECK(value_of(*rules, "lookup(prices, \"VM-L\", Since)") == std::to_string(20727));  // 2026-10-01
    CHECK(value_of(*rules, "lookup(prices, \"VM-S\", Discount)") == "0.10");                // 10% = 0.10
}

TEST_CASE("lookup() without a default rejects a record whose key is not in the table") {
    TempRuleSet rs("nodefault");
    rs.write("ratebook.toml", prices_toml);
    rs.write("tables/prices.csv", "Sku,Rate,Discount,Since,Included\nVM-S,0.10,10%,2026-09-01,2\n");
    rs.write("rates.rules", "rate \"VMs\" {\n  match ServiceName == \"VM\"\n  ru \"CMP\"\n"
                            "  charge PricingQuantity * lookup(prices, SkuId, Rate)\n}\n");
    Diagnostics diags;
    auto rules = rs.load(diags);
    REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
    auto rated = rate(*rules, rs, usage_header + usage_row("VM-S", "r1", "3") + usage_row("VM-Q", "r2", "1"));
    // r1: 3 x $0.10 = $0.30 charged; r2 rejected, nothing lost: 2 in = 1 charged + 1 rejected.
    CHECK(rated.run.charged == 1);
    REQUIRE(rated.rejects.size() == 1);
    CHECK(rated.rejects[0].reason.find("table `prices` has no row for \"VM-Q\" in its key column Sku") !=
          std::string::npos);
    CHECK(rated.run.rows_in == rated.run.charged + rated.run.rejected);
}

TEST_CASE("typed columns are checked cell by cell when the rule set is loaded") {
    TempRuleSet rs("badcell");
    rs.write("ratebook.toml", prices_toml);
    rs.write("tables/prices.csv",
             "Sku,Rate,Discount,Since,Included\n"
             "VM-S,0.10,10%,2026-09-01,2\n"
             "VM-L,ten cents,10,2026-02-30,\n");
    rs.write("rates.rules", "rate \"VMs\" {\n  match ServiceName == \"VM\"\n  ru \"CMP\"\n  charge BilledCost\n}\n");
    Diagnostics diags;
    rs.load(diags);
    std::string out = render(diags);
    // Line 3 of the file, each bad cell named by its column and its position in the file.
    CHECK(out.find("error[E0320]: tables/prices.csv line 3, column Rate (2 of the file): `ten cents` is not a "
                   "number") != std::string::npos);
    CHECK(out.find("tables/prices.csv line 3, column Discount (3 of the file): `10` has no % sign") != std::string::npos);
    CHECK(out.find("column Since (4 of the file): `2026-02-30` is not a date") != std::string::npos);
    CHECK(out.find("column Included (5 of the file): the cell is empty") != std::string::npos);
    CHECK(out.find("help: write a value such as 4.5%") != std::string::npos);
}

TEST_CASE("a declared key column holds each key once; both lines are named") {
    TempRuleSet rs("dupkey");
    rs.write("ratebook.toml", prices_toml);
    rs.write("tables/prices.csv",
             "Sku,Rate,Discount,Since,Included\nVM-S,0.10,1%,2026-09-01,2\nVM-L,0.10,1%,2026-09-01,2\n"
             "VM-S,0.20,1%,2026-09-01,2\n");
    rs.write("rates.rules", "rate \"VMs\" {\n  match ServiceName == \"VM\"\n  ru \"CMP\"\n  charge BilledCost\n}\n");
    Diagnostics diags;
    rs.load(diags);
    CHECK(render(diags).find("error[E0322]: table `prices` has the key \"VM-S\" twice in its key column Sku "
                             "(lines 2 and 4 of tables/prices.csv)") != std::string::npos);
}

TEST_CASE("column declarations: unknown types and missing columns are errors") {
    TempRuleSet rs("decl");
    rs.write("ratebook.toml", toml_head +
                                  "[tables.prices]\npath = \"tables/prices.csv\"\nkey = \"SKU\"\n"
                                  "columns = { Rate = \"currency\", Rat = \"money\" }\n");
    rs.write("tables/prices.csv", "Sku,Rate\nVM-S,0.10\n");
    rs.write("rates.rules", "rate \"VMs\" {\n  match ServiceName == \"VM\"\n  ru \"CMP\"\n  charge BilledCost\n}\n");
    Diagnostics diags;
    rs.load(diags);
    std::string out = render(diags);
    CHECK(out.find("error[E0324]: column `Rate` of table `prices` has an unknown type") != std::string::npos);
    CHECK(out.find("error[E0321]: table `prices` declares a column `Rat` that tables/prices.csv does not have") !=
          std::string::npos);
    CHECK(out.find("error[E0321]: table `prices` has no column `SKU` to use as its key") != std::string::npos);
}

TEST_CASE("account sources by ResourceId prefix: the longest prefix wins") {
    TempRuleSet rs("prefix");
    rs.write("ratebook.toml", toml_head + "[tables.arns]\npath = \"tables/arns.csv\"\n");
    rs.write("tables/arns.csv",
             "Prefix,AccountCode\n"
             "arn:aws:ec2:us-east-1:123,10001-0\n"
             "arn:aws:ec2:us-east-1:123:instance/i-9,10002-0\n"
             "arn:aws:ec2:us-east-1:1234,10003-0\n");
    rs.write("accounts.rules", "account \"Accounts\" {\n  from ResourceId prefix in table arns.Prefix -> AccountCode\n"
                               "  else \"99999-SUSPENSE\"\n}\n");
    rs.write("rates.rules", "rate \"VMs\" {\n  match ServiceName == \"VM\"\n  ru \"CMP\"\n  charge BilledCost\n}\n");
    Diagnostics diags;
    auto rules = rs.load(diags);
    REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
    auto rated = rate(*rules, rs,
                      usage_header + usage_row("S", "arn:aws:ec2:us-east-1:123:instance/i-9abc", "1") +
                          usage_row("S", "arn:aws:ec2:us-east-1:123:volume/vol-1", "1") +
                          usage_row("S", "arn:aws:ec2:us-east-1:12345:volume/vol-2", "1") +
                          usage_row("S", "arn:aws:s3:::bucket", "1") + usage_row("S", "arn:aws:ec2", "1"));
    std::map<std::string, std::string> account;
    std::map<std::string, std::string> source;
    for (const auto& l : rated.run.lines) {
        account[l.component] = l.account;
        source[l.component] = l.account_source;
    }
    // Both 123 and 123:instance/i-9 are prefixes of i-9abc; the longer (more specific) wins.
    CHECK(account["arn:aws:ec2:us-east-1:123:instance/i-9abc"] == "10002-0");
    CHECK(account["arn:aws:ec2:us-east-1:123:volume/vol-1"] == "10001-0");
    // 12345 starts with 1234 (and with 123): the longest, 1234, wins. A prefix is text, not a
    // path: write the separator into the key ("...:123:") to stop 1234 matching 123.
    CHECK(account["arn:aws:ec2:us-east-1:12345:volume/vol-2"] == "10003-0");
    // No prefix matches (and a value shorter than every key): the fallback.
    CHECK(account["arn:aws:s3:::bucket"] == "99999-SUSPENSE");
    CHECK(account["arn:aws:ec2"] == "99999-SUSPENSE");
    CHECK(source["arn:aws:ec2:us-east-1:123:volume/vol-1"] == "ResourceId prefix via arns");
}

TEST_CASE("fiscal_year_of uses the rule set's fiscal year start") {
    using ratebook::testing::evaluate;
    // The test rule set starts its year on 2026-09-01 (FY2027, named for the year it ends in).
    CHECK(evaluate("fiscal_year_of(2026-08-31)").value == "2026");  // last day of FY2026
    CHECK(evaluate("fiscal_year_of(2026-09-01)").value == "2027");  // first day of FY2027
    CHECK(evaluate("fiscal_year_of(2027-08-31)").value == "2027");
    CHECK(evaluate("fiscal_year_of(2027-01-15)").value == "2027");
    CHECK(evaluate("fiscal_year_of(ChargePeriodStart)").value == "2027");  // the record's 2026-10-05
    CHECK(evaluate("fiscal_year_of(\"2026\")").code == "E0207");

    // A calendar fiscal year (starting 1 January) is named for its own year.
    Diagnostics diags;
    auto rules = load_ruleset_from_text("x.rules", "", diags,
                                        "name = \"t\"\nfiscal_year = 2027\nfiscal_year_start = 2027-01-01\n");
    REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
    CHECK(value_of(*rules, "fiscal_year_of(2027-01-01)") == "2027");
    CHECK(value_of(*rules, "fiscal_year_of(2026-12-31)") == "2026");
}

TEST_CASE("prorate: amount x days / days of the period, exact") {
    using ratebook::testing::evaluate;
    // $250.00 for 12 of October's 31 days: 250 x 12 / 31 = 96.774193548387096774... -> $96.77
    CHECK(evaluate("round(prorate($250.00, 12, 31), 2)").value == "$96.77");
    CHECK(evaluate("prorate($250.00, 12, 31)").value == "$96.774193548387096774");
    // The whole month is the whole amount: 31 / 31.
    CHECK(evaluate("prorate($250.00, days_in_month(2026-10-20), days_in_month(2026-10-20))").value == "$250");
    // On a record (BilledCost $12.00): 12 x 15 / 30 = $6; zero days in the period stops the record.
    CHECK(evaluate("prorate(BilledCost, 15, 30)").value == "$6");
    CHECK(evaluate("prorate(BilledCost, 12, 0)").code == "E0401");
    CHECK(evaluate("prorate($250.00, 12, 0)").code == "E0223");  // a fixed value: refused when compiled
    CHECK(evaluate("prorate(4.5%, 12, 31)").code == "E0207");
    CHECK(evaluate("prorate($250.00, $12, 31)").code == "E0207");
}

TEST_CASE("business_days skips weekends and the holiday table") {
    using ratebook::testing::evaluate;
    // October 2026 starts on a Thursday: 4 whole weeks (20 weekdays) + Thu 29, Fri 30 = 22;
    // the end date (1 November) is not counted. No holiday table: weekends only.
    CHECK(evaluate("business_days(2026-10-01, 2026-11-01)").value == "22");
    CHECK(evaluate("business_days(2026-11-01, 2026-10-01)").value == "-22");
    CHECK(evaluate("business_days(2026-10-03, 2026-10-05)").value == "0");  // Sat, Sun
    CHECK(evaluate("business_days(2026-10-01, 1)").code == "E0207");

    TempRuleSet rs("holidays");
    rs.write("ratebook.toml", toml_head + "holidays = \"holidays\"\n"
                                          "[tables.holidays]\npath = \"tables/holidays.csv\"\nkey = \"Date\"\n"
                                          "columns = { Date = \"date\" }\n");
    rs.write("tables/holidays.csv",
             "Date,Name\n2026-10-12,Columbus Day\n2026-10-10,a Saturday\n2026-12-25,Christmas Day\n"
             "2027-01-01,New Year's Day\n");
    rs.write("rates.rules", "rate \"VMs\" {\n  match ServiceName == \"VM\"\n  ru \"CMP\"\n  charge BilledCost\n}\n");
    Diagnostics diags;
    auto rules = rs.load(diags);
    REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
    // 22 weekdays less Monday 12 October (Saturday 10 October was no business day anyway) = 21.
    CHECK(value_of(*rules, "business_days(2026-10-01, 2026-11-01)") == "21");
    // 21 Dec 2026 (Mon) to 4 Jan 2027 (Mon): 10 weekdays less Fri 25 Dec and Fri 1 Jan = 8.
    CHECK(value_of(*rules, "business_days(2026-12-21, 2027-01-04)") == "8");
}

TEST_CASE("the holiday table must exist and be keyed by a date column") {
    TempRuleSet rs("badholidays");
    rs.write("ratebook.toml", toml_head + "holidays = \"holiday\"\n"
                                          "[tables.holidays]\npath = \"tables/holidays.csv\"\n");
    rs.write("tables/holidays.csv", "Date,Name\n2026-10-12,Columbus Day\n");
    rs.write("rates.rules", "rate \"VMs\" {\n  match ServiceName == \"VM\"\n  ru \"CMP\"\n  charge BilledCost\n}\n");
    Diagnostics diags;
    rs.load(diags);
    CHECK(render(diags).find("error[E0323]: `holidays` names the table `holiday`, which is not declared") !=
          std::string::npos);
    rs.write("ratebook.toml", toml_head + "holidays = \"holidays\"\n"
                                          "[tables.holidays]\npath = \"tables/holidays.csv\"\n");
    Diagnostics again;
    rs.load(again);
    CHECK(render(again).find("error[E0323]: the holiday table `holidays` must have a key column declared \"date\"") !=
          std::string::npos);
}
