// A throwaway git repository for tests of rule sets read from git: a fresh folder (unique per
// test process), its own user name and e-mail, no network, removed at the end.
#pragma once
#include <filesystem>
#include <string>

namespace ratebook::testing {

class TempGitRepo {
public:
    explicit TempGitRepo(const std::string& name);  // git init in a new temporary folder
    ~TempGitRepo();
    TempGitRepo(const TempGitRepo&) = delete;
    TempGitRepo& operator=(const TempGitRepo&) = delete;

    const std::filesystem::path& dir() const { return dir_; }
    // Writes `text` to `rel` (folders created as needed).
    void write(const std::string& rel, const std::string& text) const;
    // `git add -A` and commit; returns the new commit id. Fails the test if git fails.
    std::string commit(const std::string& message) const;
    void tag(const std::string& name) const;

private:
    std::filesystem::path dir_;
};

// The small rule set the git and what-if tests commit, in two versions:
//   1: "VM hours" at vm_rate = $0.10 an hour, "Object storage" at $0.02 a GB-month
//   2: vm_rate = $0.12 (a rate changed) and "Databases" added: BilledCost * (1 + 10%)
void write_test_ruleset(const TempGitRepo& repo, const std::string& folder, int version);
// Four records: two VM rows (CC-1: 10 h, CC-2: 25 h), one storage row (CC-1: 100 GB-Mo), one
// SQL Database row (CC-2, BilledCost 5.00), all on 2026-10-01.
std::string test_usage_csv();

}  // namespace ratebook::testing
