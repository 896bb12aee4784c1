// `sla "NAME" { measure MATCH  charges MATCH  (below P credit P)...  [cap P|$]  [minimum $]
//               [at_risk P]  [pool "NAME"]  [claim_window N]  [description "..."] }`
// or, the outsourcing form, instead of the tiers:
//               target P  pool_allocation P  credit_allocation P  at_risk P
// Tier lines are two clauses read as a pair: `below 99.0% credit 30%`.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "interpreter/disasm.hpp"
#include "interpreter/rule_kinds.hpp"

namespace ratebook {

const std::vector<std::string>& sla_charge_fields() {
    static const std::vector<std::string> f = {"account", "account_source", "ru",   "service",
                                               "product", "component",      "unit", "rule"};
    return f;
}

const std::vector<std::string>& sla_metric_fields() {
    static const std::vector<std::string> f = {"provider", "service", "metric"};
    return f;
}

bool TextMatch::matches(const std::vector<std::string_view>& fields) const {
    switch (kind) {
        case Kind::always: return true;
        case Kind::eq: return fields[field] == values[0];
        case Kind::ne: return fields[field] != values[0];
        case Kind::in:
        case Kind::not_in: {
            bool found = false;
            for (const auto& v : values) found = found || fields[field] == v;
            return found == (kind == Kind::in);
        }
        case Kind::and_: return parts[0].matches(fields) && parts[1].matches(fields);
        case Kind::or_: return parts[0].matches(fields) || parts[1].matches(fields);
        case Kind::not_: return !parts[0].matches(fields);
    }
    return false;
}

std::string CompiledSla::location() const { return fmt::format("{}:{}", kind_span.file->name, kind_span.line); }

namespace {

std::string opt_text(const std::optional<Decimal>& d) { return d ? d->to_plain_string() : "-"; }

}  // namespace

std::string sla_canonical(const CompiledSla& s) {
    std::string out = fmt::format("sla \"{}\" measure [{}] charges [{}] pool \"{}\"", s.name, s.measure_text,
                                  s.charges_text, s.pool);
    for (const auto& t : s.tiers) out += fmt::format(" below {} credit {}", t.below.to_plain_string(), t.credit.to_plain_string());
    out += fmt::format(" target {} pool_allocation {} credit_allocation {} at_risk {} cap {} {} minimum {} window {}\n",
                       opt_text(s.target), opt_text(s.pool_allocation), opt_text(s.credit_allocation),
                       opt_text(s.at_risk), opt_text(s.cap_percent), opt_text(s.cap_amount), opt_text(s.minimum),
                       s.claim_window ? std::to_string(*s.claim_window) : "-");
    return out;
}

namespace {

const std::vector<ClauseSpec> sla_clauses = {
    {"measure", true},  {"charges", true},      {"below", false, true}, {"credit", false, true},
    {"target"},         {"pool_allocation"},    {"credit_allocation"},  {"at_risk"},
    {"cap"},            {"minimum"},            {"claim_window"},       {"pool"},
    {"description"}};

// Compiles a `measure` or `charges` condition: text fields compared with text.
class MatchCompiler {
public:
    MatchCompiler(RuleContext& ctx, const std::vector<std::string>& fields, std::string_view clause)
        : ctx_(ctx), fields_(fields), clause_(clause) {}

