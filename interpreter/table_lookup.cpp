#include <fmt/format.h>

#include "interpreter/expr_compiler.hpp"
#include "interpreter/table_types.hpp"

namespace ratebook {

uint32_t table_lookup_index(RuleSet& rules, const std::string& table_name, const std::string& column) {
    const Table* table = rules.table(table_name);
    auto table_index = static_cast<uint32_t>(table - rules.tables.data());
    for (uint32_t i = 0; i < rules.lookups.size(); ++i)
        if (rules.lookups[i].table == table_index && rules.lookups[i].value_column == column) return i;
    ExprTableLookup l;
    l.table = table_index;
    l.value_column = column;
    size_t kc = table->key_column.empty() ? 0 : *table->column_index(table->key_column);
    size_t vc = *table->column_index(column);
    l.type = table->column_type(vc);
    for (const auto& row : table->rows) {
        Value v;
        std::string why;
        parse_cell(l.type, row[vc], v, why);  // every cell was checked when the table was loaded
        if (l.type == Type::text) {
            uint32_t sym = rules.intern(row[vc]);
            v = Value::of_text(rules.symbol_text(sym), sym);
        }
        // The key is interned too: stable storage for the map's key, whatever moves later. Keys
        // are unique: checked at load (a declared key) or by the checker (the first column).
        l.values.emplace(rules.symbol_text(rules.intern(row[kc])), v);
    }
    rules.lookups.push_back(std::move(l));
    return static_cast<uint32_t>(rules.lookups.size() - 1);
}

}  // namespace ratebook
