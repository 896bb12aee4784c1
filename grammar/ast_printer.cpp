// A stable, readable dump of the syntax tree for golden tests: one line per item or clause,
// expressions as prefix lists, positions only as @line:col of each rule.
#include <date/date.h>
#include <fmt/format.h>
#include <algorithm>

#include "grammar/parser.hpp"

namespace ratebook {
namespace {

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}


std::string print_literal(const Expr& e) {
    switch (e.literal_kind) {
        case LiteralKind::decimal: return "(decimal " + e.number.to_string() + ")";
        case LiteralKind::money: return fmt::format("(money {} {})", e.number.to_string(), e.text);
        case LiteralKind::percent: return "(percent " + e.number.to_string() + ")";
        case LiteralKind::date:
            return "(date " + date::format("%F", date::sys_days{date::days{e.days}}) + ")";
        case LiteralKind::text: return "(text " + quoted(e.text) + ")";
        case LiteralKind::boolean: return e.flag ? "(bool true)" : "(bool false)";
    }
    return "(?)";
}

std::string print_args(const Expr& e, size_t from, const char* sep) {
    std::string out;
    for (size_t i = from; i < e.args.size(); ++i) {
        if (i > from) out += sep;
        out += print_expr(*e.args[i]);
    }
    return out;
}

std::string print_clause(const Clause& c) {
    std::string out = "  " + c.keyword;
    if (c.value || !c.price) out += " " + (c.value ? print_expr(*c.value) : std::string("(missing)"));
    if (c.price) out += " at " + print_expr(*c.price);
    if (c.lookup)
        out += fmt::format("{} in table {}.{} -> {}", c.lookup->prefix ? " prefix" : "", c.lookup->table, c.lookup->key_column,
                           c.lookup->value_column);
    return out + "\n";
}

}  // namespace

std::string print_expr(const Expr& e) {
    switch (e.kind) {
        case ExprKind::literal: return print_literal(e);
        case ExprKind::name: return "(name " + e.text + ")";
        case ExprKind::unary:  // `neg` in the dump, so it never reads like a subtraction
            return fmt::format("({} {})", e.op == Op::neg ? "neg" : "not", print_args(e, 0, " "));
        case ExprKind::binary: return fmt::format("({} {})", op_symbol(e.op), print_args(e, 0, " "));
        case ExprKind::in_list:
            return fmt::format("({} {} [{}])", e.flag ? "not-in" : "in", print_expr(*e.args[0]),
                               print_args(e, 1, " "));
        case ExprKind::if_then_else: return "(if " + print_args(e, 0, " ") + ")";
        case ExprKind::call:
            return e.args.empty() ? "(call " + e.text + ")"
                                  : "(call " + e.text + " " + print_args(e, 0, " ") + ")";
    }
    return "(?)";
}

// Items in source order (consts and rules are kept apart in the Module).
std::string print_ast(const Module& m) {
    std::vector<std::pair<std::pair<uint32_t, uint32_t>, std::string>> items;
    for (const UseDecl& u : m.uses)
        items.push_back({{u.span.line, u.span.column}, fmt::format("use {}\n", quoted(u.path))});
    for (const ConstDecl& c : m.consts)
        items.push_back(
            {{c.span.line, c.span.column},
             fmt::format("const {} = {}\n", c.name, c.value ? print_expr(*c.value) : "(missing)")});
    for (const RuleDecl& r : m.rules) {
        std::string name = r.name_span.valid() ? fmt::format(" {}", quoted(r.name)) : std::string();
        std::string out =
            fmt::format("{}{} @{}:{}\n", r.kind, name, r.kind_span.line, r.kind_span.column);
        for (const Clause& c : r.clauses) out += print_clause(c);
        items.push_back({{r.kind_span.line, r.kind_span.column}, out});
    }
    std::stable_sort(items.begin(), items.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string out;
    for (const auto& item : items) out += item.second;
    return out;
}

std::string_view op_symbol(Op op) {
    switch (op) {
        case Op::add: return "+";
        case Op::sub:
        case Op::neg: return "-";
        case Op::mul: return "*";
        case Op::div: return "/";
        case Op::eq: return "==";
        case Op::ne: return "!=";
        case Op::lt: return "<";
        case Op::le: return "<=";
        case Op::gt: return ">";
        case Op::ge: return ">=";
        case Op::and_: return "and";
        case Op::or_: return "or";
        case Op::not_: return "not";
    }
    return "?";
}

}  // namespace ratebook
