// `schedule "NAME" { tiers graduated|volume  first Q at P%  next Q at P%  over at P% }` and its use
// in a rate rule, `tiers "NAME" at $BASE`. Why a schedule holds percentages, not prices: the same
// shape (say, "the standard storage volume discount") is reused by rates of different prices, so
// the shape is the breakpoints and the share of the base price in each band, and each rate gives
// its own base. The rate's tiers are then exactly as if written out: price = base x share.
#include <fmt/format.h>

#include "interpreter/compile_schedule.hpp"
#include "interpreter/rule_kinds.hpp"

namespace ratebook {
namespace {

const std::vector<ClauseSpec> schedule_clauses = {
    {"tiers", true}, {"first", false, false, true}, {"next", false, true, true}, {"over", false, false, true},
    {"description"}};

bool is_tier_line(const Clause& c) { return c.keyword == "first" || c.keyword == "next" || c.keyword == "over"; }

}  // namespace

void compile_schedule(RuleContext& ctx, const RuleDecl& r) {
    if (r.name.empty()) {
        ctx.diags.error("E0248", r.kind_span, "this schedule has no name",
                        "rates use a schedule by its name: write schedule \"Storage volume discount\" { ... }");
        return;
    }
    bool ok = ctx.check_unique_name(r);
    auto clauses = ctx.sort_clauses(r, schedule_clauses);
    auto kind = clauses.find("tiers");
    if (kind == clauses.end()) return;  // reported (E0217)
    if (uses_tier_schedule(kind->second)) {
        ctx.diags.error("E0248", kind->second->value->span, "a schedule cannot use another schedule",
                        "write its tier lines here: tiers graduated, then first ... at 100%, next ..., over at ...");
        return;
    }
    if (auto d = clauses.find("description");
        d != clauses.end() && (d->second->value->kind != ExprKind::literal || d->second->value->literal_kind != LiteralKind::text)) {
        ctx.diags.error("E0218", d->second->value->span, "a description must be text in quotes");
        ok = false;
    }
    std::optional<TierSchedule> shape;
    if (!compile_tier_lines(ctx, r, kind->second, Type::percent, shape) || !ok) return;
    ctx.rules.tier_shapes.push_back(TierShape{r.name, r.name_span, std::move(*shape)});
}

bool use_tier_schedule(RuleContext& ctx, const RuleDecl& r, const Clause& tiers, CompiledRate& rate) {
    bool ok = true;
    for (const Clause& c : r.clauses)
        if (is_tier_line(c)) {
            ctx.diags.error("E0246", c.keyword_span, "this rate takes its tiers from a named schedule",
                            fmt::format("remove the tier lines, or write `tiers graduated` instead of "
                                        "`tiers \"{}\"` to give the tiers here", tiers.value->text));
            ok = false;
            break;
        }
    if (!tiers.price) {
        ctx.diags.error("E0238", tiers.value->span, "a named schedule needs the rate's base price",
                        fmt::format("write `tiers \"{}\" at $0.023`: each tier is priced at its percentage of it",
                                    tiers.value->text));
        return false;
    }
    const Expr& price = *tiers.price;
    Type t = ctx.checker.expect(price, Type::money, "the base price of a tier schedule");
    if (t == Type::error) return false;
    if (!is_constant_expr(price, ctx.rules)) {
        ctx.diags.error("E0238", price.span, "the base price of a tier schedule must be a fixed value",
                        "tiers are priced on the month's volume, not per record: write a price such as "
                        "$0.023 or the name of a const");
        return false;
    }
    Value base;
    if (!ctx.exprs.fold(price, base) || !ok) return false;
    rate.tier_shape = TierShapeUse{tiers.value->text, base.num, tiers.value->span};
    rate.tiers = TierSchedule{};  // filled in by finish_schedule
    return true;
}

void finish_schedule(RuleContext& ctx) {
    for (CompiledRate& rate : ctx.rules.rates) {
        if (!rate.tier_shape) continue;
        const TierShapeUse& use = *rate.tier_shape;
        const TierShape* found = nullptr;
        for (const TierShape& s : ctx.rules.tier_shapes)
            if (s.name == use.name) found = &s;
        if (!found) {
            std::vector<std::string> names;
            for (const TierShape& s : ctx.rules.tier_shapes) names.push_back(s.name);
            std::string guess = closest_name(use.name, names);
            ctx.diags.error("E0239", use.span, fmt::format("there is no schedule named \"{}\"", use.name),
                            !guess.empty() ? fmt::format("did you mean \"{}\"?", guess)
                                           : "declare it with schedule \"NAME\" { ... }, or `use` the stdlib "
                                             "library that has it, e.g. use \"tiers/three_step_discount\"");
            continue;
        }
        TierSchedule tiers = found->shape;
        try {
            for (auto& tier : tiers.tiers) {
                // Exact; shown with the base price's places (0.3000 x 90% = 0.2700, not 0.270000).
                Decimal price = (use.base * tier.price).normalized();
                tier.price = price.scale() < use.base.scale() ? price.rounded(use.base.scale()) : price;
            }
        } catch (const DecimalError&) {
            ctx.diags.error("E0238", use.span, "the base price times a tier's percentage is too large a number");
            continue;
        }
        rate.tiers = std::move(tiers);
    }
}

}  // namespace ratebook