    bool compile(const Expr& e, TextMatch& out) {
        switch (e.kind) {
            case ExprKind::binary:
                if (e.op == Op::and_ || e.op == Op::or_) {
                    out.kind = e.op == Op::and_ ? TextMatch::Kind::and_ : TextMatch::Kind::or_;
                    out.parts.resize(2);
                    bool a = compile(*e.args[0], out.parts[0]);
                    bool b = compile(*e.args[1], out.parts[1]);
                    return a && b;
                }
                if (e.op == Op::eq || e.op == Op::ne) {
                    const Expr* f = e.args[0].get();
                    const Expr* v = e.args[1].get();
                    if (f->kind != ExprKind::name || is_text_const(*f)) std::swap(f, v);
                    out.kind = e.op == Op::eq ? TextMatch::Kind::eq : TextMatch::Kind::ne;
                    out.values.emplace_back();
                    return field(*f, out.field) && text(*v, out.values[0]);
                }
                break;
            case ExprKind::unary:
                if (e.op == Op::not_) {
                    out.kind = TextMatch::Kind::not_;
                    out.parts.resize(1);
                    return compile(*e.args[0], out.parts[0]);
                }
                break;
            case ExprKind::in_list: {
                out.kind = e.flag ? TextMatch::Kind::not_in : TextMatch::Kind::in;
                bool ok = field(*e.args[0], out.field);
                for (size_t i = 1; i < e.args.size(); ++i) {
                    out.values.emplace_back();
                    ok = text(*e.args[i], out.values.back()) && ok;
                }
                return ok;
            }
            case ExprKind::literal:
                if (e.literal_kind == LiteralKind::boolean && e.flag) return true;  // `charges true`: all
                break;
            default: break;
        }
        ctx_.diags.error("E0250", e.span, fmt::format("`{}` cannot be used in `{}`", RuleContext::source_text(e.span), clause_),
                         fmt::format("`{}` compares fields with text using ==, !=, in [...], and, or, not; "
                                     "its fields are: {}",
                                     clause_, fmt::join(fields_, ", ")));
        return false;
    }

private:
    bool is_text_const(const Expr& e) const {
        for (const auto& c : ctx_.rules.consts)
            if (c.name == e.text) return c.type == Type::text;
        return false;
    }
    bool field(const Expr& e, uint8_t& out) {
        if (e.kind == ExprKind::name)
            for (size_t i = 0; i < fields_.size(); ++i)
                if (fields_[i] == e.text) {
                    out = static_cast<uint8_t>(i);
                    return true;
                }
        std::string guess = e.kind == ExprKind::name ? closest_name(e.text, fields_) : std::string();
        ctx_.diags.error("E0250", e.span,
                         e.kind == ExprKind::name
                             ? fmt::format("`{}` is not a field `{}` can compare", e.text, clause_)
                             : fmt::format("`{}` cannot be compared here: `{}` compares a field with text",
                                           RuleContext::source_text(e.span), clause_),
                         guess.empty() ? fmt::format("the fields are: {}", fmt::join(fields_, ", "))
                                       : fmt::format("did you mean `{}`? The fields are: {}", guess, fmt::join(fields_, ", ")));
        return false;
    }
    bool text(const Expr& e, std::string& out) {
        if (e.kind == ExprKind::literal && e.literal_kind == LiteralKind::text) {
            out = e.text;
            return true;
        }
        if (e.kind == ExprKind::name && is_text_const(e)) {
            for (const auto& c : ctx_.rules.consts)
                if (c.name == e.text) out = std::string(ctx_.rules.constants[c.constant].text.view());
            return true;
        }
        ctx_.diags.error("E0250", e.span,
                         fmt::format("`{}` is not text: `{}` compares fields with text in quotes",
                                     RuleContext::source_text(e.span), clause_),
                         "write the value in double quotes, as in service == \"Amazon Elastic Compute Cloud\"");
        return false;
    }

