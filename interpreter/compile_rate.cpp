// `rate "NAME" { match ... ru ... [volume ...] [unit ...] charge ... [priority N]
//                [description "..."] [effective DATE] [until DATE] }`
// or, priced on the month's volume per account, instead of `charge`:
//                tiers graduated|volume  first Q at P  next Q at P ...  over at P
#include <date/date.h>
#include <fmt/format.h>

#include <climits>

#include "interpreter/compile_charge_models.hpp"
#include "interpreter/compile_drilldown.hpp"
#include "interpreter/compile_schedule.hpp"
#include "interpreter/disasm.hpp"
#include "interpreter/rule_kinds.hpp"

namespace ratebook {
namespace {

const std::vector<ClauseSpec> rate_clauses = [] {
    std::vector<ClauseSpec> v = {
        {"match", true},       {"ru", true},          {"volume"},       {"unit"},
        {"charge"},            {"priority"},          {"description"},  {"effective"},
        {"until"},             {"tiers", false, false, true},             {"minimum"},             {"first", false, false, true},
        {"next", false, true, true},                  {"over", false, false, true}};
    v.insert(v.end(), charge_model_clauses().begin(), charge_model_clauses().end());  // blocks, baseline
    v.insert(v.end(), drilldown_clauses().begin(), drilldown_clauses().end());  // service, product, component
    return v;
}();

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

// A fixed value of the wanted type (a literal, a const, or arithmetic on them).
bool fixed_value(RuleContext& ctx, const Expr& e, Type want, std::string_view role, Value& out) {
    Type t = ctx.checker.expect(e, want, role);
    if (t == Type::error) return false;
    if (!is_constant_expr(e, ctx.rules)) {
        ctx.diags.error("E0230", e.span, fmt::format("{} must be a fixed value, not read from the record", role),
                        "write a literal such as 50,000 or $0.023, or the name of a const");
        return false;
    }
    return ctx.exprs.fold(e, out);
}

bool read_date(RuleContext& ctx, const Clause* c, std::optional<int32_t>& out) {
    if (!c) return true;
    Value v;
    if (!fixed_value(ctx, *c->value, Type::date, fmt::format("the `{}` date", c->keyword), v)) return false;
    out = v.days;
    return true;
}

// Effective dates lie inside the rule set's fiscal year, and `until` is not before `effective`.
bool check_dates(RuleContext& ctx, const CompiledRate& rate, const Clause* from, const Clause* until) {
    const auto& cfg = ctx.rules.config;
    date::year_month_day start{date::sys_days{date::days{cfg.fiscal_year_start}}};
    int32_t fy_end = (date::sys_days{start + date::years{1}} - date::days{1}).time_since_epoch().count();
    bool ok = true;
    auto inside = [&](std::optional<int32_t> d, const Clause* c) {
        if (!d || (*d >= cfg.fiscal_year_start && *d <= fy_end)) return;
        ctx.diags.error("E0231", c->value->span,
                        fmt::format("{} is outside fiscal year {} ({} to {})", format_date(*d), cfg.fiscal_year,
                                    format_date(cfg.fiscal_year_start), format_date(fy_end)),
                        "rates for another fiscal year belong in that year's rule set folder");
        ok = false;
    };
    inside(rate.effective_from, from);
    inside(rate.effective_until, until);
    if (ok && rate.effective_from && rate.effective_until && *rate.effective_until < *rate.effective_from) {
        ctx.diags.error("E0231", until->value->span, "`until` is before `effective`",
                        "`until` is the last day the rate applies, on or after its first day");
        ok = false;
    }
    return ok;
}

// Two rules with the same match and the same priority whose date ranges overlap would compete
// for every record in the overlap: refuse at compile time instead of rejecting records later.
bool check_overlap(RuleContext& ctx, const RuleDecl& r, const CompiledRate& rate, const std::string& signature) {
    constexpr int32_t open_start = INT32_MIN, open_end = INT32_MAX;
    int32_t a0 = rate.effective_from.value_or(open_start), a1 = rate.effective_until.value_or(open_end);
    auto [lo, hi] = ctx.rates_by_match.equal_range(signature);
    for (auto it = lo; it != hi; ++it) {
        const CompiledRate& other = ctx.rules.rates[it->second];
        int32_t b0 = other.effective_from.value_or(open_start), b1 = other.effective_until.value_or(open_end);
        if (a1 < b0 || b1 < a0) continue;
        if (other.priority != rate.priority) {
            // A deliberate override, unless the lower rule is covered on every day it applies:
            // then it can never price anything, which is worth saying.
            bool rate_lower = rate.priority < other.priority;
            const CompiledRate& low = rate_lower ? rate : other;
            const CompiledRate& high = rate_lower ? other : rate;
            int32_t l0 = rate_lower ? a0 : b0, l1 = rate_lower ? a1 : b1, h0 = rate_lower ? b0 : a0, h1 = rate_lower ? b1 : a1;
            if (h0 <= l0 && l1 <= h1)
                ctx.diags.add(Diagnostic{
                    Severity::warning, "W0234",
                    fmt::format("rate \"{}\" can never be chosen: \"{}\" has the same match and a higher priority on "
                                "every day it applies", low.name, high.name),
                    low.name_span, "delete it, narrow the other rule's match or dates, or change the priorities",
                    {fmt::format("\"{}\" is at {}", high.name, high.name_span.where())}});
            continue;
        }
        ctx.diags.add(Diagnostic{
            Severity::error, "E0228",
            fmt::format("rate \"{}\" has the same match as rate \"{}\" and their dates overlap", r.name, other.name),
            r.name_span, "give them `effective`/`until` dates that do not overlap, or a `priority`",
            {fmt::format("\"{}\" is at {}", other.name, other.name_span.where())}});
        return false;
    }
    return true;
}

// `price_type`: Money in a rate rule, Percent (of the base price) in a `schedule` block.
bool compile_tiers(RuleContext& ctx, const RuleDecl& r, const Clause* kind_clause, Type price_type,
                   std::optional<TierSchedule>& out) {
    std::vector<const Clause*> lines;
    for (const Clause& c : r.clauses)
        if (c.keyword == "first" || c.keyword == "next" || c.keyword == "over") lines.push_back(&c);
    if (!kind_clause && lines.empty()) return true;
    if (!kind_clause) {
        ctx.diags.error("E0232", lines.front()->keyword_span, "tier lines need a `tiers` clause",
                        "add `tiers graduated` (each band at its own price) or `tiers volume` (all units "
                        "at the price of the band reached) before the first tier line");
        return false;
    }
    if (kind_clause->price) {
        ctx.diags.error("E0247", kind_clause->price_span, "`tiers graduated` and `tiers volume` take no price",
                        "the prices go on the tier lines; `tiers \"NAME\" at PRICE` uses a named schedule");
        return false;
    }
    const Expr& k = *kind_clause->value;
    TierSchedule schedule;
    if (k.kind == ExprKind::name && (k.text == "graduated" || k.text == "volume")) {
        schedule.kind = k.text == "volume" ? TierSchedule::Kind::volume : TierSchedule::Kind::graduated;
    } else {
        ctx.diags.error("E0232", k.span, "`tiers` is either `graduated` or `volume`",
                        "graduated: each band at its own price; volume: all units at the price of the band reached");
        return false;
    }
    bool ok = true;
    if (lines.empty() || lines.front()->keyword != "first") {
        ctx.diags.error("E0232", lines.empty() ? kind_clause->keyword_span : lines.front()->keyword_span,
                        "tier lines start with `first`", "e.g. first 50,000 at $0.023");
        return false;
    }
    if (lines.back()->keyword != "over") {
        ctx.diags.error("E0232", lines.back()->keyword_span, "the last tier line must be `over at PRICE`",
                        "so that every month's volume has a price, e.g. over at $0.021");
        ok = false;
    }
    Decimal bound;
    for (const Clause* c : lines) {
        TierSchedule::Tier tier;
        tier.span = c->keyword_span;
        if (c->keyword != "first" && c == lines.front()) continue;
        if (c->keyword == "first" && c != lines.front()) {
            ctx.diags.error("E0232", c->keyword_span, "only the first tier line says `first`", "use `next` after it");
            ok = false;
            continue;
        }
        if (c->keyword == "over") {
            if (c->value) {
                ctx.diags.error("E0232", c->value->span, "`over` takes no size: it covers everything above",
                                "write `over at PRICE`");
                ok = false;
            }
        } else if (!c->value) {
            ctx.diags.error("E0232", c->keyword_span, fmt::format("this `{}` tier has no size", c->keyword),
                            fmt::format("write `{} 50,000 at $0.023`", c->keyword));
            ok = false;
            continue;
        } else {
            Value size;
            if (!fixed_value(ctx, *c->value, Type::quantity, "a tier's size", size)) {
                ok = false;
                continue;
            }
            if (size.num.sign() <= 0) {
                ctx.diags.error("E0232", c->value->span, "a tier's size must be more than zero");
                ok = false;
                continue;
            }
            bound += size.num;  // `next 450,000` is the next 450,000 units: bounds are cumulative
            tier.up_to = bound;
        }
        Value price;
        const char* role = price_type == Type::percent ? "a tier's share of the base price" : "a tier's price";
        if (!c->price || !fixed_value(ctx, *c->price, price_type, role, price)) {
            if (!c->price)
                ctx.diags.error("E0232", c->keyword_span, "this tier line has no price",
                                price_type == Type::percent ? "add `at 90%`" : "add `at $0.023`");
            ok = false;
            continue;
        }
        tier.price = price.num;
        if (c->keyword == "over" && c != lines.back()) {
            ctx.diags.error("E0232", c->keyword_span, "`over` must be the last tier line");
            ok = false;
        }
        schedule.tiers.push_back(std::move(tier));
    }
    if (ok) out = std::move(schedule);
    return ok;
}

}  // namespace

bool compile_tier_lines(RuleContext& ctx, const RuleDecl& r, const Clause* kind_clause, Type price_type,
                        std::optional<TierSchedule>& out) {
    return compile_tiers(ctx, r, kind_clause, price_type, out);
}

void compile_rate(RuleContext& ctx, const RuleDecl& r) {
    if (r.name.empty())
        ctx.diags.error("E0217", r.kind_span, "this rate rule has no name",
                        "write a name in quotes after `rate`, e.g. rate \"Cloud compute\" { ... }");
    bool ok = ctx.check_unique_name(r);
    auto clauses = ctx.sort_clauses(r, rate_clauses);
    auto clause = [&](const char* key) -> const Clause* {
        auto it = clauses.find(key);
        return it == clauses.end() ? nullptr : it->second;
    };
    CompiledRate rate;
    rate.name = r.name;
    rate.kind_span = r.kind_span;
    rate.name_span = r.name_span;
    auto compile_clause = [&](const char* key, Type want, const char* role, Chunk& out) {
        if (const Clause* c = clause(key); c && !ctx.exprs.compile(*c->value, want, role, out)) ok = false;
    };
    compile_clause("match", Type::boolean, "the match condition", rate.match);
    compile_clause("ru", Type::text, "the resource unit code (ru)", rate.ru);
    compile_clause("volume", Type::quantity, "the volume", rate.volume);
    compile_clause("unit", Type::text, "the unit", rate.unit);
    compile_clause("charge", Type::money, "the charge", rate.charge);
    if (!clause("volume")) rate.volume = ctx.exprs.column_chunk("PricingQuantity", r.kind_span);
    if (!clause("unit")) rate.unit = ctx.exprs.column_chunk("PricingUnit", r.kind_span);
    if (const Clause* p = clause("priority")) ok = read_priority(ctx, *p->value, rate) && ok;
    if (const Clause* d = clause("description")) {
        if (d->value->kind != ExprKind::literal || d->value->literal_kind != LiteralKind::text) {
            ctx.diags.error("E0218", d->value->span, "a description must be text in quotes");
            ok = false;
        } else {
            rate.description = d->value->text;
        }
    }
    ok = compile_rate_drilldown(ctx, clauses, rate.drilldown) && ok;
    if (uses_tier_schedule(clause("tiers")))
        ok = use_tier_schedule(ctx, r, *clause("tiers"), rate) && ok;
    else
        ok = compile_tiers(ctx, r, clause("tiers"), Type::money, rate.tiers) && ok;
    ok = compile_blocks(ctx, clauses, rate) && ok;
    ok = compile_baseline(ctx, clauses, rate) && ok;
    if (rate.tiers && clause("charge")) {
        ctx.diags.error("E0232", clause("charge")->keyword_span, "a tiered rate takes its charge from its tiers",
                        "remove the `charge` clause, or the tier lines");
        ok = false;
    } else if (!rate.tiers && !clause("charge") && !clause("tiers") && !clause("blocks") &&
               !(clause("baseline") && clause("baseline")->price)) {
        ctx.diags.error("E0217", r.name_span.valid() ? r.name_span : r.kind_span,
                        "this rate rule has no `charge` clause",
                        "add a line `charge ...` inside the braces, or tier lines priced on the month's volume");
        ok = false;
    }
    if (rate.tiers || rate.blocks || (rate.baseline && rate.baseline->base_charge)) {
        // Records of a tiered rate carry volume only; their charge is set once the month is known.
        rate.charge = ctx.exprs.constant_chunk(Type::money, Value::of(Decimal()), r.kind_span);
    }
    if (const Clause* m = clause("minimum")) {
        Value v;
        if (fixed_value(ctx, *m->value, Type::money, "the monthly minimum", v)) rate.minimum = v.num;
        else ok = false;
    }
    ok = read_date(ctx, clause("effective"), rate.effective_from) && ok;
    ok = read_date(ctx, clause("until"), rate.effective_until) && ok;
    if (ok) ok = check_dates(ctx, rate, clause("effective"), clause("until"));
    if (const Clause* m = clause("match"); m && ok) {
        find_dispatch(*m->value, ctx.rules, rate);
        std::string signature = disassemble_chunk(rate.match, ctx.rules, false);
        ok = check_overlap(ctx, r, rate, signature);
        if (ok) {
            const Clause* dated = clause("effective") ? clause("effective") : clause("until");
            if (dated)
                ctx.exprs.restrict_to_dates(rate.match, rate.effective_from, rate.effective_until,
                                            dated->keyword_span);
            ctx.rates_by_match.emplace(signature, ctx.rules.rates.size());
        }
    }
    if (ok) ctx.rules.rates.push_back(std::move(rate));
}

}  // namespace ratebook
