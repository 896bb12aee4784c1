// The drill-down clauses `service`, `product` and `component` (interpreter/drilldown.hpp), in a
// rate rule or in the rule set's `drilldown` block.
#pragma once
#include <map>
#include <string>

#include "interpreter/rule_context.hpp"

namespace ratebook {

// The clause keywords, for a rule kind's ClauseSpec list.
const std::vector<ClauseSpec>& drilldown_clauses();

// Compiles the drill-down clauses among a rate rule's `clauses` into `out` (the fields not
// written keep reading the feed, or later take the `drilldown` block's definition).
bool compile_rate_drilldown(RuleContext& ctx, const std::map<std::string, const Clause*>& clauses,
                            DrillDown& out);

}  // namespace ratebook
