// Rule sets read from git (`--rules REV:path`): straight from the object store, no checkout,
// named REV:path in diagnostics, stamped with the commit; and the content hash, which ignores
// comments and layout but not rates.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include "grammar/diagnostic.hpp"
#include "interpreter/loader.hpp"
#include "interpreter/rule_source.hpp"
#include "tests/support/git_repo.hpp"
#include "tests/support/golden.hpp"

using namespace ratebook;
using namespace ratebook::testing;
namespace fs = std::filesystem;

namespace {

struct Loaded {
    std::unique_ptr<RuleSet> rules;
    Diagnostics diags;
    std::string error;  // open_rule_source's code and message, when it refused
};

Loaded load(const TempGitRepo& repo, const std::string& spec) {
    Loaded l;
    RuleSourceError error;
    auto source = open_rule_source(spec, error, repo.dir().string());
    if (!source) {
        l.error = error.code + " " + error.message;
        return l;
    }
    l.rules = load_ruleset(*source, l.diags);
    return l;
}

}  // namespace

TEST_CASE("a rule set is read from a commit without checking it out, and stamped with the commit") {
    TempGitRepo repo("read");
    write_test_ruleset(repo, "rules/T", 1);
    std::string first = repo.commit("rates v1");
    repo.tag("v1");
    // The working tree's copy of version 1, loaded as a folder: the reference for the hash.
    Diagnostics folder_diags;
    auto folder = load_ruleset((repo.dir() / "rules/T").string(), folder_diags);
    REQUIRE_FALSE(folder_diags.has_errors());
    CHECK(folder->identity.commit == first);
    CHECK_FALSE(folder->identity.dirty);

    write_test_ruleset(repo, "rules/T", 2);
    std::string second = repo.commit("vm_rate to $0.12, Databases added");

    // The working tree now holds version 2; HEAD~1 is read from git and is version 1.
    Loaded old = load(repo, "HEAD~1:rules/T");
    INFO(old.error, render(old.diags));
    REQUIRE(old.rules);
    REQUIRE_FALSE(old.diags.has_errors());
    CHECK(old.rules->rates.size() == 2);
    CHECK(old.rules->content_hash == folder->content_hash);
    CHECK(old.rules->tables.size() == 1);  // the table came out of git too
    CHECK(old.rules->tables[0].rows.size() == 2);
    CHECK(old.rules->identity.path == "HEAD~1:rules/T");
    CHECK(old.rules->identity.revision == "HEAD~1");
    CHECK(old.rules->identity.commit == first);
    CHECK_FALSE(old.rules->identity.dirty);
    CHECK(old.rules->identity.version() == "HEAD~1:rules/T@" + first.substr(0, 12));
    CHECK(old.rules->rates[0].kind_span.file->name == "HEAD~1:rules/T/rates.rules");

    // A tag, a trailing slash and ./ all name the same rule set.
    Loaded tagged = load(repo, "v1:./rules/T/");
    REQUIRE(tagged.rules);
    CHECK(tagged.rules->content_hash == folder->content_hash);

    Loaded now = load(repo, "HEAD:rules/T");
    REQUIRE(now.rules);
    REQUIRE_FALSE(now.diags.has_errors());
    CHECK(now.rules->rates.size() == 3);
    CHECK(now.rules->identity.commit == second);
    CHECK(now.rules->content_hash != folder->content_hash);

    // Editing the working tree makes the folder (not the commit) dirty; so does a new file.
    repo.write("rules/T/rates.rules", "# edited\n" + std::string("const vm_rate = $0.12\n"));
    Diagnostics d2;
    auto edited = load_ruleset((repo.dir() / "rules/T").string(), d2);
    CHECK(edited->identity.commit == second);
    CHECK(edited->identity.dirty);
    CHECK(edited->identity.version() == (repo.dir() / "rules/T").string() + "@" + second.substr(0, 12) + "+dirty");
    CHECK_FALSE(load(repo, "HEAD:rules/T").rules->identity.dirty);
}

TEST_CASE("a bad revision or path gives a clear error naming it") {
    TempGitRepo repo("bad");
    write_test_ruleset(repo, "rules/T", 1);
    repo.commit("v1");
    Loaded rev = load(repo, "no-such-branch:rules/T");
    CHECK_FALSE(rev.rules);
    CHECK(rev.error == "E0330 `no-such-branch:rules/T` is not a folder, and `no-such-branch` is not a commit, "
                       "branch or tag of this git repository");
    // An option-looking revision is just an unknown revision: arguments never reach a shell or
    // git's option parser.
    CHECK(load(repo, "--output=/tmp/x:rules/T").error.rfind("E0330 ", 0) == 0);
    CHECK(load(repo, "HEAD;touch pwned:rules/T").error.rfind("E0330 ", 0) == 0);
    CHECK_FALSE(fs::exists(repo.dir() / "pwned"));
    Loaded path = load(repo, "HEAD:rules/NOPE");
    CHECK(path.error.rfind("E0331 `rules/NOPE` is not a folder in HEAD (commit ", 0) == 0);
    CHECK(load(repo, "HEAD:rules/T/rates.rules").error.rfind("E0331 ", 0) == 0);
    CHECK(load(repo, "HEAD:../outside").error.rfind("E0331 ", 0) == 0);
    // Outside any repository.
    RuleSourceError error;
    fs::path plain = fs::temp_directory_path() / ("ratebook_git_" + std::to_string(::getpid()) + "_plain");
    fs::create_directories(plain);
    CHECK_FALSE(open_rule_source("HEAD:rules/T", error, plain.string()));
    CHECK(error.code == "E0332");
    fs::remove_all(plain);
}

