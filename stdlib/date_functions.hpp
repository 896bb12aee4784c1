// Calendar built-ins (days in a month, adding months, day counts), registered in the one
// builtins table (stdlib/builtins.cpp). Dates are whole UTC days.
#pragma once
#include "stdlib/builtins.hpp"

namespace ratebook::date_functions {

Type check_date_to_number(BuiltinCheck& c);   // f(Date) -> Decimal
Type check_two_dates(BuiltinCheck& c);        // f(Date, Date) -> Decimal
Type check_date_and_count(BuiltinCheck& c);   // f(Date, whole number) -> Date

void days_in_month(Value* a, uint8_t argc, Value& r);
void day_of(Value* a, uint8_t argc, Value& r);
void month_of(Value* a, uint8_t argc, Value& r);
void year_of(Value* a, uint8_t argc, Value& r);
void days_between(Value* a, uint8_t argc, Value& r);
void add_months(Value* a, uint8_t argc, Value& r);

}  // namespace ratebook::date_functions
