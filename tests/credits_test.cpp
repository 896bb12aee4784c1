// Service credits (`sla` rules, `ratebook credits`): hand-computed amounts for the DIR
// outsourcing example, every band edge of each shipped cloud table, caps, the minimum credit,
// several defaults summed then capped, claim decisions for each reason, bad inputs, `use` of
// the standard rules library, and the sample month's reviewed outputs (tests/golden/credits).
#include <date/date.h>
#include <fmt/format.h>
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "engine/credits.hpp"
#include "engine/csv_reader.hpp"
#include "interpreter/decimal.hpp"
#include "interpreter/loader.hpp"
#include "interpreter/stdlib_use.hpp"
#include "tests/support/golden.hpp"

using namespace ratebook;
using namespace ratebook::testing;
namespace fs = std::filesystem;

namespace {

Decimal dec(const char* s) { return *Decimal::parse(s); }

std::unique_ptr<RuleSet> compile(const std::string& text) {
    Diagnostics diags;
    auto rules = load_ruleset_from_text("sla_test.rules", text, diags);
    REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
    return rules;
}

// A charge line of charges.csv: account, service, ru and the charge.
CreditBaseLine charge(std::string account, std::string service, const char* amount, std::string ru = "RU") {
    CreditBaseLine c;
    c.fields = {std::move(account), "", std::move(ru), std::move(service), "", "", "", ""};
    c.charge = dec(amount);
    return c;
}

Measurement measure(std::string provider, std::string service, std::string metric, const char* percent,
                    std::string month = "2026-10") {
    Measurement m;
    m.provider = std::move(provider);
    m.service = std::move(service);
    m.metric = std::move(metric);
    m.month = std::move(month);
    m.value_text = std::string(percent) + "%";
    m.level = dec(percent) / Decimal::from_int(100);
    m.line = 2;
    return m;
}

Claim claim(std::string id, std::string account, std::string service, const char* percent, int32_t filed_days,
            std::string period = "2026-10") {
    Claim c;
    c.id = std::move(id);
    c.account = std::move(account);
    c.service = std::move(service);
    c.period = std::move(period);
    c.claimed = std::string(percent) + "%";
    c.level = dec(percent) / Decimal::from_int(100);
    c.filed_days = filed_days;
    c.filed = "";
    return c;
}

int32_t day(int y, unsigned m, unsigned d) {
    return date::sys_days{date::year{y} / date::month{m} / date::day{d}}.time_since_epoch().count();
}
const int32_t nov_30_2026 = day(2026, 11, 30);
const int32_t dec_31_2026 = day(2026, 12, 31);

Decimal total_for(const CreditRun& run, const std::string& account) {
    Decimal t;
    for (const auto& l : run.lines)
        if (l.account == account) t += l.credit;
    return t;
}

}  // namespace

TEST_CASE("DIR outsourcing example: $100,000 invoice, 10% at risk, A = 50%, B = 40% -> $2,000") {
    auto rules = compile(R"(
sla "Incident resolution" {
  measure provider == "Vendor" and metric == "resolution"
  charges account == "AGENCY"
  target 99.5%
  pool_allocation 50%
  credit_allocation 40%
  at_risk 10%
}
)");
    CreditInputs in;
    in.charges = {charge("AGENCY", "Data center", "60000.00"), charge("AGENCY", "Data center", "40000.00"),
                  charge("OTHER", "Data center", "999.00")};
    in.metrics = {measure("Vendor", "Data center", "resolution", "99.0")};
    CreditRun run = compute_credits(*rules, in, "2026-10");
    // C = 10% x $100,000 = $10,000; credit = A x B x C = 0.50 x 0.40 x $10,000 = $2,000.00.
    // OTHER's line is not matched by `charges`; no pool cap (2,000 <= 10,000).
    REQUIRE(run.lines.size() == 1);
    CHECK(run.lines[0].base == dec("100000.00"));
    CHECK(run.lines[0].credit == dec("2000.00"));
    CHECK(*run.lines[0].percent == dec("0.02"));
    CHECK(run.total() == dec("2000.00"));
    CHECK(run.outcomes[0].status == "default");

    // At the target exactly, the level is met: no credit.
    in.metrics = {measure("Vendor", "Data center", "resolution", "99.5")};
    CreditRun met = compute_credits(*rules, in, "2026-10");
    CHECK(met.lines.empty());
    CHECK(met.outcomes[0].status == "met");
}

