#include "engine/monthly_pricing.hpp"

namespace ratebook {

void apply_monthly_pricing(const RuleSet& rules, RateRun& run) {
    (void)rules;
    (void)run;  // no monthly rule kinds yet (tiers arrive with issue 4)
}

}  // namespace ratebook
