// Bytecode: instructions, the line table beside them, and one compiled expression (a Chunk).
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "grammar/source.hpp"
#include "interpreter/types.hpp"

namespace ratebook {

enum class OpCode : uint8_t {
#define OP(name, effect, doc) name,
#include "interpreter/opcodes.def"
#undef OP
};

inline constexpr int opcode_count = 0
#define OP(name, effect, doc) +1
#include "interpreter/opcodes.def"
#undef OP
    ;

std::string_view opcode_name(OpCode op);
int opcode_stack_effect(OpCode op);  // the fixed part; `call` adds 1 - b
std::string_view opcode_doc(OpCode op);

// Comparison operands of compare_* (the `b` operand).
enum class Comparison : uint8_t { eq, ne, lt, le, gt, ge };
std::string_view comparison_symbol(Comparison c);

struct Instr {
    OpCode op;
    uint8_t b = 0;
    uint32_t a = 0;
};

// One compiled expression: runs to a single value of `result` type.
struct Chunk {
    std::vector<Instr> code;
    std::vector<Span> spans;  // spans[i] is the source of code[i]: runtime errors point here
    Type result = Type::error;
    uint32_t max_stack = 0;   // computed by the compiler from the stack effects

    bool empty() const { return code.empty(); }
};

}  // namespace ratebook
