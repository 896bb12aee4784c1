// Named tier schedules: `schedule "NAME" { tiers graduated  first 1,000 at 100% ... }` declares
// a tier shape once (often in a stdlib library, `use "tiers/three_step_discount"`), and a rate
// rule prices with it by `tiers "NAME" at $0.023`: each tier's price is its percentage of that
// base price. See docs/language.md, "Named tier schedules".
#pragma once
#include <optional>

#include "interpreter/rule_context.hpp"

namespace ratebook {

// The tier lines of a rule (compile_rate.cpp): `tiers graduated|volume` then `first`, `next`,
// `over` lines whose prices are of `price_type` (Money in a rate, Percent in a schedule).
bool compile_tier_lines(RuleContext& ctx, const RuleDecl& r, const Clause* kind_clause, Type price_type,
                        std::optional<TierSchedule>& out);

// Whether a rate's `tiers` clause names a schedule (`tiers "NAME" at PRICE`).
inline bool uses_tier_schedule(const Clause* tiers) {
    return tiers && tiers->value && tiers->value->kind == ExprKind::literal &&
           tiers->value->literal_kind == LiteralKind::text;
}

// Reads `tiers "NAME" at PRICE` into rate.tier_shape; the tiers themselves are filled in once
// every schedule is known (finish_schedule), since the schedule may be in a later file.
bool use_tier_schedule(RuleContext& ctx, const RuleDecl& r, const Clause& tiers, CompiledRate& rate);

}  // namespace ratebook
