#include "cli/load_rules.hpp"

#include <fmt/format.h>

#include "interpreter/loader.hpp"

namespace ratebook::cli {

std::unique_ptr<RuleSet> load_rules_or_report(const std::string& command, const std::string& dir,
                                              const std::string& nothing_done) {
    Diagnostics diags;
    auto rules = load_ruleset(dir, diags);
    diags.sort();
    fmt::print(stderr, "{}", render(diags));
    if (!diags.has_errors()) return rules;
    fmt::print(stderr, "ratebook {}: the rule set has errors; nothing was {}\n", command, nothing_done);
    return nullptr;
}

}  // namespace ratebook::cli
