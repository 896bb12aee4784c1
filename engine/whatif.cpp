#include "engine/whatif.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <tuple>

#include "engine/allocate_rules.hpp"
#include "engine/csv_reader.hpp"
#include "engine/monthly_pricing.hpp"
#include "engine/normalise.hpp"
#include "engine/outputs.hpp"
#include "engine/record_rater.hpp"

namespace ratebook {
namespace {

// How a line's account was found, in the rule author's words (as rating.cpp labels them).
std::string source_label(const RuleSet& rules, uint32_t source) {
    if (!rules.account) return "suspense_account in ratebook.toml (no account rule)";
    if (source < rules.account->sources.size()) return rules.account->sources[source].label;
    if (!rules.account->fallback.empty()) return rules.account->fallback_label;
    return "suspense_account in ratebook.toml";
}

// The same key and order as rate_feeds' lines: account, ru, service, product, component, unit, rule.
// account, ru, service, product, component, unit, rule, and the inactive account a suspense
// line's records mapped to (as rating keys its lines: engine/rating.cpp).
using LineKey = std::tuple<std::string, std::string, std::string, std::string, std::string, std::string, uint32_t,
                          std::string>;

// One side of the comparison: a rule set, its rater and its lines as they build up.
struct Side {
    const RuleSet& rules;
    RecordRater rater;
    FeedLayout layout;
    std::unique_ptr<Normaliser> normaliser;  // this side's [normalise], per feed header
    CsvRecord normalised;                    // the record as this side sees it
    std::string normalised_tags;
    RatedRecord rated;
    std::map<LineKey, ChargeLine> lines;
    RateRun run;
    FeedCount feed;

    explicit Side(const RuleSet& r) : rules(r), rater(r) {}

    void start_feed(const std::vector<std::string>& header, const std::string& path) {
        layout = make_layout(rules, header, path);
        normaliser = std::make_unique<Normaliser>(rules, header);
    }

    void take(const CsvRecord& rec) {
        if (normaliser->active()) {
            normalised = rec;  // each side normalises by its own rule set's settings
            normaliser->apply(normalised, normalised_tags);
            rater.rate(normalised, layout, rated);
        } else {
            rater.rate(rec, layout, rated);
        }
        ++feed.rows;
        if (!rated.charged) {
            ++feed.rejected;
            ++run.rejects_by_category[rated.category];
            return;
        }
        ++feed.charged;
        LineKey key{std::string(rated.account), std::string(rated.ru),        std::string(rated.service),
                    std::string(rated.product), std::string(rated.component), std::string(rated.unit),
                    rated.rate, std::string(rated.inactive_account)};
        if (rated.billing_day != INT32_MIN)  // the fee month, as rating finds it
            run.latest_billing_day = std::max(run.latest_billing_day.value_or(INT32_MIN), rated.billing_day);
        auto [it, fresh] = lines.try_emplace(std::move(key));
        ChargeLine& l = it->second;
        if (fresh) {
            l.account = std::get<0>(it->first);
            l.account_source = source_label(rules, rated.account_source);
            l.ru = std::get<1>(it->first);
            l.service = std::get<2>(it->first);
            l.product = std::get<3>(it->first);
            l.component = std::get<4>(it->first);
            l.unit = std::get<5>(it->first);
            l.rate = rated.rate;
            if (!rated.inactive_account.empty()) {
                l.inactive_account = rated.inactive_account;
                l.account_source = inactive_account_label(rated.inactive_account, l.account_source);
            }
        }
        ++l.records;
        l.volume += rated.volume;
        l.charge += rated.charge;
    }

    void end_feed(const std::string& path) {
        feed.path = path;
        run.rows_in += feed.rows;
        run.charged += feed.charged;
        run.rejected += feed.rejected;
        run.feeds.push_back(feed);
        feed = FeedCount{};
    }

    void finish() {
        for (auto& [key, line] : lines) run.lines.push_back(std::move(line));
        lines.clear();
        // The same month-end steps as `ratebook rate` (engine/rating.cpp), so the current column
        // is what rate bills: tiers, blocks, minimums and fees, then shared pools.
        apply_monthly_pricing(rules, run);
        apply_allocations(rules, run);
    }