namespace {

struct Edge {
    const char* level;   // measured, percent
    const char* credit;  // on $1,000.00 of charges; "" = no credit line (level met)
};

void check_table(const char* library, const char* provider, const char* service, const char* metric,
                 std::initializer_list<Edge> edges) {
    auto rules = compile(std::string("use \"") + library + "\"\n");
    for (const Edge& e : edges) {
        CAPTURE(library);
        CAPTURE(e.level);
        CreditInputs in;
        in.charges = {charge("ACCT", service, "1000.00")};
        in.metrics = {measure(provider, service, metric, e.level)};
        CreditRun run = compute_credits(*rules, in, "2026-10");
        if (*e.credit == '\0') {
            CHECK(run.lines.empty());
        } else {
            REQUIRE(run.lines.size() == 1);
            CHECK(run.lines[0].credit == dec(e.credit));
        }
    }
}

}  // namespace

TEST_CASE("AWS compute region level at every band edge (10% / 30% / 100% of $1,000.00)") {
    // Exactly at a threshold is not below it: 99.99% earns nothing, 99.0% earns the 10% tier,
    // 95.0% the 30% tier. Just below each threshold earns the next tier.
    check_table("sla/aws_compute", "AWS", "Amazon Elastic Compute Cloud", "region monthly uptime",
                {{"100", ""},
                 {"99.99", ""},
                 {"99.989", "100.00"},   // 10% x 1,000
                 {"99.0", "100.00"},
                 {"98.999", "300.00"},   // 30% x 1,000
                 {"95.0", "300.00"},
                 {"94.999", "1000.00"},  // 100% x 1,000
                 {"0", "1000.00"}});
    check_table("sla/aws_compute", "AWS", "Amazon Elastic Container Service", "region monthly uptime",
                {{"99.99", ""}, {"99.9899", "100.00"}, {"98.9999", "300.00"}, {"94.9999", "1000.00"}});
}

TEST_CASE("Amazon S3 Standard at every band edge (10% / 25% / 100% of $1,000.00)") {
    check_table("sla/amazon_s3_standard", "AWS", "Amazon Simple Storage Service", "monthly uptime",
                {{"99.9", ""},
                 {"99.899", "100.00"},  // 10%
                 {"99.0", "100.00"},
                 {"98.999", "250.00"},  // 25%
                 {"95.0", "250.00"},
                 {"94.999", "1000.00"}});
}

TEST_CASE("Azure virtual machines (availability zones) at every band edge (10% / 25% / 100%)") {
    check_table("sla/azure_virtual_machines", "Azure", "Virtual Machines", "monthly uptime",
                {{"99.99", ""},
                 {"99.989", "100.00"},
                 {"99.0", "100.00"},
                 {"98.999", "250.00"},
                 {"95.0", "250.00"},
                 {"94.999", "1000.00"}});  // 100%, and the 100% cap does not bind
}

TEST_CASE("caps: a percent of the line's charges, and an amount") {
    auto rules = compile(R"(
sla "Half cap" {
  measure service == "X"
  charges service == "X"
  below 99% credit 100%
  cap 50%
}
sla "Amount cap" {
  measure service == "Y"
  charges service == "Y"
  below 99% credit 25%
  cap $300.00
}
)");
    CreditInputs in;
    in.charges = {charge("A", "X", "840.50"), charge("A", "Y", "2000.00"), charge("B", "Y", "1000.00")};
    in.metrics = {measure("P", "X", "up", "90"), measure("P", "Y", "up", "90")};
    CreditRun run = compute_credits(*rules, in, "2026-10");
    REQUIRE(run.lines.size() == 3);
    // A/X: 100% x 840.50 = 840.50, capped at 50% x 840.50 = 420.25.
    CHECK(run.lines[0].credit == dec("420.25"));
    CHECK(run.lines[0].status == "capped at 50% of charges");
    // A/Y: 25% x 2,000.00 = 500.00, capped at $300.00.
    CHECK(run.lines[1].credit == dec("300.00"));
    // B/Y: 25% x 1,000.00 = 250.00, under the cap.
    CHECK(run.lines[2].credit == dec("250.00"));
    CHECK(run.lines[2].status == "owed");
}

