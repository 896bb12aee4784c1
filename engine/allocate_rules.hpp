// Allocation rules: after monthly pricing, each shared pool (a fixed amount, or the month's
// charges on one resource unit) is spread over accounts by its basis, to the cent, by largest
// remainder. See docs/language.md, "Allocations".
#pragma once
#include "engine/rating.hpp"
#include "interpreter/ruleset.hpp"

namespace ratebook {

// The account a pool's own lines are charged to: `POOL <name>`. It nets to zero once the pool
// is allocated, and keeps the pool, visibly, when no account has any basis.
std::string pool_account(const CompiledAllocation& a);

// Runs the rule set's allocations in order over the month's lines (once, after
// apply_monthly_pricing). Records are not touched: every record stays charged or rejected.
void apply_allocations(const RuleSet& rules, RateRun& run);

}  // namespace ratebook
