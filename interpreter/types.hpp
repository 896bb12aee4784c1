// The value types of the rule language and the rules for combining them.
//
// Allowed arithmetic (anything not listed is a compile error at the operator):
//   Money +- Money -> Money        Quantity +- Quantity -> Quantity   Percent +- Percent -> Percent
//   Decimal +- Decimal -> Decimal  Decimal +- Percent -> Decimal (1 + 4.5% = 1.045)
//   Money x Decimal|Percent|Quantity -> Money   (a quantity times a unit price is money)
//   Quantity x Decimal|Percent -> Quantity      Percent x Percent|Decimal -> Percent
//   Money / Money -> Decimal   Money / Decimal|Percent|Quantity -> Money (a unit price)
//   Quantity / Quantity -> Decimal   Quantity / Decimal -> Quantity   Percent / Percent -> Decimal
// Decimal mixes freely with Quantity (a plain number is a count of the record's unit), but
// never with Money: write `$0`, not `0`, so a forgotten unit price is caught.
// Refused on purpose: Money x Money, Money + Percent (write `x * (1 + p)`), Quantity x Quantity.
#pragma once
#include <cstdint>
#include <string_view>

#include "grammar/ast.hpp"

namespace ratebook {

enum class Type : uint8_t { error, boolean, decimal, percent, money, quantity, date, text };

std::string_view type_name(Type t);  // "Money", "Percent", ... as authors read them

inline bool is_numeric(Type t) {
    return t == Type::decimal || t == Type::percent || t == Type::money || t == Type::quantity;
}

// Result of `a op b` for arithmetic ops (add, sub, mul, div), or Type::error when refused.
Type arithmetic_result(Op op, Type a, Type b);

// Whether `a` and `b` can be compared with op (eq, ne, lt, le, gt, ge).
bool comparable(Op op, Type a, Type b);

// The type two branches (if/else, min/max arguments, list items) share, or Type::error.
Type common_type(Type a, Type b);

}  // namespace ratebook