TEST_CASE("a service whose month nets to zero or less earns no credit") {
    auto rules = compile("sla \"S\" { measure metric == \"up\" charges true below 99% credit 50% }\n");
    CreditInputs in;
    // A: 100.00 - 150.00 correction = -50.00; B: 80.00 - 80.00 = 0; C: 10.00 -> 50% = 5.00.
    in.charges = {charge("A", "X", "100.00"), charge("A", "X", "-150.00"), charge("B", "X", "80.00"),
                  charge("B", "X", "-80.00"), charge("C", "X", "10.00")};
    in.metrics = {measure("P", "X", "up", "90")};
    CreditRun run = compute_credits(*rules, in, "2026-10");
    REQUIRE(run.lines.size() == 3);
    CHECK(run.lines[0].credit == dec("0"));
    CHECK(run.lines[0].status == "no charges to credit");
    CHECK(run.lines[1].credit == dec("0"));
    CHECK(run.lines[2].credit == dec("5.00"));
    CHECK(run.total() == dec("5.00"));
}

TEST_CASE("the minimum credit: AWS's \"greater than $1\" and an inclusive $1.00 minimum") {
    auto rules = compile("use \"sla/aws_compute\"\n"
                         "sla \"Own\" { measure service == \"Z\" charges service == \"Z\" below 99% credit 10% minimum $1.00 }\n");
    CreditInputs in;
    in.metrics = {measure("AWS", "Amazon Elastic Compute Cloud", "region monthly uptime", "98.5"), measure("P", "Z", "up", "98")};
    in.charges = {
        // 30% x 3.37 = 1.011 -> 1.01: issued (the smallest credit over $1).
        charge("A1", "Amazon Elastic Compute Cloud", "3.37"),
        // 30% x 3.35 = 1.005 -> 1.00 (half-even): not greater than $1, withheld.
        charge("A2", "Amazon Elastic Compute Cloud", "3.35"),
        // 10% x 10.00 = 1.00: at least the $1.00 minimum, issued.
        charge("B1", "Z", "10.00"),
        // 10% x 9.99 = 0.999 -> 1.00 (half-even): issued; 10% x 9.94 = 0.994 -> 0.99: withheld.
        charge("B2", "Z", "9.99"),
        charge("B3", "Z", "9.94"),
    };
    CreditRun run = compute_credits(*rules, in, "2026-10");
    CHECK(total_for(run, "A1") == dec("1.01"));
    CHECK(total_for(run, "A2") == dec("0"));
    CHECK(total_for(run, "B1") == dec("1.00"));
    CHECK(total_for(run, "B2") == dec("1.00"));
    CHECK(total_for(run, "B3") == dec("0"));
    for (const auto& l : run.lines)
        if (l.account == "A2") CHECK(l.status == "under the minimum 1.01 USD");
    CHECK(run.total() == dec("3.01"));  // 1.01 + 1.00 + 1.00
}