    std::string outcome() const {
        if (!rated.charged) return "rejected: " + rated.reason;
        return fmt::format("rule `{}`, account {}", rules.rates[rated.rate].name, rated.account);
    }
};

Decimal billed_sum(const RuleSet& rules, const RateRun& run, const std::function<bool(const ChargeLine&)>& pick) {
    Decimal total = Decimal().rounded(rules.config.rounding_places);
    for (const ChargeLine& l : run.lines)
        if (pick(l)) total += billed_charge(rules, l);
    return total;
}

}  // namespace

WhatIfRun rate_whatif(const RuleSet& current, const RuleSet& proposed, const std::vector<std::string>& paths,
                      size_t max_listed) {
    WhatIfRun out;
    Side cur(current), pro(proposed);
    for (const std::string& path : paths) {
        CsvReader reader(path);
        cur.start_feed(reader.header(), path);
        pro.start_feed(reader.header(), path);
        CsvRecord rec;
        while (reader.next(rec)) {
            cur.take(rec);
            pro.take(rec);
            const RatedRecord& a = cur.rated;
            const RatedRecord& b = pro.rated;
            std::string kind;
            if (a.charged && b.charged) {
                // Rules are compared by name: the two rule sets number their rules differently.
                bool rule = current.rates[a.rate].name != proposed.rates[b.rate].name;
                bool account = a.account != b.account;
                out.moved_rule += rule;
                out.moved_account += account;
                kind = rule && account ? "rule and account" : rule ? "rule" : account ? "account" : "";
            } else if (a.charged) {
                ++out.newly_rejected;
                kind = "newly rejected";
            } else if (b.charged) {
                ++out.newly_charged;
                kind = "newly charged";
            }
            if (!kind.empty() && out.changes.size() < max_listed)
                out.changes.push_back(RecordChange{path, rec.line, kind, cur.outcome(), pro.outcome()});
        }
        cur.end_feed(path);
        pro.end_feed(path);
    }
    cur.finish();
    pro.finish();
    out.current = std::move(cur.run);
    out.proposed = std::move(pro.run);
    return out;
}

std::string ChargeComparison::change_pct() const {
    if (current.is_zero()) return {};
    return (change() * Decimal::from_int(100) / current).rounded(2).to_string();
}

std::vector<ChargeComparison> compare(const RuleSet& current_rules, const RateRun& current, const RuleSet& proposed_rules,
                                const RateRun& proposed, CompareBy by) {
    auto key_of = [by](const ChargeLine& l) -> const std::string& {
        return by == CompareBy::account ? l.account : by == CompareBy::ru ? l.ru : l.service;
    };
    std::map<std::string, ChargeComparison> rows;
    auto row = [&](const std::string& key) -> ChargeComparison& {
        auto [it, fresh] = rows.try_emplace(key);
        if (fresh) {
            it->second.key = key;
            it->second.current = Decimal().rounded(current_rules.config.rounding_places);
            it->second.proposed = Decimal().rounded(proposed_rules.config.rounding_places);
        }
        return it->second;
    };
    for (const ChargeLine& l : current.lines) row(key_of(l)).current += billed_charge(current_rules, l);
    for (const ChargeLine& l : proposed.lines) row(key_of(l)).proposed += billed_charge(proposed_rules, l);
    std::vector<ChargeComparison> out;
    for (auto& [key, c] : rows) out.push_back(std::move(c));
    return out;
}

ChargeComparison compare_totals(const RuleSet& current_rules, const RateRun& current, const RuleSet& proposed_rules,
                          const RateRun& proposed) {
    auto all = [](const ChargeLine&) { return true; };
    return ChargeComparison{"total", billed_sum(current_rules, current, all), billed_sum(proposed_rules, proposed, all)};
}

std::vector<ChargeComparison> biggest_movers(std::vector<ChargeComparison> rows, size_t n) {
    rows.erase(std::remove_if(rows.begin(), rows.end(), [](const ChargeComparison& c) { return c.change().is_zero(); }),
               rows.end());
    std::stable_sort(rows.begin(), rows.end(), [](const ChargeComparison& a, const ChargeComparison& b) {
        return a.change().abs() > b.change().abs();  // stable: ties stay in key order
    });
    if (rows.size() > n) rows.resize(n);
    return rows;
}

}  // namespace ratebook
