// `rate "NAME" { match ... ru ... [volume ...] [unit ...] charge ... [priority N] [description "..."] }`
#include <fmt/format.h>

#include "interpreter/rule_kinds.hpp"

namespace ratebook {
namespace {

const std::vector<ClauseSpec> rate_clauses = {
    {"match", true}, {"ru", true}, {"volume", false}, {"unit", false},
    {"charge", true}, {"priority", false}, {"description", false}};

// `Column == "text"` at the head of the match (alone or the left of an `and` chain) files the
// rule in the engine's dispatch index, so it is only tried on records with that value.
void find_dispatch(const Expr& match, RuleSet& rules, CompiledRate& rate) {
    const Expr* e = &match;
    while (e->kind == ExprKind::binary && e->op == Op::and_) e = e->args[0].get();
    if (e->kind != ExprKind::binary || e->op != Op::eq) return;
    const Expr* col = e->args[0].get();
    const Expr* lit = e->args[1].get();
    if (col->kind != ExprKind::name) std::swap(col, lit);
    if (col->kind != ExprKind::name || lit->kind != ExprKind::literal || lit->literal_kind != LiteralKind::text)
        return;
    auto info = find_column(col->text);
    if (!info || info->type != Type::text) return;
    rate.dispatch_slot = rules.slot_of(col->text);
    rate.dispatch_value = lit->text;
}

bool read_priority(RuleContext& ctx, const Expr& p, CompiledRate& rate) {
    if (p.kind != ExprKind::literal || p.literal_kind != LiteralKind::decimal ||
        p.number.normalized().scale() != 0 || p.number.abs() > Decimal::from_int(1000000)) {
        ctx.diags.error("E0220", p.span, "priority must be a whole number",
                        "a higher priority wins when two rate rules match the same record, e.g. priority 10");
        return false;
    }
    rate.priority = static_cast<int64_t>(p.number.normalized().coefficient());
    return true;
}

}  // namespace

void compile_rate(RuleContext& ctx, const RuleDecl& r) {
    if (r.name.empty())
        ctx.diags.error("E0217", r.kind_span, "this rate rule has no name",
                        "write a name in quotes after `rate`, e.g. rate \"Cloud compute\" { ... }");
    bool ok = ctx.check_unique_name(r);
    auto clauses = ctx.sort_clauses(r, rate_clauses);
    CompiledRate rate;
    rate.name = r.name;
    rate.kind_span = r.kind_span;
    rate.name_span = r.name_span;
    auto compile_clause = [&](const char* key, Type want, const char* role, Chunk& out) {
        auto it = clauses.find(key);
        if (it != clauses.end() && !ctx.exprs.compile(*it->second->value, want, role, out)) ok = false;
    };
    compile_clause("match", Type::boolean, "the match condition", rate.match);
    compile_clause("ru", Type::text, "the resource unit code (ru)", rate.ru);
    compile_clause("volume", Type::quantity, "the volume", rate.volume);
    compile_clause("unit", Type::text, "the unit", rate.unit);
    compile_clause("charge", Type::money, "the charge", rate.charge);
    if (!clauses.count("volume")) rate.volume = ctx.exprs.column_chunk("PricingQuantity", r.kind_span);
    if (!clauses.count("unit")) rate.unit = ctx.exprs.column_chunk("PricingUnit", r.kind_span);
    if (auto it = clauses.find("priority"); it != clauses.end())
        ok = read_priority(ctx, *it->second->value, rate) && ok;
    if (auto it = clauses.find("description"); it != clauses.end()) {
        const Expr& d = *it->second->value;
        if (d.kind != ExprKind::literal || d.literal_kind != LiteralKind::text) {
            ctx.diags.error("E0218", d.span, "a description must be text in quotes");
            ok = false;
        } else {
            rate.description = d.text;
        }
    }
    if (auto it = clauses.find("match"); it != clauses.end()) find_dispatch(*it->second->value, ctx.rules, rate);
    if (ok) ctx.rules.rates.push_back(std::move(rate));
}

}  // namespace ratebook
