// Fiscal-year folders: `--rules rules/` holds FY2026 and FY2027; each record is rated by the
// year containing its ChargePeriodStart (years run 1 September to 31 August, named for the
// year they end in), and a record no year covers is rejected with that reason.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "engine/fiscal_years.hpp"
#include "tests/support/golden.hpp"
#include "tests/support/stamp.hpp"

using namespace ratebook;
using namespace ratebook::testing;
namespace fs = std::filesystem;

namespace {

// 2026-08-31 and 2026-09-01 as days since 1970-01-01 (20696 = 2026-08-31).
constexpr int32_t aug31_2026 = 20696, sep1_2026 = 20697;

fs::path temp(const std::string& name) {
    fs::path p = fs::temp_directory_path() / ("ratebook_fy_" + std::to_string(::getpid()) + "_" + name);
    fs::remove_all(p);
    fs::create_directories(p);
    return p;
}

// A feed with the sample month's columns: EC2 instance hours for cost center CC-0134, one row
// per (start, BilledCost, ResourceId).
std::string feed(const std::vector<std::tuple<std::string, std::string, std::string>>& rows) {
    const std::string header = read_text(fs::path(source_dir()) / "samples/2026-10/usage.csv").substr(0, 1000);
    std::string head = header.substr(0, header.find('\n'));
    std::vector<std::string> columns;
    for (size_t pos = 0;;) {
        size_t comma = head.find(',', pos);
        columns.push_back(head.substr(pos, comma - pos));
        if (comma == std::string::npos) break;
        pos = comma + 1;
    }
    std::string text = head + "\n";
    for (const auto& [start, cost, resource] : rows) {
        std::map<std::string, std::string> v = {
            {"ProviderName", "AWS"}, {"ServiceCategory", "Compute"}, {"ServiceName", "Amazon Elastic Compute Cloud"},
            {"SkuId", "SKU-M5"}, {"ResourceId", resource}, {"ChargeCategory", "Usage"},
            {"ChargePeriodStart", start}, {"PricingQuantity", "10"}, {"PricingUnit", "Hours"},
            {"BilledCost", cost}, {"BillingCurrency", "USD"},
            {"Tags", "\"{\"\"cost-center\"\":\"\"CC-0134\"\"}\""}};
        for (size_t i = 0; i < columns.size(); ++i) text += (i ? "," : "") + v[columns[i]];
        text += "\n";
    }
    return text;
}

struct Cli {
    int status;
    std::string output;
};

Cli run(const std::string& args) {
    fs::path log = temp("log") / "out.log";
    std::string cmd = "cd '" + source_dir() + "' && " + args + " > '" + log.string() + "' 2>&1";
    int raw = std::system(cmd.c_str());
    Cli r{WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_text(log)};
    fs::remove_all(log.parent_path());
    return r;
}

}  // namespace

TEST_CASE("the shipped rules/ folder holds FY2026 and FY2027, back to back") {
    Diagnostics diags;
    FiscalYears book = load_fiscal_years(source_dir() + "/rules", diags);
    INFO(render(diags));
    REQUIRE_FALSE(diags.has_errors());
    REQUIRE(book.years.size() >= 2);
    int fy26 = book.find(aug31_2026), fy27 = book.find(sep1_2026);
    REQUIRE(fy26 >= 0);
    REQUIRE(fy27 >= 0);
    CHECK(book.years[fy26].rules->config.fiscal_year == 2026);
    CHECK(book.years[fy27].rules->config.fiscal_year == 2027);
    CHECK(book.years[fy26].last_day + 1 == book.years[fy27].first_day);
    CHECK(book.years[fy26].rules->identity.path == source_dir() + "/rules/FY2026");
    CHECK(is_fiscal_year_folder(source_dir() + "/rules"));
    CHECK_FALSE(is_fiscal_year_folder(source_dir() + "/rules/FY2027"));
}

