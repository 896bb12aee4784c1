#include "tests/support/git_repo.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <fstream>

#include "interpreter/git_process.hpp"

namespace ratebook::testing {

namespace fs = std::filesystem;

namespace {

void git(const fs::path& dir, const std::vector<std::string>& args) {
    GitResult r = run_git(dir.string(), args);
    INFO("git ", args.front(), ": ", r.err);
    REQUIRE(r.status == 0);
}

}  // namespace

TempGitRepo::TempGitRepo(const std::string& name)
    : dir_(fs::temp_directory_path() / ("ratebook_git_" + std::to_string(::getpid()) + "_" + name)) {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    git(dir_, {"init", "-q", "-b", "main"});
    git(dir_, {"config", "user.name", "ratebook tests"});
    git(dir_, {"config", "user.email", "tests@ratebook.invalid"});
    git(dir_, {"config", "commit.gpgsign", "false"});
}

TempGitRepo::~TempGitRepo() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

void TempGitRepo::write(const std::string& rel, const std::string& text) const {
    fs::path p = dir_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

std::string TempGitRepo::commit(const std::string& message) const {
    git(dir_, {"add", "-A"});
    git(dir_, {"commit", "-q", "--no-verify", "-m", message});
    GitResult head = run_git(dir_.string(), {"rev-parse", "HEAD"});
    REQUIRE(head.status == 0);
    return head.out.substr(0, 40);
}

void TempGitRepo::tag(const std::string& name) const { git(dir_, {"tag", name}); }

void write_test_ruleset(const TempGitRepo& repo, const std::string& folder, int version) {
    repo.write(folder + "/ratebook.toml",
               "name = \"Git test rate book\"\n"
               "fiscal_year = 2027\n"
               "fiscal_year_start = 2026-09-01\n"
               "currency = \"USD\"\n"
               "suspense_account = \"99999-SUSPENSE\"\n\n"
               "[tables.accounts]\n"
               "path = \"tables/accounts.csv\"\n");
    repo.write(folder + "/tables/accounts.csv", "CostCenter,AccountCode\nCC-1,10001\nCC-2,10002\n");
    repo.write(folder + "/accounts.rules",
               "account \"Customer accounts\" {\n"
               "  from tag(\"cost-center\") in table accounts.CostCenter -> AccountCode\n"
               "  else \"99999-SUSPENSE\"\n"
               "}\n");
    std::string rates = std::string("const vm_rate = ") + (version == 1 ? "$0.10" : "$0.12") +
                        "\n\n"
                        "rate \"VM hours\" {\n"
                        "  match ServiceName == \"Virtual Machines\"\n"
                        "  ru \"CMP-VM\"\n"
                        "  charge PricingQuantity * vm_rate\n"
                        "}\n\n"
                        "rate \"Object storage\" {\n"
                        "  match ServiceName == \"Cloud Storage\"\n"
                        "  ru \"STO-OBJ\"\n"
                        "  charge PricingQuantity * $0.02\n"
                        "}\n";
    if (version >= 2)
        rates += "\nrate \"Databases\" {\n"
                 "  match ServiceName == \"SQL Database\"\n"
                 "  ru \"DB\"\n"
                 "  charge BilledCost * (1 + 10%)\n"
                 "}\n";
    repo.write(folder + "/rates.rules", rates);
}

std::string test_usage_csv() {
    return "ServiceName,SkuId,ResourceId,PricingQuantity,PricingUnit,BilledCost,ChargePeriodStart,Tags\n"
           "Virtual Machines,D2s,vm-1,10,Hours,1.00,2026-10-01T00:00:00Z,\"{\"\"cost-center\"\":\"\"CC-1\"\"}\"\n"
           "Virtual Machines,D2s,vm-2,25,Hours,2.50,2026-10-01T00:00:00Z,\"{\"\"cost-center\"\":\"\"CC-2\"\"}\"\n"
           "Cloud Storage,S1,bucket-1,100,GB-Mo,2.00,2026-10-01T00:00:00Z,\"{\"\"cost-center\"\":\"\"CC-1\"\"}\"\n"
           "SQL Database,DB1,db-1,1,Hours,5.00,2026-10-01T00:00:00Z,\"{\"\"cost-center\"\":\"\"CC-2\"\"}\"\n";
}

}  // namespace ratebook::testing
