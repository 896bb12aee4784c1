// Feed-wide checks, decided once the whole month is read: days with no rows, last month's cost
// and volume per provider and service, the providers' control totals, a file given twice.
#include <date/date.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engine/outputs.hpp"
#include "engine/validate_checks.hpp"

namespace ratebook::validation {
namespace {

using S = FindingSeverity;

// The days of `mask` (bit d = day d+1) from `first`, as "2026-10-05, 2026-10-06".
std::string list_days(uint32_t mask, int32_t first, int days) {
    std::vector<std::string> out;
    for (int d = 0; d < days; ++d)
        if (mask & (1u << d)) out.push_back(show_day(first + d));
    return fmt::format("{}", fmt::join(out, ", "));
}

unsigned day_of_month(int32_t days) {
    return static_cast<unsigned>(date::year_month_day{date::sys_days{date::days{days}}}.day());
}

int popcount(uint32_t m) { return __builtin_popcount(m); }

// The percent change from `before` to `now`, to one place, for messages.
std::string change(const Decimal& before, const Decimal& now) {
    if (before.is_zero()) return "new this month";
    Decimal pct = (now - before) * Decimal::from_int(100) / before;
    return fmt::format("{}{}%", pct.sign() > 0 ? "+" : "", pct.rounded(1).to_plain_string());
}

bool beyond(const Decimal& before, const Decimal& now, const Decimal& pct) {
    if (before.is_zero()) return !now.is_zero();
    return ((now - before).abs() * Decimal::from_int(100)) > (pct * before.abs());
}

}  // namespace

void FeedChecks::mark_days(uint32_t& mask, const Row& row, const Month& month) const {
    if (!row.charge_start || !month.known()) return;
    int32_t from = std::max(row.charge_start->days, month.first);
    // A period ending at midnight does not touch the day it ends on.
    int32_t to = row.charge_end ? row.charge_end->days - (row.charge_end->seconds == 0 ? 1 : 0) : from;
    to = std::min({to, month.end - 1, from + 31});
    for (int32_t d = from; d <= to; ++d) mask |= 1u << (d - month.first);
}

void FeedChecks::read_prior(const std::vector<std::string>& prior) {
    CsvRecord rec;
    for (const auto& path : prior) {
        CsvReader reader(path);
        Columns cols(reader.header());
        while (reader.next(rec)) {
            if (!rec.error.empty()) continue;
            auto text = [&](int c) { return c >= 0 && !is_null(rec.fields[c]) ? rec.fields[c] : std::string_view(); };
            std::string_view provider = text(cols.provider), service = text(cols.service);
            std::string_view account = text(cols.sub_account);
            if (account.empty()) account = text(cols.billing_account);
            Decimal billed;
            if (cols.billed >= 0)
                if (auto d = parse_number(rec.fields[cols.billed])) billed = *d;
            key_.assign(provider).append(" / ").append(service);
            auto it = prior_by_service_.find(key_);
            if (it == prior_by_service_.end()) it = prior_by_service_.emplace(key_, Totals{}).first;
            ++it->second.rows;
            it->second.cost += billed;
            if (cols.charge_start >= 0 && !account.empty())
                if (auto t = parse_timestamp(text(cols.charge_start))) {
                    int dom = static_cast<int>(day_of_month(t->days));
                    auto a = prior_account_days_.find(account);
                    if (a == prior_account_days_.end()) a = prior_account_days_.emplace(std::string(account), Days{}).first;
                    a->second.mask |= 1u << (dom - 1);
                }
        }
    }
}

void FeedChecks::begin_file(uint32_t, const std::vector<std::string>& header) {
    current_ = FilePrint{};
    for (const auto& h : header) {
        current_.h1 = hash_text(h, current_.h1);
        current_.h2 = hash_text(h, current_.h2 ^ 0x5851F42D4C957F2Dull);
    }
    current_cost_ = Decimal();
}

void FeedChecks::record(const Row& row, const Month& month) {
    const CsvRecord& rec = *row.rec;
    current_.h1 = hash_text(rec.raw, current_.h1);
    current_.h2 = hash_text(rec.raw, current_.h2 ^ 0x5851F42D4C957F2Dull);
    ++current_.rows;
    current_cost_ += row.billed;

    auto p = provider_days_.find(row.provider);
    if (p == provider_days_.end()) p = provider_days_.emplace(std::string(row.provider), Days{}).first;
    mark_days(p->second.mask, row, month);
    if (!options_.prior.empty() && !row.account.empty()) {
        auto a = account_days_.find(row.account);
        if (a == account_days_.end()) a = account_days_.emplace(std::string(row.account), Days{}).first;
        mark_days(a->second.mask, row, month);
    }
    key_.assign(row.provider).append(" / ").append(row.service);
    auto s = by_service_.find(key_);
    if (s == by_service_.end()) s = by_service_.emplace(key_, Totals{}).first;
    ++s->second.rows;
    s->second.cost += row.billed;
    auto c = provider_cost_.find(row.provider);
    if (c == provider_cost_.end()) c = provider_cost_.emplace(std::string(row.provider), Decimal()).first;
    c->second += row.billed;
}

bool FeedChecks::end_file(uint32_t file) {
    bool copy = false;
    for (size_t k = 0; k < prints_.size() && current_.rows > 0; ++k) {
        const FilePrint& p = prints_[k];
        if (p.h1 != current_.h1 || p.h2 != current_.h2 || p.rows != current_.rows) continue;
        sink_.add("duplicate-file", S::error, file, 0,
                  fmt::format("the same {} rows as {}: a second copy of the file; its rows would be billed twice",
                              current_.rows, sink_.file_name(static_cast<uint32_t>(k))),
                  current_cost_);
        copy = true;
        break;
    }
    prints_.push_back(current_);
    return copy;
}

void FeedChecks::finish(const Month& month) {
    if (month.known()) {
        const uint32_t all = month.days() >= 32 ? ~0u : (1u << month.days()) - 1;
        for (const auto& [provider, days] : provider_days_) {
            uint32_t missing = all & ~days.mask;
            if (!missing) continue;
            sink_.add_month("missing-day", S::error,
                            fmt::format("{} has no rows on {} day{} of the month: {}",
                                        provider.empty() ? std::string("(no provider)") : provider,
                                        popcount(missing), popcount(missing) == 1 ? "" : "s",
                                        list_days(missing, month.first, month.days())));
        }
        for (const auto& [account, prior] : prior_account_days_) {
            uint32_t had = prior.mask & all;
            auto now = account_days_.find(account);
            uint32_t missing = had & ~(now == account_days_.end() ? 0u : now->second.mask);
            if (!missing) continue;
            sink_.add_month("missing-account-day", S::warning,
                            fmt::format("account {} had rows on these days of last month but none this month: {}",
                                        account, list_days(missing, month.first, month.days())));
        }
    }
    if (!options_.prior.empty()) {
        const auto& cfg = sink_.rules().config.validate;
        std::map<std::string, std::pair<Totals, Totals>> both;  // prior, now
        for (const auto& [k, t] : prior_by_service_) both[k].first = t;
        for (const auto& [k, t] : by_service_) both[k].second = t;
        for (const auto& [key, pn] : both) {
            const auto& [before, now] = pn;
            if (beyond(before.cost, now.cost, cfg.cost_change_pct))
                sink_.add_month("cost-change", S::warning,
                                fmt::format("{}: BilledCost {} last month, {} this month ({}; threshold {}%)", key,
                                            group_thousands(before.cost.rounded(2)), group_thousands(now.cost.rounded(2)),
                                            change(before.cost, now.cost), cfg.cost_change_pct.to_plain_string()),
                                now.cost - before.cost);
            Decimal rb = Decimal::from_int(static_cast<int64_t>(before.rows));
            Decimal rn = Decimal::from_int(static_cast<int64_t>(now.rows));
            if (beyond(rb, rn, cfg.volume_change_pct))
                sink_.add_month("volume-change", S::warning,
                                fmt::format("{}: {} rows last month, {} this month ({}; threshold {}%)", key,
                                            before.rows, now.rows, change(rb, rn),
                                            cfg.volume_change_pct.to_plain_string()));
        }
    }
    for (const auto& [provider, control] : options_.control_totals) {
        auto it = provider_cost_.find(provider);
        Decimal feed = it == provider_cost_.end() ? Decimal() : it->second;
        Decimal cents = feed.rounded(2);
        if (cents == control) continue;
        sink_.add_month("control-total", S::error,
                        fmt::format("{}: the feed's BilledCost adds up to {} but the control total is {} "
                                    "(difference {}){}",
                                    provider, group_thousands(cents), group_thousands(control.rounded(2)),
                                    group_thousands((cents - control).rounded(2)),
                                    it == provider_cost_.end() ? "; the feed has no rows for this provider" : ""),
                        cents - control);
    }
}

}  // namespace ratebook::validation
