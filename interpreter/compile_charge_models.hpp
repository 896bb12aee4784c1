// Clauses of a rate rule for the charge models priced on the month, beyond tiers: package
// blocks (`blocks 1,000 at $0.40` + `partial up|prorated`) and a baseline with ARC/RRC
// (`baseline 100`, `deadband 5`, `arc at $130.00`, `rrc at $90.00`). Called by compile_rate.
#pragma once
#include <map>
#include <string>

#include "interpreter/rule_context.hpp"

namespace ratebook {

using ClauseMap = std::map<std::string, const Clause*>;

// The clause keywords these models add to a rate rule.
const std::vector<ClauseSpec>& charge_model_clauses();

// Reads `blocks` and `partial` into rate.blocks. False after reporting an error.
bool compile_blocks(RuleContext& ctx, const ClauseMap& clauses, CompiledRate& rate);
// Reads `baseline`, `deadband`, `arc` and `rrc` into rate.baseline. False after an error.
bool compile_baseline(RuleContext& ctx, const ClauseMap& clauses, CompiledRate& rate);

// A fixed value of the wanted type (literal, const, or arithmetic on them), or an error with
// `code` at the expression.
bool fixed_model_value(RuleContext& ctx, const Expr& e, Type want, std::string_view role, const char* code,
                       Value& out);

}  // namespace ratebook
