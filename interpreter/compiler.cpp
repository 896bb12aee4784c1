#include "interpreter/compiler.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>

#include "interpreter/checker.hpp"
#include "interpreter/vm.hpp"
#include "stdlib/builtins.hpp"

namespace ratebook {
namespace {

constexpr uint32_t max_chunk_length = 4096;  // instructions; keeps every rule small and fast

Comparison comparison_of(Op op) {
    switch (op) {
        case Op::eq: return Comparison::eq;
        case Op::ne: return Comparison::ne;
        case Op::lt: return Comparison::lt;
        case Op::le: return Comparison::le;
        case Op::gt: return Comparison::gt;
        default: return Comparison::ge;
    }
}

class ExprCompiler {
public:
    ExprCompiler(RuleSet& rules, Diagnostics& diags, TypeChecker& checker)
        : rules_(rules), diags_(diags), checker_(checker) {}

    // Checks `e` against `want` (Type::error = any type) and compiles it into a new chunk.
    // Returns false (and an empty chunk) when the checker or folding reported an error.
    bool compile(const Expr& e, Type want, std::string_view role, Chunk& out) {
        Type t = want == Type::error ? checker_.check(e) : checker_.expect(e, want, role);
        if (t == Type::error) return false;
        Chunk c;
        c.result = want == Type::error ? t : common_type(t, want);
        if (!emit(e, c)) return false;
        add(c, OpCode::return_, e.span);
        if (!finish(c, e.span)) return false;
        out = std::move(c);
        return true;
    }

    // A chunk that only reads one column (the defaults `volume PricingQuantity`, `unit
    // PricingUnit`).
    Chunk column_chunk(std::string_view column, Span span) {
        Chunk c;
        c.result = find_column(column)->type;
        add(c, OpCode::load_column, span, slot_of(column));
        add(c, OpCode::return_, span);
        finish(c, span);
        return c;
    }

    // Evaluates a constant expression now. Reports a folding error (e.g. division by zero).
    bool fold(const Expr& e, Value& out) {
        Chunk c;
        c.result = checker_.type_of(e);
        if (!emit_dynamic(e, c)) return false;
        add(c, OpCode::return_, e.span);
        if (!finish(c, e.span)) return false;
        Vm vm(rules_);
        Record empty;
        VmError err;
        if (!vm.run(c, empty, out, err)) {
            diags_.error("E0223", err.span.valid() ? err.span : e.span,
                         fmt::format("this fixed value cannot be computed: {}", err.message),
                         "check the numbers in this expression");
            return false;
        }
        return true;
    }

    uint32_t constant(Type t, const Value& v) {
        std::string key = constant_key(t, v);
        auto it = constant_index_.find(key);
        if (it != constant_index_.end()) return it->second;
        uint32_t index = static_cast<uint32_t>(rules_.constants.size());
        rules_.constants.push_back(v);
        rules_.constant_types.push_back(t);
        constant_index_.emplace(std::move(key), index);
        return index;
    }

    uint32_t text_constant(std::string_view text) {
        uint32_t sym = rules_.intern(text);
        return constant(Type::text, Value::of_text(rules_.symbol_text(sym), sym));
    }

private:
    static std::string constant_key(Type t, const Value& v) {
        std::string key(1, static_cast<char>(t));
        switch (t) {
            case Type::text: key += v.text.view(); break;
            case Type::date: key += std::to_string(v.days); break;
            case Type::boolean: key += v.flag ? "1" : "0"; break;
            default: key += v.num.to_string(); break;  // scale kept: 1.50 and 1.5 print apart
        }
        return key;
    }

    uint32_t slot_of(std::string_view column) {
        if (auto s = rules_.slot_of(column)) return *s;
        rules_.slots.push_back(*find_column(column));
        return static_cast<uint32_t>(rules_.slots.size() - 1);
    }

    void add(Chunk& c, OpCode op, const Span& span, uint32_t a = 0, uint8_t b = 0) {
        c.code.push_back(Instr{op, b, a});
        c.spans.push_back(span);
    }

