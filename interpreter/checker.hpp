// Pass 2 of 3: names and types. Reads the AST, resolves names to consts or feed columns, and
// gives every expression a type, reporting E02xx errors at the exact spot. It never emits code;
// the compiler runs only over expressions it has accepted (type != error).
#pragma once
#include <string>
#include <unordered_map>
#include <vector>

#include "grammar/ast.hpp"
#include "grammar/diagnostic.hpp"
#include "interpreter/ruleset.hpp"
#include "interpreter/types.hpp"

namespace ratebook {

class TypeChecker {
public:
    TypeChecker(const RuleSet& rules, Diagnostics& diags) : rules_(rules), diags_(diags) {}

    // Types `e` and everything under it. Reports each problem once; an expression over an
    // erroneous part is silently Type::error, so one mistake gives one message.
    Type check(const Expr& e);
    // Like check(), and additionally reports when the result is not `want`.
    // `role` names the place in plain words: "the match condition", "a rate's charge".
    Type expect(const Expr& e, Type want, std::string_view role);

    Type type_of(const Expr& e) const;
    // When true, `const` context: feed columns and tags are refused.
    void set_constant_context(bool on) { constant_context_ = on; }
    // When set, names resolve against these (and consts) instead of the feed's columns: a rule
    // kind that is evaluated over something other than a usage record (variance rules see a
    // group's measures). Slot numbers are then positions in this list.
    void set_scope(const std::vector<ColumnInfo>* names) { scope_ = names; }
    const std::vector<ColumnInfo>* scope() const { return scope_; }

private:
    Type check_literal(const Expr& e);
    Type check_name(const Expr& e);
    Type check_unary(const Expr& e);
    Type check_binary(const Expr& e);
    Type check_in_list(const Expr& e);
    Type check_if(const Expr& e);
    Type check_call(const Expr& e);
    Type check_tag(const Expr& e);
    Type check_lookup(const Expr& e);         // interpreter/check_lookup.cpp
    Type check_business_days(const Expr& e);  // interpreter/check_lookup.cpp
    Type record(const Expr& e, Type t);

    const RuleSet& rules_;
    Diagnostics& diags_;
    bool constant_context_ = false;
    const std::vector<ColumnInfo>* scope_ = nullptr;
    std::unordered_map<const Expr*, Type> types_;
};

// Whether an expression reads nothing from the record (no columns, no tags): such expressions
// are folded to constants by the compiler.
bool is_constant_expr(const Expr& e, const RuleSet& rules);

}  // namespace ratebook
