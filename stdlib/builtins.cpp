#include "stdlib/builtins.hpp"

#include "stdlib/date_functions.hpp"
#include "stdlib/finance_functions.hpp"

#include <array>

namespace ratebook {
namespace {

// ---- type checks --------------------------------------------------------------------------

bool is_integer_literal(const Expr& e, int lo, int hi) {
    if (e.kind != ExprKind::literal || e.literal_kind != LiteralKind::decimal) return false;
    const Decimal& d = e.number;
    if (d.normalized().scale() != 0) return false;
    return d >= Decimal::from_int(lo) && d <= Decimal::from_int(hi);
}

bool is_roundable(Type t) {
    return t == Type::money || t == Type::quantity || t == Type::decimal || t == Type::percent;
}

Type check_round(BuiltinCheck& c) {
    if (!is_roundable(c.args[0])) {
        c.message = "round() needs a number to round, found " + std::string(type_name(c.args[0]));
        return Type::error;
    }
    if (!is_integer_literal(*c.call.args[1], 0, Decimal::max_scale)) {
        c.bad_arg = 1;
        c.message = "the number of decimal places must be a whole number from 0 to 18";
        c.help = "for cents write round(x, 2)";
        return Type::error;
    }
    if (c.args.size() == 3) {
        const Expr& mode = *c.call.args[2];
        if (mode.kind != ExprKind::literal || mode.literal_kind != LiteralKind::text ||
            !rounding_mode_from_name(mode.text)) {
            c.bad_arg = 2;
            c.message = "unknown rounding mode";
            c.help = "use one of \"half_even\", \"half_up\", \"half_down\", \"down\", \"up\", "
                     "\"ceiling\", \"floor\"";
            return Type::error;
        }
    }
    return c.args[0];
}

Type check_same_numbers(BuiltinCheck& c) {
    Type t = c.args[0];
    for (size_t i = 0; i < c.args.size(); ++i) {
        if (!is_numeric(c.args[i]) && c.args[i] != Type::date) {
            c.bad_arg = i;
            c.message = std::string(c.call.text) + "() compares numbers or dates, found " +
                        std::string(type_name(c.args[i]));
            return Type::error;
        }
        Type common = common_type(t, c.args[i]);
        if (common == Type::error) {
            c.bad_arg = i;
            c.message = std::string(c.call.text) + "() needs values of one type: found " +
                        std::string(type_name(t)) + " and " + std::string(type_name(c.args[i]));
            if (t == Type::money || c.args[i] == Type::money)
                c.help = "write money amounts with their currency, e.g. $0.00";
            return Type::error;
        }
        t = common;
    }
    return t;
}

Type check_abs(BuiltinCheck& c) {
    if (!is_numeric(c.args[0])) {
        c.message = "abs() needs a number, found " + std::string(type_name(c.args[0]));
        return Type::error;
    }
    return c.args[0];
}

// ---- evaluation ---------------------------------------------------------------------------

void eval_round(Value* a, uint8_t argc, Value& r) {
    int places = static_cast<int>(a[1].num.normalized().coefficient());
    RoundingMode mode = RoundingMode::half_even;
    if (argc == 3) mode = *rounding_mode_from_name(a[2].text.view());
    r = Value::of(a[0].num.rounded(places, mode));
}

// min/max/clamp: the checker guarantees all arguments are numbers of one type.
void eval_min(Value* a, uint8_t argc, Value& r) {
    Value best = a[0];
    for (uint8_t i = 1; i < argc; ++i)
        if (a[i].num < best.num) best = a[i];
    r = best;
}
void eval_max(Value* a, uint8_t argc, Value& r) {
    Value best = a[0];
    for (uint8_t i = 1; i < argc; ++i)
        if (a[i].num > best.num) best = a[i];
    r = best;
}
void eval_abs(Value* a, uint8_t, Value& r) { r = Value::of(a[0].num.abs()); }
void eval_clamp(Value* a, uint8_t, Value& r) {
    if (a[0].num < a[1].num) r = a[1];
    else if (a[0].num > a[2].num) r = a[2];
    else r = a[0];
}

Type check_numbers_only(BuiltinCheck& c) {
    Type t = check_same_numbers(c);
    if (t == Type::date) {
        c.message = std::string(c.call.text) + "() works on numbers; dates are not supported yet";
        return Type::error;
    }
    return t;
}

namespace df = date_functions;

const std::array<Builtin, 13> table = {{
    {"round", 2, 3, "round(amount, places[, mode])",
     "rounds to a number of decimal places; mode defaults to half_even", check_round,
     eval_round},
    {"min", 2, 16, "min(a, b, ...)", "the smallest of its arguments (all of one type)",
     check_numbers_only, eval_min},
    {"max", 2, 16, "max(a, b, ...)", "the largest of its arguments (all of one type)",
     check_numbers_only, eval_max},
    {"abs", 1, 1, "abs(x)", "the value without its sign", check_abs, eval_abs},
    {"clamp", 3, 3, "clamp(x, low, high)", "x limited to the range low..high",
     check_numbers_only, eval_clamp},
    {"days_in_month", 1, 1, "days_in_month(date)", "days in the date's month (28 to 31)",
     df::check_date_to_number, df::days_in_month},
    {"day_of", 1, 1, "day_of(date)", "the day of the month, 1 to 31", df::check_date_to_number, df::day_of},
    {"month_of", 1, 1, "month_of(date)", "the month, 1 to 12", df::check_date_to_number, df::month_of},
    {"year_of", 1, 1, "year_of(date)", "the calendar year", df::check_date_to_number, df::year_of},
    {"days_between", 2, 2, "days_between(from, to)", "days from the first date to the second",
     df::check_two_dates, df::days_between},
    {"add_months", 2, 2, "add_months(date, months)",
     "the date whole months later; a day past the month's end becomes its last day", df::check_date_and_count,
     df::add_months},
    {"fiscal_year_of", 1, 1, "fiscal_year_of(date)",
     "the fiscal year the date falls in, named for the year it ends in (start from ratebook.toml)",
     finance_functions::check_fiscal_year_of, finance_functions::fiscal_year_of, true},
    {"prorate", 3, 3, "prorate(amount, days, of_days)", "amount x days / of_days, exact",
     finance_functions::check_prorate, finance_functions::prorate},
}};

}  // namespace

std::span<const Builtin> builtins() { return table; }

int find_builtin(std::string_view name) {
    for (size_t i = 0; i < table.size(); ++i)
        if (table[i].name == name) return static_cast<int>(i);
    return -1;
}

std::vector<std::string> builtin_names() {
    std::vector<std::string> names;
    for (const auto& b : table) names.emplace_back(b.name);
    names.emplace_back("tag");
    names.emplace_back("lookup");         // interpreter/check_lookup.cpp: reads a table
    names.emplace_back("business_days");  // reads the holiday table
    return names;
}

}  // namespace ratebook