    bool finish(Chunk& c, const Span& span) {
        if (c.code.size() > max_chunk_length) {
            diags_.error("E0224", span,
                         fmt::format("this expression is too long ({} steps; the limit is {})",
                                     c.code.size(), max_chunk_length),
                         "split it into consts or simpler rules");
            return false;
        }
        int depth = 0, deepest = 0;
        for (const Instr& in : c.code) {
            depth += opcode_stack_effect(in.op) + (in.op == OpCode::call ? 1 - in.b : 0);
            deepest = std::max(deepest, depth);
        }
        c.max_stack = static_cast<uint32_t>(deepest);
        if (c.max_stack >= Vm::stack_size) {
            diags_.error("E0224", span, "this expression is nested too deeply",
                         "split it into consts or simpler rules");
            return false;
        }
        return true;
    }

    // Literals and record-independent sub-expressions become one push_const.
    bool emit(const Expr& e, Chunk& c) {
        if (e.kind == ExprKind::literal) return emit_literal(e, c);
        if (e.kind != ExprKind::name && is_constant_expr(e, rules_)) {
            Value v;
            if (!fold(e, v)) return false;
            add(c, OpCode::push_const, e.span, constant(checker_.type_of(e), v));
            return true;
        }
        return emit_dynamic(e, c);
    }

    bool emit_literal(const Expr& e, Chunk& c) {
        Value v;
        Type t = checker_.type_of(e);
        switch (e.literal_kind) {
            case LiteralKind::text: add(c, OpCode::push_const, e.span, text_constant(e.text)); return true;
            case LiteralKind::date: v = Value::of_days(e.days); break;
            case LiteralKind::boolean: v = Value::of_bool(e.flag); break;
            case LiteralKind::percent: {
                // Stored as a fraction so Money x Percent is a plain multiply: 4.5 -> 0.045.
                if (e.number.scale() + 2 > Decimal::max_scale) {
                    diags_.error("E0227", e.span, "this percentage has too many decimal places",
                                 "percentages may have up to 16 decimal places");
                    return false;
                }
                v = Value::of(Decimal::from_parts(e.number.coefficient(), e.number.scale() + 2));
                break;
            }
            default: v = Value::of(e.number); break;
        }
        add(c, OpCode::push_const, e.span, constant(t, v));
        return true;
    }

    bool emit_dynamic(const Expr& e, Chunk& c) {
        switch (e.kind) {
            case ExprKind::literal: return emit_literal(e, c);
            case ExprKind::name: {
                for (const auto& k : rules_.consts)
                    if (k.name == e.text) {
                        add(c, OpCode::push_const, e.span, k.constant);
                        return true;
                    }
                add(c, OpCode::load_column, e.span, slot_of(e.text));
                return true;
            }
            case ExprKind::unary:
                if (!emit(*e.args[0], c)) return false;
                add(c, e.op == Op::not_ ? OpCode::not_ : OpCode::negate, e.op_span);
                return true;
            case ExprKind::binary: return emit_binary(e, c);
            case ExprKind::in_list: return emit_in_list(e, c);
            case ExprKind::if_then_else: return emit_if(e, c);
            case ExprKind::call: return emit_call(e, c);
        }
        return false;
    }

    bool emit_binary(const Expr& e, Chunk& c) {
        if (e.op == Op::and_ || e.op == Op::or_) {
            if (!emit(*e.args[0], c)) return false;
            size_t jump = c.code.size();
            add(c, e.op == Op::and_ ? OpCode::jump_if_false_or_pop : OpCode::jump_if_true_or_pop,
                e.op_span);
            if (!emit(*e.args[1], c)) return false;
            c.code[jump].a = static_cast<uint32_t>(c.code.size());
            return true;
        }
        if (!emit(*e.args[0], c) || !emit(*e.args[1], c)) return false;
        switch (e.op) {
            case Op::add: add(c, OpCode::add, e.op_span); return true;
            case Op::sub: add(c, OpCode::subtract, e.op_span); return true;
            case Op::mul: add(c, OpCode::multiply, e.op_span); return true;
            case Op::div: add(c, OpCode::divide, e.op_span); return true;
            default: break;
        }
        Type t = common_type(checker_.type_of(*e.args[0]), checker_.type_of(*e.args[1]));
        OpCode op = t == Type::text      ? OpCode::compare_text
                     : t == Type::date    ? OpCode::compare_date
                     : t == Type::boolean ? OpCode::compare_bool
                                          : OpCode::compare_number;
        add(c, op, e.op_span, 0, static_cast<uint8_t>(comparison_of(e.op)));
        return true;
    }