TEST_CASE("diagnostics inside a git rule set name REV:path:line:col") {
    TempGitRepo repo("diag");
    write_test_ruleset(repo, "rules/T", 1);
    repo.write("rules/T/broken.rules",
               "rate \"Broken\" {\n"
               "  match ServiceName == \"X\"\n"
               "  ru \"R\"\n"
               "  charge BilledCost * no_such_fee\n"
               "}\n");
    repo.commit("a broken rule");
    Loaded l = load(repo, "HEAD:rules/T");
    REQUIRE(l.rules);
    CHECK(l.diags.has_errors());
    std::string text = render(l.diags);
    INFO(text);
    // "  charge BilledCost * " is 22 characters (2 + 6 + 1 + 10 + 3): the name starts in column 23.
    CHECK(text.find("HEAD:rules/T/broken.rules:4:23") != std::string::npos);
    CHECK(text.find("E0201") != std::string::npos);
}

TEST_CASE("a folder whose name contains ':' is a folder, not a revision") {
    TempGitRepo repo("colon");
    write_test_ruleset(repo, "HEAD:rules", 1);  // a folder literally named "HEAD:rules"
    repo.commit("odd folder name");
    RuleSourceError error;
    std::string spec = (repo.dir() / "HEAD:rules").string();
    auto source = open_rule_source(spec, error, repo.dir().string());
    REQUIRE(source);
    CHECK(source->identity().revision.empty());
    CHECK(dynamic_cast<FolderRuleSource*>(source.get()) != nullptr);
}

TEST_CASE("a link in a git rule set is not followed out of it") {
    TempGitRepo repo("link");
    write_test_ruleset(repo, "rules/T", 1);
    fs::remove(repo.dir() / "rules/T/tables/accounts.csv");
    fs::create_symlink("/etc/passwd", repo.dir() / "rules/T/tables/accounts.csv");
    repo.commit("a linked table");
    Loaded l = load(repo, "HEAD:rules/T");
    REQUIRE(l.rules);
    std::string text = render(l.diags);
    INFO(text);
    CHECK(text.find("E0307") != std::string::npos);
    CHECK(text.find("links outside the rule set folder") != std::string::npos);
}

TEST_CASE("the content hash ignores comments and layout, and changes with a rate") {
    TempGitRepo repo("hash");
    write_test_ruleset(repo, "rules/T", 1);
    fs::path dir = repo.dir() / "rules/T";
    auto hash = [&] {
        Diagnostics d;
        auto rules = load_ruleset(dir.string(), d);
        INFO(render(d));
        REQUIRE_FALSE(d.has_errors());
        return rules->content_hash;
    };
    std::string before = hash();
    // The same rules reformatted: comments, blank lines, indentation, line breaks inside a rule.
    repo.write("rules/T/rates.rules",
               "# Reformatted: the same rules.\n\n\n"
               "const   vm_rate   =   $0.10   # per hour\n"
               "rate \"VM hours\" {\n"
               "        match ServiceName\n"
               "              == \"Virtual Machines\"   # all sizes\n"
               "        ru \"CMP-VM\"\n"
               "        charge PricingQuantity\n"
               "             * vm_rate\n"
               "}\n"
               "# storage\n"
               "rate \"Object storage\" {\n"
               "match ServiceName == \"Cloud Storage\"\n"
               "ru \"STO-OBJ\"  charge PricingQuantity * $0.02\n"
               "}\n");
    CHECK(hash() == before);
    // One rate changed ($0.10 -> $0.11 an hour): a different hash.
    write_test_ruleset(repo, "rules/T", 1);
    CHECK(hash() == before);
    std::string rates = read_text(dir / "rates.rules");
    rates.replace(rates.find("$0.10"), 5, "$0.11");
    repo.write("rules/T/rates.rules", rates);
    CHECK(hash() != before);
    // A renamed rule is a different rule set too (its name is on every charge line).
    write_test_ruleset(repo, "rules/T", 1);
    rates = read_text(dir / "rates.rules");
    rates.replace(rates.find("VM hours"), 8, "VM hour");
    repo.write("rules/T/rates.rules", rates);
    CHECK(hash() != before);
}
