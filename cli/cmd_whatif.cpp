// `ratebook whatif`: what a proposed rule set (a branch, a revision, or the current rules with
// `--set` changes) would charge, next to the rules in force. A dry run: only the comparison
// (whatif.txt, whatif.csv, whatif.json) is written, all together or not at all.
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "cli/command.hpp"
#include "engine/csv_reader.hpp"
#include "engine/fiscal_years.hpp"
#include "engine/outputs.hpp"
#include "engine/whatif.hpp"
#include "engine/whatif_report.hpp"
#include "interpreter/loader.hpp"

namespace ratebook::cli {

int run_whatif(const Args& args) {
    auto current_spec = args.value("--rules");
    auto out_dir = args.value("--out");
    auto usage = args.values("--usage");
    auto sets = args.values("--set");
    if (!args.positional.empty()) {
        fmt::print(stderr, "ratebook whatif: unexpected `{}` (see --help)\n", args.positional.front());
        return exit_bad_input;
    }
    if (!current_spec || !out_dir || usage.empty()) {
        fmt::print(stderr, "ratebook whatif: --rules, --usage and --out are required (see --help)\n");
        return exit_bad_input;
    }
    auto proposed_spec = args.value("--proposed");
    if (!proposed_spec && sets.empty()) {
        fmt::print(stderr, "ratebook whatif: nothing to compare: give --proposed RULES and/or --set NAME=VALUE\n");
        return exit_bad_input;
    }
    for (const auto& spec : {*current_spec, proposed_spec.value_or(*current_spec)})
        if (is_fiscal_year_folder(spec)) {
            fmt::print(stderr,
                       "ratebook whatif: `{}` holds several fiscal years; compare one year's rule sets, "
                       "e.g. --rules {}/FY2027\n",
                       spec, spec.substr(0, spec.find_last_not_of('/') + 1));
            return exit_bad_input;
        }
    Diagnostics diags;
    std::vector<ConstOverride> overrides;  // the proposal's changes only
    for (const std::string& text : sets) {
        overrides.emplace_back();
        if (!parse_const_override(text, overrides.back(), diags)) overrides.pop_back();
    }
    auto current = load_ruleset(*current_spec, diags);
    auto proposed = load_ruleset(proposed_spec.value_or(*current_spec), diags, nullptr, {}, overrides);
    diags.sort();
    fmt::print(stderr, "{}", render(diags));
    if (diags.has_errors()) {
        fmt::print(stderr, "ratebook whatif: a rule set has errors; nothing was compared\n");
        return exit_errors;
    }
    try {
        WhatIfRun run = rate_whatif(*current, *proposed, usage);
        WhatIfReport report{*current, *proposed, run};
        OutputFolder out(*out_dir);
        std::ostringstream text;
        write_whatif_text(text, report);
        out.open("whatif.txt") << text.str();
        write_whatif_csv(out.open("whatif.csv"), report);
        write_whatif_json(out.open("whatif.json"), report);
        out.commit();
        if (!args.flag("--quiet")) fmt::print("{}", text.str());
        // Fees a rule set could not charge (no charged record gave the month), even when quiet.
        for (const auto& note : run.current.notes) fmt::print("note:     rules in force: {}\n", note);
        for (const auto& note : run.proposed.notes) fmt::print("note:     proposal: {}\n", note);
        fmt::print("wrote:    {}, {}, {}\n", out.path_of("whatif.txt"), out.path_of("whatif.csv"),
                   out.path_of("whatif.json"));
        return exit_ok;
    } catch (const FeedError& e) {
        fmt::print(stderr, "ratebook whatif: {}\nnothing was written\n", e.what());
        return exit_bad_input;
    } catch (const DecimalError& e) {
        fmt::print(stderr, "ratebook whatif: a total is too large to compare exactly ({})\nnothing was written\n",
                   e.what());
        return exit_bad_input;
    }
}

}  // namespace ratebook::cli
