#include "engine/monthly_pricing.hpp"

#include <date/date.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "engine/allocation.hpp"

namespace ratebook {

// The month-level steps, in order: tiers and blocks set the charges of their lines; baselines
// add ARC/RRC lines; fees add a line per active account; minimums top up what is still short.
// Minimums come last so they see every line of their rule, ARC and RRC included.
namespace {

void price_on_month_volume(const RuleSet& rules, RateRun& run);
void add_baseline_adjustments(const RuleSet& rules, RateRun& run);
void add_monthly_fees(const RuleSet& rules, RateRun& run);
void top_up_minimums(const RuleSet& rules, RateRun& run);

}  // namespace

void apply_monthly_pricing(const RuleSet& rules, RateRun& run) {
    price_on_month_volume(rules, run);
    add_baseline_adjustments(rules, run);
    add_monthly_fees(rules, run);
    top_up_minimums(rules, run);
}

namespace {

// Lines added by a monthly step go where the sort order puts them, as if rated.
void add_lines(RateRun& run, std::vector<ChargeLine>& added) {
    if (added.empty()) return;
    run.lines.insert(run.lines.end(), std::make_move_iterator(added.begin()), std::make_move_iterator(added.end()));
    std::stable_sort(run.lines.begin(), run.lines.end(), [](const ChargeLine& a, const ChargeLine& b) {
        return std::tie(a.account, a.ru, a.service, a.product, a.component, a.unit, a.rate, a.inactive_account) <
               std::tie(b.account, b.ru, b.service, b.product, b.component, b.unit, b.rate, b.inactive_account);
    });
}

// A line for an account under a rule, carrying the drill-down of the account's first line.
ChargeLine line_like(const ChargeLine& first, std::string component, Decimal charge) {
    ChargeLine l;
    l.account = first.account;
    l.account_source = first.account_source;
    l.inactive_account = first.inactive_account;
    l.ru = first.ru;
    l.service = first.service;
    l.component = std::move(component);
    l.unit = first.unit;
    l.rate = first.rate;
    l.charge = std::move(charge);
    return l;
}

// Tiered and block-priced rates: each account's month of volume under one rule is priced once,
// rounded once, and the result spread over that account's charge lines of the rule in
// proportion to their volume, to the cent (largest remainder), so the lines add up to exactly
// the month's charge.
void price_on_month_volume(const RuleSet& rules, RateRun& run) {
    std::map<std::pair<std::string, uint32_t>, std::vector<size_t>> groups;  // ordered: deterministic
    for (size_t i = 0; i < run.lines.size(); ++i) {
        const CompiledRate& r = rules.rates[run.lines[i].rate];
        if (r.tiers || r.blocks) groups[{run.lines[i].account, run.lines[i].rate}].push_back(i);
    }
    const int places = rules.config.rounding_places;
    for (const auto& [key, lines] : groups) {
        const CompiledRate& rate = rules.rates[key.second];
        Decimal volume;
        std::vector<Decimal> weights;
        for (size_t i : lines) {
            volume += run.lines[i].volume;
            weights.push_back(run.lines[i].volume);
        }
        Decimal exact = rate.tiers ? rate.tiers->charge_for(volume) : rate.blocks->charge_for(volume);
        Decimal charge = exact.rounded(places, rules.config.rounding);
        std::vector<Decimal> parts = allocate_largest_remainder(charge, weights, places);
        for (size_t k = 0; k < lines.size(); ++k) run.lines[lines[k]].charge = parts[k];
    }
}

// Baselines: per account and rule, the month's volume against baseline +- deadband. Above the
// band, one line for the Additional Resource Charge; below it, one (negative) line for the
// Reduced Resource Credit; inside it, nothing. With a base charge (`baseline 450 at $90.00`)
// one more line carries it; otherwise the usage lines keep their own charges.
void add_baseline_adjustments(const RuleSet& rules, RateRun& run) {
    // Per account, rule and RU (a rule's RU may depend on the record): volume, first line.
    std::map<std::tuple<std::string, uint32_t, std::string>, std::pair<Decimal, size_t>> months;
    for (size_t i = 0; i < run.lines.size(); ++i) {
        const ChargeLine& l = run.lines[i];
        if (!rules.rates[l.rate].baseline) continue;
        auto [it, inserted] = months.try_emplace({l.account, l.rate, l.ru}, Decimal(), i);
        it->second.first += l.volume;
    }
    std::vector<ChargeLine> added;
    for (const auto& [key, month] : months) {
        const BaselineAdjustment& b = *rules.rates[std::get<1>(key)].baseline;
        const ChargeLine& first = run.lines[month.second];
        const Decimal& base = b.baseline_for(std::get<0>(key), std::get<2>(key));
        Decimal above = b.arc_units(month.first, base), below = b.rrc_units(month.first, base);
        if (b.base_charge)
            added.push_back(line_like(first, fmt::format("baseline charge: {} units", base.to_plain_string()),
                                      *b.base_charge));
        if (b.arc_rate && above.sign() > 0)
            added.push_back(line_like(first,
                                      fmt::format("additional resource charge: {} units above {} + {}",
                                                  above.to_plain_string(), base.to_plain_string(),
                                                  b.deadband.to_plain_string()),
                                      above * *b.arc_rate));
        if (b.rrc_rate && below.sign() > 0)
            added.push_back(line_like(first,
                                      fmt::format("reduced resource credit: {} units below {} - {}",
                                                  below.to_plain_string(), base.to_plain_string(),
                                                  b.deadband.to_plain_string()),
                                      -(below * *b.rrc_rate)));
    }
    add_lines(run, added);
}

// Days of [first, last] (inclusive) that a period covers.
int32_t days_covered(const AccountPeriod& p, int32_t first, int32_t last) {
    int32_t from = std::max(first, p.from.value_or(first));
    int32_t until = std::min(last, p.until.value_or(last));
    return until < from ? 0 : until - from + 1;
}

// Fees: every account of the account master active on at least one day of the billing month
// (the month of the latest BillingPeriodStart rated) gets one line per fee rule. Prorated
// fees charge amount x days active / days in the month, exact; the line is rounded once on
// output like every line (ratebook.toml [rounding]).
void add_monthly_fees(const RuleSet& rules, RateRun& run) {
    if (!rules.account_master) return;
    if (!run.latest_billing_day) {
        // Fees are owed even in a month whose usage was all rejected, but for which month is
        // unknown: said, never silently left out.
        size_t fees = 0;
        for (const CompiledRate& rate : rules.rates) fees += rate.fee.has_value();
        if (fees)
            run.notes.push_back(fmt::format(
                "{} monthly fee rule{} charged nothing: no charged record gives a BillingPeriodStart or "
                "ChargePeriodStart, so the month the fees are for is unknown (see rejects.csv)",
                fees, fees == 1 ? "" : "s"));
        return;
    }
    date::year_month_day day{date::sys_days{date::days{*run.latest_billing_day}}};
    date::year_month_day first_ymd{day.year(), day.month(), date::day{1}};
    date::year_month_day last_ymd{day.year() / day.month() / date::last};
    const int32_t first = date::sys_days{first_ymd}.time_since_epoch().count();
    const int32_t last = date::sys_days{last_ymd}.time_since_epoch().count();
    const int32_t month_days = last - first + 1;
    const std::string month = fmt::format("{:04}-{:02}", static_cast<int>(day.year()),
                                          static_cast<unsigned>(day.month()));
    const AccountMaster& master = *rules.account_master;
    std::map<std::string, std::pair<int32_t, std::string>> active;  // code -> days, customer; sorted
    for (const AccountPeriod& p : master.periods) {
        int32_t d = days_covered(p, first, last);
        if (d == 0) continue;
        auto& [days, customer] = active[p.code];
        days = std::min(month_days, days + d);  // periods of one code do not overlap (checked on load)
        customer = p.customer;
    }
    const std::string source = fmt::format("account master ({})", rules.tables[master.table].name);
    std::vector<ChargeLine> added;
    for (uint32_t r = 0; r < rules.rates.size(); ++r) {
        const CompiledRate& rate = rules.rates[r];
        if (!rate.fee) continue;
        for (const auto& [code, info] : active) {
            const int32_t days = info.first;
            ChargeLine l;
            l.account = code;
            l.account_source = source;
            l.ru = rate.fee->ru;
            l.service = rate.name;
            l.product = month;
            l.unit = rate.fee->unit;
            l.rate = r;
            l.volume = Decimal::from_int(1);
            if (rate.fee->prorate && days < month_days) {
                l.component = fmt::format("{} of {} days", days, month_days);
                l.charge = rate.fee->amount * Decimal::from_int(days) / Decimal::from_int(month_days);
            } else {
                l.charge = rate.fee->amount;
            }
            added.push_back(std::move(l));
        }
    }
    add_lines(run, added);
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
        added.push_back(line_like(run.lines[total.second], "minimum monthly charge", minimum - total.first));
    }
    add_lines(run, added);
}

}  // namespace
}  // namespace ratebook
