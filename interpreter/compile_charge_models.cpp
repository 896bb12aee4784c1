#include "interpreter/compile_charge_models.hpp"

#include <fmt/format.h>

namespace ratebook {
namespace {

const Clause* find(const ClauseMap& m, const char* key) {
    auto it = m.find(key);
    return it == m.end() ? nullptr : it->second;
}

// `baseline_table NAME`: a table of [tables.NAME] with columns AccountCode and Baseline, and
// optionally RU: each listed account's (or account and RU's) own baseline. Read at compile time,
// so a bad row is an error before any usage is rated.
bool read_baseline_table(RuleContext& ctx, const Clause& c, BaselineAdjustment& adj) {
    const Expr& e = *c.value;
    bool named = e.kind == ExprKind::name || (e.kind == ExprKind::literal && e.literal_kind == LiteralKind::text);
    const Table* t = named ? ctx.rules.table(e.text) : nullptr;
    if (!t) {
        std::vector<std::string> names;
        for (const auto& tb : ctx.rules.tables) names.push_back(tb.name);
        std::string guess = named ? closest_name(e.text, names) : "";
        ctx.diags.error("E0281", e.span,
                        named ? fmt::format("there is no table named `{}`", e.text)
                              : std::string("`baseline_table` takes the name of a table"),
                        guess.empty() ? "declare it in ratebook.toml under [tables.NAME], with columns AccountCode "
                                        "and Baseline (and optionally RU)"
                                      : fmt::format("did you mean `{}`?", guess));
        return false;
    }
    auto account = t->column_index("AccountCode");
    auto base = t->column_index("Baseline");
    auto ru = t->column_index("RU");
    if (!account || !base) {
        ctx.diags.error("E0281", e.span, fmt::format("table `{}` needs the columns AccountCode and Baseline", t->name),
                        "one row per account (and RU, with a column RU): the units its month's base covers");
        return false;
    }
    adj.table = t->name;
    adj.table_has_ru = ru.has_value();
    std::unordered_map<std::string, uint32_t> lines;
    bool ok = true;
    for (size_t r = 0; r < t->rows.size(); ++r) {
        const auto& row = t->rows[r];
        std::string key = ru ? row[*account] + '\x1f' + row[*ru] : row[*account];
        auto v = Decimal::parse(row[*base]);
        if (!v || v->sign() < 0) {
            ctx.diags.error("E0281", e.span,
                            fmt::format("{} line {}: the baseline \"{}\" is not a number of units (0 or more)", t->path,
                                        t->row_lines[r], row[*base]),
                            "write the units as a plain number, e.g. 450");
            ok = false;
            continue;
        }
        auto [it, inserted] = lines.emplace(key, t->row_lines[r]);
        if (!inserted) {
            ctx.diags.error("E0281", e.span,
                            fmt::format("{} lists account {}{} twice (lines {} and {})", t->path, row[*account],
                                        ru ? " and RU " + row[*ru] : "", it->second, t->row_lines[r]),
                            "each account (and RU) has one baseline; delete or correct one of the rows");
            ok = false;
            continue;
        }
        adj.per_account.emplace(std::move(key), *v);
    }
    return ok;
}

}  // namespace

const std::vector<ClauseSpec>& charge_model_clauses() {
    static const std::vector<ClauseSpec> specs = {
        {"blocks", false, false, true}, {"partial"},  {"baseline", false, false, true},
        {"deadband"},                   {"arc", false, false, true}, {"rrc", false, false, true},
        {"baseline_table"}};
    return specs;
}

bool fixed_model_value(RuleContext& ctx, const Expr& e, Type want, std::string_view role, const char* code,
                       Value& out) {
    Type t = ctx.checker.expect(e, want, role);
    if (t == Type::error) return false;
    if (!is_constant_expr(e, ctx.rules)) {
        ctx.diags.error(code, e.span, fmt::format("{} must be a fixed value, not read from the record", role),
                        "write a literal such as 1,000 or $0.40, or the name of a const");
        return false;
    }
    return ctx.exprs.fold(e, out);
}

bool compile_blocks(RuleContext& ctx, const ClauseMap& clauses, CompiledRate& rate) {
    const Clause* blocks = find(clauses, "blocks");
    const Clause* partial = find(clauses, "partial");
    if (!blocks) {
        if (!partial) return true;
        ctx.diags.error("E0280", partial->keyword_span, "`partial` belongs to block pricing",
                        "add `blocks 1,000 at $0.40` (a block size and its price), or remove `partial`");
        return false;
    }
    bool ok = true;
    BlockPricing b;
    b.span = blocks->keyword_span;
    Value size, price;
    if (!blocks->value) {
        ctx.diags.error("E0280", blocks->keyword_span, "`blocks` needs the block's size",
                        "write `blocks 1,000 at $0.40`: blocks of 1,000 units at $0.40 a block");
        ok = false;
    } else if (!fixed_model_value(ctx, *blocks->value, Type::quantity, "a block's size", "E0280", size)) {
        ok = false;
    } else if (size.num.sign() <= 0) {
        ctx.diags.error("E0280", blocks->value->span, "a block's size must be more than zero",
                        "e.g. blocks 1,000 at $0.40");
        ok = false;
    }
    if (!blocks->price) {
        ctx.diags.error("E0280", blocks->keyword_span, "`blocks` needs the price of a block",
                        "write `blocks 1,000 at $0.40`");
        ok = false;
    } else if (!fixed_model_value(ctx, *blocks->price, Type::money, "a block's price", "E0280", price)) {
        ok = false;
    }
    // The author says how a part block is charged: never a silent default on money.
    if (!partial) {
        ctx.diags.error("E0280", blocks->keyword_span, "block pricing needs a `partial` clause",
                        "add `partial up` (a part block is charged as a whole block) or `partial prorated` "
                        "(in proportion to the units used)");
        ok = false;
    } else if (partial->value->kind == ExprKind::name &&
               (partial->value->text == "up" || partial->value->text == "prorated")) {
        b.partial = partial->value->text == "up" ? BlockPricing::Partial::round_up : BlockPricing::Partial::prorated;
    } else {
        ctx.diags.error("E0280", partial->value->span, "`partial` is either `up` or `prorated`",
                        "up: a part block is charged as a whole block; prorated: in proportion to the units used");
        ok = false;
    }
    if (const Clause* c = find(clauses, "charge")) {
        ctx.diags.error("E0280", c->keyword_span, "a block-priced rate takes its charge from its blocks",
                        "remove the `charge` clause, or the `blocks` clause");
        ok = false;
    }
    if (const Clause* t = find(clauses, "tiers")) {
        ctx.diags.error("E0280", t->keyword_span, "a rate is priced by tiers or by blocks, not both",
                        "write two rate rules, or keep one of the two");
        ok = false;
    }
    if (!ok) return false;
    b.size = size.num;
    b.price = price.num;
    rate.blocks = b;
    return true;
}

bool compile_baseline(RuleContext& ctx, const ClauseMap& clauses, CompiledRate& rate) {
    const Clause* base = find(clauses, "baseline");
    const Clause* band = find(clauses, "deadband");
    const Clause* arc = find(clauses, "arc");
    const Clause* rrc = find(clauses, "rrc");
    const Clause* table = find(clauses, "baseline_table");
    if (!base) {
        for (const Clause* c : {band, arc, rrc, table}) {
            if (!c) continue;
            ctx.diags.error("E0281", c->keyword_span, fmt::format("`{}` needs a `baseline`", c->keyword),
                            "add `baseline 100` (the units per account per month the base price covers)");
            return false;
        }
        return true;
    }
    bool ok = true;
    BaselineAdjustment adj;
    adj.span = base->keyword_span;
    Value v;
    if (!base->value) {
        ctx.diags.error("E0281", base->keyword_span, "`baseline` needs the units it covers",
                        "e.g. baseline 450 (units per account per month), or baseline 450 at $90.00 with its base charge");
        ok = false;
    } else if (!fixed_model_value(ctx, *base->value, Type::quantity, "the baseline", "E0281", v)) {
        ok = false;
    } else if (v.num.sign() < 0) {
        ctx.diags.error("E0281", base->value->span, "the baseline cannot be negative");
        ok = false;
    } else {
        adj.baseline = v.num;
    }
    if (band) {
        if (!fixed_model_value(ctx, *band->value, Type::quantity, "the deadband", "E0281", v)) {
            ok = false;
        } else if (v.num.sign() < 0) {
            ctx.diags.error("E0281", band->value->span, "the deadband cannot be negative",
                            "it is the tolerance either side of the baseline, e.g. deadband 5");
            ok = false;
        } else {
            adj.deadband = v.num;
        }
    }
    if (base->price) {
        // `baseline 450 at $90.00`: the base charge for the baseline, per account per month.
        if (!fixed_model_value(ctx, *base->price, Type::money, "the baseline's base charge", "E0281", v)) {
            ok = false;
        } else if (v.num.sign() < 0) {
            ctx.diags.error("E0281", base->price->span, "the base charge cannot be negative");
            ok = false;
        } else {
            adj.base_charge = v.num;
        }
        if (const Clause* c = find(clauses, "charge")) {
            ctx.diags.error("E0281", c->keyword_span, "a rate with a base charge (`baseline ... at PRICE`) has no `charge`",
                            "the base charge and the ARC/RRC price the month; remove the `charge` clause or the `at PRICE`");
            ok = false;
        }
        for (const char* other : {"tiers", "blocks"})
            if (const Clause* c = find(clauses, other)) {
                ctx.diags.error("E0281", c->keyword_span, fmt::format("a rate with a base charge has no `{}`", other),
                                "write two rate rules, or keep one of the two charge models");
                ok = false;
            }
    }
    if (!arc && !rrc) {
        ctx.diags.error("E0281", base->keyword_span, "a baseline needs an `arc` or an `rrc` rate (or both)",
                        "e.g. arc at $130.00 (per unit above the band) and rrc at $90.00 (per unit below it)");
        ok = false;
    }
    auto read_rate = [&](const Clause* c, std::optional<Decimal>& out) {
        if (!c) return;
        if (c->value) {
            ctx.diags.error("E0281", c->value->span, fmt::format("`{}` takes only a price", c->keyword),
                            fmt::format("write `{} at $130.00`", c->keyword));
            ok = false;
            return;
        }
        if (!fixed_model_value(ctx, *c->price, Type::money, fmt::format("the {} rate", c->keyword), "E0281", v)) {
            ok = false;
            return;
        }
        if (v.num.sign() < 0) {
            ctx.diags.error("E0281", c->price->span, fmt::format("the {} rate cannot be negative", c->keyword),
                            "a credit is written as a positive RRC rate; ratebook subtracts it");
            ok = false;
            return;
        }
        out = v.num;
    };
    read_rate(arc, adj.arc_rate);
    read_rate(rrc, adj.rrc_rate);
    if (table) ok = read_baseline_table(ctx, *table, adj) && ok;
    if (ok) rate.baseline = adj;
    return ok;
}

}  // namespace ratebook