    RuleContext& ctx_;
    const std::vector<std::string>& fields_;
    std::string_view clause_;
};

// A fixed value of one of the wanted types; `type` says which it was.
bool fixed(RuleContext& ctx, const Clause& c, std::initializer_list<Type> want, std::string_view what, Value& out,
           Type* type = nullptr) {
    const Expr& e = *c.value;
    Type t = ctx.checker.check(e);
    if (t == Type::error) return false;
    bool wanted = false;
    for (Type w : want) wanted = wanted || w == t;
    if (!wanted || !is_constant_expr(e, ctx.rules)) {
        ctx.diags.error("E0253", e.span,
                        wanted ? fmt::format("`{}` must be a fixed value, not read from a record", c.keyword)
                               : fmt::format("`{}` takes {}, not {}", c.keyword, what, type_name(t)),
                        fmt::format("write {}", what));
        return false;
    }
    if (type) *type = t;
    return ctx.exprs.fold(e, out);
}

// A percentage from 0% (exclusive when `positive`) to 100%.
bool percent(RuleContext& ctx, const Clause& c, std::optional<Decimal>& out, bool positive = true) {
    Value v;
    if (!fixed(ctx, c, {Type::percent}, "a percentage such as 99.9%", v)) return false;
    if ((positive ? v.num.sign() <= 0 : v.num.sign() < 0) || v.num > Decimal::from_int(1)) {
        ctx.diags.error("E0253", c.value->span, fmt::format("`{}` must be more than 0% and at most 100%", c.keyword),
                        "service levels, credits and allocations are percentages of a whole");
        return false;
    }
    out = v.num;
    return true;
}

// `below P credit P` pairs, in order, thresholds strictly falling.
bool compile_tiers(RuleContext& ctx, const RuleDecl& r, CompiledSla& sla) {
    bool ok = true;
    for (size_t i = 0; i < r.clauses.size(); ++i) {
        const Clause& c = r.clauses[i];
        if (c.keyword == "credit") {
            ctx.diags.error("E0251", c.keyword_span, "`credit` must follow a `below` level",
                            "write each tier as `below 99.0% credit 30%`");
            ok = false;
            continue;
        }
        if (c.keyword != "below" || !c.value) continue;
        if (i + 1 >= r.clauses.size() || r.clauses[i + 1].keyword != "credit" || !r.clauses[i + 1].value) {
            ctx.diags.error("E0251", c.keyword_span, fmt::format("`below {}` has no `credit` after it",
                                                                RuleContext::source_text(c.value->span)),
                            fmt::format("say what the tier earns: `below {} credit 10%`",
                                        RuleContext::source_text(c.value->span)));
            ok = false;
            continue;
        }
        const Clause& credit = r.clauses[++i];
        std::optional<Decimal> below, pct;
        bool good = percent(ctx, c, below);
        good = percent(ctx, credit, pct) && good;
        if (!good) {
            ok = false;
            continue;
        }
        if (!sla.tiers.empty() && *below >= sla.tiers.back().below) {
            ctx.diags.add(Diagnostic{Severity::error, "E0251",
                                     fmt::format("tiers must go from the highest level down: {} is not below {}",
                                                 percent_text(*below), percent_text(sla.tiers.back().below)),
                                     c.value->span, "list the tiers as `below 99.99% ...`, then `below 99.0% ...`, then `below 95.0% ...`",
                                     {fmt::format("the tier before is at {}", sla.tiers.back().span.where())}});
            ok = false;
            continue;
        }
        sla.tiers.push_back(SlaTier{*below, *pct, c.keyword_span});
    }
    return ok;
}

}  // namespace

void compile_sla(RuleContext& ctx, const RuleDecl& r) {
    if (r.name.empty())
        ctx.diags.error("E0217", r.kind_span, "this sla rule has no name",
                        "write a name in quotes after `sla`, e.g. sla \"EC2 region availability\" { ... }");
    bool ok = ctx.check_unique_name(r);
    auto clauses = ctx.sort_clauses(r, sla_clauses);
    auto clause = [&](const char* key) -> const Clause* {
        auto it = clauses.find(key);
        return it == clauses.end() ? nullptr : it->second;
    };
    CompiledSla sla;
    sla.name = r.name;
    sla.kind_span = r.kind_span;
    sla.name_span = r.name_span;
    sla.pool = r.name;
    if (const Clause* m = clause("measure")) {
        ok = MatchCompiler(ctx, sla_metric_fields(), "measure").compile(*m->value, sla.measure) && ok;
        sla.measure_text = RuleContext::source_text(m->value->span);
    }
    if (const Clause* m = clause("charges")) {
        ok = MatchCompiler(ctx, sla_charge_fields(), "charges").compile(*m->value, sla.charges) && ok;
        sla.charges_text = RuleContext::source_text(m->value->span);
    }
    ok = compile_tiers(ctx, r, sla) && ok;
    for (auto [key, out] : {std::pair{"target", &sla.target}, std::pair{"pool_allocation", &sla.pool_allocation},
                            std::pair{"credit_allocation", &sla.credit_allocation}, std::pair{"at_risk", &sla.at_risk}})
        if (const Clause* c = clause(key)) ok = percent(ctx, *c, *out) && ok;
    if (const Clause* c = clause("cap")) {
        Value v;
        Type t = Type::error;
        if (fixed(ctx, *c, {Type::percent, Type::money}, "a percentage of the charges (cap 100%) or an amount (cap $5,000.00)", v, &t)) {
            if (v.num.sign() <= 0 || (t == Type::percent && v.num > Decimal::from_int(1))) {
                ctx.diags.error("E0253", c->value->span, "`cap` must be more than zero (and at most 100% of the charges)",
                                "a credit is capped at a share of the charges it is on, or at an amount");
                ok = false;
            } else {
                (t == Type::percent ? sla.cap_percent : sla.cap_amount) = v.num;
            }
        } else {
            ok = false;
        }
    }
    if (const Clause* c = clause("minimum")) {
        Value v;
        if (!fixed(ctx, *c, {Type::money}, "an amount, as in `minimum $1.00`", v)) {
            ok = false;
        } else if (v.num.sign() < 0) {
            ctx.diags.error("E0253", c->value->span, "`minimum` cannot be negative",
                            "a credit line below the minimum is not issued, e.g. minimum $1.00");
            ok = false;
        } else {
            sla.minimum = v.num;
        }
    }
    if (const Clause* c = clause("claim_window")) {
        Value v;
        if (!fixed(ctx, *c, {Type::decimal}, "a whole number of billing cycles, as in `claim_window 2`", v)) {
            ok = false;
        } else if (v.num.normalized().scale() != 0 || v.num.sign() < 0 || v.num > Decimal::from_int(24)) {
            ctx.diags.error("E0253", c->value->span, "`claim_window` is a whole number of billing cycles from 0 to 24",
                            "claims are due by the end of that many billing cycles after the month, e.g. claim_window 2");
            ok = false;
        } else {
            sla.claim_window = static_cast<int>(v.num.normalized().coefficient());
        }
    }
    for (auto [key, out] : {std::pair{"pool", &sla.pool}, std::pair{"description", &sla.description}})
        if (const Clause* c = clause(key)) {
            if (c->value->kind != ExprKind::literal || c->value->literal_kind != LiteralKind::text || c->value->text.empty()) {
                ctx.diags.error("E0253", c->value->span, fmt::format("`{}` must be text in quotes", key),
                                key == std::string("pool") ? "rules naming the same pool share one at-risk cap, e.g. pool \"Service levels\""
                                                           : "describe the rule in words");
                ok = false;
            } else {
                *out = c->value->text;
            }
        }

    // One form or the other: tiers (cloud) or a target with allocations (outsourcing).
    Span where = r.name_span.valid() ? r.name_span : r.kind_span;
    bool has_tiers = !sla.tiers.empty() || clause("below");
    if (has_tiers && clause("target")) {
        ctx.diags.error("E0252", clause("target")->keyword_span, "an sla rule has either credit tiers or a `target`, not both",
                        "tiers (`below 99.0% credit 30%`) give a percentage of the charges; a `target` with "
                        "`pool_allocation`, `credit_allocation` and `at_risk` gives the outsourcing form");
        ok = false;
    } else if (!has_tiers && !clause("target")) {
        if (!clause("credit"))
            ctx.diags.error("E0252", where, "this sla rule has no credit tiers and no `target`",
                            "add tiers such as `below 99.0% credit 30%`, or `target 99.5%` with `pool_allocation`, "
                            "`credit_allocation` and `at_risk`");
        ok = false;
    } else if (clause("target")) {
        for (const char* key : {"pool_allocation", "credit_allocation", "at_risk"})
            if (!clause(key)) {
                ctx.diags.error("E0252", where, fmt::format("this sla rule has a `target` but no `{}`", key),
                                "the outsourcing form is credit = pool_allocation x credit_allocation x (at_risk x "
                                "the month's charges); give all three");
                ok = false;
            }
    } else {
        for (const char* key : {"pool_allocation", "credit_allocation"})
            if (const Clause* c = clause(key)) {
                ctx.diags.error("E0252", c->keyword_span, fmt::format("`{}` belongs to the outsourcing form, with `target`", key),
                                "with credit tiers the credit is the tier's percentage of the charges");
                ok = false;
            }
    }

    // Rules of one pool share its at-risk cap, which is a share of one set of charges.
    if (ok)
        for (const auto& other : ctx.rules.slas) {
            if (other.pool != sla.pool) continue;
            if (other.charges_text != sla.charges_text || other.at_risk != sla.at_risk) {
                ctx.diags.add(Diagnostic{
                    Severity::error, "E0254",
                    fmt::format("sla \"{}\" is in pool \"{}\" with sla \"{}\", but the two differ in {}", sla.name, sla.pool,
                                other.name, other.charges_text != sla.charges_text ? "`charges`" : "`at_risk`"),
                    where, "rules of one pool share one at-risk cap on one set of charges: give them the same "
                           "`charges` and `at_risk`, or different pools",
                    {fmt::format("\"{}\" is at {}", other.name, other.name_span.where())}});
                ok = false;
            }
            break;
        }
    if (ok) ctx.rules.slas.push_back(std::move(sla));
}

}  // namespace ratebook
