// `allocate "NAME" { pool AMOUNT | pool "RU"
//                    by charges | by volume("RU") | by weights(TABLE, COLUMN) | by evenly
//                    | share "ACCOUNT" at PERCENT ...
//                    ru "CODE"  [after "OTHER ALLOCATION"]...  [description "..."] }`
// The pool is spread by engine/allocate_rules.cpp after monthly pricing; here every part is
// checked: fixed shares add up to 100%, bases name real tables and numeric columns, and the
// `after` order has no cycle (order_allocations, once every rule is compiled).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <functional>
#include <map>

#include "interpreter/rule_kinds.hpp"

namespace ratebook {
namespace {

const std::vector<ClauseSpec> allocate_clauses = {{"pool", true},  {"ru", true},
                                                  {"by"},          {"share", false, true, true},
                                                  {"after", false, true}, {"description"}};

// A fixed value of the wanted type: a literal, a const, or arithmetic on them.
bool fixed(RuleContext& ctx, const Expr& e, Type want, std::string_view role, Value& out) {
    Type t = ctx.checker.expect(e, want, role);
    if (t == Type::error) return false;
    if (!is_constant_expr(e, ctx.rules)) {
        ctx.diags.error("E0299", e.span, fmt::format("{} must be a fixed value, not read from a record", role),
                        "write a literal such as $12,000.00 or \"SHR-PLAT\", or the name of a const");
        return false;
    }
    return ctx.exprs.fold(e, out);
}

bool read_pool(RuleContext& ctx, const Expr& e, CompiledAllocation& a) {
    Type t = ctx.checker.check(e);
    if (t == Type::error) return false;
    Value v;
    if (t == Type::text) {
        if (!fixed(ctx, e, Type::text, "the pool's resource unit", v)) return false;
        a.pool_ru = std::string(v.text.view());
        return true;
    }
    if (t != Type::money) {
        ctx.diags.error("E0299", e.span, fmt::format("a pool is an amount or a resource unit code, but this is {}",
                                                     type_name(t)),
                        "write `pool $12,000.00` (a fixed amount) or `pool \"SHR-PLAT\"` (the month's charges "
                        "on that RU)");
        return false;
    }
    if (!fixed(ctx, e, Type::money, "the pool amount", v)) return false;
    int places = ctx.rules.config.rounding_places;
    if (v.num.rounded(places) != v.num || v.num.sign() <= 0) {
        ctx.diags.error("E0299", e.span, fmt::format("the pool amount must be positive, in whole cents ({} places)", places),
                        "an allocation spreads a bill; write it as billed, e.g. $12,000.00");
        return false;
    }
    a.fixed_pool = v.num;
    return true;
}

bool read_weights(RuleContext& ctx, const Expr& e, CompiledAllocation& a) {
    if (e.args.size() != 2 || e.args[0]->kind != ExprKind::name || e.args[1]->kind != ExprKind::name) {
        ctx.diags.error("E0299", e.span, "weights() takes a table and one of its columns",
                        "for example `by weights(headcount, Heads)`: the table is keyed by account code");
        return false;
    }
    const std::string& table_name = e.args[0]->text;
    const Table* table = ctx.rules.table(table_name);
    if (!table) {
        for (const auto& spec : ctx.rules.config.tables)
            if (spec.name == table_name) return false;  // declared, failed to load: reported
        std::vector<std::string> names;
        for (const auto& t : ctx.rules.tables) names.push_back(t.name);
        std::string guess = closest_name(table_name, names);
        ctx.diags.error("E0291", e.args[0]->span, fmt::format("there is no table named `{}`", table_name),
                        guess.empty() ? fmt::format("declare it in ratebook.toml under [tables.{}]", table_name)
                                      : fmt::format("did you mean `{}`?", guess));
        return false;
    }
    auto col = table->column_index(e.args[1]->text);
    if (!col) {
        std::string guess = closest_name(e.args[1]->text, table->columns);
        ctx.diags.error("E0292", e.args[1]->span,
                        fmt::format("table `{}` has no column `{}`", table_name, e.args[1]->text),
                        guess.empty() ? fmt::format("its columns are: {}", fmt::join(table->columns, ", "))
                                      : fmt::format("did you mean `{}`?", guess));
        return false;
    }
    Type t = table->column_type(*col);
    if (!is_numeric(t)) {
        ctx.diags.error("E0299", e.args[1]->span,
                        fmt::format("column {} of table `{}` is {}, but weights are numbers", e.args[1]->text,
                                    table_name, type_name(t)),
                        fmt::format("declare its type in ratebook.toml, e.g. columns = {{ {} = \"quantity\" }}",
                                    e.args[1]->text));
        return false;
    }
    // One weight per account: the key column must not repeat an account.
    size_t kc = table->key_column.empty() ? 0 : *table->column_index(table->key_column);
    std::map<std::string_view, size_t> seen;
    for (size_t r = 0; r < table->rows.size(); ++r) {
        auto [it, inserted] = seen.emplace(table->rows[r][kc], r);
        if (inserted) continue;
        ctx.diags.error("E0295", e.args[0]->span,
                        fmt::format("table `{}` has the account \"{}\" twice in its key column {} (lines {} and {} of {})",
                                    table_name, table->rows[r][kc], table->columns[kc], table->row_lines[it->second],
                                    table->row_lines[r], table->path),
                        "each account may appear once; delete or correct one of the rows");
        return false;
    }
    a.basis = CompiledAllocation::Basis::weights;
    a.table = static_cast<uint32_t>(table - ctx.rules.tables.data());
    a.weight_column = static_cast<uint32_t>(*col);
    return true;
}

bool read_basis(RuleContext& ctx, const Clause& by, CompiledAllocation& a) {
    const Expr& e = *by.value;
    a.basis_label = "by " + RuleContext::source_text(e.span);
    if (e.kind == ExprKind::name && e.text == "charges") {
        a.basis = CompiledAllocation::Basis::charges;
        return true;
    }
    if (e.kind == ExprKind::name && e.text == "evenly") {
        a.basis = CompiledAllocation::Basis::evenly;
        return true;
    }
    if (e.kind == ExprKind::call && e.text == "volume") {
        Value v;
        if (e.args.size() != 1) {
            ctx.diags.error("E0299", e.span, "volume() takes one resource unit code",
                            "for example `by volume(\"CMP-AWS-VM\")`");
            return false;
        }
        if (!fixed(ctx, *e.args[0], Type::text, "the resource unit of the volume", v)) return false;
        a.basis = CompiledAllocation::Basis::volume;
        a.basis_ru = std::string(v.text.view());
        return true;
    }
    if (e.kind == ExprKind::call && e.text == "weights") return read_weights(ctx, e, a);
    ctx.diags.error("E0299", e.span, "unknown allocation basis",
                    "write `by charges`, `by volume(\"RU\")`, `by weights(TABLE, COLUMN)` or `by evenly`, or "
                    "list fixed shares: `share \"ACCOUNT\" at 40%`");
    return false;
}

bool read_shares(RuleContext& ctx, const RuleDecl& r, CompiledAllocation& a) {
    bool ok = true;
    Decimal total;
    const Clause* last = nullptr;
    std::map<std::string, Span> seen;
    for (const Clause& c : r.clauses) {
        if (c.keyword != "share" || !c.value) continue;
        last = &c;
        Value account, share;
        if (!c.price) {
            ctx.diags.error("E0299", c.keyword_span, "a share needs its percentage: share \"ACCOUNT\" at 40%");
            ok = false;
            continue;
        }
        if (!fixed(ctx, *c.value, Type::text, "the account of a share", account) ||
            !fixed(ctx, *c.price, Type::percent, "a share", share)) {
            ok = false;
            continue;
        }
        std::string code(account.text.view());
        if (auto [it, inserted] = seen.emplace(code, c.keyword_span); !inserted) {
            ctx.diags.add(Diagnostic{Severity::error, "E0299", fmt::format("account \"{}\" has two shares", code),
                                     c.keyword_span, "give each account one share",
                                     {fmt::format("the first is at {}", it->second.where())}});
            ok = false;
            continue;
        }
        if (share.num.sign() < 0) {
            ctx.diags.error("E0299", c.price->span, "a share cannot be negative");
            ok = false;
            continue;
        }
        total += share.num;
        a.shares.emplace_back(code, share.num);
    }
    if (ok && last && total != Decimal::from_int(1)) {
        // The fraction as a percentage, exactly: 0.95 -> 95%.
        Decimal pct = total * Decimal::from_int(100);
        ctx.diags.error("E0296", r.name_span.valid() ? r.name_span : r.kind_span,
                        fmt::format("the shares of allocation \"{}\" add up to {}%, not 100%", r.name,
                                    pct.normalized().to_plain_string()),
                        "fixed shares must add up to exactly 100%, so the whole pool is spread");
        ok = false;
    }
    a.basis = CompiledAllocation::Basis::shares;
    a.basis_label = "by fixed shares";
    return ok;
}

}  // namespace

void compile_allocate(RuleContext& ctx, const RuleDecl& r) {
    auto clauses = ctx.sort_clauses(r, allocate_clauses);
    if (!ctx.check_unique_name(r)) return;
    CompiledAllocation a;
    a.name = r.name;
    a.kind_span = r.kind_span;
    bool ok = true;
    if (auto c = clauses.find("pool"); c != clauses.end()) ok = read_pool(ctx, *c->second->value, a) && ok;
    else ok = false;
    Value v;
    if (auto c = clauses.find("ru"); c != clauses.end()) {
        if (fixed(ctx, *c->second->value, Type::text, "the allocated lines' resource unit", v))
            a.ru = std::string(v.text.view());
        else
            ok = false;
    } else {
        ok = false;
    }
    if (auto c = clauses.find("description"); c != clauses.end()) {
        if (fixed(ctx, *c->second->value, Type::text, "the description", v)) a.description = std::string(v.text.view());
        else ok = false;
    }
    auto by = clauses.find("by");
    bool has_shares = clauses.count("share") > 0;
    if (by != clauses.end() && has_shares) {
        ctx.diags.error("E0299", by->second->keyword_span, "an allocation is spread either `by` a basis or by fixed shares",
                        "keep the `by` line or the `share` lines, not both");
        ok = false;
    } else if (by != clauses.end()) {
        ok = read_basis(ctx, *by->second, a) && ok;
    } else if (has_shares) {
        ok = read_shares(ctx, r, a) && ok;
    } else {
        ctx.diags.error("E0299", r.name_span.valid() ? r.name_span : r.kind_span,
                        fmt::format("allocation \"{}\" does not say how to spread its pool", r.name),
                        "add `by charges`, `by volume(\"RU\")`, `by weights(TABLE, COLUMN)`, `by evenly`, or "
                        "`share \"ACCOUNT\" at 40%` lines");
        ok = false;
    }
    for (const Clause& c : r.clauses) {
        if (c.keyword != "after" || !c.value) continue;
        if (!fixed(ctx, *c.value, Type::text, "the allocation to run after", v)) {
            ok = false;
            continue;
        }
        a.after.emplace_back(v.text.view());
        a.after_spans.push_back(c.value->span);
    }
    if (ok) ctx.rules.allocations.push_back(std::move(a));
}

void order_allocations(RuleContext& ctx) {
    auto& all = ctx.rules.allocations;
    if (all.empty()) return;
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < all.size(); ++i) index.emplace(all[i].name, i);
    // runs_after[i]: the allocations i waits for.
    std::vector<std::vector<size_t>> runs_after(all.size());
    bool ok = true;
    for (size_t i = 0; i < all.size(); ++i)
        for (size_t k = 0; k < all[i].after.size(); ++k) {
            auto it = index.find(all[i].after[k]);
            if (it != index.end()) {
                runs_after[i].push_back(it->second);
                continue;
            }
            std::vector<std::string> names;
            for (const auto& a : all) names.push_back(a.name);
            std::string guess = closest_name(all[i].after[k], names);
            ctx.diags.error("E0298", all[i].after_spans[k],
                            fmt::format("there is no allocation named \"{}\" to run after", all[i].after[k]),
                            guess.empty() ? "`after` names another allocate rule of this rule set"
                                          : fmt::format("did you mean \"{}\"?", guess));
            ok = false;
        }
    if (!ok) return;
    // Kahn's algorithm, always taking the earliest ready rule in file order: the order is the
    // file order wherever `after` does not say otherwise.
    std::vector<size_t> order;
    std::vector<bool> done(all.size());
    while (order.size() < all.size()) {
        size_t next = all.size();
        for (size_t i = 0; i < all.size() && next == all.size(); ++i) {
            if (done[i]) continue;
            bool ready = true;
            for (size_t j : runs_after[i]) ready = ready && done[j];
            if (ready) next = i;
        }
        if (next == all.size()) break;
        done[next] = true;
        order.push_back(next);
    }
    if (order.size() < all.size()) {
        // Walk `after` links among the waiting rules until one repeats: that loop is the cycle.
        size_t at = 0;
        while (done[at]) ++at;
        std::vector<size_t> path;
        std::vector<int> position(all.size(), -1);
        while (position[at] < 0) {
            position[at] = static_cast<int>(path.size());
            path.push_back(at);
            for (size_t j : runs_after[at])
                if (!done[j]) {
                    at = j;
                    break;
                }
        }
        std::vector<size_t> cycle(path.begin() + position[at], path.end());
        std::vector<std::string> words;
        for (size_t i : cycle) words.push_back(fmt::format("\"{}\"", all[i].name));
        words.push_back(fmt::format("\"{}\"", all[cycle[0]].name));
        std::vector<std::string> notes;
        for (size_t i : cycle) notes.push_back(fmt::format("\"{}\" is at {}", all[i].name, all[i].kind_span.where()));
        ctx.diags.add(Diagnostic{Severity::error, "E0297",
                                 fmt::format("allocations wait for each other in a cycle: {}", fmt::join(words, " after ")),
                                 all[cycle[0]].kind_span, "remove one of these `after` lines so the order has a start",
                                 notes});
        return;
    }
    std::vector<CompiledAllocation> sorted;
    for (size_t i : order) sorted.push_back(std::move(all[i]));
    all = std::move(sorted);
}

}  // namespace ratebook
