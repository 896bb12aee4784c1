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

std::string_view fallback_label(const RuleSet& rules) {
    return !rules.account->fallback.empty() ? std::string_view(rules.account->fallback_label)
                                            : std::string_view("suspense_account in ratebook.toml");
}

void add_unmapped_findings(const RuleSet& rules, const UsageByResource& unmapped, std::vector<Finding>& out) {
    if (!rules.account || rules.config.validate.skipped("no-account-mapping")) return;
    for (const auto& [resource, u] : unmapped)
        out.push_back(Finding{
            "no-account-mapping", FindingSeverity::warning, {}, 0,
            fmt::format("{}: {} record{} (BilledCost {}) charged to {} ({}): no account source gave an account",
                        resource.empty() ? std::string("(no ResourceId)") : resource, u.records,
                        u.records == 1 ? "" : "s", group_thousands(u.charge.rounded(2)), u.account,
                        fallback_label(rules)),
            u.charge});
}

// Usage whose tags (or other source) mapped to an account the account master shows inactive on
// that day: rating routed it to suspense on its own flagged line. One finding per account and
// resource, so the analyst sees whose account closed (or has not opened) and what it cost.
void add_inactive_findings(const RuleSet& rules, const UsageByAccountResource& inactive, std::vector<Finding>& out) {
    if (!rules.account_master || rules.config.validate.skipped("inactive-account")) return;
    for (const auto& [key, i] : inactive)
        out.push_back(Finding{
            "inactive-account", FindingSeverity::warning, {}, 0,
            fmt::format("{}: {} record{} (BilledCost {}) charged to {}: account {} was not active on the account "
                        "master on those days",
                        key.second.empty() ? std::string("(no ResourceId)") : key.second, i.records,
                        i.records == 1 ? "" : "s", group_thousands(i.charge.rounded(2)),
                        rules.config.suspense_account, key.first),
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
        // The unmapped and inactive resources are counted record by record by a feed validator
        // watching the pass; only those two of its findings are taken (the rest are v's already).
        const ValidateOptions none;
        FeedValidator resources(rules, usage, none);
        resources.watch_rating();
        RateOptions options;
        options.observer = &resources;
        rate_feeds(rules, usage, [&](const RejectRow& r) { rating.on_reject(r); }, options);
        for (auto& f : resources.finish().findings)
            if (f.check == "no-account-mapping" || f.check == "inactive-account") v.findings.push_back(std::move(f));
        rating.add_to(v, usage);
    } catch (const FeedError& e) {
        // "FILE: missing required columns ..." (make_layout): the rules cannot rate this feed.
        if (rules.config.validate.skipped("missing-column")) return;
        v.findings.push_back(Finding{"missing-column", FindingSeverity::error, {}, 0,
                                     fmt::format("cannot rate: {}", e.what()), {}});
    }
}

Validation validate_month(const RuleSet& rules, const std::vector<std::string>& usage, const ValidateOptions& options,
                          RateOptions rating) {
    try {
        FeedValidator validator(rules, usage, options);
        RatingFindings found(rules);
        validator.watch_rating();
        rating.observer = &validator;
        rate_feeds(rules, usage, [&](const RejectRow& r) { found.on_reject(r); }, rating);
        Validation v = validator.finish();
        found.add_to(v, usage);
        return v;
    } catch (const FeedError&) {
        // The rules cannot rate some feed (or it cannot be read: validate_feeds says so again).
        Validation v = validate_feeds(rules, usage, options);
        add_rating_findings(rules, usage, v);
        return v;
    }
}

}  // namespace ratebook
