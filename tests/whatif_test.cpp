// `ratebook whatif`: the same records under the rules in force and a proposal, compared by
// account, RU and service, with hand-computed figures; a dry run that writes only whatif.*.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/rating.hpp"
#include "engine/whatif.hpp"
#include "engine/whatif_report.hpp"
#include "interpreter/loader.hpp"
#include "interpreter/rule_source.hpp"
#include "tests/support/git_repo.hpp"
#include "tests/support/golden.hpp"
#include "tests/support/stamp.hpp"

using namespace ratebook;
using namespace ratebook::testing;
namespace fs = std::filesystem;

namespace {

std::unique_ptr<RuleSet> from_git(const TempGitRepo& repo, const std::string& spec,
                                  const std::vector<std::string>& sets = {}) {
    RuleSourceError error;
    auto source = open_rule_source(spec, error, repo.dir().string());
    INFO(error.message);
    REQUIRE(source);
    Diagnostics diags;
    std::vector<ConstOverride> overrides;
    for (const auto& s : sets) {
        overrides.emplace_back();
        REQUIRE(parse_const_override(s, overrides.back(), diags));
    }
    auto rules = load_ruleset(*source, diags, nullptr, overrides);
    INFO(render(diags));
    REQUIRE_FALSE(diags.has_errors());
    return rules;
}

// Two commits of the test rule set: v1 (tagged), then vm_rate $0.12 and "Databases" added.
struct TwoVersions {
    TempGitRepo repo{"whatif"};
    TwoVersions() {
        write_test_ruleset(repo, "rules/T", 1);
        repo.commit("rates v1");
        repo.tag("v1");
        write_test_ruleset(repo, "rules/T", 2);
        repo.commit("vm_rate $0.12; Databases added");
        repo.write("usage.csv", test_usage_csv());
    }
};

// Hand-computed, per record (current = v1, proposed = HEAD):
//   line 2  VM 10 h, CC-1 -> 10001:  10 x $0.10 = 1.00   | 10 x $0.12 = 1.20
//   line 3  VM 25 h, CC-2 -> 10002:  25 x $0.10 = 2.50   | 25 x $0.12 = 3.00
//   line 4  storage 100 GB-Mo, CC-1: 100 x $0.02 = 2.00  | 2.00
//   line 5  SQL Database, CC-2:      rejected (no rule)  | 5.00 x 1.10 = 5.50 (newly charged)
// Totals 5.50 -> 11.70, change 6.20 = 112.727..% -> 112.73.
// Accounts: 10001 1.00+2.00 = 3.00 -> 1.20+2.00 = 3.20 (+0.20, 6.666..% -> 6.67);
//           10002 2.50 -> 3.00+5.50 = 8.50 (+6.00, 240%). 0.20 + 6.00 = 6.20.
// RUs: CMP-VM 3.50 -> 4.20 (+0.70, 20%); DB 0 -> 5.50 (no %: new); STO-OBJ unchanged.
const char* const expected_csv =
    "section,key,current,proposed,change,change_pct,current_ruleset,proposed_ruleset\n"
    "total,total,5.50,11.70,6.20,112.73,v1:rules/T@COMMIT,HEAD:rules/T@COMMIT\n"
    "account,10001,3.00,3.20,0.20,6.67,v1:rules/T@COMMIT,HEAD:rules/T@COMMIT\n"
    "account,10002,2.50,8.50,6.00,240.00,v1:rules/T@COMMIT,HEAD:rules/T@COMMIT\n"
    "ru,CMP-VM,3.50,4.20,0.70,20.00,v1:rules/T@COMMIT,HEAD:rules/T@COMMIT\n"
    "ru,DB,0.00,5.50,5.50,,v1:rules/T@COMMIT,HEAD:rules/T@COMMIT\n"
    "ru,STO-OBJ,2.00,2.00,0.00,0.00,v1:rules/T@COMMIT,HEAD:rules/T@COMMIT\n"
    "service,Cloud Storage,2.00,2.00,0.00,0.00,v1:rules/T@COMMIT,HEAD:rules/T@COMMIT\n"
    "service,SQL Database,0.00,5.50,5.50,,v1:rules/T@COMMIT,HEAD:rules/T@COMMIT\n"
    "service,Virtual Machines,3.50,4.20,0.70,20.00,v1:rules/T@COMMIT,HEAD:rules/T@COMMIT\n";

struct Cli {
    int status;
    std::string output;
};

Cli run_in(const fs::path& dir, const std::string& args) {
    fs::path log = dir / "cli.log";
    std::string cmd = "cd '" + dir.string() + "' && '" + RATEBOOK_BINARY + "' " + args + " > '" + log.string() +
                      "' 2>&1";
    int raw = std::system(cmd.c_str());
    Cli r{WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_text(log)};
    fs::remove(log);
    return r;
}

}  // namespace

