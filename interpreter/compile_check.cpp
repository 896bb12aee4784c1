// `check "NAME" { when COND  severity error|warning|info  message "... {Column} ..." }`:
// analysts' own feed checks. Validation runs `when` on every record and, where it holds, makes
// a finding with the check's name as its id and the message with each {Column} replaced by the
// record's value.
#include <fmt/format.h>

#include <algorithm>

#include "interpreter/normalise_config.hpp"
#include "interpreter/rule_kinds.hpp"

namespace ratebook {
namespace {

const std::vector<ClauseSpec> check_clauses = {{"when", true}, {"severity", true}, {"message", true}};

bool read_severity(RuleContext& ctx, const Expr& e, CompiledCheck& check) {
    if (e.kind == ExprKind::name) {
        if (e.text == "error") return check.severity = CompiledCheck::Severity::error, true;
        if (e.text == "warning") return check.severity = CompiledCheck::Severity::warning, true;
        if (e.text == "info") return check.severity = CompiledCheck::Severity::info, true;
    }
    ctx.diags.error("E0260", e.span, "a check's severity is error, warning or info",
                    "error stops `ratebook rate` unless accepted; warning and info are reported only");
    return false;
}

// Splits "{ResourceId} has cost {BilledCost}" into texts and column chunks. `{{` and `}}` are
// literal braces.
bool read_message(RuleContext& ctx, const Expr& e, CompiledCheck& check) {
    if (e.kind != ExprKind::literal || e.literal_kind != LiteralKind::text) {
        ctx.diags.error("E0261", e.span, "a check's message must be text in quotes",
                        "e.g. message \"{ResourceId} has cost {BilledCost} but no quantity\"");
        return false;
    }
    const std::string& m = e.text;
    std::string text;
    for (size_t i = 0; i < m.size(); ++i) {
        char c = m[i];
        if ((c == '{' || c == '}') && i + 1 < m.size() && m[i + 1] == c) {
            text += c;
            ++i;
            continue;
        }
        if (c == '}') {
            ctx.diags.error("E0262", e.span, "a `}` in a check's message closes nothing",
                            "write `}}` for a brace, or {Column} to show a value");
            return false;
        }
        if (c != '{') {
            text += c;
            continue;
        }
        size_t close = m.find('}', i + 1);
        if (close == std::string::npos) {
            ctx.diags.error("E0262", e.span, "a `{` in a check's message is not closed",
                            "write {Column}, e.g. {ResourceId}, or `{{` for a brace");
            return false;
        }
        std::string name = m.substr(i + 1, close - i - 1);
        if (name.find_first_of("{ ") != std::string::npos) {
            ctx.diags.error("E0262", e.span, "a `{` in a check's message is not closed",
                            "write {Column}, e.g. {ResourceId}, or `{{` for a brace");
            return false;
        }
        auto info = find_column(name);
        if (!info) {
            std::string guess = closest_name(name, focus_column_names());
            ctx.diags.error("E0262", e.span, fmt::format("`{{{}}}` in the message is not a FOCUS column", name),
                            guess.empty() ? "name a column such as {ResourceId} or {BilledCost}"
                                          : fmt::format("did you mean {{{}}}?", guess));
            return false;
        }
        check.text.push_back(std::move(text));
        text.clear();
        check.values.push_back(ctx.exprs.column_chunk(name, e.span));
        check.value_types.push_back(info->type);
        i = close;
    }
    check.text.push_back(std::move(text));
    return true;
}

}  // namespace

void compile_check(RuleContext& ctx, const RuleDecl& r) {
    bool ok = true;
    if (r.name.empty()) {
        ctx.diags.error("E0217", r.kind_span, "this check has no name",
                        "write a name in quotes after `check`, e.g. check \"cost-without-usage\" { ... }; it is the "
                        "finding's check id");
        ok = false;
    } else {
        const auto& builtin = validation_check_ids();
        if (std::find(builtin.begin(), builtin.end(), r.name) != builtin.end()) {
            ctx.diags.error("E0263", r.name_span, fmt::format("`{}` is the id of a built-in check", r.name),
                            "give your check its own name, so findings say which check made them");
            ok = false;
        }
    }
    ok = ctx.check_unique_name(r) && ok;
    auto clauses = ctx.sort_clauses(r, check_clauses);
    CompiledCheck check;
    check.name = r.name;
    check.kind_span = r.kind_span;
    if (auto c = clauses.find("when"); c != clauses.end())
        ok = ctx.exprs.compile(*c->second->value, Type::boolean, "a check's condition", check.when) && ok;
    if (auto c = clauses.find("severity"); c != clauses.end()) ok = read_severity(ctx, *c->second->value, check) && ok;
    if (auto c = clauses.find("message"); c != clauses.end()) ok = read_message(ctx, *c->second->value, check) && ok;
    if (ok && clauses.size() == check_clauses.size()) ctx.rules.checks.push_back(std::move(check));
}

}  // namespace ratebook
