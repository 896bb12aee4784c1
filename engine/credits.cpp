// The credit arithmetic. For each sla rule measured in the month:
//   1. the tier reached: the lowest `below` threshold the measured level is strictly under
//      (outsourcing form: a level under `target` is a default);
//   2. per account and service of the charge lines its `charges` matches, the base is the sum of
//      those lines and the credit = tier percent x base (outsourcing: pool_allocation x
//      credit_allocation x at_risk x base), rounded once, by the rule set's rounding;
//   3. each credit line is capped (`cap` percent of its base, `cap` amount), then withheld when
//      under `minimum`;
//   4. the credit lines of one pool for one account (several defaults in a month) are summed
//      and capped at the at-risk amount, at_risk x the account's charges the pool covers: a
//      "pool cap" line takes off the excess, so credits.csv adds up to what is owed.
// Claims go through the same steps with the claimed level, for the claim's account and service.
#include <date/date.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "engine/credits.hpp"
#include "interpreter/disasm.hpp"

namespace ratebook {
namespace {

std::vector<std::string_view> views(const std::vector<std::string>& fields) {
    return {fields.begin(), fields.end()};
}

std::vector<std::string_view> metric_fields(const Measurement& m) { return {m.provider, m.service, m.metric}; }

std::string percent_of(const Decimal& level) { return percent_text(level); }

// The credit percentage a level earns under one rule, and the tier's words; nullopt: met.
struct Reached {
    Decimal percent;
    std::string tier;
};

std::optional<Reached> tier_reached(const CompiledSla& s, const Decimal& level) {
    if (s.outsourcing()) {
        if (level >= *s.target) return std::nullopt;
        return Reached{*s.pool_allocation * *s.credit_allocation * *s.at_risk,
                       fmt::format("below target {} ({} x {} x {} at risk)", percent_text(*s.target),
                                   percent_text(*s.pool_allocation), percent_text(*s.credit_allocation),
                                   percent_text(*s.at_risk))};
    }
    const SlaTier* reached = nullptr;
    for (const auto& t : s.tiers)
        if (level < t.below) reached = &t;  // tiers fall: the last one the level is under is the lowest
    if (!reached) return std::nullopt;
    return Reached{reached->credit, fmt::format("below {}", percent_text(reached->below))};
}

Decimal round_money(const RuleSet& rules, const Decimal& d) {
    return d.rounded(rules.config.rounding_places, rules.config.rounding);
}

// Steps 2 and 3 for one rule: credit lines per (account, service), optionally only one pair.
void rule_lines(const RuleSet& rules, size_t index, const Reached& reached, const std::string& measured,
                const std::string& evidence, const std::vector<CreditBaseLine>& charges, const std::string& period,
                const std::string* account, const std::string* service, std::vector<CreditLine>& out) {
    const CompiledSla& s = rules.slas[index];
    std::map<std::pair<std::string, std::string>, Decimal> base;
    for (const auto& c : charges) {
        if (account && (c.account() != *account || c.service() != *service)) continue;
        if (s.charges.matches(views(c.fields))) base[{c.account(), c.service()}] += c.charge;
    }
    for (const auto& [key, amount] : base) {
        CreditLine l;
        l.account = key.first;
        l.service = key.second;
        l.period = period;
        l.sla = s.name;
        l.pool = s.pool;
        l.kind = "credit";
        l.measured = measured;
        l.tier = reached.tier;
        l.evidence = evidence;
        l.location = s.location();
        l.percent = reached.percent;
        l.base = amount;
        l.rule = index;
        l.credit = round_money(rules, reached.percent * amount);
        l.status = "owed";
        if (s.cap_percent) {
            Decimal cap = round_money(rules, *s.cap_percent * amount);
            if (l.credit > cap) l.credit = cap, l.status = fmt::format("capped at {} of charges", percent_text(*s.cap_percent));
        }
        if (s.cap_amount && l.credit > *s.cap_amount)
            l.credit = round_money(rules, *s.cap_amount), l.status = fmt::format("capped at {} {}", s.cap_amount->rounded(2).to_string(), rules.config.currency);
        if (s.minimum && l.credit < *s.minimum)
            l.credit = Decimal(), l.status = fmt::format("under the minimum {} {}", s.minimum->rounded(2).to_string(), rules.config.currency);
        // Corrections can leave a service's month at or below zero: a credit is never a charge.
        if (amount.sign() <= 0) l.credit = Decimal(), l.status = "no charges to credit";
        out.push_back(std::move(l));
    }
}

// Step 4: one pool's credits for one account, summed, capped at its at-risk amount.
void pool_caps(const RuleSet& rules, const std::vector<CreditBaseLine>& charges, std::vector<CreditLine>& lines) {
    std::map<std::pair<std::string, std::string>, std::pair<Decimal, size_t>> sums;  // (account, pool) -> sum, first rule
    for (const auto& l : lines) {
        if (l.kind != "credit" || !rules.slas[l.rule].at_risk) continue;
        auto [it, inserted] = sums.try_emplace({l.account, l.pool}, Decimal(), l.rule);
        it->second.first += l.credit;
    }
    for (const auto& [key, value] : sums) {
        const CompiledSla& s = rules.slas[value.second];
        Decimal pool_base;
        for (const auto& c : charges)
            if (c.account() == key.first && s.charges.matches(views(c.fields))) pool_base += c.charge;
        Decimal at_risk = round_money(rules, *s.at_risk * pool_base);
        if (at_risk.sign() < 0) at_risk = Decimal();  // corrections past the month's charges: nothing at risk
        if (value.first <= at_risk) continue;
        CreditLine l;
        l.account = key.first;
        l.period = lines.front().period;
        l.sla = s.pool;
        l.pool = s.pool;
        l.kind = "pool cap";
        l.tier = fmt::format("credits {} over the at-risk amount {} ({} of {})", value.first.to_string(),
                             at_risk.to_string(), percent_text(*s.at_risk), pool_base.to_string());
        l.status = "capped at the at-risk amount";
        l.location = s.location();
        l.base = pool_base;
        l.credit = at_risk - value.first;
        l.rule = value.second;
        lines.push_back(std::move(l));
    }
}

// The last day to file a claim for `period` under `window` billing cycles: the end of the
// window-th month after it.
int32_t claim_deadline(const std::string& period, int window) {
    date::year_month ym{date::year{std::stoi(period.substr(0, 4))}, date::month{static_cast<unsigned>(std::stoi(period.substr(5, 2)))}};
    ym += date::months{window};
    return date::sys_days{date::year_month_day_last{ym.year(), date::month_day_last{ym.month()}}}.time_since_epoch().count();
}

void decide_claim(const RuleSet& rules, const CreditInputs& in, const std::string& period,
                  const std::map<size_t, const Measurement*>& measured, const Claim& c, ClaimDecision& d) {
    d.claim = &c;
    auto deny = [&](std::string reason, std::string detail) {
        d.approved = false;
        d.reason = std::move(reason);
        d.detail = std::move(detail);
    };
    if (c.period != period)
        return deny("no matching charges", fmt::format("the charges given are for {}, the claim is for {}", period, c.period));
    std::vector<size_t> covering;
    for (size_t i = 0; i < rules.slas.size(); ++i)
        for (const auto& ch : in.charges)
            if (ch.account() == c.account && ch.service() == c.service && rules.slas[i].charges.matches(views(ch.fields))) {
                covering.push_back(i);
                break;
            }
    if (covering.empty())
        return deny("no matching charges",
                    fmt::format("no sla rule covers charges of account {} for {} in {}", c.account, c.service, period));
    std::vector<size_t> in_window;
    int32_t latest = INT32_MIN;
    for (size_t i : covering) {
        const auto& w = rules.slas[i].claim_window;
        if (!w || c.filed_days <= claim_deadline(period, *w)) in_window.push_back(i);
        else latest = std::max(latest, claim_deadline(period, *w));
    }
    if (in_window.empty())
        return deny("filed after the window", fmt::format("filed {}; claims for {} were due by {}", c.filed, period, format_date(latest)));
    std::vector<CreditLine> lines;
    std::vector<std::string> tiers, measures, locations;
    for (size_t i : in_window) {
        auto it = measured.find(i);
        if (it != measured.end()) measures.push_back(fmt::format("{} measured {}", rules.slas[i].name, it->second->value_text));
        auto reached = tier_reached(rules.slas[i], c.level);
        if (!reached) continue;
        size_t before = lines.size();
        rule_lines(rules, i, *reached, c.claimed, c.evidence, in.charges, period, &c.account, &c.service, lines);
        if (lines.size() > before) {
            tiers.push_back(fmt::format("{}: {} -> {}", rules.slas[i].name, reached->tier, percent_text(reached->percent)));
            locations.push_back(rules.slas[i].location());
        }
    }
    d.measured = fmt::format("{}", fmt::join(measures, "; "));
    if (lines.empty()) {
        std::vector<std::string> highest;
        for (size_t i : in_window) {
            const auto& s = rules.slas[i];
            highest.push_back(s.outsourcing() ? fmt::format("target {}", percent_text(*s.target))
                                              : fmt::format("highest tier below {}", percent_text(s.tiers.front().below)));
        }
        return deny("below no tier", fmt::format("{} reaches no credit tier ({})", percent_of(c.level), fmt::join(highest, "; ")));
    }
    pool_caps(rules, in.charges, lines);
    for (const auto& l : lines) d.credit += l.credit;
    d.tier = fmt::format("{}", fmt::join(tiers, "; "));
    d.location = fmt::format("{}", fmt::join(locations, " "));
    if (d.credit.sign() == 0)
        return deny("under the minimum credit", fmt::format("the credit would be under the minimum ({})", d.tier));
    d.approved = true;
    d.reason = "approved";
    d.detail = fmt::format("{} reaches {}", percent_of(c.level), d.tier);
}

}  // namespace

Decimal CreditRun::total() const {
    Decimal t;
    for (const auto& l : lines) t += l.credit;
    return t;
}

CreditRun compute_credits(const RuleSet& rules, const CreditInputs& in, const std::string& period) {
    CreditRun run;
    run.period = period;
    // Which row measures each rule in the month (at most one).
    std::map<size_t, const Measurement*> measured;
    for (const auto& m : in.metrics) {
        if (m.month != period) {
            ++run.metrics_other_month;
            continue;
        }
        bool used = false;
        for (size_t i = 0; i < rules.slas.size(); ++i) {
            if (!rules.slas[i].measure.matches(metric_fields(m))) continue;
            used = true;
            auto [it, inserted] = measured.emplace(i, &m);
            if (!inserted) {
                throw CreditsInputError{Diagnostic{
                    Severity::error, "E0452",
                    fmt::format("{}:{} and line {} both measure sla \"{}\" for {}", in.metrics_path, m.line,
                                it->second->line, rules.slas[i].name, period),
                    {}, "keep one measurement per service level and month; a rule's `measure` says which rows it reads",
                    {fmt::format("sla \"{}\" is at {}", rules.slas[i].name, rules.slas[i].location())}}};
            }
        }
        used ? ++run.metrics_used : ++run.metrics_no_rule;
    }
    for (const auto& c : in.charges)
        for (const auto& s : rules.slas)
            if (s.charges.matches(views(c.fields))) {
                ++run.charges_covered;
                break;
            }
    for (size_t i = 0; i < rules.slas.size(); ++i) {
        const CompiledSla& s = rules.slas[i];
        RuleOutcome o{s.name, s.location(), "", "", "no measurement", 0};
        auto it = measured.find(i);
        if (it != measured.end()) {
            const Measurement& m = *it->second;
            o.measured = m.value_text;
            o.evidence = m.evidence;
            o.metrics_line = m.line;
            auto reached = tier_reached(s, m.level);
            o.status = reached ? "default" : "met";
            if (reached) rule_lines(rules, i, *reached, m.value_text, m.evidence, in.charges, period, nullptr, nullptr, run.lines);
        }
        run.outcomes.push_back(std::move(o));
    }
    if (!run.lines.empty()) pool_caps(rules, in.charges, run.lines);
    // A fixed order: by account, credit lines before the account's pool caps, then service and rule.
    std::stable_sort(run.lines.begin(), run.lines.end(), [](const CreditLine& a, const CreditLine& b) {
        return std::tie(a.account, a.kind, a.service, a.rule) < std::tie(b.account, b.kind, b.service, b.rule);
    });
    run.decisions.resize(in.claims.size());
    for (size_t i = 0; i < in.claims.size(); ++i) decide_claim(rules, in, period, measured, in.claims[i], run.decisions[i]);
    return run;
}

}  // namespace ratebook
