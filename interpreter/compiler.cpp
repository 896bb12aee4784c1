#include "interpreter/compiler.hpp"

#include <fmt/format.h>

#include "grammar/parser.hpp"
#include "interpreter/rule_kinds.hpp"

namespace ratebook {
namespace {

void compile_const(RuleContext& ctx, const ConstDecl& d, const ConstOverride* override) {
    for (const auto& k : ctx.rules.consts)
        if (k.name == d.name) {
            ctx.diags.add(Diagnostic{Severity::error, "E0212", fmt::format("`{}` is already defined", d.name),
                                     d.name_span, "give this const another name, or delete one of the two",
                                     {fmt::format("first defined at {}", k.span.where())}});
            return;
        }
    ctx.checker.set_constant_context(true);
    Type t = ctx.checker.check(*d.value);
    Type given = override ? ctx.checker.check(*override->value) : t;
    ctx.checker.set_constant_context(false);
    if (t == Type::error) return;
    if (given == Type::error) {
        override = nullptr;  // reported; keep the rule file's value so its uses raise no more errors
    } else if (given != t) {
        ctx.diags.add(Diagnostic{Severity::error, "E0233",
                                 fmt::format("`{}` is {}, but --set gives {}", d.name, type_name(t), type_name(given)),
                                 override->value->span, "give a value of the same kind as in the rule file",
                                 {fmt::format("`{}` is defined at {}", d.name, d.name_span.where())}});
        override = nullptr;
    }
    const Expr& value = override ? *override->value : *d.value;
    Value v;
    if (!ctx.exprs.fold(value, v)) return;
    uint32_t index = t == Type::text ? ctx.exprs.text_constant(v.text.view()) : ctx.exprs.constant(t, v);
    ctx.rules.consts.push_back(ConstInfo{d.name, t, index, d.name_span});
}

void compile_rule(RuleContext& ctx, const RuleDecl& r) {
    if (const RuleKind* kind = find_rule_kind(r.kind)) return kind->compile(ctx, r);
    std::vector<std::string> names;
    for (const auto& k : rule_kinds()) names.emplace_back(k.name);
    std::string guess = closest_name(r.kind, names);
    ctx.diags.error("E0214", r.kind_span, fmt::format("unknown kind of rule `{}`", r.kind),
                    guess.empty() ? "rule blocks start with `rate` or `account`"
                                  : fmt::format("did you mean `{}`?", guess));
}

void too_many(Diagnostics& diags, const Span& at, const char* what, size_t limit) {
    diags.error("E0235", at, fmt::format("the rule set has more than {} {}", limit, what),
                "split the rate book into fewer, broader rules (a table and `lookup` or `in [...]` "
                "lists replace many one-line rules)");
}

}  // namespace

bool parse_const_override(const std::string& text, ConstOverride& out, Diagnostics& diags) {
    size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0) {
        diags.error("E0233", {}, fmt::format("--set `{}`: write NAME=VALUE, e.g. --set admin_fee=5%", text));
        return false;
    }
    out.name = text.substr(0, eq);
    out.text = text;
    out.value = parse_expression(make_source("--set " + out.name, text.substr(eq + 1)), diags);
    return out.value != nullptr;
}

void compile_modules(const std::vector<Module>& modules, RuleSet& rules, Diagnostics& diags,
                     const std::vector<ConstOverride>& overrides) {
    RuleContext ctx(rules, diags);
    // Consts first, in file order, so any rule may use any const; a const may use only
    // consts defined before it (which also rules out cycles).
    std::vector<bool> used(overrides.size());
    size_t const_count = 0;
    for (const Module& m : modules)
        for (const ConstDecl& d : m.consts) {
            if (++const_count > max_consts) {
                if (const_count == max_consts + 1) too_many(diags, d.name_span, "consts", max_consts);
                continue;
            }
            const ConstOverride* override = nullptr;
            for (size_t i = 0; i < overrides.size(); ++i)
                if (overrides[i].name == d.name && !used[i]) {
                    override = &overrides[i];
                    used[i] = true;
                }
            compile_const(ctx, d, override);
        }
    for (size_t i = 0; i < overrides.size(); ++i) {
        if (used[i]) {
            rules.overrides.push_back(overrides[i].text);
            continue;
        }
        std::vector<std::string> names;
        for (const auto& c : rules.consts) names.push_back(c.name);
        std::string guess = closest_name(overrides[i].name, names);
        diags.error("E0233", {}, fmt::format("--set {}: the rule set has no const named `{}`", overrides[i].text, overrides[i].name),
                    guess.empty() ? "--set changes a `const` defined in the rule files" : fmt::format("did you mean `{}`?", guess));
    }
    size_t rule_count = 0;
    for (const Module& m : modules)
        for (const RuleDecl& r : m.rules) {
            if (++rule_count > max_rules) return too_many(diags, r.kind_span, "rule blocks", max_rules);
            compile_rule(ctx, r);
        }
    for (const auto& k : rule_kinds())
        if (k.finish) k.finish(ctx);
    order_allocations(ctx);
}

Chunk compile_expression(const Expr& e, RuleSet& rules, Diagnostics& diags) {
    TypeChecker checker(rules, diags);
    ExprCompiler exprs(rules, diags, checker);
    Chunk c;
    exprs.compile(e, Type::error, "the expression", c);
    return c;
}

}  // namespace ratebook
