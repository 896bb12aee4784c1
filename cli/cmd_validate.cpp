// `ratebook validate`: every feed check, the report, and an exit status saying how bad.
#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/load_rules.hpp"
#include "cli/feed_validation.hpp"
#include "engine/csv_reader.hpp"
#include "engine/outputs.hpp"
#include "engine/rating.hpp"
#include "interpreter/loader.hpp"

namespace ratebook::cli {

int run_validate(const Args& args) {
    auto rules_dir = args.value("--rules");
    auto out_dir = args.value("--out");
    auto usage = args.values("--usage");
    if (!rules_dir || !out_dir || usage.empty()) {
        fmt::print(stderr, "ratebook validate: --rules, --usage and --out are required (see --help)\n");
        return exit_bad_input;
    }
    ValidateOptions options;
    if (!read_validate_options(args, "validate", options)) return exit_bad_input;
    auto rules = load_rules_or_report("validate", *rules_dir, "validated");
    if (!rules) return exit_bad_input;
    try {
        // One pass: the feed checks watch a rating pass that writes nothing, which also finds
        // what only rating knows (SKUs no rule prices, unmapped resources).
        RateOptions rating;
        rating.threads = 0;  // every core
        Validation v = validate_month(*rules, usage, options, rating);
        OutputFolder out(*out_dir);
        write_validation(out, v);
        out.commit();
        if (!args.flag("--quiet")) fmt::print("{}", validation_report(v));
        fmt::print("wrote:    {}, {}, {}\n", out.path_of("report.txt"), out.path_of("findings.csv"),
                   out.path_of("findings.json"));
        return v.exit_status();
    } catch (const FeedError& e) {
        fmt::print(stderr, "ratebook validate: {}\nnothing was written\n", e.what());
        return exit_bad_input;
    }
}

}  // namespace ratebook::cli
