// Built-in functions: the one table the checker reads for names, arity and types, and the VM
// calls by index. Adding a function means adding one row here.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/ast.hpp"
#include "interpreter/types.hpp"
#include "interpreter/value.hpp"

namespace ratebook {

// What the checker tells a builtin about one call, and where the builtin puts a refusal.
struct BuiltinCheck {
    const Expr& call;               // args in call.args
    const std::vector<Type>& args;  // their types
    std::string message;            // set with Type::error: what is wrong
    std::string help;               // and how to fix it
    size_t bad_arg = 0;             // which argument to point at
};

struct Builtin {
    std::string_view name;
    int min_args;
    int max_args;
    std::string_view usage;    // "round(amount, places[, mode])"
    std::string_view summary;  // one line for the docs and `ratebook help functions`
    Type (*check)(BuiltinCheck& c);
    void (*eval)(Value* args, uint8_t argc, Value& result);  // throws DecimalError
    // When true the compiler passes the rule set's fiscal_year_start (a Date) as one more
    // argument after the author's: config folded in at compile time.
    bool needs_fiscal_year_start = false;
};

std::span<const Builtin> builtins();
// Index into builtins(), or -1.
int find_builtin(std::string_view name);
std::vector<std::string> builtin_names();

}  // namespace ratebook
