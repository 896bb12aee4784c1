// The syntax tree of a rule file: plain structs, each with its Span. Produced by the parser
// (grammar/parser.cpp, the only code that sees PEGTL), read by the checker and compiler.
//
// Rule blocks are generic on purpose: `KIND "Name" { clause* }`, where a clause is a keyword
// followed by an expression (plus, for some keywords, a fixed extra form such as a table
// lookup). Adding a rule kind means teaching the checker its clauses, not a new grammar.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/source.hpp"
#include "interpreter/decimal.hpp"

namespace ratebook {

enum class ExprKind : uint8_t {
    literal,       // 12.5  $1,250.00  4.5%  2026-09-01  "Compute"  true
    name,          // a const or a feed column: admin_fee, BilledCost
    unary,         // op in {neg, not_}; args = [operand]
    binary,        // args = [left, right]
    in_list,       // x in [a, b, c] / x not in [...]; args = [x, a, b, c]
    if_then_else,  // if c then a else b; args = [c, a, b]
    call,          // round(x, 2), tag("cost-center"); text = function name
};

enum class LiteralKind : uint8_t { decimal, money, percent, date, text, boolean };

enum class Op : uint8_t { add, sub, mul, div, eq, ne, lt, le, gt, ge, and_, or_, neg, not_ };

// The operator as written in a rule file: "+", "==", "and" (negation is "-").
std::string_view op_symbol(Op op);

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
    ExprKind kind = ExprKind::literal;
    Span span;     // the whole expression (clipped to its first line)
    Span op_span;  // the operator or keyword (binary, unary, in_list) or the name (call)

    // literal
    LiteralKind literal_kind = LiteralKind::decimal;
    Decimal number;    // decimal, money and percent literals, as written: 4.5% -> 4.5
    int32_t days = 0;  // date literals: days since 1970-01-01 (already validated)
    bool flag = false; // boolean literals; for in_list: true when written `not in`

    // text literal value (escapes resolved), money currency code ("USD" for `$`),
    // name of a `name` or `call`
    std::string text;

    Op op = Op::add;              // unary and binary
    std::vector<ExprPtr> args;    // see ExprKind
};

// `const name = expr`
struct ConstDecl {
    std::string name;
    Span name_span;
    ExprPtr value;
    Span span;  // the `const` keyword
};

// `in table accounts.CostCenter -> AccountCode`, written after a `from` clause's expression.
struct TableLookup {
    std::string table;
    std::string key_column;
    std::string value_column;
    Span table_span;
    Span key_span;
    Span value_span;
    bool prefix = false;  // `prefix in table`: the longest key the value starts with
};

// One clause of a rule block: `match ServiceCategory == "Compute"`, `ru "CLD-CMP"`,
// `from tag("cost-center") in table accounts.CostCenter -> AccountCode`, `else "99999"`.
// In an account block `else from X ...` is a `from` clause (order is what matters).
// Tier lines carry a price: `first 50,000 at $0.023`, `over at $0.021`.
struct Clause {
    std::string keyword;
    Span keyword_span;
    ExprPtr value;                      // null for `over at $0.021`
    ExprPtr price;                      // `at EXPR` after the value: tier lines
    Span price_span;                    // the `at`
    std::optional<TableLookup> lookup;
};

// `rate "Cloud compute" { ... }` or `account "Customer accounts" { ... }`.
struct RuleDecl {
    std::string kind;  // "rate", "account"
    Span kind_span;
    std::string name;  // "" when the kind allows no name and none was written
    Span name_span;
    std::vector<Clause> clauses;
    Span close_span;   // the closing brace, for "missing clause" errors
};

// `use "sla/aws_compute"`: compile a library of the standard rules (stdlib/sla/aws_compute.rules)
// with this rule set. The loader resolves and checks the path.
struct UseDecl {
    std::string path;  // as written, without quotes
    Span span;         // the text in quotes
};

struct Module {
    std::shared_ptr<const SourceFile> file;
    std::vector<UseDecl> uses;
    std::vector<ConstDecl> consts;
    std::vector<RuleDecl> rules;
};

}  // namespace ratebook
