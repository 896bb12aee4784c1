// The account master: the account code table with each customer's name and active dates,
// named in ratebook.toml under [account_master]. Read and validated when the rule set loads,
// so a duplicate or an overlapping period is found before any usage is rated.
#pragma once
#include <memory>
#include <toml++/toml.h>

#include "grammar/diagnostic.hpp"
#include "interpreter/ruleset.hpp"

namespace ratebook {

// Reads the [account_master] section into config.account_master. Errors are E0313.
void read_account_master_config(const std::shared_ptr<const SourceFile>& file, const toml::node& node,
                                RuleSetConfig& config, Diagnostics& diags);

// Builds rules.account_master from its table (after the tables are loaded) and checks it:
// known columns (E0313), dates (E0314), periods that end before they start (E0315), a code on
// two rows whose periods overlap (E0316, naming both lines), codes missing from the customer
// list (E0317), empty codes (E0318).
void build_account_master(RuleSet& rules, Diagnostics& diags);

// A date cell of the account master: YYYY-MM-DD, or empty for an open end.
std::optional<int32_t> parse_master_date(std::string_view text, bool& ok);

}  // namespace ratebook
