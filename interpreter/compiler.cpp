#include "interpreter/compiler.hpp"

#include <fmt/format.h>

#include "interpreter/rule_kinds.hpp"

namespace ratebook {
namespace {

void compile_const(RuleContext& ctx, const ConstDecl& d) {
    for (const auto& k : ctx.rules.consts)
        if (k.name == d.name) {
            ctx.diags.add(Diagnostic{Severity::error, "E0212", fmt::format("`{}` is already defined", d.name),
                                     d.name_span, "give this const another name, or delete one of the two",
                                     {fmt::format("first defined at {}", k.span.where())}});
            return;
        }
    ctx.checker.set_constant_context(true);
    Type t = ctx.checker.check(*d.value);
    ctx.checker.set_constant_context(false);
    if (t == Type::error) return;
    Value v;
    if (!ctx.exprs.fold(*d.value, v)) return;
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

}  // namespace

void compile_modules(const std::vector<Module>& modules, RuleSet& rules, Diagnostics& diags) {
    RuleContext ctx(rules, diags);
    // Consts first, in file order, so any rule may use any const; a const may use only
    // consts defined before it (which also rules out cycles).
    for (const Module& m : modules)
        for (const ConstDecl& d : m.consts) compile_const(ctx, d);
    for (const Module& m : modules)
        for (const RuleDecl& r : m.rules) compile_rule(ctx, r);
}

Chunk compile_expression(const Expr& e, RuleSet& rules, Diagnostics& diags) {
    TypeChecker checker(rules, diags);
    ExprCompiler exprs(rules, diags, checker);
    Chunk c;
    exprs.compile(e, Type::error, "the expression", c);
    return c;
}

}  // namespace ratebook
