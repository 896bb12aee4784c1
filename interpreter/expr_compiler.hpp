// Compiling one expression: checks it (through the TypeChecker), then emits bytecode into a
// Chunk. Feed columns become slot numbers, texts are interned, and sub-expressions that read
// nothing from the record are folded to constants by running them once on the VM, so folding
// and running can never disagree. Every rule kind compiles its clauses through this class.
#pragma once
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>

#include "interpreter/checker.hpp"
#include "interpreter/ruleset.hpp"
#include "interpreter/vm.hpp"
#include "stdlib/builtins.hpp"

namespace ratebook {

// The RuleSet::lookups entry for `column` of `table` by its key column (made once, then shared).
// Both names were checked by the TypeChecker. Defined in interpreter/table_lookup.cpp.
uint32_t table_lookup_index(RuleSet& rules, const std::string& table, const std::string& column);

inline constexpr uint32_t max_chunk_length = 4096;  // instructions; keeps every rule small and fast

inline Comparison comparison_of(Op op) {
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

    // A chunk that gives one fixed value.
    Chunk constant_chunk(Type t, const Value& v, Span span) {
        Chunk c;
        c.result = t;
        add(c, OpCode::push_const, span, constant(t, v));
        add(c, OpCode::return_, span);
        finish(c, span);
        return c;
    }

    // Narrows a compiled match condition to records whose ChargePeriodStart falls in
    // [from, until] (either bound may be open): `match and from <= ChargePeriodStart <= until`.
    void restrict_to_dates(Chunk& match, std::optional<int32_t> from, std::optional<int32_t> until,
                           const Span& span) {
        if (!from && !until) return;
        match.code.pop_back();  // the return
        match.spans.pop_back();
        std::vector<size_t> exits;
        auto bound = [&](int32_t days, Comparison cmp) {
            exits.push_back(match.code.size());
            add(match, OpCode::jump_if_false_or_pop, span);
            add(match, OpCode::load_column, span, slot_of("ChargePeriodStart"));
            add(match, OpCode::push_const, span, constant(Type::date, Value::of_days(days)));
            add(match, OpCode::compare_date, span, 0, static_cast<uint8_t>(cmp));
        };
        if (from) bound(*from, Comparison::ge);
        if (until) bound(*until, Comparison::le);
        for (size_t at : exits) match.code[at].a = static_cast<uint32_t>(match.code.size());
        add(match, OpCode::return_, span);
        finish(match, span);
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
        // A joined text lives in this VM: keep it in the rule set's interned texts instead.
        if (c.result == Type::text) {
            uint32_t sym = rules_.intern(out.text.view());
            out = Value::of_text(rules_.symbol_text(sym), sym);
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
        if (const auto* scope = checker_.scope())
            for (size_t i = 0; i < scope->size(); ++i)
                if ((*scope)[i].name == column) return static_cast<uint32_t>(i);
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
            case Op::add:
                add(c, checker_.type_of(e) == Type::text ? OpCode::join_text : OpCode::add, e.op_span);
                return true;
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
        if (e.text == "lookup") return emit_lookup(e, c);
        for (const auto& a : e.args)
            if (!emit(*a, c)) return false;
        if (e.text == "business_days") {
            add(c, OpCode::business_days, e.op_span);
            return true;
        }
        int index = find_builtin(e.text);
        uint8_t argc = static_cast<uint8_t>(e.args.size());
        if (builtins()[index].needs_fiscal_year_start) {
            // The rule set's fiscal year start, folded in as a hidden last argument: a builtin
            // sees only its arguments, never the config.
            add(c, OpCode::push_const, e.op_span,
                constant(Type::date, Value::of_days(rules_.config.fiscal_year_start)));
            ++argc;
        }
        add(c, OpCode::call, e.op_span, static_cast<uint32_t>(index), argc);
        return true;
    }

    // key; table_lookup; [jump END; default; END:]  (see opcodes.def)
    bool emit_lookup(const Expr& e, Chunk& c) {
        if (!emit(*e.args[1], c)) return false;
        uint32_t index = table_lookup_index(rules_, e.args[0]->text, e.args[2]->text);
        bool has_default = e.args.size() == 4;
        add(c, OpCode::table_lookup, e.op_span, index, has_default ? 1 : 0);
        if (!has_default) return true;
        size_t to_end = c.code.size();
        add(c, OpCode::jump, e.op_span);
        if (!emit(*e.args[3], c)) return false;
        c.code[to_end].a = static_cast<uint32_t>(c.code.size());
        return true;
    }

    RuleSet& rules_;
    Diagnostics& diags_;
    TypeChecker& checker_;
    std::map<std::string, uint32_t> constant_index_;
};

}  // namespace ratebook
