// `account "NAME" { from EXPR [in table T.KEY -> COLUMN] ... else "CODE" }`: the sources are
// tried in order; the first that gives an account wins; `else` is the last resort.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <functional>
#include <set>

#include "interpreter/rule_kinds.hpp"

namespace ratebook {
namespace {

// Keys of a lookup column must be unique: two rows for one key would make billing depend on
// file order.
bool build_index(RuleContext& ctx, Table& table, const std::string& column, const Span& use) {
    if (table.indexes.count(column)) return true;
    size_t col = *table.column_index(column);
    std::unordered_map<std::string, uint32_t> index;
    bool ok = true;
    for (uint32_t row = 0; row < table.rows.size(); ++row) {
        auto [it, inserted] = index.emplace(table.rows[row][col], row);
        if (inserted) continue;
        ctx.diags.error("E0306", use,
                        fmt::format("table `{}` has the key \"{}\" twice in column {} (lines {} and {} of {})",
                                    table.name, table.rows[row][col], column, table.row_lines[it->second],
                                    table.row_lines[row], table.path),
                        "each key may appear once; delete or correct one of the rows");
        ok = false;
    }
    table.indexes.emplace(column, std::move(index));
    return ok;
}

bool compile_lookup(RuleContext& ctx, const TableLookup& l, CompiledAccountSource& source) {
    const Table* table = ctx.rules.table(l.table);
    for (const auto& spec : ctx.rules.config.tables)
        if (!table && spec.name == l.table) return false;  // declared, failed to load: reported
    if (!table) {
        std::vector<std::string> names;
        for (const auto& t : ctx.rules.tables) names.push_back(t.name);
        std::string guess = closest_name(l.table, names);
        ctx.diags.error("E0221", l.table_span, fmt::format("there is no table named `{}`", l.table),
                        guess.empty() ? "declare it in ratebook.toml under [tables." + l.table + "]"
                                      : fmt::format("did you mean `{}`?", guess));
        return false;
    }
    bool ok = true;
    auto check_column = [&](const std::string& col, const Span& span) {
        if (table->column_index(col)) return;
        std::string guess = closest_name(col, table->columns);
        ctx.diags.error("E0221", span, fmt::format("table `{}` has no column `{}`", l.table, col),
                        guess.empty() ? fmt::format("its columns are: {}", fmt::join(table->columns, ", "))
                                      : fmt::format("did you mean `{}`?", guess));
        ok = false;
    };
    check_column(l.key_column, l.key_span);
    check_column(l.value_column, l.value_span);
    if (!ok) return false;
    auto index = static_cast<uint32_t>(table - ctx.rules.tables.data());
    if (!build_index(ctx, ctx.rules.tables[index], l.key_column, l.key_span)) return false;
    source.lookup = CompiledTableLookup{index, l.key_column, l.value_column,
                                        static_cast<uint32_t>(*table->column_index(l.value_column))};
    if (l.prefix) {
        // Longest prefix wins, so the engine tries the table's key lengths longest first.
        source.lookup->prefix = true;
        std::set<uint32_t, std::greater<>> lengths;
        for (const auto& [key, row] : ctx.rules.tables[index].indexes.at(l.key_column))
            if (!key.empty()) lengths.insert(static_cast<uint32_t>(key.size()));
        source.lookup->prefix_lengths.assign(lengths.begin(), lengths.end());
    }
    return true;
}

bool compile_source(RuleContext& ctx, const Clause& c, CompiledAccountRule& account) {
    CompiledAccountSource source;
    source.span = c.keyword_span;
    if (!ctx.exprs.compile(*c.value, Type::text, "an account source", source.key)) return false;
    source.label = RuleContext::source_text(c.value->span);
    if (c.lookup) source.label += (c.lookup->prefix ? " prefix via " : " via ") + c.lookup->table;
    if (c.lookup && !compile_lookup(ctx, *c.lookup, source)) return false;
    account.sources.push_back(std::move(source));
    return true;
}

bool compile_fallback(RuleContext& ctx, const Clause& c, CompiledAccountRule& account) {
    if (!account.fallback.empty()) {
        ctx.diags.error("E0216", c.keyword_span, "this account rule has two final `else` values",
                        "keep one; use `else from ...` for another source to try");
        return false;
    }
    account.fallback_span = c.keyword_span;
    account.fallback_label = "else " + RuleContext::source_text(c.value->span);
    return ctx.exprs.compile(*c.value, Type::text, "the fallback account", account.fallback);
}

}  // namespace

void compile_account(RuleContext& ctx, const RuleDecl& r) {
    if (auto first = ctx.first_of_kind.find("account"); first != ctx.first_of_kind.end()) {
        ctx.diags.add(Diagnostic{Severity::error, "E0222", "a rule set has one account rule", r.kind_span,
                                 "put every source in one account block, in the order to try them",
                                 {fmt::format("the first is at {}", first->second.where())}});
        return;
    }
    ctx.first_of_kind.emplace("account", r.kind_span);
    CompiledAccountRule account;
    account.name = r.name.empty() ? "account" : r.name;
    account.span = r.kind_span;
    bool ok = true;
    for (const Clause& c : r.clauses) {
        if (c.price || !c.value) {
            ctx.diags.error("E0215", c.keyword_span, "an account rule has no tier lines",
                            "`at` belongs to tier lines in rate rules");
            ok = false;
        } else if (c.keyword == "from") {
            ok = compile_source(ctx, c, account) && ok;
        } else if (c.keyword == "else") {
            ok = compile_fallback(ctx, c, account) && ok;
        } else {
            ctx.diags.error("E0215", c.keyword_span, fmt::format("an account rule has no `{}` clause", c.keyword),
                            "write sources as `from EXPR [in table T.KEY -> COLUMN]` and the last resort as "
                            "`else \"ACCOUNT\"`");
            ok = false;
        }
    }
    if (ok) ctx.rules.account = std::move(account);
}

}  // namespace ratebook