TEST_CASE("whatif between two revisions gives the hand-computed figures") {
    TwoVersions v;
    auto current = from_git(v.repo, "v1:rules/T");
    auto proposed = from_git(v.repo, "HEAD:rules/T");
    std::string usage = (v.repo.dir() / "usage.csv").string();
    WhatIfRun run = rate_whatif(*current, *proposed, {usage});
    CHECK(run.current.rows_in == 4);
    CHECK(run.current.charged == 3);
    CHECK(run.proposed.charged == 4);
    CHECK(run.newly_charged == 1);
    CHECK(run.newly_rejected == 0);
    CHECK(run.moved_rule == 0);
    CHECK(run.moved_account == 0);
    REQUIRE(run.changes.size() == 1);
    CHECK(run.changes[0].line == 5);
    CHECK(run.changes[0].kind == "newly charged");
    CHECK(run.changes[0].proposed == "rule `Databases`, account 10002");
    CHECK(run.changes[0].current.rfind("rejected: ", 0) == 0);

    std::ostringstream csv;
    write_whatif_csv(csv, WhatIfReport{*current, *proposed, run});
    CHECK(without_commit(csv.str()) == expected_csv);

    // The change column adds up to the difference of the totals exactly, in every section.
    ChargeComparison total = compare_totals(*current, run.current, *proposed, run.proposed);
    CHECK(total.change() == *Decimal::parse("6.20"));
    for (CompareBy by : {CompareBy::account, CompareBy::ru, CompareBy::service}) {
        Decimal sum;
        for (const ChargeComparison& c : compare(*current, run.current, *proposed, run.proposed, by)) sum += c.change();
        CHECK(sum == total.change());
    }
    auto movers = biggest_movers(compare(*current, run.current, *proposed, run.proposed, CompareBy::account), 10);
    REQUIRE(movers.size() == 2);
    CHECK(movers[0].key == "10002");
    CHECK(movers[1].key == "10001");
}

TEST_CASE("whatif --set changes a const on the proposed side only") {
    TwoVersions v;
    auto current = from_git(v.repo, "v1:rules/T");
    auto proposed = from_git(v.repo, "v1:rules/T", {"vm_rate=$0.15"});
    WhatIfRun run = rate_whatif(*current, *proposed, {(v.repo.dir() / "usage.csv").string()});
    // VM hours: 35 h x $0.15 = 5.25 (was 3.50); storage 2.00; the database row stays rejected.
    ChargeComparison total = compare_totals(*current, run.current, *proposed, run.proposed);
    CHECK(total.current.to_string() == "5.50");
    CHECK(total.proposed.to_string() == "7.25");
    CHECK(total.change_pct() == "31.82");  // 1.75 / 5.50 = 31.818..%
    CHECK(run.newly_charged == 0);
    CHECK(run.changes.empty());
}

TEST_CASE("a record moved to another rule or account, or newly rejected, is listed") {
    TwoVersions v;
    // The proposal sends CC-1 to a new account and drops storage.
    v.repo.write("rules/T/tables/accounts.csv", "CostCenter,AccountCode\nCC-1,10009\nCC-2,10002\n");
    std::string rates = read_text(v.repo.dir() / "rules/T/rates.rules");
    rates.replace(rates.find("\"Cloud Storage\""), 15, "\"Cloud Storage X\"");
    rates.replace(rates.find("rate \"VM hours\""), 15, "rate \"VM time\"");
    v.repo.write("rules/T/rates.rules", rates);
    v.repo.commit("proposal");
    auto current = from_git(v.repo, "HEAD~1:rules/T");
    auto proposed = from_git(v.repo, "HEAD:rules/T");
    WhatIfRun run = rate_whatif(*current, *proposed, {(v.repo.dir() / "usage.csv").string()});
    CHECK(run.moved_rule == 2);      // lines 2 and 3: "VM hours" -> "VM time"
    CHECK(run.moved_account == 1);   // line 2: 10001 -> 10009
    CHECK(run.newly_rejected == 1);  // line 4: storage no longer matches
    REQUIRE(run.changes.size() == 3);
    CHECK(run.changes[0].kind == "rule and account");
    CHECK(run.changes[1].kind == "rule");
    CHECK(run.changes[2].kind == "newly rejected");
    CHECK(run.changes[2].proposed.rfind("rejected: ", 0) == 0);
}

