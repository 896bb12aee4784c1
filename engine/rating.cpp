#include "engine/rating.hpp"

#include <algorithm>
#include <tuple>
#include <unordered_map>

#include "engine/csv_reader.hpp"
#include "engine/monthly_pricing.hpp"
#include "engine/record_rater.hpp"

namespace ratebook {
namespace {

// Aggregation key: the drill-down fields and the rule, joined by a separator no feed text
// contains (unit separator, 0x1F).
std::string line_key(const RatedRecord& r) {
    std::string key;
    key.reserve(r.account.size() + r.ru.size() + r.service.size() + r.product.size() +
                r.component.size() + r.unit.size() + 16);
    for (std::string_view part : {r.account, r.ru, r.service, r.product, r.component, r.unit}) {
        key.append(part);
        key.push_back('\x1f');
    }
    key.append(std::to_string(r.rate));
    return key;
}

// How the record's account was found, in the rule author's words.
std::string account_source_label(const RuleSet& rules, uint32_t source) {
    if (!rules.account) return "suspense_account in ratebook.toml (no account rule)";
    if (source < rules.account->sources.size()) return rules.account->sources[source].label;
    if (!rules.account->fallback.empty()) return rules.account->fallback_label;
    return "suspense_account in ratebook.toml";
}

}  // namespace

Decimal billed_charge(const RuleSet& rules, const ChargeLine& line) {
    return line.charge.rounded(rules.config.rounding_places, rules.config.rounding);
}

RateRun rate_feeds(const RuleSet& rules, const std::vector<std::string>& paths,
                   const std::function<void(const RejectRow&)>& on_reject) {
    RateRun run;
    RecordRater rater(rules);
    std::unordered_map<std::string, size_t> index;
    RatedRecord rated;
    CsvRecord rec;
    for (const std::string& path : paths) {
        CsvReader reader(path);
        FeedLayout layout = make_layout(rules, reader.header(), path);
        FeedCount count;
        count.path = path;
        while (reader.next(rec)) {
            ++count.rows;
            rater.rate(rec, layout, rated);
            if (!rated.charged) {
                ++count.rejected;
                ++run.rejects_by_category[rated.category];
                on_reject(RejectRow{path, rec.line, rated.category, rated.reason, std::string(rec.raw)});
                continue;
            }
            ++count.charged;
            std::string key = line_key(rated);
            auto [it, inserted] = index.emplace(std::move(key), run.lines.size());
            if (inserted) {
                ChargeLine line;
                line.account = rated.account;
                line.account_source = account_source_label(rules, rated.account_source);
                line.ru = rated.ru;
                line.service = rated.service;
                line.product = rated.product;
                line.component = rated.component;
                line.unit = rated.unit;
                line.rate = rated.rate;
                run.lines.push_back(std::move(line));
            }
            ChargeLine& line = run.lines[it->second];
            ++line.records;
            line.volume += rated.volume;
            line.charge += rated.charge;
        }
        count.bytes = reader.bytes_read();
        run.rows_in += count.rows;
        run.charged += count.charged;
        run.rejected += count.rejected;
        run.feeds.push_back(std::move(count));
    }
    std::sort(run.lines.begin(), run.lines.end(), [](const ChargeLine& a, const ChargeLine& b) {
        return std::tie(a.account, a.ru, a.service, a.product, a.component, a.unit, a.rate) <
               std::tie(b.account, b.ru, b.service, b.product, b.component, b.unit, b.rate);
    });
    apply_monthly_pricing(rules, run);
    return run;
}

}  // namespace ratebook
