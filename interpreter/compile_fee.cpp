// `fee "NAME" { monthly MONEY  ru "CODE"  [prorate days]  [unit "TEXT"]  [description "..."] }`
// A flat monthly fee per account: every account of the account master (ratebook.toml
// [account_master]) active on at least one day of the month is charged it. With `prorate
// days`, an account opened or closed during the month pays days active / days in the month.
//
// A fee is kept with the rate rules (it appears on charge lines the same way, by name and
// file:line), with a match that is never true: it prices no usage record, only accounts.
#include <fmt/format.h>

#include "interpreter/compile_charge_models.hpp"
#include "interpreter/rule_kinds.hpp"

namespace ratebook {
namespace {

const std::vector<ClauseSpec> fee_clauses = {
    {"monthly", true}, {"ru", true}, {"prorate"}, {"unit"}, {"description"}};

bool literal_text(RuleContext& ctx, const Clause* c, std::string& out) {
    if (c->value->kind == ExprKind::literal && c->value->literal_kind == LiteralKind::text && !c->value->text.empty()) {
        out = c->value->text;
        return true;
    }
    ctx.diags.error("E0282", c->value->span, fmt::format("a fee's `{}` is text in quotes", c->keyword),
                    fmt::format("e.g. {} \"{}\"", c->keyword, c->keyword == "ru" ? "ACCT-MGT" : "account-month"));
    return false;
}

}  // namespace

void compile_fee(RuleContext& ctx, const RuleDecl& r) {
    if (r.name.empty())
        ctx.diags.error("E0282", r.kind_span, "this fee rule has no name",
                        "write a name in quotes after `fee`, e.g. fee \"Account management\" { ... }");
    bool ok = ctx.check_unique_name(r) && !r.name.empty();
    auto clauses = ctx.sort_clauses(r, fee_clauses);
    auto clause = [&](const char* key) -> const Clause* {
        auto it = clauses.find(key);
        return it == clauses.end() ? nullptr : it->second;
    };
    CompiledRate rate;
    rate.name = r.name;
    rate.kind_span = r.kind_span;
    rate.name_span = r.name_span;
    FeeSpec fee;
    Value v;
    if (const Clause* m = clause("monthly")) {
        if (!fixed_model_value(ctx, *m->value, Type::money, "a fee's monthly amount", "E0282", v)) {
            ok = false;
        } else if (v.num.sign() < 0) {
            ctx.diags.error("E0282", m->value->span, "a fee cannot be negative",
                            "a credit to every account belongs in a prior period adjustment");
            ok = false;
        } else {
            fee.amount = v.num;
        }
    } else {
        ok = false;
    }
    if (const Clause* c = clause("ru")) ok = literal_text(ctx, c, fee.ru) && ok;
    else ok = false;
    if (const Clause* c = clause("unit")) ok = literal_text(ctx, c, fee.unit) && ok;
    if (const Clause* p = clause("prorate")) {
        if (p->value->kind == ExprKind::name && p->value->text == "days") {
            fee.prorate = true;
        } else {
            ctx.diags.error("E0282", p->value->span, "a fee is prorated by `days`",
                            "write `prorate days`: days of service / days in the month");
            ok = false;
        }
    }
    if (const Clause* d = clause("description")) {
        if (d->value->kind == ExprKind::literal && d->value->literal_kind == LiteralKind::text) {
            rate.description = d->value->text;
        } else {
            ctx.diags.error("E0282", d->value->span, "a description must be text in quotes");
            ok = false;
        }
    }
    // Accounts come from the account master; without one a fee would charge nobody, silently.
    if (!ctx.rules.config.account_master) {
        ctx.diags.error("E0283", r.kind_span, "a fee needs the account master to know which accounts to charge",
                        "declare it in ratebook.toml: [account_master] table = \"accounts\" (see docs/language.md)");
        ok = false;
    }
    if (!ok) return;
    rate.match = ctx.exprs.constant_chunk(Type::boolean, Value::of_bool(false), r.kind_span);
    auto text = [&](const std::string& t) {  // interned: the constant outlives this function
        uint32_t sym = ctx.rules.intern(t);
        return Value::of_text(ctx.rules.symbol_text(sym), sym);
    };
    rate.ru = ctx.exprs.constant_chunk(Type::text, text(fee.ru), r.kind_span);
    rate.unit = ctx.exprs.constant_chunk(Type::text, text(fee.unit), r.kind_span);
    rate.volume = ctx.exprs.constant_chunk(Type::quantity, Value::of(Decimal()), r.kind_span);
    rate.charge = ctx.exprs.constant_chunk(Type::money, Value::of(fee.amount), r.kind_span);
    rate.fee = std::move(fee);
    ctx.rules.rates.push_back(std::move(rate));
}

}  // namespace ratebook
