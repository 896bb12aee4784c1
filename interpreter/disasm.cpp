#include "interpreter/disasm.hpp"

#include <date/date.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>

#include "interpreter/variance_measures.hpp"
#include "stdlib/builtins.hpp"

namespace ratebook {

// Blocks, baseline and fee settings of a rule (charge_models_disasm.cpp).
std::string describe_charge_models(const CompiledRate& r, const std::string& currency);
// Service, product and component, when not the feed's (drilldown_disasm.cpp).
std::string describe_drilldown(const CompiledRate& r, const RuleSet& rules, bool with_lines);

std::string format_date(int32_t days) {
    date::year_month_day ymd{date::sys_days{date::days{days}}};
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

// A fraction as a percentage, by moving the decimal point two places in the text: exact, and
// no multiplication that could overflow (0.045 -> "4.5%", 12 -> "1200%").
std::string percent_text(const Decimal& fraction) {
    std::string s = fraction.to_string();
    bool negative = s[0] == '-';
    if (negative) s.erase(0, 1);
    size_t dot = s.find('.');
    std::string whole = dot == std::string::npos ? s : s.substr(0, dot);
    std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
    frac.resize(std::max<size_t>(frac.size(), 2), '0');
    whole += frac.substr(0, 2);
    frac.erase(0, 2);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    size_t first = whole.find_first_not_of('0');
    whole = first == std::string::npos ? "0" : whole.substr(first);
    std::string out = whole + (frac.empty() ? "" : "." + frac);
    return (negative && out != "0" ? "-" : "") + out + "%";
}

std::string format_constant(Type t, const Value& v, std::string_view currency) {
    switch (t) {
        case Type::text: return fmt::format("\"{}\"", v.text.view());
        case Type::date: return format_date(v.days);
        case Type::boolean: return v.flag ? "true" : "false";
        case Type::money:
            if (currency != "USD") return v.num.to_string() + " " + std::string(currency);
            return v.num.sign() < 0 ? "-$" + v.num.abs().to_string() : "$" + v.num.to_string();
        case Type::percent: return percent_text(v.num);
        default: return v.num.to_string();
    }
}

namespace {

std::string operand_text(const Instr& in, const RuleSet& rules,
                         const std::map<uint32_t, std::string>& labels, const std::vector<ColumnInfo>* scope) {
    switch (in.op) {
        case OpCode::push_const:
        case OpCode::load_tag:
            return format_constant(rules.constant_types[in.a], rules.constants[in.a],
                                   rules.config.currency);
        case OpCode::load_column: return std::string(scope ? (*scope)[in.a].name : rules.slots[in.a].name);
        case OpCode::compare_number:
        case OpCode::compare_text:
        case OpCode::compare_date:
        case OpCode::compare_bool:
            return std::string(comparison_symbol(static_cast<Comparison>(in.b)));
        case OpCode::in_text_set: {
            std::vector<std::string> items;
            for (auto t : rules.text_sets[in.a]) items.push_back(fmt::format("\"{}\"", t));
            std::sort(items.begin(), items.end());  // the set has no order; print a stable one
            return fmt::format("{}[{}]", in.b ? "not " : "", fmt::join(items, ", "));
        }
        case OpCode::in_number_set: {
            std::vector<std::string> items;
            for (const auto& d : rules.number_sets[in.a]) items.push_back(d.to_string());
            return fmt::format("{}[{}]", in.b ? "not " : "", fmt::join(items, ", "));
        }
        case OpCode::in_date_set: {
            std::vector<std::string> items;
            for (int32_t d : rules.date_sets[in.a]) items.push_back(format_date(d));
            return fmt::format("{}[{}]", in.b ? "not " : "", fmt::join(items, ", "));
        }
        case OpCode::jump:
        case OpCode::jump_if_false:
        case OpCode::jump_if_false_or_pop:
        case OpCode::jump_if_true_or_pop: return labels.at(in.a);
        case OpCode::call: return fmt::format("{}/{}", builtins()[in.a].name, in.b);
        case OpCode::table_lookup: {
            const ExprTableLookup& l = rules.lookups[in.a];
            const Table& t = rules.tables[l.table];
            return fmt::format("{}.{} -> {} ({}){}", t.name, t.key_column, l.value_column, type_name(l.type),
                               in.b ? ", else the default" : "");
        }
        case OpCode::business_days: return fmt::format("holidays[{}]", rules.holidays.size());
        default: return "";
    }
}

}  // namespace

std::string disassemble_chunk(const Chunk& chunk, const RuleSet& rules, bool with_lines,
                              const std::vector<ColumnInfo>* scope) {
    std::map<uint32_t, std::string> labels;
    for (const Instr& in : chunk.code)
        if (in.op == OpCode::jump || in.op == OpCode::jump_if_false ||
            in.op == OpCode::jump_if_false_or_pop || in.op == OpCode::jump_if_true_or_pop)
            labels.emplace(in.a, "");
    int n = 0;
    for (auto& [pc, name] : labels) name = fmt::format("L{}", ++n);

    std::string out;
    uint32_t last_line = 0;
    for (uint32_t pc = 0; pc <= chunk.code.size(); ++pc) {
        if (labels.count(pc)) out += fmt::format("    {}:\n", labels[pc]);
        if (pc == chunk.code.size()) break;
        const Instr& in = chunk.code[pc];
        std::string line = fmt::format("      {:<22}{}", opcode_name(in.op), operand_text(in, rules, labels, scope));
        const Span& s = chunk.spans[pc];
        if (with_lines && s.valid() && s.line != last_line) {
            line.resize(std::max<size_t>(line.size() + 1, 56), ' ');
            line += fmt::format("; line {}", s.line);
            last_line = s.line;
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
    }
    return out;
}

std::string disassemble(const RuleSet& rules, std::string_view only, bool with_lines) {
    std::string out;
    auto where = [&](const Span& s) {
        if (!with_lines) return std::string();
        return fmt::format("  ({}:{})", s.valid() ? s.file->name : std::string("?"), s.line);
    };
    if (only.empty()) {
        out += fmt::format("rule set \"{}\"  fiscal year {}  currency {}\n", rules.config.name,
                           rules.config.fiscal_year, rules.config.currency);
        out += "columns read (slot: name):\n";
        for (size_t i = 0; i < rules.slots.size(); ++i)
            out += fmt::format("  {}: {} ({})\n", i, rules.slots[i].name, type_name(rules.slots[i].type));
        out += "consts:\n";
        for (const auto& c : rules.consts)
            out += fmt::format("  {} = {}  ({})\n", c.name,
                               format_constant(c.type, rules.constants[c.constant], rules.config.currency),
                               type_name(c.type));
        out += "\n";
    }
    auto section = [&](std::string_view name, const Chunk& c) {
        if (c.empty()) return;
        out += fmt::format("  {}:\n", name);
        out += disassemble_chunk(c, rules, with_lines);
    };
    for (const auto& r : rules.rates) {
        if (!only.empty() && r.name != only) continue;
        out += fmt::format("rate \"{}\"{}", r.name, where(r.kind_span));
        if (r.priority != 0) out += fmt::format("  priority {}", r.priority);
        if (r.minimum)
            out += fmt::format("  minimum {}", format_constant(Type::money, Value::of(*r.minimum), rules.config.currency));
        if (r.effective_from || r.effective_until)
            out += fmt::format("  effective {}..{}", r.effective_from ? format_date(*r.effective_from) : "",
                               r.effective_until ? format_date(*r.effective_until) : "");
        if (r.dispatch_slot)
            out += fmt::format("  dispatch {} == \"{}\"", rules.slots[*r.dispatch_slot].name, r.dispatch_value);
        out += "\n";
        section("match", r.match);
        section("ru", r.ru);
        section("volume", r.volume);
        section("unit", r.unit);
        section("charge", r.charge);
        if (r.tiers) {
            out += fmt::format("  tiers {} (per account, on the month's volume{}):\n",
                               r.tiers->kind == TierSchedule::Kind::graduated ? "graduated" : "volume",
                               r.tier_shape ? fmt::format("; schedule \"{}\" at {}", r.tier_shape->name,
                                                          format_constant(Type::money, Value::of(r.tier_shape->base),
                                                                          rules.config.currency))
                                            : "");
            for (const auto& t : r.tiers->tiers)
                out += fmt::format("      {:<22}{}\n", t.up_to ? "up to " + t.up_to->to_plain_string() : "over",
                                   format_constant(Type::money, Value::of(t.price), rules.config.currency));
        }
        out += describe_charge_models(r, rules.config.currency);
        out += describe_drilldown(r, rules, with_lines);
        out += "\n";
    }
    if (rules.account && (only.empty() || only == rules.account->name)) {
        const auto& a = *rules.account;
        out += fmt::format("account \"{}\"{}\n", a.name, where(a.span));
        for (const auto& s : a.sources) {
            std::string via;
            if (s.lookup)
                via = fmt::format(", {}lookup {}.{} -> {}", s.lookup->prefix ? "longest-prefix " : "", rules.tables[s.lookup->table].name,
                                  s.lookup->key_column, s.lookup->value_column);
            section(fmt::format("from {}{}", s.label, via), s.key);
        }
        section("else", a.fallback);
        out += "\n";
    }
    for (const auto& v : rules.variances) {
        if (!only.empty() && v.name != only) continue;
        out += fmt::format("variance \"{}\"{}", v.name, where(v.kind_span));
        std::vector<std::string_view> keys;
        for (size_t k : v.keys) keys.push_back(variance_names()[k].name);
        if (!keys.empty()) out += fmt::format("  by {}", fmt::join(keys, " and "));
        out += "\n";
        // Variance chunks read a group's keys and measures, not feed slots.
        for (const auto& [name, chunk] : {std::pair{"for", &v.selects}, std::pair{"flag", &v.flag}}) {
            if (chunk->empty()) continue;
            out += fmt::format("  {}:\n", name);
            out += disassemble_chunk(*chunk, rules, with_lines, &variance_names());
        }
        out += "\n";
    }
    // Allocations, in the order they run; no bytecode, but all of their settings (the content
    // hash is taken over this text).
    for (const auto& a : rules.allocations) {
        if (!only.empty() && a.name != only) continue;
        out += fmt::format("allocate \"{}\"{}\n", a.name, where(a.kind_span));
        if (a.fixed_pool)
            out += fmt::format("  pool {}\n", format_constant(Type::money, Value::of(*a.fixed_pool), rules.config.currency));
        else
            out += fmt::format("  pool ru \"{}\"\n", a.pool_ru);
        out += fmt::format("  {}", a.basis_label);
        if (a.basis == CompiledAllocation::Basis::weights)
            out += fmt::format("  (table {} keyed by {})", rules.tables[a.table].name,
                               rules.tables[a.table].key_column);
        out += "\n";
        for (const auto& [account, share] : a.shares)
            out += fmt::format("    \"{}\" {}\n", account, percent_text(share));
        out += fmt::format("  ru \"{}\"\n", a.ru);
        for (const auto& after : a.after) out += fmt::format("  after \"{}\"\n", after);
        out += "\n";
    }
    for (const auto& c : rules.checks) {  // feed checks (compile_check.cpp)
        if (!only.empty() && c.name != only) continue;
        const char* severity = c.severity == CompiledCheck::Severity::error     ? "error"
                               : c.severity == CompiledCheck::Severity::warning ? "warning"
                                                                                : "info";
        out += fmt::format("check \"{}\"{}  severity {}\n", c.name, where(c.kind_span), severity);
        section("when", c.when);
        for (size_t i = 0; i < c.values.size(); ++i) section(fmt::format("message value {}", i + 1), c.values[i]);
        out += "\n";
    }
    return out;
}

}  // namespace ratebook
