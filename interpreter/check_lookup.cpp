// Type checks of the two built-ins that read the rule set's tables rather than only their
// arguments: lookup(table, key, column[, default]) and business_days(from, to). Both compile to
// their own opcode (see expr_compiler.hpp), because a builtin in stdlib/ sees only its arguments.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <unordered_map>

#include "interpreter/checker.hpp"

namespace ratebook {
namespace {

std::string tn(Type t) { return std::string(type_name(t)); }

}  // namespace

Type TypeChecker::check_lookup(const Expr& e) {
    const std::string usage = "usage: lookup(table, key, column) or lookup(table, key, column, default)";
    if (e.args.size() < 3 || e.args.size() > 4) {
        for (const auto& a : e.args)
            if (a->kind != ExprKind::name) check(*a);
        diags_.error("E0290", e.op_span,
                     fmt::format("lookup() takes 3 or 4 arguments, but {} {} given", e.args.size(),
                                 e.args.size() == 1 ? "was" : "were"),
                     usage);
        return Type::error;
    }
    bool ok = true;
    Type key = check(*e.args[1]);
    Type fallback = e.args.size() == 4 ? check(*e.args[3]) : Type::text;
    if (key == Type::error || fallback == Type::error) ok = false;

    const Expr& table_arg = *e.args[0];
    const Expr& column_arg = *e.args[2];
    if (table_arg.kind != ExprKind::name) {
        diags_.error("E0291", table_arg.span, "the first argument of lookup() is the name of a table",
                     "write the table's name as declared in ratebook.toml, without quotes: lookup(headcount, ...)");
        return Type::error;
    }
    const Table* table = rules_.table(table_arg.text);
    if (!table) {
        for (const auto& spec : rules_.config.tables)
            if (spec.name == table_arg.text) return Type::error;  // declared, failed to load: reported
        std::vector<std::string> names;
        for (const auto& t : rules_.tables) names.push_back(t.name);
        std::string guess = closest_name(table_arg.text, names);
        diags_.error("E0291", table_arg.span, fmt::format("there is no table named `{}`", table_arg.text),
                     guess.empty() ? fmt::format("declare it in ratebook.toml under [tables.{}]", table_arg.text)
                                   : fmt::format("did you mean `{}`?", guess));
        return Type::error;
    }
    if (column_arg.kind != ExprKind::name) {
        diags_.error("E0292", column_arg.span, "the third argument of lookup() is the name of a column",
                     fmt::format("write one of {}'s columns without quotes: {}", table->name,
                                 fmt::join(table->columns, ", ")));
        return Type::error;
    }
    auto col = table->column_index(column_arg.text);
    if (!col) {
        std::string guess = closest_name(column_arg.text, table->columns);
        diags_.error("E0292", column_arg.span,
                     fmt::format("table `{}` has no column `{}`", table->name, column_arg.text),
                     guess.empty() ? fmt::format("its columns are: {}", fmt::join(table->columns, ", "))
                                   : fmt::format("did you mean `{}`?", guess));
        return Type::error;
    }
    Type result = table->column_type(*col);
    if (!table->key_column.empty()) {
        // A declared key was checked when the table was loaded; the first column, used as the key
        // by default, is checked here, where a rule first relies on it.
        size_t kc = *table->column_index(table->key_column);
        std::unordered_map<std::string_view, size_t> seen;
        for (size_t r = 0; r < table->rows.size(); ++r) {
            auto [it, inserted] = seen.emplace(table->rows[r][kc], r);
            if (inserted) continue;
            diags_.error("E0295", table_arg.span,
                         fmt::format("table `{}` has the key \"{}\" twice in its key column {} (lines {} and {} of {})",
                                     table->name, table->rows[r][kc], table->key_column,
                                     table->row_lines[it->second], table->row_lines[r], table->path),
                         "each key may appear once; delete or correct one of the rows, or declare another "
                         "`key` column in ratebook.toml");
            return Type::error;
        }
    }
    if (key != Type::error && key != Type::text) {
        diags_.error("E0293", e.args[1]->span,
                     fmt::format("the key of a lookup is Text (the table's {} column), but this is {}",
                                 table->key_column, tn(key)),
                     "look up a text column or tag, e.g. lookup(headcount, tag(\"cost-center\"), Heads)");
        ok = false;
    }
    if (e.args.size() == 4 && fallback != Type::error && common_type(fallback, result) != result) {
        diags_.error("E0294", e.args[3]->span,
                     fmt::format("the default is {}, but column {} of table `{}` holds {}", tn(fallback),
                                 column_arg.text, table->name, tn(result)),
                     result == Type::money ? "write the default with a currency, e.g. $0.00"
                                           : "give a default of the column's type (see its type in ratebook.toml)");
        ok = false;
    }
    return ok ? result : Type::error;
}

Type TypeChecker::check_business_days(const Expr& e) {
    if (e.args.size() != 2) {
        for (const auto& a : e.args) check(*a);
        diags_.error("E0206", e.op_span,
                     fmt::format("business_days() takes 2 arguments, but {} {} given", e.args.size(),
                                 e.args.size() == 1 ? "was" : "were"),
                     "usage: business_days(from, to)");
        return Type::error;
    }
    bool ok = true;
    for (size_t i = 0; i < 2; ++i) {
        Type t = check(*e.args[i]);
        if (t == Type::error) ok = false;
        else if (t != Type::date) {
            diags_.error("E0207", e.args[i]->span,
                         fmt::format("business_days() counts between two dates, but this is {}", tn(t)),
                         "usage: business_days(from, to), e.g. business_days(ChargePeriodStart, 2026-11-01)");
            ok = false;
        }
    }
    return ok ? Type::decimal : Type::error;
}

}  // namespace ratebook
