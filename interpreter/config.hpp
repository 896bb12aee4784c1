// Reading a rule set's ratebook.toml (toml++) into RuleSetConfig, and its tables (CSV).
// Unknown keys are errors with their line: a misspelt `roundng` must not be silently ignored.
#pragma once
#include <memory>
#include <string>

#include "grammar/diagnostic.hpp"
#include "interpreter/ruleset.hpp"

namespace ratebook {

// Parses `file` (the text of ratebook.toml) into `config`. Errors are E03xx.
void read_config(const std::shared_ptr<const SourceFile>& file, RuleSetConfig& config,
                 Diagnostics& diags);

// Loads every table the config names, from paths relative to `dir`. A path may not leave the
// rule set's folder (no absolute paths, no `..`).
void load_tables(const std::string& dir, const RuleSetConfig& config, std::vector<Table>& out,
                 Diagnostics& diags);
// The same, reading through a rule source (a folder, or a folder in a git commit).
class RuleSource;
void load_tables(const RuleSource& source, const RuleSetConfig& config, std::vector<Table>& out,
                 Diagnostics& diags);

}  // namespace ratebook
