#include "engine/monthly_pricing.hpp"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "engine/allocation.hpp"

namespace ratebook {

// Tiered rates: each account's month of volume under one rule is priced once by the tiers,
// rounded once, and the result spread over that account's charge lines of the rule in
// proportion to their volume, to the cent, so the lines add up to exactly the tiered charge.
namespace {

void price_tiers(const RuleSet& rules, RateRun& run);
void top_up_minimums(const RuleSet& rules, RateRun& run);

}  // namespace

void apply_monthly_pricing(const RuleSet& rules, RateRun& run) {
    price_tiers(rules, run);
    top_up_minimums(rules, run);
}

namespace {

void price_tiers(const RuleSet& rules, RateRun& run) {
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

// Monthly minimums: an account whose billed charges under a rule add up to less than the
// rule's minimum gets one more line for the difference, named as such, so the invoice shows
// both the usage and the top-up. Accounts that did not use the rule at all are not charged.
void top_up_minimums(const RuleSet& rules, RateRun& run) {
    std::map<std::pair<std::string, uint32_t>, std::pair<Decimal, size_t>> totals;  // billed, first line
    for (size_t i = 0; i < run.lines.size(); ++i) {
        const ChargeLine& l = run.lines[i];
        if (!rules.rates[l.rate].minimum) continue;
        auto [it, inserted] = totals.try_emplace({l.account, l.rate}, Decimal(), i);
        it->second.first += billed_charge(rules, l);
    }
    std::vector<ChargeLine> added;
    for (const auto& [key, total] : totals) {
        const Decimal& minimum = *rules.rates[key.second].minimum;
        if (total.first >= minimum) continue;
        const ChargeLine& first = run.lines[total.second];
        ChargeLine top_up;
        top_up.account = first.account;
        top_up.account_source = first.account_source;
        top_up.ru = first.ru;
        top_up.service = first.service;
        top_up.component = "minimum monthly charge";
        top_up.unit = first.unit;
        top_up.rate = key.second;
        top_up.charge = minimum - total.first;
        added.push_back(std::move(top_up));
    }
    if (added.empty()) return;
    run.lines.insert(run.lines.end(), added.begin(), added.end());
    std::stable_sort(run.lines.begin(), run.lines.end(), [](const ChargeLine& a, const ChargeLine& b) {
        return std::tie(a.account, a.ru, a.service, a.product, a.component, a.unit, a.rate) <
               std::tie(b.account, b.ru, b.service, b.product, b.component, b.unit, b.rate);
    });
}

}  // namespace
}  // namespace ratebook