TEST_CASE("ratebook whatif writes only whatif.txt, .csv and .json") {
    TwoVersions v;
    fs::path out = v.repo.dir() / "out";
    Cli r = run_in(v.repo.dir(), "whatif --usage usage.csv --rules v1:rules/T --proposed HEAD:rules/T --out out");
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(r.output.find("total:    current 5.50 USD, proposed 11.70 USD, change +6.20 (112.73%)") !=
          std::string::npos);
    CHECK(without_commit(read_text(out / "whatif.csv")) == expected_csv);
    std::string json = read_text(out / "whatif.json");
    CHECK(json.find("\"total\": {\"key\": \"total\", \"current\": \"5.50\", \"proposed\": \"11.70\", "
                    "\"change\": \"6.20\", \"change_pct\": \"112.73\"}") != std::string::npos);
    CHECK(json.find("\"record_changes\": {\"rule\": 0, \"account\": 0, \"newly_rejected\": 0, \"newly_charged\": 1") !=
          std::string::npos);
    CHECK(json.find("\"revision\": \"v1\"") != std::string::npos);
    size_t files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(out)) ++files;
    CHECK(files == 3);

    Cli bad = run_in(v.repo.dir(), "whatif --usage usage.csv --rules v1:rules/T --proposed v9:rules/T --out out2");
    CHECK(bad.status == 1);
    CHECK(bad.output.find("error[E0330]") != std::string::npos);
    CHECK_FALSE(fs::exists(v.repo.dir() / "out2"));
    Cli nothing = run_in(v.repo.dir(), "whatif --usage usage.csv --rules v1:rules/T --out out3");
    CHECK(nothing.status == 2);
    // rules/ holds fiscal-year folders (here one, T): a comparison is of one year's rule sets.
    Cli years = run_in(v.repo.dir(), "whatif --usage usage.csv --rules rules/ --set 'vm_rate=$0.2' --out out4");
    CHECK(years.status == 2);
    CHECK(years.output.find("compare one year's rule sets, e.g. --rules rules/FY2027") != std::string::npos);
    CHECK_FALSE(fs::exists(v.repo.dir() / "out4"));
}

TEST_CASE("whatif's current side bills exactly what `ratebook rate` bills, fees and allocations included") {
    // rules/FY2027 has monthly fees (fees.rules), fixed pools (allocations.rules), block and
    // baseline pricing and an account master routing inactive accounts to suspense: every
    // month-end step must run on both sides, or a proposal that changes a fee shows no change.
    Diagnostics diags;
    auto rules = load_ruleset((fs::path(source_dir()) / "rules/FY2027").string(), diags);
    auto proposed = load_ruleset((fs::path(source_dir()) / "rules/FY2027").string(), diags);
    REQUIRE(!diags.has_errors());
    const std::string usage = (fs::path(source_dir()) / "samples/2026-10/usage.csv").string();
    WhatIfRun w = rate_whatif(*rules, *proposed, {usage});
    RateRun rated = rate_feeds(*rules, {usage}, [](const RejectRow&) {}, RateOptions{1, 0});
    REQUIRE(w.current.lines.size() == rated.lines.size());
    Decimal billed_rate, billed_whatif;
    for (const ChargeLine& l : rated.lines) billed_rate += billed_charge(*rules, l);
    for (const ChargeLine& l : w.current.lines) billed_whatif += billed_charge(*rules, l);
    CHECK(billed_whatif == billed_rate);
    ChargeComparison total = compare_totals(*rules, w.current, *proposed, w.proposed);
    CHECK(total.current == billed_rate);
    CHECK(total.proposed == billed_rate);  // the same rules: no change
}
