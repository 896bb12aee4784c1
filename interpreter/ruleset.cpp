#include "interpreter/ruleset.hpp"

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

size_t RuleSet::bytecode_size() const {
    size_t n = 0;
    for (const auto& r : rates)
        n += r.match.code.size() + r.ru.code.size() + r.volume.code.size() + r.unit.code.size() +
             r.charge.code.size();
    if (account) {
        for (const auto& s : account->sources) n += s.key.code.size();
        n += account->fallback.code.size();
    }
    return n;
}

}  // namespace ratebook
