#include "stdlib/date_functions.hpp"

#include <date/date.h>

#include <string>

namespace ratebook::date_functions {
namespace {

date::year_month_day ymd_of(int32_t days) { return date::year_month_day{date::sys_days{date::days{days}}}; }
int32_t days_of(date::year_month_day ymd) { return date::sys_days{ymd}.time_since_epoch().count(); }

bool need(BuiltinCheck& c, size_t i, Type want, const char* what) {
    if (c.args[i] == want || common_type(c.args[i], want) == want) return true;
    c.bad_arg = i;
    c.message = std::string(c.call.text) + "() needs " + what + " here, found " + std::string(type_name(c.args[i]));
    if (want == Type::date) c.help = "write dates as 2026-09-01, or use a date column such as ChargePeriodStart";
    return false;
}

}  // namespace

Type check_date_to_number(BuiltinCheck& c) { return need(c, 0, Type::date, "a date") ? Type::decimal : Type::error; }

Type check_two_dates(BuiltinCheck& c) {
    return need(c, 0, Type::date, "a date") && need(c, 1, Type::date, "a date") ? Type::decimal : Type::error;
}

Type check_date_and_count(BuiltinCheck& c) {
    if (!need(c, 0, Type::date, "a date") || !need(c, 1, Type::decimal, "a whole number of months")) return Type::error;
    return Type::date;
}

void days_in_month(Value* a, uint8_t, Value& r) {
    auto ymd = ymd_of(a[0].days);
    auto last = date::year_month_day_last{ymd.year(), date::month_day_last{ymd.month()}};
    r = Value::of(Decimal::from_int(static_cast<unsigned>(last.day())));
}

void day_of(Value* a, uint8_t, Value& r) { r = Value::of(Decimal::from_int(static_cast<unsigned>(ymd_of(a[0].days).day()))); }
void month_of(Value* a, uint8_t, Value& r) { r = Value::of(Decimal::from_int(static_cast<unsigned>(ymd_of(a[0].days).month()))); }
void year_of(Value* a, uint8_t, Value& r) { r = Value::of(Decimal::from_int(static_cast<int>(ymd_of(a[0].days).year()))); }

// Days from the first date to the second (negative when the second is earlier).
void days_between(Value* a, uint8_t, Value& r) { r = Value::of(Decimal::from_int(int64_t{a[1].days} - a[0].days)); }

// Calendar months later (or earlier, for a negative count). A day past the end of the target
// month is clamped to its last day: 2027-01-31 plus one month is 2027-02-28. A fractional
// count is refused at run time rather than rounded.
void add_months(Value* a, uint8_t, Value& r) {
    Decimal n = a[1].num.normalized();
    if (n.scale() != 0 || n.abs() > Decimal::from_int(12000))
        throw DecimalError(DecimalError::Kind::invalid, "add_months() needs a whole number of months up to 12,000");
    auto ymd = ymd_of(a[0].days);
    auto moved = date::year_month{ymd.year(), ymd.month()} + date::months{static_cast<int>(n.coefficient())};
    auto last = date::year_month_day_last{moved.year(), date::month_day_last{moved.month()}}.day();
    r = Value::of_days(days_of(date::year_month_day{moved.year(), moved.month(), std::min(ymd.day(), last)}));
}

}  // namespace ratebook::date_functions