TEST_CASE("several defaults in a month are summed, then capped at the at-risk amount") {
    auto rules = compile(R"(
sla "Resolution" {
  measure metric == "resolution"
  charges account == "AGENCY"
  target 99.5%
  pool_allocation 50%
  credit_allocation 40%
  at_risk 10%
  pool "Service levels"
}
sla "Backups" {
  measure metric == "backups"
  charges account == "AGENCY"
  target 99.9%
  pool_allocation 100%
  credit_allocation 90%
  at_risk 10%
  pool "Service levels"
}
)");
    CreditInputs in;
    in.charges = {charge("AGENCY", "Hosting", "70000.00"), charge("AGENCY", "Storage", "30000.00")};
    in.metrics = {measure("V", "S", "resolution", "98"), measure("V", "S", "backups", "99")};
    CreditRun run = compute_credits(*rules, in, "2026-10");
    // Per service: Resolution 2% of 70,000 = 1,400.00 and of 30,000 = 600.00;
    //              Backups 9% of 70,000 = 6,300.00 and of 30,000 = 2,700.00.
    // Sum 11,000.00 > at-risk 10% x 100,000 = 10,000.00: a pool cap line of -1,000.00.
    REQUIRE(run.lines.size() == 5);
    CHECK(run.lines[4].kind == "pool cap");
    CHECK(run.lines[4].credit == dec("-1000.00"));
    CHECK(run.total() == dec("10000.00"));

    // One default alone stays under the cap: no cap line.
    in.metrics = {measure("V", "S", "resolution", "98")};
    CreditRun one = compute_credits(*rules, in, "2026-10");
    CHECK(one.lines.size() == 2);
    CHECK(one.total() == dec("2000.00"));
}

TEST_CASE("claims: approved with the credit, or denied for each reason") {
    auto rules = compile("use \"sla/amazon_s3_standard\"\n");
    CreditInputs in;
    in.charges = {charge("A", "Amazon Simple Storage Service", "500.00"), charge("SMALL", "Amazon Simple Storage Service", "8.00")};
    in.metrics = {measure("AWS", "Amazon Simple Storage Service", "monthly uptime", "99.95")};
    in.claims = {
        claim("ok", "A", "Amazon Simple Storage Service", "98.5", nov_30_2026),        // 25% x 500 = 125.00
        claim("met", "A", "Amazon Simple Storage Service", "99.9", nov_30_2026),       // not below 99.9%
        claim("last-day", "A", "Amazon Simple Storage Service", "99.5", dec_31_2026),  // due by 2026-12-31: 10% = 50.00
        claim("late", "A", "Amazon Simple Storage Service", "99.5", dec_31_2026 + 1),
        claim("other-service", "A", "Amazon Elastic Compute Cloud", "90", nov_30_2026),
        claim("other-account", "B", "Amazon Simple Storage Service", "90", nov_30_2026),
        claim("other-month", "A", "Amazon Simple Storage Service", "90", nov_30_2026, "2026-09"),
        claim("small", "SMALL", "Amazon Simple Storage Service", "99.5", nov_30_2026),  // 10% x 8 = 0.80 < 1.01
    };
    CreditRun run = compute_credits(*rules, in, "2026-10");
    // The provider measured 99.95%: no credit lines of its own; claims use the claimed level.
    CHECK(run.lines.empty());
    REQUIRE(run.decisions.size() == 8);
    auto check = [&](size_t i, bool approved, const char* reason, const char* credit) {
        CAPTURE(run.decisions[i].claim->id);
        CHECK(run.decisions[i].approved == approved);
        CHECK(run.decisions[i].reason == reason);
        CHECK(run.decisions[i].credit == dec(credit));
    };
    check(0, true, "approved", "125.00");
    check(1, false, "below no tier", "0");
    check(2, true, "approved", "50.00");
    check(3, false, "filed after the window", "0");
    check(4, false, "no matching charges", "0");
    check(5, false, "no matching charges", "0");
    check(6, false, "no matching charges", "0");
    check(7, false, "under the minimum credit", "0");
    CHECK(run.decisions[0].measured == "Amazon S3 Standard availability measured 99.95%");
}

