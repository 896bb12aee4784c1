#include <fmt/format.h>

#include <chrono>
#include <cstdio>

#include "cli/command.hpp"
#include "engine/fiscal_years.hpp"
#include "grammar/diagnostic.hpp"
#include "interpreter/disasm.hpp"
#include "interpreter/loader.hpp"

namespace ratebook::cli {

int run_check(const Args& args) {
    if (args.positional.size() != 1) {
        fmt::print(stderr, "ratebook check: give one rule set folder, e.g. `ratebook check rules/FY2027`\n");
        return exit_bad_input;
    }
    if (is_fiscal_year_folder(args.positional[0]))
        return check_fiscal_years(args.positional[0], args.value("--format") == std::string("json"));
    auto start = std::chrono::steady_clock::now();
    Diagnostics diags;
    LoadStats stats;
    auto rules = load_ruleset(args.positional[0], diags, &stats);
    auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
    diags.sort();
    bool json = args.value("--format") == std::string("json");
    if (json) {
        fmt::print("{}\n", render_json(diags));
    } else {
        fmt::print(stderr, "{}", render(diags));
    }
    if (diags.has_errors()) {
        if (!json)
            fmt::print(stderr, "{} error{}, {} warning{}: the rule set was not compiled\n",
                       diags.error_count(), diags.error_count() == 1 ? "" : "s",
                       diags.warning_count(), diags.warning_count() == 1 ? "" : "s");
        return exit_errors;
    }
    if (!json)
        fmt::print("ok: {} files, {} rules, {} instructions, {} consts, {} tables, hash {}, {:.1f} ms{}\n",
                   stats.files, stats.rules, rules->bytecode_size(), rules->consts.size(),
                   rules->tables.size(), rules->content_hash.substr(0, 12), elapsed.count(),
                   diags.warning_count() == 0 ? ""
                   : fmt::format(" ({} warning{})", diags.warning_count(), diags.warning_count() == 1 ? "" : "s"));
    return exit_ok;
}

int run_disasm(const Args& args) {
    if (args.positional.empty() || args.positional.size() > 2) {
        fmt::print(stderr, "ratebook disasm: give a rule set folder and optionally a rule name\n");
        return exit_bad_input;
    }
    Diagnostics diags;
    auto rules = load_ruleset(args.positional[0], diags);
    diags.sort();
    fmt::print(stderr, "{}", render(diags));
    if (diags.has_errors()) return exit_errors;
    std::string only = args.positional.size() == 2 ? args.positional[1] : "";
    std::string text = disassemble(*rules, only);
    if (!only.empty() && text.empty()) {
        fmt::print(stderr, "ratebook disasm: no rule named \"{}\"\n", only);
        return exit_errors;
    }
    fmt::print("{}", text);
    return exit_ok;
}

}  // namespace ratebook::cli
