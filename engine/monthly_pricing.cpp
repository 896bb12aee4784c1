#include "engine/monthly_pricing.hpp"

#include <map>
#include <utility>

#include "engine/allocation.hpp"

namespace ratebook {

// Tiered rates: each account's month of volume under one rule is priced once by the tiers,
// rounded once, and the result spread over that account's charge lines of the rule in
// proportion to their volume, to the cent, so the lines add up to exactly the tiered charge.
void apply_monthly_pricing(const RuleSet& rules, RateRun& run) {
    std::map<std::pair<std::string, uint32_t>, std::vector<size_t>> groups;  // ordered: deterministic
    for (size_t i = 0; i < run.lines.size(); ++i)
        if (rules.rates[run.lines[i].rate].tiers) groups[{run.lines[i].account, run.lines[i].rate}].push_back(i);
    const int places = rules.config.rounding_places;
    for (const auto& [key, lines] : groups) {
        const TierSchedule& tiers = *rules.rates[key.second].tiers;
        Decimal volume;
        std::vector<Decimal> weights;
        for (size_t i : lines) {
            volume += run.lines[i].volume;
            weights.push_back(run.lines[i].volume);
        }
        Decimal charge = tiers.charge_for(volume).rounded(places, rules.config.rounding);
        std::vector<Decimal> parts = allocate_largest_remainder(charge, weights, places);
        for (size_t k = 0; k < lines.size(); ++k) run.lines[lines[k]].charge = parts[k];
    }
}

}  // namespace ratebook