namespace {

fs::path temp_file(const std::string& name, const std::string& text) {
    fs::path p = fs::temp_directory_path() / ("ratebook_credits_" + std::to_string(::getpid()) + "_" + name);
    write_text(p, text);
    return p;
}

Diagnostic input_error(const std::string& charges, const std::string& metrics, const std::string& claims = {}) {
    fs::path c = temp_file("charges.csv", charges), m = temp_file("metrics.csv", metrics);
    fs::path k = claims.empty() ? fs::path() : temp_file("claims.csv", claims);
    try {
        read_credit_inputs(c.string(), m.string(), k.string());
    } catch (const CreditsInputError& e) {
        return e.diagnostic;
    }
    FAIL("no error");
    return {};
}

const std::string good_charges = "account,service,ru,charge\nA,Virtual Machines,VM,100.00\n";
const std::string good_metrics = "provider,service,month,metric,value,evidence\nAzure,Virtual Machines,2026-10,monthly uptime,99.5%,ticket\n";

}  // namespace

TEST_CASE("claimed outages in minutes become the month's uptime") {
    // November 2026 has 30 x 24 x 60 = 43,200 minutes: 43.2 minutes down is exactly 99.9% up,
    // not below S3's 99.9% threshold; 43.3 minutes is just below it.
    fs::path c = temp_file("c.csv", "account,service,charge\nA,Amazon Simple Storage Service,100.00\n");
    fs::path m = temp_file("m.csv", good_metrics);
    fs::path k = temp_file("k.csv",
                           "claim_id,account,service,period,claimed,evidence,filed\n"
                           "1,A,Amazon Simple Storage Service,2026-11,43.2 min,x,2026-12-01\n"
                           "2,A,Amazon Simple Storage Service,2026-11,43.3 min,x,2026-12-01\n");
    CreditInputs in = read_credit_inputs(c.string(), m.string(), k.string());
    CHECK(in.claims[0].level == dec("0.999"));
    CHECK(in.claims[1].level < dec("0.999"));
    CreditRun run = compute_credits(*compile("use \"sla/amazon_s3_standard\"\n"), in, "2026-11");
    CHECK(run.decisions[0].reason == "below no tier");
    CHECK(run.decisions[1].approved);
    CHECK(run.decisions[1].credit == dec("10.00"));  // 10% x 100.00
}

TEST_CASE("bad credits inputs name the file and line, with a hint") {
    Diagnostic d = input_error(good_charges, "provider,service,month,metric,value\nAzure,VM,2026-10,up,99.5x%\n");
    CHECK(d.code == "E0451");
    CHECK(d.span.line == 2);
    CHECK(d.message.find("`99.5x%` is not a measured level") != std::string::npos);
    CHECK(!d.help.empty());

    d = input_error(good_charges, "provider,service,metric,value\nAzure,VM,up,99.5\n");
    CHECK(d.code == "E0450");
    CHECK(d.message.find("has no month column") != std::string::npos);

    d = input_error("account,service\nA,B\n", good_metrics);
    CHECK(d.code == "E0450");
    CHECK(d.message.find("has no charge column") != std::string::npos);

    d = input_error("account,service,charge\nA,B,12.3.4\n", good_metrics);
    CHECK(d.code == "E0451");
    CHECK(d.span.line == 2);

    d = input_error(good_charges, good_metrics,
                    "claim_id,account,service,period,claimed,evidence,filed\n"
                    "C1,A,Virtual Machines,2026-10,98%,x,2026-11-01\n"
                    "C1,A,Virtual Machines,2026-10,97%,x,2026-11-02\n");
    CHECK(d.code == "E0454");
    CHECK(d.span.line == 3);

    d = input_error(good_charges, good_metrics,
                    "claim_id,account,service,period,claimed,evidence,filed\nC1,A,Virtual Machines,2026-10,98%,x,2026-02-30\n");
    CHECK(d.code == "E0451");
    CHECK(d.message.find("`2026-02-30` is not a date") != std::string::npos);

    d = input_error(good_charges, good_metrics,
                    "claim_id,account,service,period,claimed,evidence,filed\nC1,A,Virtual Machines,2026-10,98,x,2026-11-01\n");
    CHECK(d.code == "E0451");
    CHECK(d.message.find("neither a level nor an outage") != std::string::npos);
}

