// End to end through the `ratebook` binary, as an analyst runs it: the sample month against
// the shipped FY2027 rule set gives byte-identical reviewed outputs; exit codes and the
// all-or-nothing output folder behave as documented.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "interpreter/decimal.hpp"
#include "tests/support/golden.hpp"
#include "tests/support/stamp.hpp"

using namespace ratebook::testing;
namespace fs = std::filesystem;

namespace {

struct Result {
    int status;
    std::string output;  // stdout and stderr together
};

// Runs the binary from the repository root so paths in outputs are the relative ones a user
// types.
Result run(const std::string& args) {
    fs::path log = fs::temp_directory_path() / ("ratebook_cli_test_" + std::to_string(::getpid()) + ".log");
    std::string cmd = "cd '" + source_dir() + "' && '" + RATEBOOK_BINARY + "' " + args + " > '" +
                      log.string() + "' 2>&1";
    int raw = std::system(cmd.c_str());
    return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_text(log)};
}

fs::path fresh_dir(const std::string& name) {
    fs::path p = fs::temp_directory_path() / ("ratebook_cli_" + std::to_string(::getpid()) + "_" + name);
    fs::remove_all(p);
    return p;
}

}  // namespace

TEST_CASE("the sample month rates to the reviewed charges, rejects and summary") {
    fs::path out = fresh_dir("sample");
    Result r = run("rate --rules rules/FY2027 --usage samples/2026-10/usage.csv --out " + out.string());
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(r.output.find("records:  in 3,000 = charged 2,997 + rejected 3  [ok]") != std::string::npos);
    fs::path golden = fs::path(source_dir()) / "tests/golden/e2e";
    for (std::string name : {"charges.csv", "invoice.csv", "rejects.csv", "summary.json"})
        check_golden(golden / name, without_commit(read_text(out / name)));
    // Nothing else is left behind (no temporary files).
    size_t files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(out)) ++files;
    CHECK(files == 4);
}

TEST_CASE("the invoice rolls charge lines up by the columns asked for, and adds up to the charges") {
    fs::path out = fresh_dir("by");
    Result r = run("rate --rules rules/FY2027 --usage samples/2026-10/usage.csv --quiet --by ru,service --out " + out.string());
    REQUIRE(r.status == 0);
    std::string invoice = read_text(out / "invoice.csv");
    CHECK(invoice.rfind("ru,service,unit,volume,records,charge\n", 0) == 0);
    // Sum the last column of invoice.csv and compare with the total in summary.json.
    ratebook::Decimal total;
    size_t pos = invoice.find('\n') + 1;
    while (pos < invoice.size()) {
        size_t end = invoice.find('\n', pos);
        std::string line = invoice.substr(pos, end - pos);
        total += *ratebook::Decimal::parse(line.substr(line.rfind(',') + 1));
        pos = end + 1;
    }
    CHECK(read_text(out / "summary.json").find("\"total\": \"" + total.to_string() + "\"") != std::string::npos);
    Result bad = run("rate --rules rules/FY2027 --usage samples/2026-10/usage.csv --by acount --out " + out.string());
    CHECK(bad.status == 2);
    CHECK(bad.output.find("did you mean `account`?") != std::string::npos);
}

TEST_CASE("check: a clean rule set, a broken one, and --help") {
    Result ok = run("check rules/FY2027");
    CHECK(ok.status == 0);
    CHECK(ok.output.rfind("ok: 12 files, 35 rules", 0) == 0);
    Result bad = run("check tests/golden/check_errors/bad_config.ruleset");
    CHECK(bad.status == 1);
    CHECK(bad.output.find("error[E0305]: unknown rounding mode") != std::string::npos);
    CHECK(bad.output.find("4 errors, 0 warnings") != std::string::npos);
    for (std::string cmd : {"check", "disasm", "rate", "explain", "accounts"}) {
        Result help = run(cmd + " --help");
        CHECK(help.status == 0);
        CHECK(help.output.find("usage: ratebook " + cmd) == 0);
    }
    CHECK(run("explain E0202").output.find("E0202: operation not allowed on these types") == 0);
    CHECK(run("frobnicate").status == 2);
}

