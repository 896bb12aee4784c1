// The [normalise] and [validate] sections of ratebook.toml: how the author says a feed's
// spellings are to be read (nulls, allowed values, units, tag keys) and how feed validation
// runs (checks skipped, variance thresholds). Normalisation is applied before rating and
// counted in the validation report, never silently.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/diagnostic.hpp"
#include "interpreter/decimal.hpp"

namespace ratebook {

struct NormaliseConfig {
    // Values read as "no value" besides the empty string, e.g. "NULL", "N/A".
    std::vector<std::string> nulls;
    // Column -> its allowed values; a value equal to one of them ignoring case is rewritten
    // to it ("Usage-based" -> "Usage-Based").
    std::map<std::string, std::vector<std::string>> allowed_values;
    // A rule-set table with columns Spelling and Unit; PricingUnit and ConsumedUnit values
    // found under Spelling are rewritten to Unit ("GB Months" -> "GB-Mo").
    std::string unit_table;
    Span unit_table_span;  // where ratebook.toml names it, for E0345
    // Tag keys rewritten to another key ("env" -> "environment"); matched after trimming
    // spaces when trim_tag_keys is set (" org" -> "org").
    std::map<std::string, std::string> tag_keys;
    bool trim_tag_keys = false;

    bool any() const {
        return !nulls.empty() || !allowed_values.empty() || !unit_table.empty() || !tag_keys.empty() ||
               trim_tag_keys;
    }
};

struct ValidateConfig {
    std::vector<std::string> skip;  // check ids not run for this rule set
    // A provider x service's cost or row count may move this many percent from last month
    // before it is reported.
    Decimal cost_change_pct = Decimal::from_int(50);
    Decimal volume_change_pct = Decimal::from_int(50);

    bool skipped(std::string_view check) const {
        for (const auto& s : skip)
            if (s == check) return true;
        return false;
    }
};

// Reads the two sections (either may be absent) from ratebook.toml, once the rest of the file
// has been read without a syntax error. Errors are E0340-E0349, with the key's line.
void read_normalise_config(const std::shared_ptr<const SourceFile>& file, NormaliseConfig& normalise,
                           ValidateConfig& validate, Diagnostics& diags);

struct RuleSet;
// Once the tables are loaded: the unit table must be declared and have columns Spelling and
// Unit (E0345).
void check_normalise_tables(const RuleSet& rules, Diagnostics& diags);

// Every check id validation knows (docs/validation.md): `skip` must name one of these.
const std::vector<std::string>& validation_check_ids();

}  // namespace ratebook
