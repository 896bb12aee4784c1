// Typed table columns: ratebook.toml says what each column of a table holds (text, money,
// quantity, percent, decimal, date); every cell is checked when the rule set is loaded, so a
// typo in a CSV is reported once, with its line, instead of rejecting usage at rating time.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "grammar/diagnostic.hpp"
#include "interpreter/ruleset.hpp"

namespace ratebook {

// "money" -> Type::money, ... (the words authors write in ratebook.toml); nullopt otherwise.
std::optional<Type> column_type_from_name(std::string_view name);
std::string_view column_type_names();  // "text, money, quantity, percent, decimal, date"

// A cell read as `type`. Money and quantities are plain decimals ("1250.00", a leading `$` is
// allowed for money), percents are written with `%` ("4.5%", kept as the fraction 0.045),
// dates as 2026-09-01. On failure returns false and says why, in plain words.
bool parse_cell(Type type, std::string_view text, Value& out, std::string& why);

// Applies the spec's declared key and column types to a freshly read table: every declared
// column exists, every cell of a typed column parses, and the key column holds each key once.
// Errors are E0320-E0323 and name the table file, line and column. Returns false on any error.
bool type_table(const TableSpec& spec, Table& table, Diagnostics& diags);

// The days of the table named by `holidays = "NAME"` (its key column, typed date), sorted;
// E0323 when the table is missing or its key is not a date column.
bool holiday_days(const RuleSetConfig& config, const std::vector<Table>& tables, std::vector<int32_t>& out,
                  Diagnostics& diags);

}  // namespace ratebook
