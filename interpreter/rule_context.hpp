// What every rule kind's compiler shares: the rule set being built, the diagnostics, the
// expression compiler, and the checks common to all blocks (known clauses, no clause twice,
// required clauses present, unique rule names). One kind = one compile_KIND.cpp file plus a
// row in rule_kinds.cpp.
#pragma once
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/ast.hpp"
#include "grammar/diagnostic.hpp"
#include "interpreter/checker.hpp"
#include "interpreter/expr_compiler.hpp"
#include "interpreter/ruleset.hpp"

namespace ratebook {

struct ClauseSpec {
    std::string_view keyword;
    bool required = false;
    bool repeatable = false;  // tier lines: `next` may appear many times
    bool priced = false;      // tier lines take `at PRICE`
};

class RuleContext {
public:
    RuleContext(RuleSet& r, Diagnostics& d) : rules(r), diags(d), checker(r, d), exprs(r, d, checker) {}

    // Checks a block's clause keywords against its kind's list and returns them by keyword.
    // Reports unknown clauses (with "did you mean"), clauses given twice, and missing
    // required clauses (unless an unknown clause was already reported as a typo of it).
    std::map<std::string, const Clause*> sort_clauses(const RuleDecl& r, const std::vector<ClauseSpec>& specs);
    // Reports a second rule of the same kind and name; returns false then.
    bool check_unique_name(const RuleDecl& r);
    // The author's own text of an expression's first line, e.g. `tag("cost-center")`.
    static std::string source_text(const Span& s);

    RuleSet& rules;
    Diagnostics& diags;
    TypeChecker checker;
    ExprCompiler exprs;
    std::map<std::string, Span> first_of_kind;  // kinds that allow one block: where it is
    // Rate rules by the canonical text of their match (before effective dates are added), to
    // find rules that would always compete for the same records.
    std::multimap<std::string, size_t> rates_by_match;

private:
    std::map<std::string, Span> rule_names_;
};

}  // namespace ratebook