TEST_CASE("two measurements of one rule in a month, and an unknown month, are refused") {
    auto rules = compile("use \"sla/azure_virtual_machines\"\n");
    CreditInputs in;
    in.metrics_path = "sla.csv";
    in.metrics = {measure("Azure", "Virtual Machines", "monthly uptime", "99.5"),
                  measure("Azure", "Virtual Machines", "monthly uptime", "98")};
    in.metrics[1].line = 3;
    try {
        compute_credits(*rules, in, "2026-10");
        FAIL("no error");
    } catch (const CreditsInputError& e) {
        CHECK(e.diagnostic.code == "E0452");
        CHECK(e.diagnostic.message == "sla.csv:3 and line 2 both measure sla \"Azure VM availability zones\" for 2026-10");
    }
    in.metrics[1].month = "2026-11";
    CHECK_THROWS_AS(credit_period(in, std::nullopt), CreditsInputError);
    CHECK(credit_period(in, std::string("2026-10")) == "2026-10");
    CHECK(compute_credits(*rules, in, "2026-10").metrics_other_month == 1);
}

TEST_CASE("a problem inside a used library is reported in that library's file") {
    fs::path lib = fs::temp_directory_path() / ("ratebook_stdlib_" + std::to_string(::getpid()));
    fs::create_directories(lib / "sla");
    write_text(lib / "sla" / "broken.rules", "# a library with a mistake\nsla \"B\" {\n  measure servce == \"X\"\n  charges true\n  below 99% credit 10%\n}\n");
    ::setenv("RATEBOOK_STDLIB", lib.string().c_str(), 1);
    Diagnostics diags;
    load_ruleset_from_text("uses.rules", "use \"sla/broken\"\n", diags);
    ::unsetenv("RATEBOOK_STDLIB");
    fs::remove_all(lib);
    REQUIRE(diags.items().size() == 1);
    CHECK(diags.items()[0].code == "E0250");
    CHECK(diags.items()[0].span.where() == "stdlib/sla/broken.rules:3:11");
}

TEST_CASE("RATEBOOK_STDLIB names the library folder; a build uses its source tree's stdlib/") {
    ::setenv("RATEBOOK_STDLIB", "/srv/ratebook/stdlib", 1);
    CHECK(stdlib_root() == "/srv/ratebook/stdlib");
    ::unsetenv("RATEBOOK_STDLIB");
    CHECK(fs::equivalent(stdlib_root(), fs::path(source_dir()) / "stdlib"));
}

TEST_CASE("a library used twice is compiled once; libraries come before the folder's files") {
    Diagnostics diags;
    auto rules = load_ruleset_from_text("uses.rules", "use \"sla/aws_compute\"\nuse \"sla/aws_compute\"\n", diags);
    REQUIRE(!diags.has_errors());
    CHECK(rules->slas.size() == 2);  // EC2 and ECS, once each
    CHECK(rules->files.back()->name == "stdlib/sla/aws_compute.rules");
}

namespace {

struct Result {
    int status;
    std::string output;
};

Result run(const std::string& args) {
    fs::path log = fs::temp_directory_path() / ("ratebook_credits_test_" + std::to_string(::getpid()) + ".log");
    std::string cmd = "cd '" + source_dir() + "' && '" + RATEBOOK_BINARY + "' " + args + " > '" + log.string() + "' 2>&1";
    int raw = std::system(cmd.c_str());
    return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_text(log)};
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
    return s;
}

}  // namespace

