#include <fmt/format.h>

#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>

#include "cli/command.hpp"
#include "cli/feed_validation.hpp"
#include "engine/csv_reader.hpp"
#include "engine/fiscal_years.hpp"
#include "engine/invoice.hpp"
#include "engine/outputs.hpp"
#include "engine/rating.hpp"
#include "interpreter/loader.hpp"

namespace ratebook::cli {
namespace {

std::string count(uint64_t n) { return group_thousands(Decimal::from_int(static_cast<int64_t>(n))); }

// `seconds` is wall-clock timing for the rows/s line only; no money or quantity is a double.
void print_summary(const std::vector<const RuleSet*>& all, const RateRun& run, double seconds, bool quiet) {
    const RuleSet& rules = *all.front();
    bool identity = run.rows_in == run.charged + run.rejected;
    if (!quiet) {
        for (const RuleSet* r : all) {
            fmt::print("rule set: {} (fiscal year {}, hash {})\n", r->config.name, r->config.fiscal_year,
                       r->content_hash.substr(0, 12));
            fmt::print("version:  {}\n", r->identity.version());
        }
        for (const auto& o : rules.overrides) fmt::print("what-if:  --set {} (not the rule set as written)\n", o);
        for (const auto& f : run.feeds)
            fmt::print("usage:    {}: {} rows\n", f.path, count(f.rows));
    }
    fmt::print("records:  in {} = charged {} + rejected {}  [{}]\n", count(run.rows_in), count(run.charged),
               count(run.rejected), identity ? "ok" : "MISMATCH");
    for (const auto& note : run.notes) fmt::print("note:     {}\n", note);  // (even when quiet)
    if (quiet) return;
    if (!run.rejects_by_category.empty()) {
        fmt::print("rejected by reason:\n");
        for (const auto& [cat, n] : run.rejects_by_category) fmt::print("  {:>9}  {}\n", count(n), cat);
    }
    auto totals = account_totals(rules, run);
    fmt::print("charged:  {} {} on {} line{} for {} account{}\n", group_thousands(total_billed(rules, run)),
               rules.config.currency, count(run.lines.size()), run.lines.size() == 1 ? "" : "s",
               count(totals.size()), totals.size() == 1 ? "" : "s");
    if (!totals.empty()) {
        fmt::print("top accounts:\n");
        for (size_t i = 0; i < totals.size() && i < 5; ++i)
            fmt::print("  {:<20} {:>16}\n", totals[i].first, group_thousands(totals[i].second));
    }
    double rate = seconds > 0 ? static_cast<double>(run.rows_in) / seconds : 0;
    fmt::print("time:     {:.2f} s, {} rows/s\n", seconds, count(static_cast<uint64_t>(rate)));
}

}  // namespace

int run_rate(const Args& args) {
    auto rules_dir = args.value("--rules");
    auto out_dir = args.value("--out");
    auto usage = args.values("--usage");
    if (!rules_dir || !out_dir || usage.empty()) {
        fmt::print(stderr, "ratebook rate: --rules, --usage and --out are required (see --help)\n");
        return exit_bad_input;
    }
    Decimal max_reject_rate = Decimal::from_int(100);
    if (auto v = args.value("--max-reject-rate")) {
        auto d = Decimal::parse(*v);
        if (!d || d->sign() < 0 || *d > Decimal::from_int(100)) {
            fmt::print(stderr, "ratebook rate: --max-reject-rate must be a percentage from 0 to 100\n");
            return exit_bad_input;
        }
        max_reject_rate = *d;
    }
    // Rating allocates and frees the same few megabytes per chunk, over and over, on every
    // thread. glibc would hand big blocks back to the kernel each time (mmap/munmap and trim),
    // paying page faults and, with two threads, TLB shootdowns: measured 50k page faults and
    // +40% CPU at 1M rows on 2 threads. Keeping freed memory for reuse removes that; the peak
    // stays bounded by the chunks in flight.
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    std::vector<InvoiceKey> invoice_keys;
    std::string key_error;
    if (!parse_invoice_keys(args.value("--by").value_or("account,ru"), invoice_keys, key_error)) {
        fmt::print(stderr, "ratebook rate: --by: {}\n", key_error);
        return exit_bad_input;
    }
    RateOptions options;
    options.threads = 0;  // the machine's cores
    if (auto v = args.value("--threads")) {
        unsigned n = 0;
        bool ok = !v->empty() && v->size() <= 4;
        for (char c : *v) ok = ok && c >= '0' && c <= '9', n = n * 10 + static_cast<unsigned>(c - '0');
        if (!ok || n < 1 || n > 256) {
            fmt::print(stderr, "ratebook rate: --threads must be a whole number from 1 to 256\n");
            return exit_bad_input;
        }
        options.threads = n;
    }
    // Chunk size for tests, which make it small to put chunk boundaries everywhere.
    if (const char* env = std::getenv("RATEBOOK_CHUNK_BYTES"))
        options.chunk_bytes = std::strtoull(env, nullptr, 10);
    ValidateOptions validate_options;
    if (!read_validate_options(args, "rate", validate_options)) return exit_bad_input;
    const bool skip_validation = args.flag("--skip-validation");
    if (skip_validation && (!validate_options.prior.empty() || !validate_options.control_totals.empty() ||
                            !args.values("--accept-errors").empty())) {
        fmt::print(stderr,
                   "ratebook rate: --skip-validation runs no feed checks, so --prior, --control-total and "
                   "--accept-errors have nothing to act on; leave them out, or validate\n");
        return exit_bad_input;
    }
    auto start = std::chrono::steady_clock::now();
    Diagnostics diags;
    std::vector<ConstOverride> overrides;
    for (const std::string& text : args.values("--set")) {
        overrides.emplace_back();
        if (!parse_const_override(text, overrides.back(), diags)) overrides.pop_back();
    }
    // A folder of fiscal-year folders (rules/ holding FY2026, FY2027): each record is rated by
    // the year containing its ChargePeriodStart (engine/fiscal_years.hpp).
    FiscalYears book;
    std::unique_ptr<RuleSet> single;
    if (is_fiscal_year_folder(*rules_dir)) book = load_fiscal_years(*rules_dir, diags, overrides);
    else single = load_ruleset(*rules_dir, diags, nullptr, {}, overrides);
    std::vector<const RuleSet*> years;
    for (const auto& y : book.years) years.push_back(y.rules.get());
    const RuleSet* rules = single ? single.get() : years.empty() ? nullptr : years.front();
    if (!rules && !diags.has_errors())
        diags.error("E0310", {}, fmt::format("`{}` holds no rule set", *rules_dir),
                    "pass a rule set folder, or a folder of fiscal-year folders each with a ratebook.toml");
    diags.sort();
    fmt::print(stderr, "{}", render(diags));
    if (diags.has_errors()) {
        fmt::print(stderr, "ratebook rate: the rule set has errors; nothing was rated\n");
        return exit_errors;
    }
    std::vector<std::string> accepted;
    if (!read_accepted(args, *rules, accepted)) return exit_bad_input;
    try {
        // Feed validation (issue 6) watches rating's pass: every record is checked as it is rated.
        std::optional<FeedValidator> validator;
        if (!skip_validation) validator.emplace(*rules, usage, validate_options);
        options.observer = validator ? &*validator : nullptr;
        RatingFindings rating_findings(*rules);
        if (validator) validator->watch_rating();
        OutputFolder out(*out_dir);
        std::ofstream& rejects = out.open("rejects.csv");
        write_reject_header(rejects);
        auto on_reject = [&](const RejectRow& r) {
            write_reject(rejects, r);
            rating_findings.on_reject(r);
        };
        RateRun run;
        std::vector<RateRun> runs;  // fiscal-year folders: one per year, `run` their sum
        if (single) run = rate_feeds(*rules, usage, on_reject, options);
        else runs = rate_fiscal_years(book, usage, on_reject, options, run);
        Validation validation = validator ? validator->finish() : Validation{};
        validation.skipped = skip_validation;
        rating_findings.add_to(validation, usage);
        if (stop_on_findings(*out_dir, usage, validation, accepted)) return exit_validation_errors;
        if (single) {
            write_charges_csv(out.open("charges.csv"), *rules, run);
        } else {
            // The charge lines of each year carry that year's rule set.
            std::ofstream& charges = out.open("charges.csv");
            for (size_t k = 0; k < runs.size(); ++k) write_charges_csv(charges, *years[k], runs[k], k == 0);
        }
        write_invoice_csv(out.open("invoice.csv"), *rules, run, invoice_keys);
        std::ostringstream summary;
        write_summary_json(summary, *rules, run, years);
        out.open("summary.json") << summary_with_validation(summary.str(), validation, accepted);
        if (run.rows_in != run.charged + run.rejected) {
            fmt::print(stderr, "ratebook rate: records in != charged + rejected; nothing was written\n");
            return exit_errors;
        }
        out.commit();
        double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        print_summary(years.empty() ? std::vector<const RuleSet*>{rules} : years, run, seconds, args.flag("--quiet"));
        if (!args.flag("--quiet")) print_validation_line(validation, accepted);
        if (!args.flag("--quiet"))
            fmt::print("wrote:    {}, {}, {}, {}\n", out.path_of("charges.csv"), out.path_of("invoice.csv"),
                       out.path_of("rejects.csv"), out.path_of("summary.json"));
        Decimal reject_pct = run.rows_in == 0 ? Decimal()
                             : Decimal::from_int(static_cast<int64_t>(run.rejected)) * Decimal::from_int(100) /
                                   Decimal::from_int(static_cast<int64_t>(run.rows_in));
        if (reject_pct > max_reject_rate) {
            fmt::print(stderr, "ratebook rate: {}% of records were rejected, above --max-reject-rate {}%\n",
                       reject_pct.rounded(2).to_string(), max_reject_rate.to_plain_string());
            return exit_too_many_rejects;
        }
        return exit_ok;
    } catch (const FeedError& e) {
        fmt::print(stderr, "ratebook rate: {}\nnothing was written\n", e.what());
        return exit_bad_input;
    } catch (const DecimalError& e) {
        // One record's overflow rejects that record; this is a total (a charge line, an account,
        // the month) past 38 digits, which no invoice can carry exactly.
        fmt::print(stderr,
                   "ratebook rate: a total is too large to bill exactly ({}); check the feed's quantities "
                   "and the rates\nnothing was written\n",
                   e.what());
        return exit_bad_input;
    }
}

}  // namespace ratebook::cli
