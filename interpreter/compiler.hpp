// Pass 3: the compiler. Turns checked rule blocks into Chunks of bytecode inside a RuleSet:
// feed columns become slot numbers, texts are interned, sub-expressions that read nothing from
// the record are folded to constants (by running them once on the VM, so folding and running
// can never disagree), `x in [...]` becomes a set lookup, and rate rules whose match starts
// with `Column == "text"` get a dispatch key.
#pragma once
#include <string>
#include <vector>

#include "grammar/ast.hpp"
#include "grammar/diagnostic.hpp"
#include "interpreter/ruleset.hpp"

namespace ratebook {

// A rule set holds at most this many rule blocks (of every kind together) and this many consts.
// Real rate books have hundreds; the cap keeps a generated or pasted-in file from making every
// later step (overlap checks, dispatch tables, the disassembly hash) slow. E0235 otherwise.
inline constexpr size_t max_rules = 20'000;
inline constexpr size_t max_consts = 20'000;

// A what-if change to one const, from the command line: `--set admin_fee=5%`. The value is
// checked like the rule file's own and must have the const's type.
struct ConstOverride {
    std::string name;
    ExprPtr value;
    std::string text;  // as given, "admin_fee=5%", for the outputs' rule set stamp
};

// Parses "name=expression"; on a syntax error returns false with diagnostics in `diags`.
bool parse_const_override(const std::string& text, ConstOverride& out, Diagnostics& diags);

// Compiles the parsed modules of one rule set into `rules` (whose config and tables are
// already loaded). Errors go to diags; on errors the rule set is incomplete and must not run.
void compile_modules(const std::vector<Module>& modules, RuleSet& rules, Diagnostics& diags,
                     const std::vector<ConstOverride>& overrides = {});

// Compiles a lone expression against a compiled rule set, e.g. for `--set` or tests.
// Returns an empty chunk on errors.
Chunk compile_expression(const Expr& e, RuleSet& rules, Diagnostics& diags);

}  // namespace ratebook
