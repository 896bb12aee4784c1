// `ratebook variance`: two months' charges.csv compared by the rule set's variance rules.
#include <fmt/format.h>

#include <cstdio>

#include "cli/command.hpp"
#include "cli/load_rules.hpp"
#include "engine/outputs.hpp"
#include "engine/variance.hpp"
#include "interpreter/loader.hpp"

namespace ratebook::cli {

int run_variance(const Args& args) {
    auto rules_dir = args.value("--rules");
    auto current = args.value("--current");
    auto prior = args.value("--prior");
    auto out_dir = args.value("--out");
    if (!rules_dir || !current || !prior || !out_dir) {
        fmt::print(stderr, "ratebook variance: --rules, --current, --prior and --out are required (see --help)\n");
        return exit_bad_input;
    }
    auto rules = load_rules_or_report("variance", *rules_dir, "compared");
    if (!rules) return exit_errors;
    try {
        MonthCharges prior_month = read_charges(*prior);
        MonthCharges current_month = read_charges(*current);
        VarianceReport report = compare_months(*rules, prior_month, current_month);
        const Decimal change = report.current_total - report.prior_total;
        if (report.total.total() != change) {
            // Cannot happen by construction (each line's parts add up); refuse rather than print it.
            fmt::print(stderr, "ratebook variance: the decomposition does not add up to the change; nothing was written\n");
            return exit_errors;
        }
        OutputFolder out(*out_dir);
        write_variance_csv(out.open("variance.csv"), *rules, report);
        write_variance_json(out.open("variance.json"), *rules, report);
        write_variance_text(out.open("variance.txt"), *rules, report);
        out.commit();
        if (!args.flag("--quiet")) {
            fmt::print("compared: {} lines ({}) with {} lines ({})\n", report.current_lines, *current,
                       report.prior_lines, *prior);
            auto money = [&](const Decimal& d) {
                return group_thousands(d.rounded(rules->config.rounding_places, rules->config.rounding));
            };
            fmt::print("change:   {} -> {}: {} = volume {} + rate {} + new {} - dropped {}  [reconciles]\n",
                       money(report.prior_total), money(report.current_total), money(change),
                       money(report.total.volume_effect), money(report.total.rate_effect),
                       money(report.total.new_lines), money(report.total.dropped_lines));
            fmt::print("flagged:  {} of {} groups\n", report.flagged, report.groups.size());
            fmt::print("wrote:    {}, {}, {}\n", out.path_of("variance.csv"), out.path_of("variance.json"),
                       out.path_of("variance.txt"));
        }
        return exit_ok;
    } catch (const FeedError& e) {
        fmt::print(stderr, "ratebook variance: {}\nnothing was written\n", e.what());
        return exit_bad_input;
    } catch (const DecimalError& e) {
        fmt::print(stderr, "ratebook variance: a total is too large to compare exactly ({})\nnothing was written\n",
                   e.what());
        return exit_bad_input;
    }
}

}  // namespace ratebook::cli
