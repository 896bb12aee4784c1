#include "interpreter/ruleset.hpp"

#include <algorithm>

namespace ratebook {

std::optional<size_t> Table::column_index(std::string_view column) const {
    for (size_t i = 0; i < columns.size(); ++i)
        if (columns[i] == column) return i;
    return std::nullopt;
}

std::optional<uint32_t> Table::find(const std::string& key_column, std::string_view key) const {
    auto idx = indexes.find(key_column);
    if (idx == indexes.end()) return std::nullopt;
    auto it = idx->second.find(std::string(key));
    if (it == idx->second.end()) return std::nullopt;
    return it->second;
}

uint32_t RuleSet::intern(std::string_view text) {
    auto it = symbols_.find(text);
    if (it != symbols_.end()) return it->second;
    symbol_texts_.emplace_back(text);
    uint32_t sym = static_cast<uint32_t>(symbol_texts_.size());
    symbols_.emplace(symbol_texts_.back(), sym);
    return sym;
}

std::optional<uint32_t> RuleSet::symbol_of(std::string_view text) const {
    auto it = symbols_.find(text);
    if (it == symbols_.end()) return std::nullopt;
    return it->second;
}

std::optional<uint32_t> RuleSet::slot_of(std::string_view column) const {
    for (size_t i = 0; i < slots.size(); ++i)
        if (slots[i].name == column) return static_cast<uint32_t>(i);
    return std::nullopt;
}

const Table* RuleSet::table(std::string_view name) const {
    for (const auto& t : tables)
        if (t.name == name) return &t;
    return nullptr;
}

Decimal TierSchedule::charge_for(const Decimal& volume) const {
    if (kind == Kind::volume) {
        for (const Tier& t : tiers)
            if (!t.up_to || volume <= *t.up_to) return volume * t.price;
        return volume * tiers.back().price;
    }
    // Graduated: walk the bands, each priced at its own rate. A negative month (net credits)
    // is priced at the first band's rate.
    if (volume.sign() <= 0) return volume * tiers.front().price;
    Decimal charged, below;
    for (const Tier& t : tiers) {
        Decimal top = t.up_to ? std::min(*t.up_to, volume) : volume;
        if (top > below) charged += (top - below) * t.price;
        if (t.up_to) below = *t.up_to;
        if (!t.up_to || volume <= *t.up_to) break;
    }
    return charged;
}

size_t RuleSet::bytecode_size() const {
    size_t n = 0;
    for (const auto& r : rates)
        n += r.match.code.size() + r.ru.code.size() + r.volume.code.size() + r.unit.code.size() +
             r.charge.code.size();
    if (account) {
        for (const auto& s : account->sources) n += s.key.code.size();
        n += account->fallback.code.size();
    }
    for (const auto& v : variances) n += v.selects.code.size() + v.flag.code.size();
    return n;
}

}  // namespace ratebook
