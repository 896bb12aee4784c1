// Fiscal-year, business-day and proration built-ins. fiscal_year_of and prorate are rows of the
// builtins table; business_days reads the rule set's holiday table, so it has its own opcode
// (interpreter/opcodes.def) and only its day count lives here.
#pragma once
#include <cstdint>
#include <vector>

#include "stdlib/builtins.hpp"

namespace ratebook {

// Weekdays (Monday to Friday) from `from` (included) to `to` (excluded) that are not in
// `holidays` (sorted days); negative when `to` is before `from`. Dates are days since 1970-01-01.
int64_t count_business_days(int32_t from, int32_t to, const std::vector<int32_t>& holidays);

namespace finance_functions {

Type check_fiscal_year_of(BuiltinCheck& c);  // f(Date) -> Decimal
// fiscal_year_of(date, fiscal_year_start): the year the date's fiscal year ends in.
void fiscal_year_of(Value* a, uint8_t argc, Value& r);

Type check_prorate(BuiltinCheck& c);  // f(Money|Quantity|Decimal, Decimal, Decimal) -> first
// prorate(amount, days, of_days) = amount x days / of_days (exact to 18 places).
void prorate(Value* a, uint8_t argc, Value& r);

}  // namespace finance_functions
}  // namespace ratebook
