#include "engine/allocate_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "engine/allocation.hpp"
#include "interpreter/table_types.hpp"

namespace ratebook {
namespace {

using Basis = CompiledAllocation::Basis;

// Each account's weight under the allocation's basis, by account code (sorted, so the
// largest-remainder ties fall the same way on every run). Pools and the suspense account are
// never a basis: a pool is not a customer, and suspense is money still looking for one.
std::map<std::string, Decimal> weights_of(const RuleSet& rules, const CompiledAllocation& a, const RateRun& run,
                                          const std::set<std::string>& pools) {
    std::map<std::string, Decimal> w;
    auto customer = [&](const std::string& account) {
        return !pools.count(account) && account != rules.config.suspense_account;
    };
    switch (a.basis) {
        case Basis::charges:
            for (const auto& l : run.lines)
                if (customer(l.account)) w[l.account] += billed_charge(rules, l);
            break;
        case Basis::volume:
            for (const auto& l : run.lines)
                if (customer(l.account) && l.ru == a.basis_ru) w[l.account] += l.volume;
            break;
        case Basis::evenly:
            for (const auto& l : run.lines)
                if (customer(l.account)) w[l.account] = Decimal::from_int(1);
            break;
        case Basis::weights: {
            const Table& t = rules.tables[a.table];
            size_t kc = t.key_column.empty() ? 0 : *t.column_index(t.key_column);
            for (const auto& row : t.rows) {
                Value v;
                std::string why;
                parse_cell(t.column_type(a.weight_column), row[a.weight_column], v, why);  // checked at load
                w[row[kc]] = v.num;
            }
            break;
        }
        case Basis::shares:
            for (const auto& [account, share] : a.shares) w[account] = share;
            break;
    }
    // A net credit or nothing at all is no share of a cost.
    for (auto it = w.begin(); it != w.end();) it = it->second.sign() > 0 ? std::next(it) : w.erase(it);
    return w;
}

ChargeLine pool_line(const CompiledAllocation& a, int32_t index, std::string account, std::string component,
                     const Decimal& charge) {
    ChargeLine l;
    l.account = std::move(account);
    l.account_source = fmt::format("allocation \"{}\"", a.name);
    l.ru = a.ru;
    l.service = a.name;         // the pool ...
    l.product = a.basis_label;  // ... and how it was spread, on every line
    l.component = std::move(component);
    l.unit = "share";
    l.allocation = index;
    l.charge = charge;
    return l;
}

}  // namespace

std::string pool_account(const CompiledAllocation& a) { return "POOL " + a.name; }

void apply_allocations(const RuleSet& rules, RateRun& run) {
    if (rules.allocations.empty()) return;
    const int places = rules.config.rounding_places;
    std::set<std::string> pools;
    for (const auto& a : rules.allocations) pools.insert(pool_account(a));
    for (size_t k = 0; k < rules.allocations.size(); ++k) {
        const CompiledAllocation& a = rules.allocations[k];
        const auto index = static_cast<int32_t>(k);
        const std::string account = pool_account(a);
        Decimal pool = Decimal().rounded(places);
        if (a.fixed_pool) {
            pool = a.fixed_pool->rounded(places);
            run.lines.push_back(pool_line(a, index, account, "pool amount", pool));
            run.lines.back().volume = Decimal::from_int(1);
        } else {
            // The pool's own lines move to the pool account, records and all, so every record
            // is still charged exactly once; the customer account they came from stays on the line.
            for (auto& l : run.lines) {
                if (l.ru != a.pool_ru || pools.count(l.account)) continue;
                l.account_source = fmt::format("pooled into \"{}\" from {} ({})", a.name, l.account, l.account_source);
                l.account = account;
                pool += billed_charge(rules, l);
            }
        }
        auto weights = weights_of(rules, a, run, pools);
        if (weights.empty() || pool.is_zero()) continue;  // nothing to spread, or no one to spread it on
        std::vector<Decimal> w;
        for (const auto& [acct, weight] : weights) w.push_back(weight);
        std::vector<Decimal> parts = allocate_largest_remainder(pool, w, places);
        run.lines.push_back(pool_line(a, index, account, "allocated out", -pool));
        size_t i = 0;
        for (const auto& [acct, weight] : weights) {
            ChargeLine l = pool_line(a, index, acct, "allocated share", parts[i++]);
            l.volume = weight;  // the account's basis: its heads, its charges, its share ...
            run.lines.push_back(std::move(l));
        }
    }
    std::stable_sort(run.lines.begin(), run.lines.end(), [](const ChargeLine& a, const ChargeLine& b) {
        return std::tie(a.account, a.ru, a.service, a.product, a.component, a.unit, a.allocation, a.rate) <
               std::tie(b.account, b.ru, b.service, b.product, b.component, b.unit, b.allocation, b.rate);
    });
}

}  // namespace ratebook
