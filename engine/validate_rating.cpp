// What only rating knows: records no rate rule prices, rules failing on a record, and cost that
// lands in the suspense account because the account rule found no account for a resource.
#include <fmt/format.h>

#include "engine/csv_reader.hpp"
#include "engine/focus_values.hpp"
#include "engine/outputs.hpp"
#include "engine/validate.hpp"

namespace ratebook {
namespace {

// Field `want` of one well-formed CSV record's text (RFC 4180 quoting), unescaped into `out`.
bool csv_field_at(std::string_view raw, int want, std::string& out) {
    int field = 0;
    size_t i = 0;
    while (i <= raw.size()) {
        out.clear();
        if (i < raw.size() && raw[i] == '"') {
            ++i;
            while (i < raw.size()) {
                if (raw[i] == '"') {
                    if (i + 1 < raw.size() && raw[i + 1] == '"') {
                        out += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                out += raw[i++];
            }
        } else {
            while (i < raw.size() && raw[i] != ',') out += raw[i++];
        }
        if (field == want) return true;
        if (i >= raw.size()) return false;
        ++i;  // the comma
        ++field;
    }
    return false;
}

}  // namespace

// The BilledCost of a rejected record (its dollars affected), read from its raw text.
Decimal RatingFindings::billed_cost(const RejectRow& r) {
    auto it = billed_column_.find(r.file);
    if (it == billed_column_.end()) {
        int col = -1;
        try {
            CsvReader reader(r.file);
            const auto& h = reader.header();
            for (size_t i = 0; i < h.size(); ++i)
                if (h[i] == "BilledCost") col = static_cast<int>(i);
        } catch (const FeedError&) {
        }
        it = billed_column_.emplace(r.file, col).first;
    }
    if (it->second < 0 || !csv_field_at(r.raw, it->second, field_)) return {};
    return parse_number(field_).value_or(Decimal());
}

void RatingFindings::on_reject(const RejectRow& r) {
    // Malformed rows, unreadable values and tags are found by the feed pass, with their column.
    std::string_view check;
    if (r.category == "no rate rule matches") check = "sku-not-priced";
    else if (r.category == "rule error" || r.category == "more than one rate rule matches") check = "rule-error";
    if (check.empty() || rules_.config.validate.skipped(check)) return;
    Finding f{std::string(check), FindingSeverity::error, r.file, r.line,
              check == "sku-not-priced" ? r.reason + ": the record is rejected, not billed" : r.reason, billed_cost(r)};
    if (limit_.keep(f)) found_.push_back(std::move(f));
}

void RatingFindings::on_run(const RateRun& run) {
    add_inactive_accounts(run);
    if (!rules_.account || rules_.config.validate.skipped("no-account-mapping")) return;
    const std::string fallback = !rules_.account->fallback.empty() ? rules_.account->fallback_label
                                                                   : std::string("suspense_account in ratebook.toml");
    struct Unmapped {
        uint64_t records = 0;
        Decimal charge;
        std::string account;
    };
    std::map<std::string, Unmapped> by_resource;
    for (const ChargeLine& l : run.lines) {
        if (l.account_source != fallback) continue;
        Unmapped& u = by_resource[l.component];
        u.records += l.records;
        u.charge += l.charge;
        u.account = l.account;
    }
    for (const auto& [resource, u] : by_resource)
        found_.push_back(Finding{
            "no-account-mapping", FindingSeverity::warning, {}, 0,
            fmt::format("{}: {} record{} charged {} to {} ({}): no account source gave an account",
                        resource.empty() ? std::string("(no ResourceId)") : resource, u.records,
                        u.records == 1 ? "" : "s", group_thousands(u.charge.rounded(2)), u.account, fallback),
            u.charge});
}

// Usage whose tags (or other source) mapped to an account the account master shows inactive on
// that day: rating routed it to suspense on its own flagged line. One finding per account and
// resource, so the analyst sees whose account closed (or has not opened) and what it cost.
void RatingFindings::add_inactive_accounts(const RateRun& run) {
    if (!rules_.account_master || rules_.config.validate.skipped("inactive-account")) return;
    struct Inactive {
        uint64_t records = 0;
        Decimal charge;
    };
    std::map<std::pair<std::string, std::string>, Inactive> by_account;
    for (const ChargeLine& l : run.lines) {
        if (l.inactive_account.empty()) continue;
        Inactive& i = by_account[{l.inactive_account, l.component}];
        i.records += l.records;
        i.charge += l.charge;
    }
    for (const auto& [key, i] : by_account)
        found_.push_back(Finding{
            "inactive-account", FindingSeverity::warning, {}, 0,
            fmt::format("{}: {} record{} charged {} to {}: account {} was not active on the account master "
                        "on those days",
                        key.second.empty() ? std::string("(no ResourceId)") : key.second, i.records,
                        i.records == 1 ? "" : "s", group_thousands(i.charge.rounded(2)),
                        rules_.config.suspense_account, key.first),
            i.charge});
}

void RatingFindings::add_to(Validation& v, const std::vector<std::string>& files) {
    for (auto& f : limit_.closing()) found_.push_back(std::move(f));
    for (auto& f : found_) v.findings.push_back(std::move(f));
    found_.clear();
    order_findings(v, files);
}

void add_rating_findings(const RuleSet& rules, const std::vector<std::string>& usage, Validation& v) {
    RatingFindings rating(rules);
    try {
        RateRun run = rate_feeds(rules, usage, [&](const RejectRow& r) { rating.on_reject(r); });
        rating.on_run(run);
        rating.add_to(v, usage);
    } catch (const FeedError& e) {
        // "FILE: missing required columns ..." (make_layout): the rules cannot rate this feed.
        if (rules.config.validate.skipped("missing-column")) return;
        v.findings.push_back(Finding{"missing-column", FindingSeverity::error, {}, 0,
                                     fmt::format("cannot rate: {}", e.what()), {}});
    }
}

}  // namespace ratebook
