#include "interpreter/types.hpp"

namespace ratebook {

std::string_view type_name(Type t) {
    switch (t) {
        case Type::error: return "an invalid value";
        case Type::boolean: return "Bool";
        case Type::decimal: return "Decimal";
        case Type::percent: return "Percent";
        case Type::money: return "Money";
        case Type::quantity: return "Quantity";
        case Type::date: return "Date";
        case Type::text: return "Text";
    }
    return "?";
}

Type common_type(Type a, Type b) {
    if (a == b) return a;
    if ((a == Type::quantity && b == Type::decimal) || (a == Type::decimal && b == Type::quantity))
        return Type::quantity;
    return Type::error;
}

static Type add_result(Type a, Type b) {
    if (a == Type::money && b == Type::money) return Type::money;
    if (a == Type::percent && b == Type::percent) return Type::percent;
    if ((a == Type::decimal && b == Type::percent) || (a == Type::percent && b == Type::decimal))
        return Type::decimal;
    Type c = common_type(a, b);
    return (c == Type::decimal || c == Type::quantity) ? c : Type::error;
}

static Type mul_result(Type a, Type b) {
    auto pair = [&](Type x, Type y) { return (a == x && b == y) || (a == y && b == x); };
    if (pair(Type::money, Type::decimal) || pair(Type::money, Type::percent) ||
        pair(Type::money, Type::quantity))
        return Type::money;
    if (pair(Type::quantity, Type::decimal) || pair(Type::quantity, Type::percent))
        return Type::quantity;
    if (pair(Type::percent, Type::percent) || pair(Type::percent, Type::decimal))
        return Type::percent;
    if (a == Type::decimal && b == Type::decimal) return Type::decimal;
    return Type::error;
}

static Type div_result(Type a, Type b) {
    if (a == Type::money) {
        if (b == Type::money) return Type::decimal;
        if (b == Type::decimal || b == Type::percent || b == Type::quantity) return Type::money;
        return Type::error;
    }
    if (a == Type::quantity) {
        if (b == Type::quantity) return Type::decimal;
        if (b == Type::decimal || b == Type::percent) return Type::quantity;
        return Type::error;
    }
    if (a == Type::percent) {
        if (b == Type::percent) return Type::decimal;
        if (b == Type::decimal) return Type::percent;
        return Type::error;
    }
    if (a == Type::decimal) {
        if (b == Type::decimal) return Type::decimal;
        if (b == Type::quantity) return Type::error;  // "per unit" of nothing: refuse
        if (b == Type::percent) return Type::decimal;
    }
    return Type::error;
}

Type arithmetic_result(Op op, Type a, Type b) {
    if (a == Type::error || b == Type::error) return Type::error;
    switch (op) {
        case Op::add:
            if (a == Type::text && b == Type::text) return Type::text;  // joined: SkuId + " " + RegionId
            return add_result(a, b);
        case Op::sub: return add_result(a, b);
        case Op::mul: return mul_result(a, b);
        case Op::div: return div_result(a, b);
        default: return Type::error;
    }
}

bool comparable(Op op, Type a, Type b) {
    Type c = common_type(a, b);
    if (c == Type::error) return false;
    if (c == Type::text || c == Type::boolean) return op == Op::eq || op == Op::ne;
    return true;
}

}  // namespace ratebook
