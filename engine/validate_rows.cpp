// Row checks: one record at a time, against FOCUS's rules and the rest of the month's rows.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstring>

#include "engine/row_hash.hpp"
#include "engine/short_text.hpp"
#include "engine/validate_checks.hpp"

namespace ratebook::validation {
namespace {

using S = FindingSeverity;

// The columns that identify one charge: two rows equal on all of these bill the same usage
// twice. Costs and quantities are left out on purpose: a re-sent row with a corrected cost is
// still the same charge.
const char* const identifying_columns[] = {"BillingAccountId", "SubAccountId",      "ResourceId",
                                           "SkuId",            "SkuPriceId",        "ChargeCategory",
                                           "ChargeClass",      "ChargeDescription", "ChargeFrequency",
                                           "ChargePeriodStart", "ChargePeriodEnd",  "PricingUnit",
                                           "RegionId",         "Tags"};

// FOCUS 1.0 allowed values; [normalise] allowed_values replaces a column's list.
const std::vector<std::pair<std::string, std::vector<std::string>>> focus_allowed = {
    {"ChargeCategory", {"Usage", "Purchase", "Tax", "Credit", "Adjustment"}},
    {"ChargeClass", {"Correction"}},
    {"ChargeFrequency", {"One-Time", "Recurring", "Usage-Based"}},
};

// "GB-Months", "GB Months", "GB/Month" and "gb-month" all fold to "gbmonth".
void fold_unit(std::string_view unit, std::string& out) {
    out.clear();
    for (char c : unit) {
        if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
    }
    if (out.size() > 1 && out.back() == 's') out.pop_back();
}

// Empty, NULL, or `{}` with any spaces: no tags (checked without copying, as for every row).
bool empty_tags(std::string_view t) {
    if (is_null(t)) return true;
    size_t seen = 0;
    for (char c : t) {
        if (c == ' ' || c == '\t') continue;
        if (seen == 0 ? c != '{' : seen == 1 ? c != '}' : true) return false;
        ++seen;
    }
    return seen == 2;
}

}  // namespace

std::string identifying_column_names(const std::vector<std::string>& header) {
    std::vector<std::string_view> names;
    for (const char* c : identifying_columns)
        if (std::find(header.begin(), header.end(), c) != header.end()) names.push_back(c);
    return fmt::format("{}", fmt::join(names, ", "));
}

std::vector<int> identifying_column_indices(const std::vector<std::string>& header) {
    std::vector<int> cols;
    for (const char* c : identifying_columns)
        if (auto it = std::find(header.begin(), header.end(), c); it != header.end())
            cols.push_back(static_cast<int>(it - header.begin()));
    return cols;
}

RowChecks::RowChecks(Sink& sink) : sink_(sink) {
    duplicates_on_ = sink.on("duplicate-row");
    untagged_on_ = sink.on("untagged-row");
    allowed_lists_ = focus_allowed;
    // (Plain pairs, not structured bindings: clang 14, which builds the fuzzers, cannot capture
    // a structured binding in a lambda.)
    for (const auto& entry : sink.rules().config.normalise.allowed_values) {
        const auto& column = entry.first;
        auto it = std::find_if(allowed_lists_.begin(), allowed_lists_.end(),
                               [&](const auto& p) { return p.first == column; });
        if (it == allowed_lists_.end()) allowed_lists_.emplace_back(column, entry.second);
        else it->second = entry.second;
    }
}

void RowChecks::begin_file(const std::vector<std::string>& header) {
    auto index = [&](std::string_view name) {
        for (size_t i = 0; i < header.size(); ++i)
            if (header[i] == name) return static_cast<int>(i);
        return -1;
    };
    id_cols_ = identifying_column_indices(header);
    tags_col_ = index("Tags");
    allowed_.clear();
    for (const auto& list : allowed_lists_)
        if (int i = index(list.first); i >= 0) allowed_.emplace_back(i, &list);
    unit_cols_.clear();
    for (const char* c : {"PricingUnit", "ConsumedUnit"})
        if (int i = index(c); i >= 0) unit_cols_.emplace_back(i, c);
    last_allowed_.assign(allowed_.size(), {});
}

void RowChecks::begin_chunk() {
    unit_seen_.clear();
    units_known_.assign(unit_cols_.size(), {});
}

// The record's checks: the usual row passes each with a few comparisons. What a finding needs
// (messages, first sightings) is in the out-of-line functions below, marked cold, so that the
// code a row runs stays small: rating and validation share one instruction cache per row, and
// spread-out checks made rating's own code miss it (4x the misses, measured).
void RowChecks::record(const Row& row) {
    const CsvRecord& rec = *row.rec;
    const auto& f = rec.fields;
    if (same_text(row.category, "Usage")) {
        if (row.billed.sign() < 0 || row.pricing_qty.negative() || row.consumed_qty.negative()) [[unlikely]]
            negative_usage(row);
        if (!row.billed.is_zero() && row.pricing_qty.none() && row.consumed_qty.none()) [[unlikely]]
            cost_without_quantity(row);
    }
    if (row.charge_start && row.billing_start && row.charge_end && row.billing_end &&
        (*row.charge_start < *row.billing_start || *row.charge_end > *row.billing_end)) [[unlikely]]
        charge_period(row);

    // Duplicates: a hash of the identifying columns; the rows sharing one are compared column by
    // column once the month is read.
    if (duplicates_on_ && !id_cols_.empty()) {
        RowHash h;
        for (int c : id_cols_) h.add(f[c]);
        std::vector<RowPrints>& prints = sink_.part().prints;
        if (!prints.back().fits(rec.line)) [[unlikely]]
            prints.emplace_back();
        prints.back().push_back(h.value(), rec.line);
    }

    if (empty_tags(row.tags)) {
        if (untagged_on_) untagged(row);
    } else if (!row.fields->plain_tags(tags_col_, row.tags)) [[unlikely]] {
        escaped_tags(row);
    }

    for (size_t a = 0; a < allowed_.size(); ++a) {
        std::string_view v = f[allowed_[a].first];
        if (!is_null(v) && !same_text(v, last_allowed_[a])) [[unlikely]]
            new_allowed_value(row, a);
    }
    for (size_t u = 0; u < unit_cols_.size(); ++u) {
        std::string_view unit = f[unit_cols_[u].first];
        if (is_null(unit)) continue;
        const std::vector<std::string>& known = units_known_[u];
        if (std::none_of(known.begin(), known.end(), [&](const std::string& k) { return same_text(k, unit); }))
            [[unlikely]] new_unit(row, u);
    }
}

void RowChecks::negative_usage(const Row& row) {
    auto plain = [](std::string_view text) { return parse_number(text).value_or(Decimal()).to_plain_string(); };
    std::string what = row.billed.sign() < 0        ? fmt::format("BilledCost {}", row.billed.to_plain_string())
                       : row.pricing_qty.negative() ? fmt::format("PricingQuantity {}", plain(row.pricing_qty.text))
                                                    : fmt::format("ConsumedQuantity {}", plain(row.consumed_qty.text));
    sink_.add("negative-usage", S::warning, row.rec->line,
              fmt::format("a Usage row has a negative {} (credits and refunds are Credit or Adjustment rows)", what),
              row.billed);
}

void RowChecks::cost_without_quantity(const Row& row) {
    sink_.add("cost-without-quantity", S::warning, row.rec->line,
              fmt::format("{} has cost {} but no quantity",
                          row.resource.empty() ? std::string_view("a row") : row.resource,
                          row.billed.to_plain_string()),
              row.billed);
}

void RowChecks::charge_period(const Row& row) {
    sink_.add("charge-period", S::error, row.rec->line,
              fmt::format("charge period {} to {} is outside its billing period {} to {}", show_time(*row.charge_start),
                          show_time(*row.charge_end), show_time(*row.billing_start), show_time(*row.billing_end)),
              row.billed);
}

// One finding per resource (its rows counted), not per row: an analyst tags resources, and a
// month of a resource is 31 rows (and 500,000 findings at 10M rows).
void RowChecks::untagged(const Row& row) {
    bool added = false;
    ChunkPart::Untagged& u = sink_.part().untagged.at(row.resource, added);
    if (added) u.first = row.rec->line;
    u.last = row.rec->line;
    ++u.rows;
    u.cost += row.billed;
}

// Tags that are not the plain form (escapes, numbers): the full parser decides.
void RowChecks::escaped_tags(const Row& row) {
    if (parse_tags(row.tags, tag_scratch_, &why_)) return;
    sink_.add("invalid-tags", S::error, row.rec->line, fmt::format("Tags is not a JSON object of text values: {}", why_),
              row.billed);
}

// A value of an allowed-values column unlike the last good one: allowed, or a finding.
void RowChecks::new_allowed_value(const Row& row, size_t a) {
    const auto& [col, list] = allowed_[a];
    std::string_view v = row.rec->fields[col];
    const auto& values = list->second;
    if (std::find_if(values.begin(), values.end(), [&](const std::string& x) { return same_text(x, v); }) !=
        values.end()) {
        last_allowed_[a].assign(v);
        return;
    }
    sink_.add("allowed-value", S::warning, row.rec->line,
              fmt::format("{} `{}` is not one of {}", list->first, v, fmt::join(values, ", ")), row.billed);
}

// A unit spelling this chunk has not seen in this column. The first row of the chunk spelling
// each unit each way is kept; the spellings are compared across the month when the chunk is
// merged. (A chunk has a handful: each is folded and looked up once.)
void RowChecks::new_unit(const Row& row, size_t u) {
    const auto& [col, name] = unit_cols_[u];
    std::string_view unit = row.rec->fields[col];
    std::vector<std::string>& known = units_known_[u];
    if (known.size() < 64) known.emplace_back(unit);
    fold_unit(unit, key_);
    const size_t folded = key_.size();
    key_ += '\x1f';
    key_ += unit;
    if (!unit_seen_.insert(key_).second) return;
    sink_.part().units.push_back(ChunkPart::Unit{key_.substr(0, folded), std::string(unit), name, row.rec->line, row.billed});
}

}  // namespace ratebook::validation