    bool emit_in_list(const Expr& e, Chunk& c) {
        if (!emit(*e.args[0], c)) return false;
        Type t = checker_.type_of(*e.args[0]);
        std::vector<Value> items;
        for (size_t i = 1; i < e.args.size(); ++i) {
            Value v;
            if (e.args[i]->kind == ExprKind::literal && t == Type::text) {
                v = rules_.constants[text_constant(e.args[i]->text)];
            } else if (!fold(*e.args[i], v)) {
                return false;
            }
            items.push_back(v);
        }
        uint8_t negate = e.flag ? 1 : 0;
        if (t == Type::text) {
            std::unordered_set<std::string_view> set;
            for (const Value& v : items) set.insert(rules_.symbol_text(rules_.intern(v.text.view())));
            rules_.text_sets.push_back(std::move(set));
            add(c, OpCode::in_text_set, e.op_span, rules_.text_sets.size() - 1, negate);
        } else if (t == Type::date) {
            std::vector<int32_t> set;
            for (const Value& v : items) set.push_back(v.days);
            rules_.date_sets.push_back(std::move(set));
            add(c, OpCode::in_date_set, e.op_span, rules_.date_sets.size() - 1, negate);
        } else {
            std::vector<Decimal> set;
            for (const Value& v : items) set.push_back(v.num);
            rules_.number_sets.push_back(std::move(set));
            add(c, OpCode::in_number_set, e.op_span, rules_.number_sets.size() - 1, negate);
        }
        return true;
    }

    bool emit_if(const Expr& e, Chunk& c) {
        if (!emit(*e.args[0], c)) return false;
        size_t to_else = c.code.size();
        add(c, OpCode::jump_if_false, e.op_span);
        if (!emit(*e.args[1], c)) return false;
        size_t to_end = c.code.size();
        add(c, OpCode::jump, e.op_span);
        c.code[to_else].a = static_cast<uint32_t>(c.code.size());
        if (!emit(*e.args[2], c)) return false;
        c.code[to_end].a = static_cast<uint32_t>(c.code.size());
        return true;
    }

    bool emit_call(const Expr& e, Chunk& c) {
        if (e.text == "tag") {
            add(c, OpCode::load_tag, e.span, text_constant(e.args[0]->text));
            return true;
        }
        for (const auto& a : e.args)
            if (!emit(*a, c)) return false;
        add(c, OpCode::call, e.op_span, static_cast<uint32_t>(find_builtin(e.text)),
            static_cast<uint8_t>(e.args.size()));
        return true;
    }

    RuleSet& rules_;
    Diagnostics& diags_;
    TypeChecker& checker_;
    std::map<std::string, uint32_t> constant_index_;
};

// ---- rule blocks ----------------------------------------------------------------------------

struct ClauseSpec {
    std::string_view keyword;
    bool required;
};

const std::vector<std::string> rule_kinds = {"rate", "account"};

class RuleCompiler {
public:
    RuleCompiler(RuleSet& rules, Diagnostics& diags)
        : rules_(rules), diags_(diags), checker_(rules, diags), exprs_(rules, diags, checker_) {}

    void compile_const(const ConstDecl& d) {
        for (const auto& k : rules_.consts)
            if (k.name == d.name) {
                Diagnostic diag{Severity::error, "E0212",
                                fmt::format("`{}` is already defined", d.name), d.name_span,
                                "give this const another name, or delete one of the two",
                                {fmt::format("first defined at {}", k.span.where())}};
                diags_.add(std::move(diag));
                return;
            }
        checker_.set_constant_context(true);
        Type t = checker_.check(*d.value);
        checker_.set_constant_context(false);
        if (t == Type::error) return;
        Value v;
        if (!exprs_.fold(*d.value, v)) return;
        uint32_t index = t == Type::text ? exprs_.text_constant(v.text.view()) : exprs_.constant(t, v);
        rules_.consts.push_back(ConstInfo{d.name, t, index, d.name_span});
    }