TEST_CASE("the sample month's credits and claim decisions match the reviewed outputs") {
    fs::path base = fs::temp_directory_path() / ("ratebook_credits_cli_" + std::to_string(::getpid()));
    fs::remove_all(base);
    Result rated = run("rate --rules rules/FY2027 --usage samples/2026-10/usage.csv --quiet --threads 1 --out " + (base / "rated").string());
    REQUIRE_MESSAGE(rated.status == 0, rated.output);
    std::string charges = (base / "rated" / "charges.csv").string();
    fs::path out = base / "credits";
    Result r = run("credits --rules rules/FY2027 --charges " + charges +
                   " --metrics samples/2026-10/sla_metrics.csv --claims samples/2026-10/claims.csv --month 2026-10 --out " +
                   out.string());
    INFO(r.output);
    REQUIRE(r.status == 0);
    fs::path golden = fs::path(source_dir()) / "tests/golden/credits";
    for (std::string name : {"credits.csv", "claims.csv", "summary.json", "summary.txt"})
        check_golden(golden / name, replace_all(read_text(out / name), charges, "OUT/charges.csv"));
    size_t files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(out)) ++files;
    CHECK(files == 4);

    // The summary adds up: credits.csv's credit column sums to the total printed.
    {
        CsvReader reader((out / "credits.csv").string());
        size_t credit_col = 0;
        for (size_t i = 0; i < reader.header().size(); ++i)
            if (reader.header()[i] == "credit") credit_col = i;
        Decimal sum;
        size_t lines = 0;
        CsvRecord rec;
        while (reader.next(rec)) {
            ++lines;
            auto credit = Decimal::parse(rec.fields[credit_col]);
            REQUIRE(credit);
            sum = sum + *credit;
        }
        size_t at = r.output.find("credits:  ");
        REQUIRE(at != std::string::npos);
        std::string printed = r.output.substr(at + 10, r.output.find(' ', at + 10) - at - 10);
        std::erase(printed, ',');
        auto total = Decimal::parse(printed);
        REQUIRE(total);
        CHECK(*total == sum);
        CHECK(r.output.find(fmt::format("USD on {} lines", lines), at) != std::string::npos);
    }

    // Without --month the metrics file's two months leave the month unknown: exit 2, nothing written.
    fs::path none = base / "none";
    Result ambiguous = run("credits --rules rules/FY2027 --charges " + charges +
                           " --metrics samples/2026-10/sla_metrics.csv --out " + none.string());
    CHECK(ambiguous.status == 2);
    CHECK(ambiguous.output.find("error[E0453]") != std::string::npos);
    CHECK(!fs::exists(none / "credits.csv"));

    // A bad row: exit 2 with file:line, the line shown, and a hint.
    fs::path bad = base / "bad.csv";
    write_text(bad, "provider,service,month,metric,value,evidence\nAWS,Amazon Simple Storage Service,2026-10,monthly uptime,ninety,x\n");
    Result badrun = run("credits --rules rules/FY2027 --charges " + charges + " --metrics " + bad.string() + " --out " + none.string());
    CHECK(badrun.status == 2);
    CHECK(badrun.output.find(bad.string() + ":2:1: error[E0451]: `ninety` is not a measured level") != std::string::npos);
    CHECK(badrun.output.find("= help: write the level as a percentage") != std::string::npos);
    CHECK(!fs::exists(none / "credits.csv"));
    fs::remove_all(base);
}

TEST_CASE("the rule set's content hash sees sla rules, not their comments or layout") {
    const std::string a = "sla \"S\" { measure metric == \"up\" charges true below 99% credit 10% }\n";
    const std::string b = "# a comment\nsla \"S\" {\n  measure metric == \"up\"   # the row\n  charges true\n  below 99% credit 10%\n}\n";
    const std::string c = "sla \"S\" { measure metric == \"up\" charges true below 99% credit 15% }\n";
    const std::string none = "const x = 1\n";
    Diagnostics d;
    auto ra = load_ruleset_from_text("a.rules", a, d);
    auto rb = load_ruleset_from_text("b.rules", b, d);
    auto rc = load_ruleset_from_text("c.rules", c, d);
    auto rn = load_ruleset_from_text("n.rules", none, d);
    REQUIRE(!d.has_errors());
    CHECK(ra->content_hash == rb->content_hash);
    CHECK(ra->content_hash != rc->content_hash);
    CHECK(ra->content_hash != rn->content_hash);
}
