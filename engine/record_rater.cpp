#include "engine/record_rater.hpp"
#include "engine/plain_tags.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "engine/account_activity.hpp"
#include "engine/focus_values.hpp"

namespace ratebook {
namespace {

// Columns that must exist in every feed, whatever the rules read: the drill-down keys of the
// charge lines, and BilledCost, the basis of every invoice.
const char* const always_required[] = {"BilledCost", "ServiceName", "SkuId"};

// Cost and quantity columns checked to be numbers whenever a feed has them.
const char* const numeric_columns[] = {"BilledCost",     "EffectiveCost",    "ListCost",
                                       "ContractedCost", "PricingQuantity", "ConsumedQuantity"};

int column_of(const std::vector<std::string>& header, std::string_view name) {
    for (size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) return static_cast<int>(i);
    return -1;
}

std::string location(const Span& s) {
    return s.valid() ? fmt::format("{}:{}:{}", s.file->name, s.line, s.column) : "?";
}

}  // namespace

FeedLayout make_layout(const RuleSet& rules, const std::vector<std::string>& header,
                       const std::string& path) {
    FeedLayout layout;
    std::vector<std::string> missing;
    for (const auto& slot : rules.slots) {
        int col = column_of(header, slot.name);
        if (col < 0) missing.emplace_back(slot.name);
        layout.slot_column.push_back(col);
    }
    for (const char* name : always_required) {
        if (column_of(header, name) < 0 &&
            std::find(missing.begin(), missing.end(), name) == missing.end())
            missing.emplace_back(name);
    }
    bool uses_tags = false;
    auto reads_tags = [](const Chunk& c) {
        return std::any_of(c.code.begin(), c.code.end(),
                           [](const Instr& i) { return i.op == OpCode::load_tag; });
    };
    for (const auto& r : rules.rates)
        uses_tags = uses_tags || reads_tags(r.match) || reads_tags(r.ru) || reads_tags(r.volume) ||
                    reads_tags(r.charge) || reads_tags(r.unit);
    for (const auto& r : rules.rates) r.drilldown.for_each_chunk([&](const Chunk& c) { uses_tags = uses_tags || reads_tags(c); });
    if (rules.account)
        for (const auto& s : rules.account->sources) uses_tags = uses_tags || reads_tags(s.key);
    layout.tags = column_of(header, "Tags");
    if (uses_tags && layout.tags < 0) missing.emplace_back("Tags");
    add_activity_columns(rules, header, layout, missing);
    if (!missing.empty())
        throw FeedError(fmt::format(
            "{}: missing required column{} {} (the rules or the charge lines need {})", path,
            missing.size() == 1 ? "" : "s", fmt::join(missing, ", "),
            missing.size() == 1 ? "it" : "them"));
    layout.service = column_of(header, "ServiceName");
    layout.product = column_of(header, "SkuId");
    layout.component = column_of(header, "ResourceId");
    layout.slot_checked.assign(rules.slots.size(), 0);
    for (const char* name : numeric_columns) {
        int col = column_of(header, name);
        if (col < 0) continue;
        layout.numeric_checks.emplace_back(col, name);
        int slot = -1;
        for (size_t k = 0; k < rules.slots.size(); ++k) {
            Type t = rules.slots[k].type;
            if (layout.slot_column[k] == col && t != Type::text && t != Type::date && slot < 0) {
                slot = static_cast<int>(k);
                layout.slot_checked[k] = 1;
            }
        }
        layout.numeric_check_slot.push_back(slot);
    }
    layout.required_values.emplace_back(column_of(header, "BilledCost"), "BilledCost");
    return layout;
}

RecordRater::RecordRater(const RuleSet& rules)
    : rules_(rules), vm_(rules), values_(rules.slots.size()), missing_(rules.slots.size()) {
    record_.columns = values_.data();
    record_.missing = missing_.data();
    for (uint32_t i = 0; i < rules.rates.size(); ++i) {
        const CompiledRate& r = rules.rates[i];
        if (r.fee) continue;  // fees price accounts, never a record
        if (r.dispatch_slot)
            dispatch_[*r.dispatch_slot][r.dispatch_value].push_back(i);
        else
            always_.push_back(i);
    }
    if (rules.account) {
        for (const auto& source : rules.account->sources) {
            account_lookup_.emplace_back();
            if (!source.lookup) continue;
            const Table& table = rules.tables[source.lookup->table];
            auto index = table.indexes.find(source.lookup->key_column);
            if (index == table.indexes.end()) continue;  // Table::find finds nothing either
            for (const auto& [key, row] : index->second)
                account_lookup_.back().emplace(key, table.rows[row][source.lookup->value_column_index]);
        }
    }
}

namespace {

}  // namespace

bool RecordRater::load_fields(const CsvRecord& rec, const FeedLayout& layout, RatedRecord& out) {
    vm_.release_texts();  // the previous record's joined texts (its RU, drill-down) are no longer read
    std::string why;
    for (const auto& [col, name] : layout.required_values) {
        if (is_null(rec.fields[col])) {
            out.category = "missing value";
            out.reason = fmt::format("{} is empty", name);
            return false;
        }
    }
    for (size_t k = 0; k < layout.numeric_checks.size(); ++k) {
        const auto& [col, name] = layout.numeric_checks[k];
        std::string_view v = rec.fields[col];
        const int slot = layout.numeric_check_slot[k];
        if (is_null(v)) {
            if (slot >= 0) missing_[slot] = 1;
            continue;
        }
        // (By reference: with validation the value stays in the shared ParsedFields.)
        const std::optional<Decimal>& d = numbers_ ? numbers_->number(col, v) : (parsed_ = parse_number(v, &why));
        if (!d) {
            if (numbers_) (void)parse_number(v, &why);
            out.category = "invalid number";
            out.reason = fmt::format("{} is not a valid number: \"{}\" ({})", name, v, why);
            return false;
        }
        if (slot >= 0) {
            missing_[slot] = 0;
            values_[slot] = Value::of(*d);
        }
    }
    for (size_t slot = 0; slot < rules_.slots.size(); ++slot) {
        if (layout.slot_checked[slot]) continue;  // parsed above
        std::string_view v = rec.fields[layout.slot_column[slot]];
        const ColumnInfo& col = rules_.slots[slot];
        missing_[slot] = 0;
        if (col.type == Type::text) {
            values_[slot] = Value::of_text(is_null(v) ? std::string_view() : v);
            continue;
        }
        if (is_null(v)) {
            missing_[slot] = 1;
            continue;
        }
        if (col.type == Type::date) {
            auto ts = parse_timestamp(v, &why);
            if (!ts) {
                out.category = "invalid date";
                out.reason = fmt::format("{} is not a valid timestamp: \"{}\" ({})", col.name, v, why);
                return false;
            }
            values_[slot] = Value::of_days(ts->days);
        } else {
            auto d = parse_number(v, &why);
            if (!d) {
                out.category = "invalid number";
                out.reason = fmt::format("{} is not a valid number: \"{}\" ({})", col.name, v, why);
                return false;
            }
            values_[slot] = Value::of(*d);
        }
    }
    tags_.clear();
    const std::vector<Tag>* shared = nullptr;  // parsed into the ParsedFields validation reads next
    if (layout.tags >= 0 && numbers_ && (shared = numbers_->plain_tags(layout.tags, rec.fields[layout.tags]))) {
        record_.tags = shared->data();
        record_.tag_count = static_cast<uint32_t>(shared->size());
        return true;
    }
    if (layout.tags >= 0 && !parse_plain_tags(rec.fields[layout.tags], tags_)) {
        tags_.clear();
        tag_storage_.clear();
        if (!parse_tags(rec.fields[layout.tags], tag_storage_, &why)) {
            out.category = "invalid tags";
            out.reason = fmt::format("Tags is not a JSON object of text values: {}", why);
            return false;
        }
        for (const auto& [k, v] : tag_storage_) tags_.push_back(Tag{k, v});
    }
    record_.tags = tags_.data();
    record_.tag_count = static_cast<uint32_t>(tags_.size());
    return true;
}

bool RecordRater::run(const Chunk& chunk, Value& v, RatedRecord& out, const CompiledRate* rate) {
    VmError err;
    if (vm_.run(chunk, record_, v, err)) return true;
    out.category = "rule error";
    out.reason = rate ? fmt::format("{} in rate \"{}\" at {}", err.message, rate->name, location(err.span))
                      : fmt::format("{} at {}", err.message, location(err.span));
    return false;
}

bool RecordRater::map_account(RatedRecord& out) {
    Value v;
    if (rules_.account) {
        const auto& account = *rules_.account;
        for (uint32_t i = 0; i < account.sources.size(); ++i) {
            const auto& source = account.sources[i];
            if (!run(source.key, v, out, nullptr)) return false;
            std::string_view key = v.text.view();
            if (key.empty()) continue;
            if (!source.lookup) {
                account_text_.assign(key);
                out.account = account_text_;
            } else {
                auto hit = account_lookup_[i].end();
                if (!source.lookup->prefix) {
                    hit = account_lookup_[i].find(key);
                } else {
                    // `prefix in table`: the longest key the value starts with wins.
                    for (uint32_t len : source.lookup->prefix_lengths)
                        if (len <= key.size() && (hit = account_lookup_[i].find(key.substr(0, len))) !=
                                                     account_lookup_[i].end())
                            break;
                }
                if (hit == account_lookup_[i].end()) continue;
                out.account = hit->second;  // stable: the rule set's table
            }
            out.account_source = i;
            return true;
        }
        out.account_source = static_cast<uint32_t>(account.sources.size());
        if (!account.fallback.empty()) {
            if (!run(account.fallback, v, out, nullptr)) return false;
            account_text_.assign(v.text.view());
            out.account = account_text_;
            return true;
        }
    }
    out.account = rules_.config.suspense_account;
    return true;
}

std::string RecordRater::describe_record(const CsvRecord& rec, const FeedLayout& layout) const {
    auto field = [&](int col) { return col >= 0 ? rec.fields[col] : std::string_view("?"); };
    return fmt::format("ServiceName={}, SkuId={}", field(layout.service), field(layout.product));
}

bool RecordRater::choose_rate(const CsvRecord& rec, const FeedLayout& layout, RatedRecord& out) {
    candidates_.clear();
    for (const auto& [slot, by_value] : dispatch_) {
        auto it = by_value.find(values_[slot].text.view());
        if (it != by_value.end()) candidates_.insert(candidates_.end(), it->second.begin(), it->second.end());
    }
    candidates_.insert(candidates_.end(), always_.begin(), always_.end());
    if (dispatch_.size() > 1) std::sort(candidates_.begin(), candidates_.end());  // rule order
    matched_.clear();
    Value v;
    for (uint32_t i : candidates_) {
        if (!run(rules_.rates[i].match, v, out, &rules_.rates[i])) return false;
        if (v.flag) matched_.push_back(i);
    }
    if (matched_.empty()) {
        out.category = "no rate rule matches";
        out.reason = fmt::format("no rate rule matches ({})", describe_record(rec, layout));
        return false;
    }
    // The highest priority wins; a tie at the top is ambiguous and the record is rejected, so
    // the author decides rather than file order.
    std::stable_sort(matched_.begin(), matched_.end(), [&](uint32_t a, uint32_t b) {
        return rules_.rates[a].priority > rules_.rates[b].priority;
    });
    if (matched_.size() > 1 && rules_.rates[matched_[0]].priority == rules_.rates[matched_[1]].priority) {
        const auto& a = rules_.rates[matched_[0]];
        const auto& b = rules_.rates[matched_[1]];
        out.category = "more than one rate rule matches";
        out.reason = fmt::format("rate rules \"{}\" ({}) and \"{}\" ({}) both match ({}); give one a priority",
                                 a.name, location(a.kind_span), b.name, location(b.kind_span),
                                 describe_record(rec, layout));
        return false;
    }
    out.rate = matched_[0];
    return true;
}

void RecordRater::rate(const CsvRecord& rec, const FeedLayout& layout, RatedRecord& out) {
    out.charged = false;
    out.category.clear();
    out.reason.clear();
    if (!rec.error.empty()) {
        out.category = "malformed row";
        out.reason = rec.error;
        return;
    }
    if (!load_fields(rec, layout, out) || !map_account(out) || !choose_rate(rec, layout, out) ||
        !check_account_active(rec, layout, out))
        return;
    const CompiledRate& rate = rules_.rates[out.rate];
    Value ru, unit, volume, charge;
    if (!run(rate.ru, ru, out, &rate) || !run(rate.unit, unit, out, &rate) ||
        !run(rate.volume, volume, out, &rate) || !run(rate.charge, charge, out, &rate))
        return;
    out.ru = ru.text.view();
    out.unit = unit.text.view();
    out.volume = volume.num;
    out.charge = charge.num;
    auto field = [&](int col) { return col >= 0 ? rec.fields[col] : std::string_view(); };
    out.service = field(layout.service);
    out.product = field(layout.product);
    out.component = field(layout.component);
    if (is_null(out.component)) out.component = {};
    if (rate.drilldown.custom && !drill_down(rate, out)) return;
    out.charged = true;
}

}  // namespace ratebook
