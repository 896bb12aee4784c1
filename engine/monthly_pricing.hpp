// Pricing that needs the whole month: rules whose charge depends on an account's total volume
// (graduated or volume tiers), minimums and monthly fees. Runs once, after every record is
// rated and the charge lines are merged, and before outputs are written.
#pragma once
#include "engine/rating.hpp"
#include "interpreter/ruleset.hpp"

namespace ratebook {

// Adjusts run.lines in place: fills in the charges of lines priced by monthly rules. Must be
// called exactly once per run, on the merged, sorted lines.
void apply_monthly_pricing(const RuleSet& rules, RateRun& run);

}  // namespace ratebook