TEST_CASE("disasm shows one rule by name") {
    Result r = run("disasm rules/FY2027 \"DNS queries\"");
    CHECK(r.status == 0);
    CHECK(r.output.rfind("rate \"DNS queries\"", 0) == 0);
    CHECK(run("disasm rules/FY2027 \"No such rule\"").status == 1);
}

TEST_CASE("rate: unusable input exits 2 and writes nothing") {
    fs::path dir = fresh_dir("bad_input");
    fs::create_directories(dir);
    std::ofstream(dir / "usage.csv") << "ProviderName,BilledCost\nAWS,1.00\n";
    fs::path out = dir / "out";
    Result missing_cols = run("rate --rules rules/FY2027 --usage " + (dir / "usage.csv").string() + " --out " + out.string());
    CHECK(missing_cols.status == 2);
    CHECK(missing_cols.output.find("missing required columns") != std::string::npos);
    CHECK(missing_cols.output.find("ServiceName") != std::string::npos);
    CHECK((!fs::exists(out) || fs::is_empty(out)));

    Result unreadable = run("rate --rules rules/FY2027 --usage /nonexistent.csv --out " + out.string());
    CHECK(unreadable.status == 2);
    CHECK(unreadable.output.find("/nonexistent.csv") != std::string::npos);
    CHECK((!fs::exists(out) || fs::is_empty(out)));

    Result bad_rules = run("rate --rules tests/golden/check_errors/bad_config.ruleset --usage samples/2026-10/usage.csv --out " + out.string());
    CHECK(bad_rules.status == 1);
    CHECK((!fs::exists(out) || fs::is_empty(out)));
}

TEST_CASE("rate: --max-reject-rate") {
    fs::path out = fresh_dir("reject_rate");
    // The sample month rejects 3 of 3,000 records: 0.1%.
    CHECK(run("rate --rules rules/FY2027 --usage samples/2026-10/usage.csv --quiet --max-reject-rate 0.1 --out " + out.string()).status == 0);
    Result over = run("rate --rules rules/FY2027 --usage samples/2026-10/usage.csv --quiet --max-reject-rate 0.05 --out " + out.string());
    CHECK(over.status == 3);
    CHECK(over.output.find("0.10% of records were rejected, above --max-reject-rate 0.05%") != std::string::npos);
    CHECK(run("rate --rules rules/FY2027 --usage samples/2026-10/usage.csv --max-reject-rate lots --out " + out.string()).status == 2);
}

TEST_CASE("what-if: --set changes a const, typed and checked like the rule file's own") {
    fs::path base = fresh_dir("whatif_base"), changed = fresh_dir("whatif_set");
    REQUIRE(run("rate --rules rules/FY2027 --usage samples/2026-10/usage.csv --quiet --out " + base.string()).status == 0);
    Result r = run("rate --rules rules/FY2027 --usage samples/2026-10/usage.csv --set admin_fee=5% --out " + changed.string());
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(r.output.find("what-if:  --set admin_fee=5% (not the rule set as written)") != std::string::npos);
    std::string summary = read_text(changed / "summary.json");
    CHECK(summary.find("\"what_if_overrides\": [\"admin_fee=5%\"]") != std::string::npos);
    CHECK(summary != read_text(base / "summary.json"));  // other totals, another rule set hash

    Result wrong_type = run("rate --rules rules/FY2027 --usage samples/2026-10/usage.csv --set 'admin_fee=$5' --out " + changed.string());
    CHECK(wrong_type.status == 1);
    CHECK(wrong_type.output.find("error[E0233]: `admin_fee` is Percent, but --set gives Money") != std::string::npos);
    Result typo = run("rate --rules rules/FY2027 --usage samples/2026-10/usage.csv --set admn_fee=5% --out " + changed.string());
    CHECK(typo.status == 1);
    CHECK(typo.output.find("did you mean `admin_fee`?") != std::string::npos);
    Result syntax = run("rate --rules rules/FY2027 --usage samples/2026-10/usage.csv --set 'admin_fee=5%%' --out " + changed.string());
    CHECK(syntax.status == 1);
    CHECK(syntax.output.find("--set admin_fee:1:") != std::string::npos);
}
