// `ratebook check rules/` on a folder of fiscal years: every year's rule set, and the years
// together (no overlaps, same currency and rounding), as `ratebook rate --rules rules/` needs.
#include <fmt/format.h>

#include "cli/command.hpp"
#include "engine/fiscal_years.hpp"

namespace ratebook::cli {

int check_fiscal_years(const std::string& dir, bool json) {
    Diagnostics diags;
    FiscalYears book = load_fiscal_years(dir, diags);
    diags.sort();
    if (json) fmt::print("{}\n", render_json(diags));
    else fmt::print(stderr, "{}", render(diags));
    if (diags.has_errors()) {
        if (!json)
            fmt::print(stderr, "{} error{}, {} warning{}: the fiscal years were not compiled\n", diags.error_count(),
                       diags.error_count() == 1 ? "" : "s", diags.warning_count(),
                       diags.warning_count() == 1 ? "" : "s");
        return exit_errors;
    }
    if (!json) {
        for (const auto& y : book.years)
            fmt::print("ok: FY{} {}: {} rate rules, {} consts, {} tables, hash {}\n", y.rules->config.fiscal_year,
                       y.rules->identity.path, y.rules->rates.size(), y.rules->consts.size(), y.rules->tables.size(),
                       y.rules->content_hash.substr(0, 12));
        fmt::print("ok: {} fiscal years: {}\n", book.years.size(), book.coverage());
    }
    return exit_ok;
}

}  // namespace ratebook::cli
