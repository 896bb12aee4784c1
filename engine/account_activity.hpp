// Dates a record needs beyond its rules: the day it was used (ChargePeriodStart), to check
// that its account is active on the account master that day, and its billing month
// (BillingPeriodStart), for monthly fees. Read only when the rule set needs them.
#pragma once
#include <string>
#include <vector>

#include "engine/record_rater.hpp"

namespace ratebook {

// Fills layout.charge_period_start / billing_period_start, adding the columns the feed lacks to
// `missing` (the caller reports them all at once).
void add_activity_columns(const RuleSet& rules, const std::vector<std::string>& header, FeedLayout& layout,
                          std::vector<std::string>& missing);

}  // namespace ratebook
