#include "interpreter/bytecode.hpp"

#include <array>

namespace ratebook {
namespace {

struct OpInfo {
    std::string_view name;
    int effect;
    std::string_view doc;
};

constexpr std::array<OpInfo, opcode_count> op_table = {{
#define OP(name, effect, doc) {#name, effect, doc},
#include "interpreter/opcodes.def"
#undef OP
}};

}  // namespace

std::string_view opcode_name(OpCode op) {
    std::string_view n = op_table[static_cast<size_t>(op)].name;
    // `not_` and `return_` carry a trailing underscore only to dodge C++ keywords.
    if (!n.empty() && n.back() == '_') n.remove_suffix(1);
    return n;
}

int opcode_stack_effect(OpCode op) { return op_table[static_cast<size_t>(op)].effect; }
std::string_view opcode_doc(OpCode op) { return op_table[static_cast<size_t>(op)].doc; }

std::string_view comparison_symbol(Comparison c) {
    static constexpr std::array<std::string_view, 6> symbols = {"==", "!=", "<", "<=", ">", ">="};
    return symbols[static_cast<size_t>(c)];
}

}  // namespace ratebook