    void compile_rule(const RuleDecl& r) {
        if (r.kind == "rate") return compile_rate(r);
        if (r.kind == "account") return compile_account(r);
        std::string guess = closest_name(r.kind, rule_kinds);
        diags_.error("E0214", r.kind_span, fmt::format("unknown kind of rule `{}`", r.kind),
                     guess.empty() ? "rule blocks start with `rate` or `account`"
                                   : fmt::format("did you mean `{}`?", guess));
    }

private:
    // Checks the clause keywords of a block against its kind's list; returns clause by keyword.
    std::map<std::string, const Clause*> sort_clauses(const RuleDecl& r,
                                                      const std::vector<ClauseSpec>& specs) {
        std::map<std::string, const Clause*> found;
        std::set<std::string> misspelt;  // required clauses already reported as a typo
        std::vector<std::string> names;
        for (const auto& s : specs) names.emplace_back(s.keyword);
        for (const Clause& c : r.clauses) {
            bool known = std::any_of(specs.begin(), specs.end(),
                                     [&](const ClauseSpec& s) { return s.keyword == c.keyword; });
            if (!known) {
                std::string guess = closest_name(c.keyword, names);
                misspelt.insert(guess);
                diags_.error("E0215", c.keyword_span,
                             fmt::format("a {} rule has no `{}` clause", r.kind, c.keyword),
                             guess.empty() ? fmt::format("its clauses are: {}", fmt::join(names, ", "))
                                           : fmt::format("did you mean `{}`?", guess));
                continue;
            }
            if (found.count(c.keyword)) {
                Diagnostic d{Severity::error, "E0216",
                             fmt::format("`{}` is given twice in this {} rule", c.keyword, r.kind),
                             c.keyword_span, "keep one of them",
                             {fmt::format("first given at {}", found[c.keyword]->keyword_span.where())}};
                diags_.add(std::move(d));
                continue;
            }
            found[c.keyword] = &c;
        }
        for (const auto& s : specs)
            if (s.required && !found.count(std::string(s.keyword)) && !misspelt.count(std::string(s.keyword)))
                diags_.error("E0217", r.name_span.valid() ? r.name_span : r.kind_span,
                             fmt::format("this {} rule has no `{}` clause", r.kind, s.keyword),
                             fmt::format("add a line `{} ...` inside the braces", s.keyword));
        return found;
    }

    bool check_unique_name(const RuleDecl& r) {
        auto [it, inserted] = rule_names_.emplace(r.kind + "\x1f" + r.name, r.name_span);
        if (inserted) return true;
        Diagnostic d{Severity::error, "E0219",
                     fmt::format("there is already a {} rule named \"{}\"", r.kind, r.name),
                     r.name_span, "rule names identify charges on invoices; make each one unique",
                     {fmt::format("first defined at {}", it->second.where())}};
        diags_.add(std::move(d));
        return false;
    }

