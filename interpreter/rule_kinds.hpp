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
    // Checks that need every rule of the kind (run once after all rules compiled); may be null.
    void (*finish)(RuleContext& ctx) = nullptr;
};

std::span<const RuleKind> rule_kinds();
const RuleKind* find_rule_kind(std::string_view name);

void compile_rate(RuleContext& ctx, const RuleDecl& rule);
void compile_account(RuleContext& ctx, const RuleDecl& rule);
void compile_sla(RuleContext& ctx, const RuleDecl& rule);
void compile_variance(RuleContext& ctx, const RuleDecl& rule);
void finish_variance(RuleContext& ctx);
void compile_allocate(RuleContext& ctx, const RuleDecl& rule);
// Once every rule is compiled: puts allocations in their run order (`after`), or reports an
// unknown name (E0298) or a cycle (E0297).
void order_allocations(RuleContext& ctx);
void compile_fee(RuleContext& ctx, const RuleDecl& rule);
void compile_check(RuleContext& ctx, const RuleDecl& rule);
// The rule set's `drilldown` block, then applying it to the rates (compile_drilldown.cpp).
void compile_drilldown(RuleContext& ctx, const RuleDecl& rule);
void finish_drilldown(RuleContext& ctx);
// Named tier schedules, then the rates that use them (compile_schedule.cpp).
void compile_schedule(RuleContext& ctx, const RuleDecl& rule);
void finish_schedule(RuleContext& ctx);

}  // namespace ratebook
