// Feed-wide checks, decided once the whole month is read: days with no rows, last month's cost
// and volume per provider and service, the providers' control totals, a file given twice.
#include <date/date.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstring>

#include "engine/outputs.hpp"
#include "engine/short_text.hpp"
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

namespace {

// Marks the days of the month the row's charge period touches.
void mark_days(uint32_t& mask, const Row& row, const Month& month) {
    if (!row.charge_start || !month.known()) return;
    int32_t from = std::max(row.charge_start->days, month.first);
    // A period ending at midnight does not touch the day it ends on.
    int32_t to = row.charge_end ? row.charge_end->days - (row.charge_end->seconds == 0 ? 1 : 0) : from;
    to = std::min({to, month.end - 1, from + 31});
    for (int32_t d = from; d <= to; ++d) mask |= 1u << (d - month.first);
}

template <class Map>
auto& entry(Map& map, std::string_view key) {
    auto it = map.find(key);
    if (it == map.end()) it = map.emplace(std::string(key), typename Map::mapped_type{}).first;
    return it->second;
}

}  // namespace

void FeedTally::begin_chunk() {
    ++chunk_;
    pairs_.clear();
    account_days_.clear();
}

// Rows come in any order: the part's entries are found through this chunk's index, once per
// distinct provider and service (the key joins them with a byte text does not hold), and the
// last few through `recent_`.
const FeedTally::Pair& FeedTally::pair(std::string_view provider, std::string_view service) {
    RowHash h;
    h.add(provider);
    h.add(service);
    const uint64_t hash = h.value();
    Recent& r = recent_[hash >> 54];
    const size_t size = provider.size() + service.size();
    if (r.chunk == chunk_ && r.hash == hash && r.provider_size == provider.size() && r.service_size == service.size() &&
        same_text(std::string_view(r.text, provider.size()), provider) &&
        same_text(std::string_view(r.text + provider.size(), service.size()), service))
        return r.pair;
    ChunkPart& part = sink_.part();
    key_.assign(provider).append(1, '\x1f').append(service);
    auto it = pairs_.find(key_);
    if (it == pairs_.end()) {
        std::string service_key = std::string(provider).append(" / ").append(service);
        it = pairs_.emplace(key_, Pair{&entry(part.provider_days, provider), &entry(part.provider_cost, provider),
                                       &entry(part.by_service, service_key)}).first;
    }
    if (size <= sizeof r.text) {
        r.hash = hash;
        r.chunk = chunk_;
        r.pair = it->second;
        r.provider_size = static_cast<uint16_t>(provider.size());
        r.service_size = static_cast<uint16_t>(service.size());
        // (A null ProviderName or ServiceName is an empty view whose data() may be null.)
        if (!provider.empty()) std::memcpy(r.text, provider.data(), provider.size());
        if (!service.empty()) std::memcpy(r.text + provider.size(), service.data(), service.size());
    }
    return it->second;
}

void FeedTally::record(const Row& row) {
    ChunkPart& part = sink_.part();
    const CsvRecord& rec = *row.rec;
    if (fingerprint_rows_) {
        Print128 p;
        p.add(rec.raw);
        part.print1 += p.h1;
        part.print2 += p.h2;
    }
    ++part.print_rows;
    part.cost += row.billed;
    const Pair& p = pair(row.provider, row.service);
    mark_days(*p.days, row, month_);
    if (per_account_days_ && !row.account.empty()) {
        auto a = account_days_.find(row.account);
        if (a == account_days_.end()) a = account_days_.emplace(row.account, &entry(part.account_days, row.account)).first;
        mark_days(*a->second, row, month_);
    }
    ++p.service->rows;
    p.service->cost += row.billed;
    *p.provider_cost += row.billed;
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
            if (it == prior_by_service_.end()) it = prior_by_service_.emplace(key_, ChunkPart::Totals{}).first;
            ++it->second.rows;
            it->second.cost += billed;
            if (cols.charge_start >= 0 && !account.empty())
                if (auto t = parse_timestamp(text(cols.charge_start))) {
                    int dom = static_cast<int>(day_of_month(t->days));
                    entry(prior_account_days_, account) |= 1u << (dom - 1);
                }
        }
    }
}

void FeedChecks::begin_file(const std::vector<std::string>& header, bool fingerprinted) {
    Print128 p;
    for (const auto& h : header) p.add(h);
    current_ = FilePrint{p.h1, p.h2, 0, fingerprinted};
    current_cost_ = Decimal();
}