    void compile_rate(const RuleDecl& r) {
        static const std::vector<ClauseSpec> specs = {
            {"match", true},  {"ru", true},       {"volume", false},      {"unit", false},
            {"charge", true}, {"priority", false}, {"description", false}};
        if (r.name.empty())
            diags_.error("E0217", r.kind_span, "this rate rule has no name",
                         "write a name in quotes after `rate`, e.g. rate \"Cloud compute\" { ... }");
        bool ok = check_unique_name(r);
        auto clauses = sort_clauses(r, specs);
        CompiledRate rate;
        rate.name = r.name;
        rate.kind_span = r.kind_span;
        rate.name_span = r.name_span;
        auto compile_clause = [&](const char* key, Type want, const char* role, Chunk& out) {
            auto it = clauses.find(key);
            if (it == clauses.end()) return;
            if (!exprs_.compile(*it->second->value, want, role, out)) ok = false;
        };
        compile_clause("match", Type::boolean, "the match condition", rate.match);
        compile_clause("ru", Type::text, "the resource unit code (ru)", rate.ru);
        compile_clause("volume", Type::quantity, "the volume", rate.volume);
        compile_clause("unit", Type::text, "the unit", rate.unit);
        compile_clause("charge", Type::money, "the charge", rate.charge);
        if (!clauses.count("volume")) rate.volume = exprs_.column_chunk("PricingQuantity", r.kind_span);
        if (!clauses.count("unit")) rate.unit = exprs_.column_chunk("PricingUnit", r.kind_span);
        if (auto it = clauses.find("priority"); it != clauses.end()) {
            const Expr& p = *it->second->value;
            if (p.kind != ExprKind::literal || p.literal_kind != LiteralKind::decimal ||
                p.number.normalized().scale() != 0 || p.number.abs() > Decimal::from_int(1000000)) {
                diags_.error("E0220", p.span, "priority must be a whole number",
                             "a higher priority wins when two rate rules match the same record, "
                             "e.g. priority 10");
                ok = false;
            } else {
                rate.priority = static_cast<int64_t>(p.number.normalized().coefficient());
            }
        }
        if (auto it = clauses.find("description"); it != clauses.end()) {
            const Expr& d = *it->second->value;
            if (d.kind != ExprKind::literal || d.literal_kind != LiteralKind::text) {
                diags_.error("E0218", d.span, "a description must be text in quotes");
                ok = false;
            } else {
                rate.description = d.text;
            }
        }
        if (auto it = clauses.find("match"); it != clauses.end()) find_dispatch(*it->second->value, rate);
        if (ok) rules_.rates.push_back(std::move(rate));
    }

    // `Column == "text"` at the head of the match (alone or the left of an `and` chain).
    void find_dispatch(const Expr& match, CompiledRate& rate) {
        const Expr* e = &match;
        while (e->kind == ExprKind::binary && e->op == Op::and_) e = e->args[0].get();
        if (e->kind != ExprKind::binary || e->op != Op::eq) return;
        const Expr* col = e->args[0].get();
        const Expr* lit = e->args[1].get();
        if (col->kind != ExprKind::name) std::swap(col, lit);
        if (col->kind != ExprKind::name || lit->kind != ExprKind::literal ||
            lit->literal_kind != LiteralKind::text)
            return;
        auto info = find_column(col->text);
        if (!info || info->type != Type::text) return;
        rate.dispatch_slot = rules_.slot_of(col->text);
        rate.dispatch_value = lit->text;
    }

    void compile_account(const RuleDecl& r) {
        if (rules_.account || seen_account_) {
            Diagnostic d{Severity::error, "E0222", "a rule set has one account rule", r.kind_span,
                         "put every source in one account block, in the order to try them",
                         {fmt::format("the first is at {}", account_span_.where())}};
            diags_.add(std::move(d));
            return;
        }
        seen_account_ = true;
        account_span_ = r.kind_span;
        CompiledAccountRule account;
        account.name = r.name.empty() ? "account" : r.name;
        account.span = r.kind_span;
        bool ok = true;
        for (const Clause& c : r.clauses) {
            if (c.keyword == "from") {
                CompiledAccountSource source;
                source.span = c.keyword_span;
                if (!exprs_.compile(*c.value, Type::text, "an account source", source.key)) {
                    ok = false;
                    continue;
                }
                source.label = label_of(c);
                if (c.lookup && !compile_lookup(*c.lookup, source)) ok = false;
                account.sources.push_back(std::move(source));
            } else if (c.keyword == "else") {
                if (!account.fallback.empty()) {
                    diags_.error("E0216", c.keyword_span, "this account rule has two final `else` values",
                                 "keep one; use `else from ...` for another source to try");
                    ok = false;
                } else if (!exprs_.compile(*c.value, Type::text, "the fallback account", account.fallback)) {
                    ok = false;
                }
                account.fallback_span = c.keyword_span;
                account.fallback_label = "else " + source_text(c.value->span);
            } else {
                diags_.error("E0215", c.keyword_span,
                             fmt::format("an account rule has no `{}` clause", c.keyword),
                             "write sources as `from EXPR [in table T.KEY -> COLUMN]` and the last "
                             "resort as `else \"ACCOUNT\"`");
                ok = false;
            }
        }
        if (ok) rules_.account = std::move(account);
    }

