// The kinds of rule block a rule file may hold, each with its compiler. Adding a kind: write
// interpreter/compile_KIND.cpp and add one row to the table in rule_kinds.cpp.
#pragma once
#include <span>
#include <string_view>

#include "grammar/ast.hpp"
#include "interpreter/rule_context.hpp"

namespace ratebook {

struct RuleKind {
    std::string_view name;
    std::string_view summary;  // for docs and hints
    void (*compile)(RuleContext& ctx, const RuleDecl& rule);
};

std::span<const RuleKind> rule_kinds();
const RuleKind* find_rule_kind(std::string_view name);

void compile_rate(RuleContext& ctx, const RuleDecl& rule);
void compile_account(RuleContext& ctx, const RuleDecl& rule);
void compile_check(RuleContext& ctx, const RuleDecl& rule);

}  // namespace ratebook
