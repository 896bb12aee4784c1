// `variance "NAME" { by KEY and KEY ...  flag CONDITION }`           the default rule
// `variance "NAME" { for CONDITION-ON-KEYS  flag CONDITION }`         an override for some groups
//
// A variance rule decides which month-over-month changes of a group of charge lines need an
// explanation. Its expressions read the group's keys and measures (interpreter/
// variance_measures.hpp), never feed columns, so they are compiled with the checker's scope set
// to those names and run by the same VM as rate rules.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "interpreter/rule_kinds.hpp"
#include "interpreter/variance_measures.hpp"

namespace ratebook {
namespace {

const std::vector<ClauseSpec> variance_clauses = {{"by"}, {"for"}, {"flag", true}};

std::vector<std::string> key_names() {
    std::vector<std::string> out;
    for (size_t i = 0; i < variance_key_count; ++i) out.emplace_back(variance_names()[i].name);
    return out;
}

std::vector<std::string> all_names(const RuleSet& rules) {
    std::vector<std::string> out;
    for (const auto& n : variance_names()) out.emplace_back(n.name);
    for (const auto& c : rules.consts) out.push_back(c.name);
    return out;
}

// `by account and ru and service`: an `and` chain of key names, each at most once.
bool read_keys(RuleContext& ctx, const Expr& e, std::vector<size_t>& keys) {
    if (e.kind == ExprKind::binary && e.op == Op::and_)
        return read_keys(ctx, *e.args[0], keys) && read_keys(ctx, *e.args[1], keys);
    int slot = e.kind == ExprKind::name ? variance_slot(e.text) : -1;
    if (slot < 0 || !is_variance_key(static_cast<size_t>(slot))) {
        std::string guess = e.kind == ExprKind::name ? closest_name(e.text, key_names()) : "";
        ctx.diags.error("E0240", e.span,
                        e.kind == ExprKind::name ? fmt::format("`{}` is not a column of charges.csv to group by", e.text)
                                                 : "`by` lists the columns to group charge lines by",
                        guess.empty() ? fmt::format("group by any of {}, joined by `and`: by account and ru",
                                                    fmt::join(key_names(), ", "))
                                      : fmt::format("did you mean `{}`?", guess));
        return false;
    }
    for (size_t k : keys)
        if (k == static_cast<size_t>(slot)) {
            ctx.diags.error("E0240", e.span, fmt::format("`{}` is named twice in `by`", e.text),
                            "name each column once");
            return false;
        }
    keys.push_back(static_cast<size_t>(slot));
    return true;
}

// Every name a variance expression reads must be a key, a measure or a const, and a `for`
// condition (which picks groups before anything is measured) may read keys only. Reported here,
// with this rule kind's own hints, before the type checker sees the expression.
bool check_names(RuleContext& ctx, const Expr& e, bool keys_only, std::vector<std::pair<size_t, Span>>& keys_read) {
    bool ok = true;
    if (e.kind == ExprKind::name) {
        for (const auto& c : ctx.rules.consts)
            if (c.name == e.text) return true;
        int slot = variance_slot(e.text);
        if (slot < 0) {
            std::string guess = closest_name(e.text, all_names(ctx.rules));
            ctx.diags.error("E0241", e.span, fmt::format("a variance rule cannot read `{}`", e.text),
                            guess.empty() ? "it reads the group's keys (account, ru, service, ...) and measures "
                                            "(charge_change, charge_change_pct, volume_change_pct, ...)"
                                          : fmt::format("did you mean `{}`?", guess));
            return false;
        }
        if (keys_only && !is_variance_key(static_cast<size_t>(slot))) {
            ctx.diags.error("E0243", e.span,
                            fmt::format("`for` picks groups by their keys, but `{}` is a measure", e.text),
                            "put thresholds in `flag`; `for` names the groups, e.g. for account == \"10004-0\"");
            return false;
        }
        if (is_variance_key(static_cast<size_t>(slot))) keys_read.emplace_back(static_cast<size_t>(slot), e.span);
        return true;
    }
    if (e.kind == ExprKind::call && e.text == "tag") {
        ctx.diags.error("E0241", e.span, "a variance rule has no record to read tags from",
                        "it compares groups of charge lines; group by `account` or `ru` instead");
        return false;
    }
    for (const auto& a : e.args) ok = check_names(ctx, *a, keys_only, keys_read) && ok;
    return ok;
}

// A key read by a rule must be one the default rule groups by: otherwise a group holds lines
// with several values of it and the condition has no single value to test.
bool check_keys_grouped(RuleContext& ctx, const CompiledVariance& rule, const CompiledVariance& by_rule) {
    bool ok = true;
    for (const auto& [slot, span] : rule.keys_read) {
        if (std::find(by_rule.keys.begin(), by_rule.keys.end(), slot) != by_rule.keys.end()) continue;
        ctx.diags.add(Diagnostic{
            Severity::error, "E0244",
            fmt::format("`{}` is not one of the grouping keys, so a group has no single {}",
                        variance_names()[slot].name, variance_names()[slot].name),
            span, fmt::format("add it to `by` in variance \"{}\", or test a key it groups by", by_rule.name),
            {fmt::format("the grouping is set at {}", by_rule.name_span.where())}});
        ok = false;
    }
    return ok;
}

}  // namespace

void compile_variance(RuleContext& ctx, const RuleDecl& r) {
    if (r.name.empty())
        ctx.diags.error("E0217", r.kind_span, "this variance rule has no name",
                        "write a name in quotes after `variance`, e.g. variance \"Month-over-month review\" { ... }");
    bool ok = ctx.check_unique_name(r);
    auto clauses = ctx.sort_clauses(r, variance_clauses);
    auto clause = [&](const char* key) -> const Clause* {
        auto it = clauses.find(key);
        return it == clauses.end() ? nullptr : it->second;
    };
    CompiledVariance rule;
    rule.name = r.name;
    rule.kind_span = r.kind_span;
    rule.name_span = r.name_span.valid() ? r.name_span : r.kind_span;
    const Clause* by = clause("by");
    const Clause* select = clause("for");
    if (by && select) {
        ctx.diags.error("E0242", select->keyword_span, "a variance rule either sets the grouping (`by`) or overrides it (`for`)",
                        "write the grouping and the usual thresholds in one rule with `by`, and each "
                        "special case in its own rule with `for`");
        ok = false;
    } else if (!by && !select && !clauses.empty()) {
        ctx.diags.error("E0242", rule.name_span, "this variance rule has neither `by` nor `for`",
                        "the default rule says what to group by (`by account and ru`); an override says "
                        "which groups it is for (`for account == \"10004-0\"`)");
        ok = false;
    }
    if (by) {
        ok = read_keys(ctx, *by->value, rule.keys) && ok;
        ctx.first_of_kind.emplace("variance", rule.name_span);  // a default was written, even if broken
    }

    ctx.checker.set_scope(&variance_names());
    auto condition = [&](const Clause& c, bool keys_only, Chunk& out) {
        if (!check_names(ctx, *c.value, keys_only, rule.keys_read)) return false;
        Type t = ctx.checker.check(*c.value);
        if (t == Type::error) return false;
        if (t != Type::boolean) {
            ctx.diags.error("E0245", c.value->span,
                            fmt::format("`{}` needs a condition (true or false), but this is {}", c.keyword, type_name(t)),
                            keys_only ? "name the groups, e.g. for account == \"10362-4\""
                                      : "compare with a threshold, e.g. flag abs(charge_change) >= $250.00");
            return false;
        }
        return ctx.exprs.compile(*c.value, Type::boolean, "the condition", out);
    };
    if (select) ok = condition(*select, true, rule.selects) && ok;
    if (const Clause* f = clause("flag")) ok = condition(*f, false, rule.flag) && ok;
    ctx.checker.set_scope(nullptr);
    if (!ok || !clause("flag")) return;  // a missing `flag` was reported by sort_clauses

    // One default; overrides may come before or after it (files compile in name order).
    const CompiledVariance* by_rule = nullptr;
    for (const auto& v : ctx.rules.variances)
        if (v.is_default()) by_rule = &v;
    if (rule.is_default()) {
        if (by_rule) {
            ctx.diags.add(Diagnostic{Severity::error, "E0242",
                                     fmt::format("variance \"{}\" is a second default rule", rule.name), rule.name_span,
                                     "one rule sets the grouping with `by`; make this one an override with `for`",
                                     {fmt::format("the default is variance \"{}\" at {}", by_rule->name,
                                                  by_rule->name_span.where())}});
            return;
        }
        for (const auto& v : ctx.rules.variances) check_keys_grouped(ctx, v, rule);  // earlier overrides
        ok = check_keys_grouped(ctx, rule, rule);
    } else if (by_rule) {
        ok = check_keys_grouped(ctx, rule, *by_rule);
    }
    if (ok) ctx.rules.variances.push_back(std::move(rule));
}

// Overrides replace the default rule's `flag` for some of its groups: without a default there
// are no groups to override.
void finish_variance(RuleContext& ctx) {
    const auto& all = ctx.rules.variances;
    if (all.empty() || ctx.first_of_kind.count("variance")) return;  // a broken default was reported already
    ctx.diags.error("E0242", all.front().name_span,
                    fmt::format("variance \"{}\" overrides a default variance rule, but there is none", all.front().name),
                    "add the default rule, which says what to group by: variance \"Month-over-month review\" "
                    "{ by account and ru  flag ... }");
}

}  // namespace ratebook
