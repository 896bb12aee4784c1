#include "interpreter/vm.hpp"

#include <algorithm>

#include "stdlib/builtins.hpp"
#include "stdlib/finance_functions.hpp"

namespace ratebook {
namespace {

template <typename T>
bool compare(Comparison c, const T& x, const T& y) {
    switch (c) {
        case Comparison::eq: return x == y;
        case Comparison::ne: return !(x == y);
        case Comparison::lt: return x < y;
        case Comparison::le: return x <= y;
        case Comparison::gt: return x > y;
        case Comparison::ge: return x >= y;
    }
    return false;
}

TextRef find_tag(const Record& r, std::string_view key) {
    for (uint32_t i = 0; i < r.tag_count; ++i)
        if (r.tags[i].key == key)
            return TextRef{r.tags[i].value.data(), static_cast<uint32_t>(r.tags[i].value.size()), 0};
    return TextRef{"", 0, 0};
}

}  // namespace

// Reuses the strings of earlier records (their capacity stays), so a steady run allocates nothing.
std::string_view Vm::keep_text(std::string_view x, std::string_view y) {
    if (texts_used_ == texts_.size()) texts_.emplace_back();
    std::string& s = texts_[texts_used_++];
    s.assign(x);
    s.append(y);
    return s;
}

bool Vm::run(const Chunk& chunk, const Record& record, Value& out, VmError& err) {
    const Instr* code = chunk.code.data();
    const size_t size = chunk.code.size();
    Value* sp = stack_.data();  // next free slot
    uint32_t steps = 0;
    size_t pc = 0;
    try {
        while (pc < size) {
            if (++steps > budget_) {
                err = {"E0404", "this rule needed more than the instruction budget", chunk.spans[pc]};
                return false;
            }
            const Instr& in = code[pc];
            switch (in.op) {
                case OpCode::push_const: *sp++ = rules_.constants[in.a]; break;
                case OpCode::load_column:
                    if (record.missing[in.a]) {
                        err = {"E0403",
                               std::string(rules_.slots[in.a].name) + " is empty on this record",
                               chunk.spans[pc]};
                        return false;
                    }
                    *sp++ = record.columns[in.a];
                    break;
                case OpCode::load_tag:
                    sp->text = find_tag(record, rules_.constants[in.a].text.view());
                    ++sp;
                    break;
                case OpCode::add: --sp; sp[-1].num = sp[-1].num + sp[0].num; break;
                case OpCode::subtract: --sp; sp[-1].num = sp[-1].num - sp[0].num; break;
                case OpCode::multiply: --sp; sp[-1].num = sp[-1].num * sp[0].num; break;
                case OpCode::divide: --sp; sp[-1].num = sp[-1].num / sp[0].num; break;
                case OpCode::negate: sp[-1].num = -sp[-1].num; break;
                case OpCode::compare_number:
                    --sp;
                    sp[-1].flag = compare(static_cast<Comparison>(in.b), sp[-1].num, sp[0].num);
                    break;
                case OpCode::compare_text: {
                    --sp;
                    bool same = sp[-1].text == sp[0].text;
                    sp[-1].flag = static_cast<Comparison>(in.b) == Comparison::eq ? same : !same;
                    break;
                }
                case OpCode::compare_date:
                    --sp;
                    sp[-1].flag = compare(static_cast<Comparison>(in.b), sp[-1].days, sp[0].days);
                    break;
                case OpCode::compare_bool:
                    --sp;
                    sp[-1].flag = compare(static_cast<Comparison>(in.b), sp[-1].flag, sp[0].flag);
                    break;
                case OpCode::not_: sp[-1].flag = !sp[-1].flag; break;
                case OpCode::in_text_set: {
                    bool found = rules_.text_sets[in.a].count(sp[-1].text.view()) > 0;
                    sp[-1].flag = found != (in.b != 0);
                    break;
                }
                case OpCode::in_number_set: {
                    const auto& set = rules_.number_sets[in.a];
                    bool found = std::find(set.begin(), set.end(), sp[-1].num) != set.end();
                    sp[-1].flag = found != (in.b != 0);
                    break;
                }
                case OpCode::in_date_set: {
                    const auto& set = rules_.date_sets[in.a];
                    bool found = std::find(set.begin(), set.end(), sp[-1].days) != set.end();
                    sp[-1].flag = found != (in.b != 0);
                    break;
                }
                case OpCode::jump: pc = in.a; continue;
                case OpCode::jump_if_false:
                    --sp;
                    if (!sp[0].flag) { pc = in.a; continue; }
                    break;
                case OpCode::jump_if_false_or_pop:
                    if (!sp[-1].flag) { pc = in.a; continue; }
                    --sp;
                    break;
                case OpCode::jump_if_true_or_pop:
                    if (sp[-1].flag) { pc = in.a; continue; }
                    --sp;
                    break;
                case OpCode::call: {
                    Value* args = sp - in.b;
                    Value result;
                    builtins()[in.a].eval(args, in.b, result);
                    sp = args;
                    *sp++ = result;
                    break;
                }
                case OpCode::table_lookup: {
                    const ExprTableLookup& l = rules_.lookups[in.a];
                    auto hit = l.values.find(sp[-1].text.view());
                    if (hit != l.values.end()) {
                        sp[-1] = hit->second;
                        break;  // with a default, the next instruction jumps past it
                    }
                    if (in.b) {
                        --sp;
                        pc += 2;  // skip that jump: run the default
                        continue;
                    }
                    const Table& t = rules_.tables[l.table];
                    err = {"E0415",
                           "table `" + t.name + "` has no row for \"" + std::string(sp[-1].text.view()) +
                               "\" in its key column " + t.key_column + " (add the row, or give lookup() a default)",
                           chunk.spans[pc]};
                    return false;
                }
                case OpCode::business_days:
                    --sp;
                    sp[-1] = Value::of(Decimal::from_int(count_business_days(sp[-1].days, sp[0].days, rules_.holidays)));
                    break;
                case OpCode::join_text: {
                    --sp;
                    if (size_t(sp[-1].text.size) + sp[0].text.size > max_text_length) {
                        err = {"E0249", "this text would be longer than 65,536 characters", chunk.spans[pc]};
                        return false;
                    }
                    sp[-1] = Value::of_text(keep_text(sp[-1].text.view(), sp[0].text.view()));
                    break;
                }
                case OpCode::return_: out = sp[-1]; return true;
            }
            ++pc;
        }
    } catch (const DecimalError& e) {
        std::string code = e.kind == DecimalError::Kind::division_by_zero ? "E0401" : "E0402";
        err = {code, e.what(), chunk.spans[pc]};
        return false;
    }
    err = {"E0405", "the rule ended without a value (a compiler bug; please report it)", {}};
    return false;
}

}  // namespace ratebook