    // The author's own words for a source, shown on charge lines: `tag("cost-center")`.
    static std::string source_text(const Span& s) {
        return std::string(s.file->line_text(s.line).substr(s.column - 1, s.length));
    }

    static std::string label_of(const Clause& c) {
        std::string text = source_text(c.value->span);
        if (c.lookup) text += " via " + c.lookup->table;
        return text;
    }

    bool compile_lookup(const TableLookup& l, CompiledAccountSource& source) {
        const Table* table = rules_.table(l.table);
        if (!table) {
            std::vector<std::string> names;
            for (const auto& t : rules_.tables) names.push_back(t.name);
            std::string guess = closest_name(l.table, names);
            diags_.error("E0221", l.table_span, fmt::format("there is no table named `{}`", l.table),
                         guess.empty() ? "declare it in ratebook.toml under [tables." + l.table + "]"
                                       : fmt::format("did you mean `{}`?", guess));
            return false;
        }
        bool ok = true;
        auto check_column = [&](const std::string& col, const Span& span) {
            if (table->column_index(col)) return;
            std::string guess = closest_name(col, table->columns);
            diags_.error("E0221", span, fmt::format("table `{}` has no column `{}`", l.table, col),
                         guess.empty() ? fmt::format("its columns are: {}", fmt::join(table->columns, ", "))
                                       : fmt::format("did you mean `{}`?", guess));
            ok = false;
        };
        check_column(l.key_column, l.key_span);
        check_column(l.value_column, l.value_span);
        if (!ok) return false;
        uint32_t index = static_cast<uint32_t>(table - rules_.tables.data());
        if (!build_index(rules_.tables[index], l.key_column, l.key_span)) return false;
        source.lookup = CompiledTableLookup{index, l.key_column, l.value_column,
                                            static_cast<uint32_t>(*table->column_index(l.value_column))};
        return true;
    }

    // Keys of a lookup column must be unique: two rows for one key would make billing depend
    // on file order.
    bool build_index(Table& table, const std::string& column, const Span& use) {
        if (table.indexes.count(column)) return true;
        size_t col = *table.column_index(column);
        std::unordered_map<std::string, uint32_t> index;
        bool ok = true;
        for (uint32_t row = 0; row < table.rows.size(); ++row) {
            auto [it, inserted] = index.emplace(table.rows[row][col], row);
            if (!inserted) {
                Diagnostic d{Severity::error, "E0306",
                             fmt::format("table `{}` has the key \"{}\" twice in column {} (lines {} and {} of {})",
                                         table.name, table.rows[row][col], column,
                                         table.row_lines[it->second], table.row_lines[row], table.path),
                             use, "each key may appear once; delete or correct one of the rows", {}};
                diags_.add(std::move(d));
                ok = false;
            }
        }
        table.indexes.emplace(column, std::move(index));
        return ok;
    }

    RuleSet& rules_;
    Diagnostics& diags_;
    TypeChecker checker_;
    ExprCompiler exprs_;
    std::map<std::string, Span> rule_names_;
    bool seen_account_ = false;
    Span account_span_;
};

}  // namespace

void compile_modules(const std::vector<Module>& modules, RuleSet& rules, Diagnostics& diags) {
    RuleCompiler compiler(rules, diags);
    // Consts first, in file order, so any rule may use any const; a const may use only
    // consts defined before it (which also rules out cycles).
    for (const Module& m : modules)
        for (const ConstDecl& d : m.consts) compiler.compile_const(d);
    for (const Module& m : modules)
        for (const RuleDecl& r : m.rules) compiler.compile_rule(r);
}

Chunk compile_expression(const Expr& e, RuleSet& rules, Diagnostics& diags) {
    TypeChecker checker(rules, diags);
    ExprCompiler exprs(rules, diags, checker);
    Chunk c;
    exprs.compile(e, Type::error, "the expression", c);
    return c;
}

}  // namespace ratebook