TEST_CASE("rows on 31 August and 1 September are rated by FY2026 and FY2027 rules") {
    fs::path dir = temp("boundary");
    // Hand-computed: "AWS EC2 instances" charges BilledCost * (1 + admin_fee); admin_fee is 4%
    // in FY2026 and 4.5% in FY2027.
    //   line 2  2026-08-31T23:00Z       100.00 -> FY2026: 100.00 x 1.04  = 104.00
    //   line 3  2026-09-01T00:00Z       100.00 -> FY2027: 100.00 x 1.045 = 104.50
    //   line 4  2025-08-31T12:00Z       before FY2026 -> rejected (E0430)
    //   line 5  2027-08-31T10:00Z       200.00 -> FY2027: 209.00
    //   line 6  "yesterday"             not a date -> rejected (E0430)
    //   line 7  2025-09-01T00:00Z        50.00 -> FY2026: 52.00
    //   line 8  2026-09-01T01:00+02:00   10.00 -> 2026-08-31T23:00Z, FY2026: 10.40
    //   line 9  2027-09-01T00:00Z       no FY2028 -> rejected (E0430)
    std::ofstream(dir / "usage.csv") << feed({{"2026-08-31T23:00:00Z", "100.00", "i-aug31"},
                                              {"2026-09-01T00:00:00Z", "100.00", "i-sep01"},
                                              {"2025-08-31T12:00:00Z", "100.00", "i-early"},
                                              {"2027-08-31T10:00:00Z", "200.00", "i-last"},
                                              {"yesterday", "100.00", "i-nodate"},
                                              {"2025-09-01T00:00:00Z", "50.00", "i-first"},
                                              {"2026-09-01T01:00:00+02:00", "10.00", "i-zone"},
                                              {"2027-09-01T00:00:00Z", "100.00", "i-late"}});
    std::string bin = std::string("'") + RATEBOOK_BINARY + "'";
    Cli r = run(bin + " rate --rules rules/ --usage " + (dir / "usage.csv").string() + " --out " +
                (dir / "out").string());
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(r.output.find("records:  in 8 = charged 5 + rejected 3  [ok]") != std::string::npos);
    std::string charges = read_text(dir / "out/charges.csv");
    auto line_of = [&](const std::string& resource) {
        size_t at = charges.find("," + resource + ",");
        REQUIRE(at != std::string::npos);
        return charges.substr(at, charges.find('\n', at) - at);
    };
    CHECK(line_of("i-aug31").find(",104.00,AWS EC2 instances,rules/FY2026/compute.rules:4,") != std::string::npos);
    CHECK(line_of("i-sep01").find(",104.50,AWS EC2 instances,rules/FY2027/compute.rules:4,") != std::string::npos);
    CHECK(line_of("i-last").find(",209.00,AWS EC2 instances,rules/FY2027/compute.rules:4,") != std::string::npos);
    CHECK(line_of("i-first").find(",52.00,AWS EC2 instances,rules/FY2026/compute.rules:4,") != std::string::npos);
    CHECK(line_of("i-zone").find(",10.40,AWS EC2 instances,rules/FY2026/compute.rules:4,") != std::string::npos);
    CHECK(without_commit(line_of("i-aug31")).find(",rules/FY2026@COMMIT") != std::string::npos);
    // Each line carries its own year's rule set version.
    CHECK(without_commit(line_of("i-sep01")).find(",rules/FY2027@COMMIT") != std::string::npos);

    std::string rejects = read_text(dir / "out/rejects.csv");
    INFO(rejects);
    CHECK(rejects.find(",4,no fiscal year,\"E0430: ChargePeriodStart 2025-08-31 falls in no fiscal year of rules/ "
                       "(FY2026 2025-09-01..2026-08-31, FY2027 2026-09-01..2027-08-31") != std::string::npos);
    CHECK(rejects.find(",6,no fiscal year,\"E0430: ChargePeriodStart `yesterday` is not a date") != std::string::npos);
    CHECK(rejects.find(",9,no fiscal year,\"E0430: ChargePeriodStart 2027-09-01 falls in no fiscal year") !=
          std::string::npos);
    // Rejects are in file order although two passes produced them.
    CHECK(rejects.find(",4,") < rejects.find(",6,"));
    CHECK(rejects.find(",6,") < rejects.find(",9,"));

    // Rated: 104.00 + 104.50 + 209.00 + 52.00 + 10.40 = 479.90. FY2027 also spreads its two
    // fixed pools over the accounts it charged (allocations.rules: $18,500.00 platform team +
    // $6,000.00 security tooling): 479.90 + 24,500.00 = 24,979.90. (No monthly fees: these rows
    // have no BillingPeriodStart, so the fee month is unknown, and the run says so.)
    std::string summary = read_text(dir / "out/summary.json");
    CHECK(summary.find("\"total\": \"24979.90\"") != std::string::npos);
    CHECK(r.output.find("note:     FY2027: 1 monthly fee rule charged nothing") != std::string::npos);
    CHECK(summary.find("\"notes\": [") != std::string::npos);
    CHECK(summary.find("\"rulesets\": [") != std::string::npos);
    CHECK(summary.find("\"path\": \"rules/FY2026\"") != std::string::npos);
    CHECK(summary.find("\"path\": \"rules/FY2027\"") != std::string::npos);
    CHECK(summary.find("\"no fiscal year\": 3") != std::string::npos);

    // Same bytes out with many small chunks on two threads.
    Cli again = run("RATEBOOK_CHUNK_BYTES=300 " + bin + " rate --rules rules/ --threads 2 --quiet --usage " +
                    (dir / "usage.csv").string() + " --out " + (dir / "out2").string());
    REQUIRE(again.status == 0);
    for (std::string name : {"charges.csv", "invoice.csv", "rejects.csv", "summary.json"})
        CHECK(read_text(dir / "out" / name) == read_text(dir / "out2" / name));
    fs::remove_all(dir);
}

