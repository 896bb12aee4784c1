// Fuzz target: the rule-language front end. Any bytes as one .rules file -> parse, type check,
// compile (load_ruleset_from_text), then render the diagnostics and disassemble what compiled.
// Must never crash, hang or trip a sanitizer; errors are diagnostics.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "grammar/diagnostic.hpp"
#include "grammar/parser.hpp"
#include "interpreter/disasm.hpp"
#include "interpreter/loader.hpp"

using namespace ratebook;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 64 * 1024) return 0;  // the parser is linear; big inputs only slow the search
    std::string text(reinterpret_cast<const char*>(data), size);
    Diagnostics diags;
    std::unique_ptr<RuleSet> rules;
    // No try: loading must report every problem as a diagnostic. A DecimalError escaping here
    // (as a huge percent const once did: tests/bad_inputs/crashes/) is a crash, as it is for
    // `ratebook check`.
    rules = load_ruleset_from_text("fuzz.rules", text, diags);
    std::string shown = render(diags);
    std::string json = render_json(diags);
    if (!diags.has_errors()) {
        std::string dis = disassemble(*rules);
        if (dis.empty() && !rules->rates.empty()) __builtin_trap();
    } else if (shown.empty()) {
        __builtin_trap();  // an error must always be shown
    }
    // The expression entry point (`--set name=expr`) on the same bytes.
    Diagnostics expr_diags;
    auto expr = parse_expression(make_source("--set", text), expr_diags);
    if (expr) (void)print_expr(*expr);
    return 0;
}
