// `service EXPR`, `product EXPR`, `component EXPR` in a rate rule, and the rule set's
// `drilldown { service ... product ... component ... }` block that gives every rate rule the
// fields it does not define itself. Each field is Text: a feed column, a text in quotes (or a
// const), `none` (no drill-down: the field is empty), or any Text expression over the record.
//
// Why three representations (drilldown.hpp): the common case, no clause, must cost nothing per
// record, so it keeps reading the feed's column; a fixed text is resolved now to a view into the
// rule set; only an expression that reads the record becomes a chunk the VM runs.
#include "interpreter/compile_drilldown.hpp"

#include <fmt/format.h>

#include "interpreter/rule_kinds.hpp"

namespace ratebook {
namespace {

struct FieldName {
    const char* keyword;
    const char* role;  // in messages
    DrillDownField DrillDown::* field;
};
const FieldName fields[] = {
    {"service", "the service of a charge line", &DrillDown::service},
    {"product", "the product of a charge line", &DrillDown::product},
    {"component", "the component of a charge line", &DrillDown::component},
};

// `none` means "no drill-down on this field", unless the author named a const `none`.
bool means_none(const RuleContext& ctx, const Expr& e) {
    if (e.kind != ExprKind::name || e.text != "none") return false;
    for (const auto& c : ctx.rules.consts)
        if (c.name == "none") return false;
    return true;
}

bool compile_field(RuleContext& ctx, const Clause& c, const char* role, DrillDownField& out) {
    const Expr& e = *c.value;
    out.span = c.keyword_span;
    if (means_none(ctx, e)) {
        out.source = DrillDownField::Source::fixed;
        out.fixed = {};
        return true;
    }
    Type t = ctx.checker.check(e);
    if (t == Type::error) return false;
    if (t != Type::text) {
        ctx.diags.error("E0236", e.span, fmt::format("{} must be Text, but this is {}", role, type_name(t)),
                        fmt::format("write a column such as ServiceName, a text in quotes, or `none` for no "
                                    "drill-down; e.g. `{} \"Managed Compute\"`", c.keyword));
        return false;
    }
    if (is_constant_expr(e, ctx.rules)) {
        Value v;
        if (!ctx.exprs.fold(e, v)) return false;
        out.source = DrillDownField::Source::fixed;
        out.fixed = ctx.rules.symbol_text(ctx.rules.intern(v.text.view()));  // lives as long as the rule set
        return true;
    }
    if (!ctx.exprs.compile(e, Type::text, role, out.chunk)) return false;
    out.source = DrillDownField::Source::computed;
    return true;
}

bool compile_fields(RuleContext& ctx, const std::map<std::string, const Clause*>& clauses, DrillDown& out,
                    bool from_rule) {
    bool ok = true;
    for (const FieldName& f : fields) {
        auto it = clauses.find(f.keyword);
        if (it == clauses.end()) continue;
        DrillDownField& field = out.*f.field;
        field.from_rule = from_rule;
        ok = compile_field(ctx, *it->second, f.role, field) && ok;
    }
    out.update();
    return ok;
}

}  // namespace

const std::vector<ClauseSpec>& drilldown_clauses() {
    static const std::vector<ClauseSpec> specs = {{"service"}, {"product"}, {"component"}};
    return specs;
}

bool compile_rate_drilldown(RuleContext& ctx, const std::map<std::string, const Clause*>& clauses,
                            DrillDown& out) {
    return compile_fields(ctx, clauses, out, true);
}

void compile_drilldown(RuleContext& ctx, const RuleDecl& r) {
    auto [first, inserted] = ctx.first_of_kind.emplace("drilldown", r.kind_span);
    if (!inserted) {
        ctx.diags.add(Diagnostic{Severity::error, "E0237", "a rule set has one `drilldown` block", r.kind_span,
                                 "merge the two blocks: each of service, product and component once",
                                 {fmt::format("the first is at {}", first->second.where())}});
        return;
    }
    auto clauses = ctx.sort_clauses(r, drilldown_clauses());
    if (r.clauses.empty()) {
        ctx.diags.error("E0237", r.kind_span, "this `drilldown` block defines nothing",
                        "define service, product or component, e.g. `component none`, or delete the block");
        return;
    }
    DrillDown defaults;
    if (compile_fields(ctx, clauses, defaults, false) && defaults.custom)
        ctx.rules.drilldown_defaults = std::move(defaults);
}

// Every rate rule takes the block's fields that it does not define itself. Fees and
// allocations have drill-down fields of their own (the rule's name, the month, the basis).
void finish_drilldown(RuleContext& ctx) {
    if (!ctx.rules.drilldown_defaults) return;
    const DrillDown& d = *ctx.rules.drilldown_defaults;
    for (CompiledRate& rate : ctx.rules.rates) {
        if (rate.fee) continue;
        for (const FieldName& f : fields) {
            DrillDownField& mine = rate.drilldown.*f.field;
            const DrillDownField& given = d.*f.field;
            if (!mine.from_rule && given.source != DrillDownField::Source::feed) mine = given;
        }
        rate.drilldown.update();
    }
}

}  // namespace ratebook
