#include "interpreter/checker.hpp"

#include <fmt/format.h>

#include "interpreter/columns.hpp"
#include "stdlib/builtins.hpp"

namespace ratebook {
namespace {

std::string tn(Type t) { return std::string(type_name(t)); }

const char* op_word(Op op) {
    switch (op) {
        case Op::add: return "add";
        case Op::sub: return "subtract";
        case Op::mul: return "multiply";
        case Op::div: return "divide";
        default: return "combine";
    }
}

std::string arithmetic_help(Op op, Type a, Type b) {
    auto pair = [&](Type x, Type y) { return (a == x && b == y) || (a == y && b == x); };
    if ((op == Op::add || op == Op::sub) && pair(Type::money, Type::percent))
        return "to add a percentage to an amount, multiply: amount * (1 + percent)";
    if ((op == Op::add || op == Op::sub || op == Op::mul) && pair(Type::money, Type::decimal))
        return "write the amount with its currency, e.g. $1.00, or multiply by a unit price";
    if (op == Op::mul && a == Type::money && b == Type::money)
        return "one side should be a quantity, a percent or a plain number";
    if (a == Type::date || b == Type::date) return "dates can be compared, not used in arithmetic";
    if (a == Type::text && b == Type::text) return "texts can be joined with +, and compared with == or !=";
    if (a == Type::text || b == Type::text) return "text can only be joined to text (+) and compared with == or !=";
    return "see the table of allowed operations in docs/language.md";
}

}  // namespace

Type TypeChecker::record(const Expr& e, Type t) {
    types_[&e] = t;
    return t;
}

Type TypeChecker::type_of(const Expr& e) const {
    auto it = types_.find(&e);
    return it == types_.end() ? Type::error : it->second;
}

Type TypeChecker::expect(const Expr& e, Type want, std::string_view role) {
    Type t = check(e);
    if (t == Type::error || t == want || common_type(t, want) == want) return t;
    std::string help;
    if (want == Type::money && t == Type::decimal) help = "write it with a currency, e.g. $250.00";
    else if (want == Type::money && t == Type::quantity)
        help = "multiply the quantity by a unit price with a currency, e.g. PricingQuantity * $0.023";
    else if (want == Type::boolean) help = "write a comparison, e.g. ServiceCategory == \"Compute\"";
    else if (want == Type::text) help = "write it in double quotes, e.g. \"CLD-CMP\"";
    else if (want == Type::percent) help = "write a percentage, e.g. 90%";
    diags_.error("E0218", e.span,
                 fmt::format("{} must be {}, but this is {}", role, tn(want), tn(t)), help);
    return Type::error;
}

Type TypeChecker::check(const Expr& e) {
    switch (e.kind) {
        case ExprKind::literal: return record(e, check_literal(e));
        case ExprKind::name: return record(e, check_name(e));
        case ExprKind::unary: return record(e, check_unary(e));
        case ExprKind::binary: return record(e, check_binary(e));
        case ExprKind::in_list: return record(e, check_in_list(e));
        case ExprKind::if_then_else: return record(e, check_if(e));
        case ExprKind::call: return record(e, check_call(e));
    }
    return Type::error;
}

Type TypeChecker::check_literal(const Expr& e) {
    switch (e.literal_kind) {
        case LiteralKind::decimal: return Type::decimal;
        case LiteralKind::percent: return Type::percent;
        case LiteralKind::date: return Type::date;
        case LiteralKind::text: return Type::text;
        case LiteralKind::boolean: return Type::boolean;
        case LiteralKind::money:
            if (e.text != rules_.config.currency) {
                diags_.error("E0213", e.span,
                             fmt::format("this rule set bills in {}, but this amount is in {}",
                                         rules_.config.currency, e.text),
                             fmt::format("write amounts in {} (the `currency` in ratebook.toml)",
                                         rules_.config.currency));
                return Type::error;
            }
            return Type::money;
    }
    return Type::error;
}

Type TypeChecker::check_name(const Expr& e) {
    for (const auto& c : rules_.consts)
        if (c.name == e.text) return c.type;
    if (scope_) {
        for (const auto& n : *scope_)
            if (n.name == e.text) return n.type;
        std::vector<std::string> candidates;
        for (const auto& n : *scope_) candidates.emplace_back(n.name);
        std::string guess = closest_name(e.text, candidates);
        diags_.error("E0201", e.span, fmt::format("unknown name `{}`", e.text),
                     guess.empty() ? "" : fmt::format("did you mean `{}`?", guess));
        return Type::error;
    }
    if (auto col = find_column(e.text)) {
        if (constant_context_) {
            diags_.error("E0211", e.span,
                         fmt::format("a const cannot read the feed column {}", e.text),
                         "consts are fixed values such as 4.5% or $250.00; use the column inside "
                         "a rule instead");
            return Type::error;
        }
        return col->type;
    }
    std::vector<std::string> candidates = focus_column_names();
    for (const auto& c : rules_.consts) candidates.push_back(c.name);
    std::string guess = closest_name(e.text, candidates);
    diags_.error("E0201", e.span, fmt::format("unknown name `{}`", e.text),
                 guess.empty() ? "names are FOCUS columns (e.g. BilledCost, ServiceName) or "
                                 "consts defined earlier with `const`"
                               : fmt::format("did you mean `{}`?", guess));
    return Type::error;
}

Type TypeChecker::check_unary(const Expr& e) {
    Type t = check(*e.args[0]);
    if (t == Type::error) return t;
    if (e.op == Op::not_) {
        if (t == Type::boolean) return t;
        diags_.error("E0204", e.args[0]->span,
                     fmt::format("`not` needs a condition, but this is {}", tn(t)));
        return Type::error;
    }
    if (is_numeric(t)) return t;
    diags_.error("E0202", e.op_span, fmt::format("cannot negate {}", tn(t)));
    return Type::error;
}

Type TypeChecker::check_binary(const Expr& e) {
    Type a = check(*e.args[0]);
    Type b = check(*e.args[1]);
    if (e.op == Op::and_ || e.op == Op::or_) {
        bool ok = true;
        for (int i = 0; i < 2; ++i) {
            Type t = i == 0 ? a : b;
            if (t != Type::error && t != Type::boolean) {
                diags_.error("E0204", e.args[i]->span,
                             fmt::format("both sides of `{}` must be conditions, but this is {}",
                                         op_symbol(e.op), tn(t)),
                             "write a comparison, e.g. PricingQuantity > 0");
                ok = false;
            }
        }
        return ok && a != Type::error && b != Type::error ? Type::boolean : Type::error;
    }
    if (a == Type::error || b == Type::error) return Type::error;
    if (e.op == Op::eq || e.op == Op::ne || e.op == Op::lt || e.op == Op::le ||
        e.op == Op::gt || e.op == Op::ge) {
        if (comparable(e.op, a, b)) return Type::boolean;
        std::string help;
        if (common_type(a, b) != Type::error)
            help = fmt::format("{} values can only be compared with == or !=", tn(a));
        else if (a == Type::money || b == Type::money)
            help = "compare money with money, e.g. BilledCost > $0";
        else if (a == Type::date || b == Type::date)
            help = "write dates as 2026-09-01, without quotes";
        diags_.error("E0203", e.op_span,
                     fmt::format("cannot compare {} with {} using `{}`", tn(a), tn(b),
                                 op_symbol(e.op)),
                     help);
        return Type::error;
    }
    Type r = arithmetic_result(e.op, a, b);
    if (r != Type::error) return r;
    diags_.error("E0202", e.op_span,
                 fmt::format("cannot {} {} and {}", op_word(e.op), tn(a), tn(b)),
                 arithmetic_help(e.op, a, b));
    return Type::error;
}

Type TypeChecker::check_in_list(const Expr& e) {
    Type x = check(*e.args[0]);
    bool ok = x != Type::error;
    if (ok && x == Type::boolean) {
        diags_.error("E0210", e.op_span, "a list of true/false values makes no sense here",
                     "compare the condition with == instead");
        return Type::error;
    }
    for (size_t i = 1; i < e.args.size(); ++i) {
        const Expr& item = *e.args[i];
        Type t = check(item);
        if (t == Type::error) { ok = false; continue; }
        if (!is_constant_expr(item, rules_)) {
            diags_.error("E0210", item.span, "list items must be fixed values",
                         "write literals such as \"Compute\" or names of consts");
            ok = false;
        } else if (x != Type::error && common_type(x, t) == Type::error) {
            diags_.error("E0210", item.span,
                         fmt::format("this list item is {}, but the value tested is {}", tn(t),
                                     tn(x)));
            ok = false;
        }
    }
    return ok ? Type::boolean : Type::error;
}

Type TypeChecker::check_if(const Expr& e) {
    Type c = check(*e.args[0]);
    Type a = check(*e.args[1]);
    Type b = check(*e.args[2]);
    if (c != Type::error && c != Type::boolean) {
        diags_.error("E0204", e.args[0]->span,
                     fmt::format("the condition after `if` must be true or false, but this is {}",
                                 tn(c)),
                     "write a comparison, e.g. if PricingQuantity > 1000 then ...");
        return Type::error;
    }
    if (c == Type::error || a == Type::error || b == Type::error) return Type::error;
    Type r = common_type(a, b);
    if (r == Type::error)
        diags_.error("E0209", e.args[2]->span,
                     fmt::format("the `else` value is {}, but the `then` value is {}", tn(b),
                                 tn(a)),
                     "both branches must give the same kind of value");
    return r;
}

Type TypeChecker::check_tag(const Expr& e) {
    if (constant_context_) {
        diags_.error("E0211", e.span, "a const cannot read the record's tags",
                     "use tag(...) inside a rule instead");
        return Type::error;
    }
    if (e.args.size() != 1 || e.args[0]->kind != ExprKind::literal ||
        e.args[0]->literal_kind != LiteralKind::text) {
        diags_.error("E0208", e.span, "tag() takes one tag key written in quotes",
                     "for example tag(\"cost-center\")");
        return Type::error;
    }
    return Type::text;
}

Type TypeChecker::check_call(const Expr& e) {
    if (e.text == "tag") return check_tag(e);
    if (e.text == "lookup") return check_lookup(e);
    if (e.text == "business_days") return check_business_days(e);
    int index = find_builtin(e.text);
    if (index < 0) {
        for (const auto& a : e.args) check(*a);
        std::string guess = closest_name(e.text, builtin_names());
        diags_.error("E0205", e.op_span, fmt::format("unknown function `{}`", e.text),
                     guess.empty() ? "see docs/language.md for the list of functions"
                                   : fmt::format("did you mean `{}`?", guess));
        return Type::error;
    }
    const Builtin& fn = builtins()[index];
    std::vector<Type> types;
    bool ok = true;
    for (const auto& a : e.args) {
        types.push_back(check(*a));
        ok = ok && types.back() != Type::error;
    }
    int n = static_cast<int>(e.args.size());
    if (n < fn.min_args || n > fn.max_args) {
        std::string expected = fn.min_args == fn.max_args
                                   ? fmt::format("{}", fn.min_args)
                                   : fmt::format("{} to {}", fn.min_args, fn.max_args);
        diags_.error("E0206", e.op_span,
                     fmt::format("{}() takes {} argument{}, but {} {} given", fn.name, expected,
                                 fn.max_args == 1 ? "" : "s", n, n == 1 ? "was" : "were"),
                     fmt::format("usage: {}", fn.usage));
        return Type::error;
    }
    if (!ok) return Type::error;
    BuiltinCheck bc{e, types, {}, {}, 0};
    Type r = fn.check(bc);
    if (r == Type::error)
        diags_.error("E0207", e.args[bc.bad_arg]->span, bc.message,
                     bc.help.empty() ? fmt::format("usage: {}", fn.usage) : bc.help);
    return r;
}

bool is_constant_expr(const Expr& e, const RuleSet& rules) {
    if (e.kind == ExprKind::name) {
        for (const auto& c : rules.consts)
            if (c.name == e.text) return true;
        return false;
    }
    if (e.kind == ExprKind::call && e.text == "tag") return false;
    for (const auto& a : e.args)
        if (!is_constant_expr(*a, rules)) return false;
    return true;
}

}  // namespace ratebook
