// Golden tests of the compiler: broken rule sets give exactly the reviewed diagnostics
// (tests/golden/check_errors), and rule sets compile to exactly the reviewed bytecode
// (tests/golden/compile, and the shipped rules/FY2027).
//
// A case is either NAME.rules (compiled with a default FY2027 USD ratebook.toml) or a folder
// NAME.ruleset/ holding a whole rule set; the expected output is NAME.stderr or NAME.disasm.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <string>

#include "grammar/diagnostic.hpp"
#include "interpreter/bytecode.hpp"
#include "interpreter/disasm.hpp"
#include "interpreter/loader.hpp"
#include "tests/support/golden.hpp"

using namespace ratebook;
using namespace ratebook::testing;
namespace fs = std::filesystem;

namespace {

const fs::path golden = fs::path(source_dir()) / "tests" / "golden";

// Compiles a case; file names in messages are relative to tests/golden.
std::unique_ptr<RuleSet> compile_case(const fs::path& p, Diagnostics& diags) {
    std::string shown = p.parent_path().filename().string() + "/" + p.filename().string();
    if (fs::is_directory(p)) return load_ruleset(p.string(), diags, nullptr, shown);
    return load_ruleset_from_text(shown, read_text(p), diags);
}

fs::path expected_for(const fs::path& p, const std::string& ext) {
    return p.parent_path() / (p.stem().string() + ext);
}

std::vector<fs::path> cases(const std::string& folder) {
    auto files = entries_ending(golden / folder, ".rules");
    auto dirs = entries_ending(golden / folder, ".ruleset");
    files.insert(files.end(), dirs.begin(), dirs.end());
    return files;
}

}  // namespace

TEST_CASE("broken rule sets give the reviewed diagnostics") {
    auto all = cases("check_errors");
    CHECK(all.size() >= 20);
    for (const auto& p : all) {
        CAPTURE(p.string());
        Diagnostics diags;
        compile_case(p, diags);
        // warn_*: cases whose point is a warning (the rule set still compiles).
        if (p.filename().string().starts_with("warn_"))
            CHECK(!diags.items().empty());
        else
            CHECK(diags.has_errors());
        diags.sort();
        check_golden(expected_for(p, ".stderr"), render(diags));
    }
}

TEST_CASE("rule sets compile to the reviewed bytecode") {
    for (const auto& p : cases("compile")) {
        CAPTURE(p.string());
        Diagnostics diags;
        auto rules = compile_case(p, diags);
        REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
        check_golden(expected_for(p, ".disasm"), disassemble(*rules));
    }
}

TEST_CASE("the shipped FY2027 rule set compiles cleanly to the reviewed bytecode") {
    Diagnostics diags;
    auto rules = load_ruleset(source_dir() + "/rules/FY2027", diags, nullptr, "rules/FY2027");
    REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
    CHECK(diags.items().empty());
    CHECK(rules->rates.size() >= 15);
    check_golden(golden / "compile" / "FY2027.disasm", disassemble(*rules));
}

TEST_CASE("every opcode appears in some golden disassembly") {
    std::string all;
    for (const auto& p : entries_ending(golden / "compile", ".disasm")) all += read_text(p);
    for (int i = 0; i < opcode_count; ++i) {
        std::string name(opcode_name(static_cast<OpCode>(i)));
        CAPTURE(name);
        bool found = all.find("      " + name + " ") != std::string::npos ||
                     all.find("      " + name + "\n") != std::string::npos;
        CHECK(found);
    }
}

TEST_CASE("the content hash ignores comments and layout, and sees every change") {
    const std::string a = "const fee = 4.5%\nrate \"X\" { match ServiceName == \"A\" ru \"R\" charge BilledCost * (1 + fee) }\n";
    const std::string b = "# a comment\nconst fee = 4.5%   # fee\n\nrate \"X\" {\n  match ServiceName == \"A\"\n  ru \"R\"\n  charge BilledCost * (1 + fee)\n}\n";
    const std::string c = "const fee = 4.6%\nrate \"X\" { match ServiceName == \"A\" ru \"R\" charge BilledCost * (1 + fee) }\n";
    Diagnostics d;
    auto ra = load_ruleset_from_text("a.rules", a, d);
    auto rb = load_ruleset_from_text("b.rules", b, d);
    auto rc = load_ruleset_from_text("c.rules", c, d);
    REQUIRE(!d.has_errors());
    CHECK(ra->content_hash == rb->content_hash);
    CHECK(ra->content_hash != rc->content_hash);
}
