// Feed validation as both commands run it: `ratebook validate` (report only) and the start of
// `ratebook rate` (which stops before writing charges on errors not accepted).
#pragma once
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "engine/validate.hpp"

namespace ratebook::cli {

// Reads --prior and --control-total PROVIDER=AMOUNT (cents at most). Prints the problem and
// returns false on a malformed value.
bool read_validate_options(const Args& args, const char* command, ValidateOptions& out);

// Reads --accept-errors CHECK...: each must be a check id (built-in or one of the rule set's
// `check` rules). Prints the problem and returns false otherwise.
bool read_accepted(const Args& args, const RuleSet& rules, std::vector<std::string>& out);

// Checks whose records rating rejects one by one (listed in rejects.csv, never billed, and
// bounded by --max-reject-rate): they do not stop `ratebook rate`. Nor does missing-column,
// which rating decides with the columns its rules need (exit 2 when one is missing).
bool rating_handles(std::string_view check);

// The error checks that stop `ratebook rate`: errors not handled by rating, not accepted.
std::vector<std::string> blocking_checks(const Validation& v, const std::vector<std::string>& accepted);

// `ratebook rate`: exit status when validation errors stop the run.
constexpr int exit_validation_errors = 4;

// When validation found errors that stop rating (blocking_checks), writes the validation report
// to out_dir (and nothing else), prints why, and returns true.
bool stop_on_findings(const std::string& out_dir, const std::vector<std::string>& usage, Validation& v,
                      const std::vector<std::string>& accepted);

// One line after rating: what validation found and what was accepted.
void print_validation_line(const Validation& v, const std::vector<std::string>& accepted);

// summary.json with a "validation" member added: counts, the checks accepted with
// --accept-errors and those found.
std::string summary_with_validation(const std::string& summary_json, const Validation& v,
                                    const std::vector<std::string>& accepted);

}  // namespace ratebook::cli
