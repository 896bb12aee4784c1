// `ratebook credits`: service credits owed under the rule set's `sla` rules for one month's
// charges, and decisions on customers' claims (engine/credits*.cpp).
#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/load_rules.hpp"
#include "engine/credits.hpp"
#include "engine/csv_reader.hpp"
#include "engine/outputs.hpp"
#include "interpreter/loader.hpp"

namespace ratebook::cli {

int run_credits(const Args& args) {
    auto rules_dir = args.value("--rules");
    auto charges = args.value("--charges");
    auto metrics = args.value("--metrics");
    auto out_dir = args.value("--out");
    if (!rules_dir || !charges || !metrics || !out_dir) {
        fmt::print(stderr, "ratebook credits: --rules, --charges, --metrics and --out are required (see --help)\n");
        return exit_bad_input;
    }
    auto rules = load_rules_or_report("credits", *rules_dir, "written");
    if (!rules) return exit_errors;
    if (rules->slas.empty()) {
        fmt::print(stderr, "ratebook credits: {} has no sla rules\n  = help: add `sla` rules, or `use \"sla/aws_compute\"` "
                           "for a library of the standard rules (docs/language.md)\n", *rules_dir);
        return exit_bad_input;
    }
    try {
        CreditInputs in = read_credit_inputs(*charges, *metrics, args.value("--claims").value_or(""));
        std::string period = credit_period(in, args.value("--month"));
        CreditRun run = compute_credits(*rules, in, period);
        OutputFolder out(*out_dir);
        write_credits_csv(out.open("credits.csv"), *rules, run);
        if (!in.claims_path.empty()) write_claims_csv(out.open("claims.csv"), *rules, run);
        write_credits_summary_json(out.open("summary.json"), *rules, in, run);
        std::string text = credits_summary_text(*rules, in, run);
        out.open("summary.txt") << text;
        out.commit();
        if (!args.flag("--quiet")) {
            fmt::print("{}", text);
            fmt::print("wrote:    {}{}, {}, {}\n", out.path_of("credits.csv"),
                       in.claims_path.empty() ? "" : ", " + out.path_of("claims.csv"), out.path_of("summary.json"),
                       out.path_of("summary.txt"));
        }
        return exit_ok;
    } catch (const CreditsInputError& e) {
        fmt::print(stderr, "{}\nratebook credits: nothing was written\n", render(e.diagnostic));
        return exit_bad_input;
    } catch (const FeedError& e) {
        fmt::print(stderr, "ratebook credits: {}\nnothing was written\n", e.what());
        return exit_bad_input;
    } catch (const DecimalError& e) {
        fmt::print(stderr, "ratebook credits: a credit is too large to compute exactly ({})\nnothing was written\n", e.what());
        return exit_bad_input;
    }
}

}  // namespace ratebook::cli
