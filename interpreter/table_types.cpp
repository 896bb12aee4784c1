#include "interpreter/table_types.hpp"

#include <date/date.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <unordered_map>

namespace ratebook {
namespace {

struct NamedType {
    std::string_view name;
    Type type;
};
constexpr std::array<NamedType, 6> named_types = {{{"text", Type::text},
                                                   {"money", Type::money},
                                                   {"quantity", Type::quantity},
                                                   {"percent", Type::percent},
                                                   {"decimal", Type::decimal},
                                                   {"date", Type::date}}};

std::optional<int32_t> parse_date(std::string_view s) {
    // Exactly YYYY-MM-DD, a real calendar day.
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    auto num = [&](size_t at, size_t n) {
        int v = 0;
        for (size_t i = at; i < at + n; ++i) {
            if (s[i] < '0' || s[i] > '9') return -1;
            v = v * 10 + (s[i] - '0');
        }
        return v;
    };
    int y = num(0, 4), m = num(5, 2), d = num(8, 2);
    if (y < 0 || m < 0 || d < 0) return std::nullopt;
    date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                             date::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return date::sys_days{ymd}.time_since_epoch().count();
}

std::string_view example_of(Type t) {
    switch (t) {
        case Type::money: return "1250.00 (or $1250.00)";
        case Type::percent: return "4.5%";
        case Type::date: return "2026-09-01";
        case Type::quantity:
        case Type::decimal: return "12 or 0.25";
        default: return "any text";
    }
}

}  // namespace

std::optional<Type> column_type_from_name(std::string_view name) {
    for (const auto& n : named_types)
        if (n.name == name) return n.type;
    return std::nullopt;
}

std::string_view column_type_names() { return "text, money, quantity, percent, decimal, date"; }

bool parse_cell(Type type, std::string_view text, Value& out, std::string& why) {
    if (type == Type::text) {
        out = Value::of_text(text);
        return true;
    }
    if (text.empty()) {
        why = "the cell is empty";
        return false;
    }
    if (type == Type::date) {
        auto d = parse_date(text);
        if (!d) {
            why = fmt::format("`{}` is not a date", text);
            return false;
        }
        out = Value::of_days(*d);
        return true;
    }
    std::string_view digits = text;
    if (type == Type::money && digits.front() == '$') digits.remove_prefix(1);
    if (type == Type::percent) {
        if (digits.back() != '%') {
            why = fmt::format("`{}` has no % sign", text);
            return false;
        }
        digits.remove_suffix(1);
    }
    std::string reason;
    auto d = Decimal::parse(digits, &reason);
    if (!d) {
        why = reason == "not a number" ? fmt::format("`{}` is not a number", text)
                                       : fmt::format("`{}` is not a number ({})", text, reason);
        return false;
    }
    if (type == Type::percent) {
        // Stored as a fraction, like a percent literal in a rule: 4.5% -> 0.045.
        if (d->scale() + 2 > Decimal::max_scale) {
            why = fmt::format("`{}` has too many decimal places for a percentage", text);
            return false;
        }
        *d = Decimal::from_parts(d->coefficient(), d->scale() + 2);
    }
    out = Value::of(*d);
    return true;
}

bool type_table(const TableSpec& spec, Table& table, Diagnostics& diags) {
    bool ok = true;
    table.column_types.assign(table.columns.size(), Type::text);
    for (const auto& ct : spec.column_types) {
        auto col = table.column_index(ct.column);
        if (!col) {
            std::string guess = closest_name(ct.column, table.columns);
            diags.error("E0321", ct.span,
                        fmt::format("table `{}` declares a column `{}` that {} does not have", spec.name,
                                    ct.column, spec.path),
                        guess.empty() ? fmt::format("its columns are: {}", fmt::join(table.columns, ", "))
                                      : fmt::format("did you mean `{}`?", guess));
            ok = false;
            continue;
        }
        table.column_types[*col] = ct.type;
    }
    // Every cell of every typed column, in file order; at most a few reports per column so a
    // wrongly typed column gives a readable message, not a thousand.
    for (size_t c = 0; c < table.columns.size(); ++c) {
        if (table.column_types[c] == Type::text) continue;
        int reported = 0;
        for (size_t r = 0; r < table.rows.size() && reported < 3; ++r) {
            Value v;
            std::string why;
            if (parse_cell(table.column_types[c], table.rows[r][c], v, why)) continue;
            const Span* at = &spec.span;
            for (const auto& ct : spec.column_types)
                if (ct.column == table.columns[c]) at = &ct.span;
            diags.error("E0320", *at,
                        fmt::format("{} line {}, column {} ({} of the file): {}, but {} is declared {}",
                                    table.path, table.row_lines[r], table.columns[c], c + 1, why,
                                    table.columns[c], type_name(table.column_types[c])),
                        fmt::format("write a value such as {}, or correct the column's type in ratebook.toml",
                                    example_of(table.column_types[c])));
            ++reported;
            ok = false;
        }
    }
    std::string key = spec.key.empty() ? (table.columns.empty() ? "" : table.columns[0]) : spec.key;
    if (!spec.key.empty() && !table.column_index(key)) {
        std::string guess = closest_name(key, table.columns);
        diags.error("E0321", spec.key_span,
                    fmt::format("table `{}` has no column `{}` to use as its key", spec.name, key),
                    guess.empty() ? fmt::format("its columns are: {}", fmt::join(table.columns, ", "))
                                  : fmt::format("did you mean `{}`?", guess));
        return false;
    }
    table.key_column = key;
    if (key.empty()) return ok;
    // The key column holds each key once: two rows for one key would make a charge depend on
    // the order of the file. Only a declared key is checked here; an account rule's own lookup
    // column is checked where the rule uses it (E0306).
    if (spec.key.empty()) return ok;
    size_t kc = *table.column_index(key);
    std::unordered_map<std::string_view, size_t> seen;
    for (size_t r = 0; r < table.rows.size(); ++r) {
        auto [it, inserted] = seen.emplace(table.rows[r][kc], r);
        if (inserted) continue;
        diags.error("E0322", spec.key_span,
                    fmt::format("table `{}` has the key \"{}\" twice in its key column {} (lines {} and {} of {})",
                                spec.name, table.rows[r][kc], key, table.row_lines[it->second], table.row_lines[r],
                                table.path),
                    "each key may appear once; delete or correct one of the rows");
        ok = false;
    }
    return ok;
}

bool holiday_days(const RuleSetConfig& config, const std::vector<Table>& tables, std::vector<int32_t>& out,
                  Diagnostics& diags) {
    if (config.holiday_table.empty()) return true;
    const Table* table = nullptr;
    for (const auto& t : tables)
        if (t.name == config.holiday_table) table = &t;
    if (!table) {
        bool declared = false;
        for (const auto& s : config.tables) declared = declared || s.name == config.holiday_table;
        if (!declared)  // a declared table that failed to load was already reported
            diags.error("E0323", config.holiday_span,
                        fmt::format("`holidays` names the table `{}`, which is not declared", config.holiday_table),
                        fmt::format("declare it: [tables.{}] with path = \"...\" and its key column declared "
                                    "\"date\"",
                                    config.holiday_table));
        return false;
    }
    size_t kc = table->key_column.empty() ? 0 : *table->column_index(table->key_column);
    if (table->columns.empty() || table->column_type(kc) != Type::date) {
        diags.error("E0323", config.holiday_span,
                    fmt::format("the holiday table `{}` must have a key column declared \"date\"", table->name),
                    fmt::format("in [tables.{}] write e.g. key = \"Date\" and columns = {{ Date = \"date\" }}",
                                table->name));
        return false;
    }
    for (const auto& row : table->rows) {
        Value v;
        std::string why;
        parse_cell(Type::date, row[kc], v, why);  // checked when the table was loaded
        out.push_back(v.days);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return true;
}

}  // namespace ratebook
