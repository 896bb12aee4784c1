// Loading a rule set folder: ratebook.toml, its tables, every *.rules file (in name order),
// compiled into one RuleSet. This is the whole front end in one call, as `ratebook check`,
// `disasm` and `rate` use it.
#pragma once
#include <memory>
#include <string>

#include "grammar/diagnostic.hpp"
#include "interpreter/compiler.hpp"
#include "interpreter/ruleset.hpp"

namespace ratebook {

struct LoadStats {
    size_t files = 0;  // .rules files
    size_t rules = 0;  // rule blocks compiled
};

// Returns the rule set; when diags has errors it is incomplete and must not be used to rate.
// File names in diagnostics are shown as `display_dir/NAME` (display_dir defaults to dir).
// `overrides` are what-if changes to consts (`--set admin_fee=5%`).
std::unique_ptr<RuleSet> load_ruleset(const std::string& dir, Diagnostics& diags,
                                      LoadStats* stats = nullptr, std::string display_dir = {},
                                      const std::vector<ConstOverride>& overrides = {});

// The same from any rule source: a folder, or a folder inside a git commit. load_ruleset(dir)
// above opens `dir` with open_rule_source (an existing folder wins; else REV:path from git).
class RuleSource;
std::unique_ptr<RuleSet> load_ruleset(const RuleSource& source, Diagnostics& diags, LoadStats* stats = nullptr,
                                      const std::vector<ConstOverride>& overrides = {});

// Compiles rule text given in memory (for tests): `rules` as one file named `name`, with the
// config text `toml` (empty: a default FY2027 USD config).
std::unique_ptr<RuleSet> load_ruleset_from_text(const std::string& name, const std::string& rules,
                                                Diagnostics& diags, const std::string& toml = {});

}  // namespace ratebook
