// Loading the rule set a command works with: every diagnostic printed, sorted, to stderr, and
// "ratebook COMMAND: the rule set has errors; nothing was DONE" when it cannot be used.
#pragma once
#include <memory>
#include <string>

#include "interpreter/ruleset.hpp"

namespace ratebook::cli {

// The rule set in `dir`, or null (after saying why) when it has errors.
std::unique_ptr<RuleSet> load_rules_or_report(const std::string& command, const std::string& dir,
                                              const std::string& nothing_done);

}  // namespace ratebook::cli
