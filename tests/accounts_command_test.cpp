// `ratebook accounts`: lists the account master, shows the rule-set lines that use it, and
// validates it (exit 1 with every finding named by file line).
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "tests/support/golden.hpp"

using namespace ratebook::testing;
namespace fs = std::filesystem;

namespace {

struct Result {
    int status;
    std::string output;  // stdout and stderr together
};

Result run_accounts(const std::string& args) {
    fs::path log = fs::temp_directory_path() / ("ratebook_accounts_test_" + std::to_string(::getpid()) + ".log");
    std::string cmd = "cd '" + source_dir() + "' && '" + RATEBOOK_BINARY + "' accounts " + args + " > '" +
                      log.string() + "' 2>&1";
    int raw = std::system(cmd.c_str());
    Result r{WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_text(log)};
    fs::remove(log);
    return r;
}

bool has(const Result& r, const std::string& text) { return r.output.find(text) != std::string::npos; }

}  // namespace

TEST_CASE("accounts: the shipped master lists, shows its users and validates") {
    Result r = run_accounts("--rules rules/FY2027");
    CAPTURE(r.output);
    CHECK(r.status == 0);
    CHECK(has(r, "account master: table accounts (tables/accounts.csv), 500 rows, 500 account codes"));
    // An account opened mid-month and one closed mid-month, with their dates and customers.
    CHECK(has(r, "10381-4  2026-10-15   -           Office of the Attorney General"));
    CHECK(has(r, "10017-0  2026-09-01   2026-10-20  Railroad Commission"));
    CHECK(has(r, "rules/FY2027/accounts.rules:8: account \"Customer cost centers\""));
    CHECK(has(r, "rules/FY2027/fees.rules:12: fee \"Account management\""));
    CHECK(has(r, "validation: ok"));
}

TEST_CASE("accounts: duplicates, overlaps and codes missing from the customer list are findings") {
    Result r = run_accounts("--rules tests/golden/check_errors/account_master_invalid.ruleset");
    CAPTURE(r.output);
    CHECK(r.status == 1);
    CHECK(has(r, "error[E0316]: account 10002-0 has overlapping active dates: tables/accounts.csv line 3"));
    CHECK(has(r, "error[E0316]: account 10004-0 is listed twice: tables/accounts.csv line 5 and tables/accounts.csv line 6"));
    CHECK(has(r, "error[E0317]: tables/accounts.csv line 9: account 10008-0"));
    CHECK(has(r, "validation: 5 errors (above)"));
    // The table is still listed, so the analyst sees the rows the findings name.
    CHECK(has(r, "10008-0"));
}

TEST_CASE("accounts: usage errors") {
    CHECK(run_accounts("").status == 2);
    Result none = run_accounts("--rules tests/golden/compile/accounts.ruleset");
    CHECK(none.status == 1);
    CHECK(has(none, "declares no account master"));
}