void FeedChecks::merge(ChunkPart& part) {
    current_.h1 += part.print1;
    current_.h2 += part.print2;
    current_.rows += part.print_rows;
    current_cost_ += part.cost;
    for (const auto& [k, d] : part.provider_days) entry(provider_days_, k) |= d;
    for (const auto& [k, d] : part.account_days) entry(account_days_, k) |= d;
    for (const auto& [k, t] : part.by_service) {
        auto& e = entry(by_service_, k);
        e.rows += t.rows;
        e.cost += t.cost;
    }
    for (const auto& [k, c] : part.provider_cost) entry(provider_cost_, k) += c;
}

bool FeedChecks::end_file(uint32_t file) {
    bool copy = false;
    for (size_t k = 0; k < prints_.size() && current_.rows > 0; ++k) {
        const FilePrint& p = prints_[k];
        if (!p.fingerprinted || !current_.fingerprinted || p.h1 != current_.h1 || p.h2 != current_.h2 ||
            p.rows != current_.rows)
            continue;
        if (!rules_.config.validate.skipped("duplicate-file"))
            v_.findings.push_back(Finding{
                "duplicate-file", S::error, files_[file], 0,
                fmt::format("the same {} rows as {}: a second copy of the file; its rows would be billed twice",
                            current_.rows, files_[k]),
                current_cost_});
        copy = true;
        break;
    }
    prints_.push_back(current_);
    return copy;
}

void FeedChecks::add_month(std::string_view check, FindingSeverity s, std::string message, const Decimal& amount) {
    if (rules_.config.validate.skipped(check)) return;
    v_.findings.push_back(Finding{std::string(check), s, {}, 0, std::move(message), amount});
}

void FeedChecks::finish(const Month& month) {
    if (month.known()) {
        const uint32_t all = month.days() >= 32 ? ~0u : (1u << month.days()) - 1;
        for (const auto& [provider, days] : provider_days_) {
            uint32_t missing = all & ~days;
            if (!missing) continue;
            add_month("missing-day", S::error,
                            fmt::format("{} has no rows on {} day{} of the month: {}",
                                        provider.empty() ? std::string("(no provider)") : provider,
                                        popcount(missing), popcount(missing) == 1 ? "" : "s",
                                        list_days(missing, month.first, month.days())));
        }
        for (const auto& [account, prior] : prior_account_days_) {
            uint32_t had = prior & all;
            auto now = account_days_.find(account);
            uint32_t missing = had & ~(now == account_days_.end() ? 0u : now->second);
            if (!missing) continue;
            add_month("missing-account-day", S::warning,
                            fmt::format("account {} had rows on these days of last month but none this month: {}",
                                        account, list_days(missing, month.first, month.days())));
        }
    }
    if (!options_.prior.empty()) {
        const auto& cfg = rules_.config.validate;
        std::map<std::string, std::pair<ChunkPart::Totals, ChunkPart::Totals>> both;  // prior, now
        for (const auto& [k, t] : prior_by_service_) both[k].first = t;
        for (const auto& [k, t] : by_service_) both[k].second = t;
        for (const auto& [key, pn] : both) {
            const auto& [before, now] = pn;
            if (beyond(before.cost, now.cost, cfg.cost_change_pct))
                add_month("cost-change", S::warning,
                                fmt::format("{}: BilledCost {} last month, {} this month ({}; threshold {}%)", key,
                                            group_thousands(before.cost.rounded(2)), group_thousands(now.cost.rounded(2)),
                                            change(before.cost, now.cost), cfg.cost_change_pct.to_plain_string()),
                                now.cost - before.cost);
            Decimal rb = Decimal::from_int(static_cast<int64_t>(before.rows));
            Decimal rn = Decimal::from_int(static_cast<int64_t>(now.rows));
            if (beyond(rb, rn, cfg.volume_change_pct))
                add_month("volume-change", S::warning,
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
        add_month("control-total", S::error,
                        fmt::format("{}: the feed's BilledCost adds up to {} but the control total is {} "
                                    "(difference {}){}",
                                    provider, group_thousands(cents), group_thousands(control.rounded(2)),
                                    group_thousands((cents - control).rounded(2)),
                                    it == provider_cost_.end() ? "; the feed has no rows for this provider" : ""),
                        cents - control);
    }
}

}  // namespace ratebook::validation
