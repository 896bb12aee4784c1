#include "engine/normalise.hpp"

#include <fmt/format.h>

#include "engine/focus_values.hpp"
#include "engine/outputs.hpp"

namespace ratebook {
namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

void count(NormaliseCounts* counts, std::string what) {
    if (counts) ++(*counts)[std::move(what)];
}

}  // namespace

Normaliser::Normaliser(const RuleSet& rules, const std::vector<std::string>& header) {
    const NormaliseConfig& cfg = rules.config.normalise;
    if (!cfg.any()) return;
    active_ = true;
    auto at = [&](std::string_view name) {
        for (size_t i = 0; i < header.size(); ++i)
            if (header[i] == name) return static_cast<int>(i);
        return -1;
    };
    for (const auto& s : cfg.nulls) nulls_.push_back(s);
    if (!nulls_.empty())
        for (size_t i = 0; i < header.size(); ++i)
            if (header[i] != "Tags") null_columns_.emplace_back(static_cast<int>(i), header[i]);
    for (const auto& [column, values] : cfg.allowed_values)
        if (int c = at(column); c >= 0) allowed_.push_back(Allowed{c, column, &values});
    if (!cfg.unit_table.empty()) {
        const Table* t = rules.table(cfg.unit_table);
        auto spelling = t ? t->column_index("Spelling") : std::nullopt;
        auto unit = t ? t->column_index("Unit") : std::nullopt;
        if (!spelling || !unit)
            throw FeedError(fmt::format("normalise.unit_table `{}` must be a table declared under [tables.{}] "
                                        "with columns Spelling and Unit",
                                        cfg.unit_table, cfg.unit_table));
        for (const auto& row : t->rows) units_.emplace(row[*spelling], row[*unit]);
        for (const char* name : {"PricingUnit", "ConsumedUnit"})
            if (int c = at(name); c >= 0) unit_columns_.emplace_back(c, name);
    }
    if (!cfg.tag_keys.empty() || cfg.trim_tag_keys) {
        tag_keys_ = &cfg.tag_keys;
        trim_tag_keys_ = cfg.trim_tag_keys;
        tags_ = at("Tags");
    }
}

void Normaliser::apply(CsvRecord& rec, std::string& scratch, NormaliseCounts* counts) const {
    if (!active_ || !rec.error.empty()) return;
    auto& f = rec.fields;
    for (const auto& [col, name] : null_columns_) {
        for (std::string_view n : nulls_) {
            if (f[col] != n) continue;
            count(counts, fmt::format("null spelled `{}` in {} read as empty", n, name));
            f[col] = {};
            break;
        }
    }
    for (const Allowed& a : allowed_) {
        std::string_view v = f[a.column];
        if (v.empty()) continue;
        const std::string* match = nullptr;
        for (const auto& allowed : *a.values) {
            if (allowed == v) {
                match = nullptr;
                break;
            }
            if (!match && equal_ignoring_case(allowed, v)) match = &allowed;
        }
        if (!match) continue;
        count(counts, fmt::format("{} `{}` -> `{}`", a.name, v, *match));
        f[a.column] = *match;
    }
    for (const auto& [col, name] : unit_columns_) {
        auto hit = units_.find(f[col]);
        if (hit == units_.end() || hit->second == f[col]) continue;
        count(counts, fmt::format("{} `{}` -> `{}`", name, f[col], hit->second));
        f[col] = hit->second;
    }
    if (tags_ >= 0 && !f[tags_].empty() && !is_null(f[tags_])) {
        if (rewrite_tags(f[tags_], scratch, counts)) f[tags_] = scratch;
    }
}

// Rewrites the Tags JSON with aliased keys; false (and no change) when no key changes or the
// value is not a JSON object (the tags checks report that).
bool Normaliser::rewrite_tags(std::string_view json, std::string& out, NormaliseCounts* counts) const {
    thread_local std::vector<std::pair<std::string, std::string>> tags;
    if (!parse_tags(json, tags)) return false;
    bool changed = false;
    for (auto& [key, value] : tags) {
        std::string_view k = trim_tag_keys_ ? trimmed(key) : std::string_view(key);
        auto alias = tag_keys_->find(std::string(k));
        std::string_view to = alias != tag_keys_->end() ? std::string_view(alias->second) : k;
        if (to == key) continue;
        count(counts, fmt::format("tag key `{}` -> `{}`", key, to));
        key.assign(to);
        changed = true;
    }
    if (!changed) return false;
    // A key written twice after aliasing keeps the last value, as Tags parsing does.
    out.assign("{");
    for (size_t i = 0; i < tags.size(); ++i) {
        if (i) out += ',';
        out += json_string(tags[i].first);
        out += ':';
        out += json_string(tags[i].second);
    }
    out += '}';
    return true;
}

}  // namespace ratebook
