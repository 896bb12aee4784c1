#include "stdlib/finance_functions.hpp"

#include <date/date.h>

#include <algorithm>
#include <string>

namespace ratebook {
namespace {

date::year_month_day ymd_of(int32_t days) { return date::year_month_day{date::sys_days{date::days{days}}}; }

// Monday..Friday in [from, to), from < to, by whole weeks then the rest.
int64_t weekdays(int32_t from, int32_t to) {
    int64_t n = int64_t{to} - from;
    int64_t count = n / 7 * 5;
    // 1970-01-01 was a Thursday: weekday index 0 = Monday ... 6 = Sunday.
    int64_t wd = ((int64_t{from} + 3) % 7 + 7) % 7;
    for (int64_t i = 0; i < n % 7; ++i)
        if ((wd + i) % 7 < 5) ++count;
    return count;
}

bool is_weekday(int32_t day) { return ((int64_t{day} + 3) % 7 + 7) % 7 < 5; }

}  // namespace

int64_t count_business_days(int32_t from, int32_t to, const std::vector<int32_t>& holidays) {
    if (to < from) return -count_business_days(to, from, holidays);
    int64_t count = weekdays(from, to);
    auto first = std::lower_bound(holidays.begin(), holidays.end(), from);
    auto last = std::lower_bound(holidays.begin(), holidays.end(), to);
    for (auto it = first; it != last; ++it)
        if (is_weekday(*it)) --count;  // a holiday on a Saturday takes no business day away
    return count;
}

namespace finance_functions {

Type check_fiscal_year_of(BuiltinCheck& c) {
    if (c.args[0] == Type::date) return Type::decimal;
    c.message = "fiscal_year_of() needs a date, found " + std::string(type_name(c.args[0]));
    c.help = "write dates as 2026-09-01, or use a date column such as ChargePeriodStart";
    return Type::error;
}

// A fiscal year is named for the year it ends in. It starts on the month and day of the
// configured start; the date's fiscal year starts on that anniversary in the date's own year,
// or the year before if the date comes earlier in the calendar year.
void fiscal_year_of(Value* a, uint8_t, Value& r) {
    auto d = ymd_of(a[0].days);
    auto start = ymd_of(a[1].days);
    bool on_or_after = std::pair{unsigned(d.month()), unsigned(d.day())} >=
                       std::pair{unsigned(start.month()), unsigned(start.day())};
    int begins = int(d.year()) - (on_or_after ? 0 : 1);
    // It ends the day before the next start: in `begins` itself when the year starts on 1 January.
    bool calendar_year = unsigned(start.month()) == 1 && unsigned(start.day()) == 1;
    r = Value::of(Decimal::from_int(calendar_year ? begins : begins + 1));
}

Type check_prorate(BuiltinCheck& c) {
    Type t = c.args[0];
    if (t != Type::money && t != Type::quantity && t != Type::decimal) {
        c.message = "prorate() spreads an amount (Money, a quantity or a number), found " + std::string(type_name(t));
        return Type::error;
    }
    for (size_t i = 1; i < 3; ++i)
        if (c.args[i] != Type::decimal) {
            c.bad_arg = i;
            c.message = "prorate() counts days as plain numbers, found " + std::string(type_name(c.args[i]));
            c.help = "e.g. prorate($250.00, days_between(2026-10-20, 2026-11-01), days_in_month(2026-10-20))";
            return Type::error;
        }
    return t;
}

void prorate(Value* a, uint8_t, Value& r) {
    // Multiply first, divide once: exact unless the quotient needs more than 18 places.
    r = Value::of(a[0].num * a[1].num / a[2].num);
}

}  // namespace finance_functions
}  // namespace ratebook
