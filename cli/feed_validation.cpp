#include "cli/feed_validation.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "engine/outputs.hpp"

namespace ratebook::cli {

bool read_validate_options(const Args& args, const char* command, ValidateOptions& out) {
    out.prior = args.values("--prior");
    for (const std::string& text : args.values("--control-total")) {
        auto eq = text.rfind('=');
        std::optional<Decimal> amount;
        if (eq != std::string::npos && eq > 0) amount = Decimal::parse(text.substr(eq + 1));
        if (!amount || amount->normalized().scale() > 2) {
            fmt::print(stderr,
                       "ratebook {}: --control-total `{}` must be PROVIDER=AMOUNT, the amount in dollars and cents "
                       "as on the provider's invoice, e.g. AWS=1234567.89\n",
                       command, text);
            return false;
        }
        std::string provider = text.substr(0, eq);
        if (out.control_totals.count(provider)) {
            fmt::print(stderr, "ratebook {}: --control-total gives {} twice\n", command, provider);
            return false;
        }
        out.control_totals[provider] = *amount;
    }
    return true;
}

bool read_accepted(const Args& args, const RuleSet& rules, std::vector<std::string>& out) {
    std::vector<std::string> known = validation_check_ids();
    for (const auto& c : rules.checks) known.push_back(c.name);
    for (const std::string& id : args.values("--accept-errors")) {
        if (std::find(known.begin(), known.end(), id) == known.end()) {
            std::string guess = closest_name(id, known);
            fmt::print(stderr, "ratebook rate: --accept-errors `{}` is not a check id{}\n", id,
                       guess.empty() ? std::string(" (docs/validation.md lists them)")
                                     : fmt::format("; did you mean `{}`?", guess));
            return false;
        }
        if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    }
    std::sort(out.begin(), out.end());
    return true;
}

bool rating_handles(std::string_view check) {
    for (std::string_view c : {"missing-column", "malformed-row", "invalid-value", "invalid-tags", "sku-not-priced",
                               "rule-error"})
        if (c == check) return true;
    return false;
}

std::vector<std::string> blocking_checks(const Validation& v, const std::vector<std::string>& accepted) {
    std::vector<std::string> out;
    for (const auto& id : error_checks(v))
        if (!rating_handles(id) && std::find(accepted.begin(), accepted.end(), id) == accepted.end())
            out.push_back(id);
    return out;
}

bool stop_on_findings(const std::string& out_dir, const std::vector<std::string>& usage, Validation& v,
                      const std::vector<std::string>& accepted) {
    order_findings(v, usage);
    std::vector<std::string> blocking = blocking_checks(v, accepted);
    if (blocking.empty()) return false;
    OutputFolder out(out_dir);
    write_validation(out, v, accepted);
    out.commit();
    std::string ids;
    for (const auto& id : blocking) ids += (ids.empty() ? "" : " ") + id;
    fmt::print(stderr, "{}", validation_report(v, accepted));
    fmt::print(stderr,
               "ratebook rate: feed validation found errors ({}); nothing was billed.\n"
               "The report is in {}. Correct the feeds, or bill anyway with --accept-errors {}\n",
               ids, out.path_of("report.txt"), ids);
    return true;
}

void print_validation_line(const Validation& v, const std::vector<std::string>& accepted) {
    std::string acc;
    for (const auto& id : accepted) acc += (acc.empty() ? "" : " ") + id;
    auto n = [](size_t k) { return group_thousands(Decimal::from_int(static_cast<int64_t>(k))); };
    if (v.skipped) {
        fmt::print("checks:   skipped (--skip-validation); `ratebook validate` runs them\n");
        return;
    }
    fmt::print("checks:   {} errors, {} warnings, {} info{}; `ratebook validate` writes the full report\n",
               n(v.count(FindingSeverity::error)), n(v.count(FindingSeverity::warning)), n(v.count(FindingSeverity::info)),
               acc.empty() ? std::string() : " (accepted: " + acc + ")");
}

std::string summary_with_validation(const std::string& summary_json, const Validation& v,
                                    const std::vector<std::string>& accepted) {
    auto list = [](const std::vector<std::string>& ids) {
        std::string s = "[";
        for (size_t i = 0; i < ids.size(); ++i) s += (i ? ", " : "") + json_string(ids[i]);
        return s + "]";
    };
    std::string member = v.skipped ? std::string(",\n  \"validation\": {\"skipped\": true}\n}") : fmt::format(
        ",\n  \"validation\": {{\"errors\": {}, \"warnings\": {}, \"info\": {}, \"error_checks\": {}, "
        "\"accepted_errors\": {}}}\n}}",
        v.count(FindingSeverity::error), v.count(FindingSeverity::warning), v.count(FindingSeverity::info),
        list(error_checks(v)), list(accepted));
    size_t close = summary_json.find_last_of('}');
    if (close == std::string::npos) return summary_json;
    size_t end = close;
    while (end > 0 && (summary_json[end - 1] == '\n' || summary_json[end - 1] == ' ')) --end;
    return summary_json.substr(0, end) + member + summary_json.substr(close + 1);
}

}  // namespace ratebook::cli