TEST_CASE("overlapping fiscal years are refused") {
    fs::path dir = temp("overlap");
    fs::copy(fs::path(source_dir()) / "rules/FY2027", dir / "A", fs::copy_options::recursive);
    fs::copy(fs::path(source_dir()) / "rules/FY2027", dir / "B", fs::copy_options::recursive);
    Diagnostics diags;
    load_fiscal_years(dir.string(), diags);
    std::string text = render(diags);
    CHECK(text.find("error[E0333]: fiscal years overlap") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("a month inside one fiscal year rates the same through rules/ as through that year's folder") {
    // The sample month is October 2026, all FY2027; its malformed row (no date to read) is
    // rejected by the FY2026 pass, which handles the records of no year: same reject, same line.
    fs::path dir = temp("sample");
    std::string bin = std::string("'") + RATEBOOK_BINARY + "'";
    Cli years = run(bin + " rate --rules rules/ --quiet --usage samples/2026-10/usage.csv --out " + (dir / "years").string());
    Cli one = run(bin + " rate --rules rules/FY2027 --quiet --usage samples/2026-10/usage.csv --out " + (dir / "one").string());
    REQUIRE(years.status == 0);
    REQUIRE(one.status == 0);
    for (std::string name : {"charges.csv", "invoice.csv", "rejects.csv"})
        CHECK(read_text(dir / "years" / name) == read_text(dir / "one" / name));
    fs::remove_all(dir);
}

TEST_CASE("ratebook check rules/ checks every fiscal year and the years together") {
    std::string bin = std::string("'") + RATEBOOK_BINARY + "'";
    Cli ok = run(bin + " check rules/");
    INFO(ok.output);
    CHECK(ok.status == 0);
    CHECK(ok.output.find("ok: FY2026 rules/FY2026: ") != std::string::npos);
    CHECK(ok.output.find("ok: FY2027 rules/FY2027: ") != std::string::npos);
    CHECK(ok.output.find("FY2026 2025-09-01..2026-08-31, FY2027 2026-09-01..2027-08-31") != std::string::npos);
    fs::path dir = temp("check");
    fs::copy(fs::path(source_dir()) / "rules/FY2027", dir / "A", fs::copy_options::recursive);
    fs::copy(fs::path(source_dir()) / "rules/FY2027", dir / "B", fs::copy_options::recursive);
    Cli overlap = run(bin + " check " + dir.string());
    CHECK(overlap.status == 1);
    CHECK(overlap.output.find("error[E0333]") != std::string::npos);
    fs::remove_all(dir);
}
