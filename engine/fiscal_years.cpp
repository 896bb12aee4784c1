#include "engine/fiscal_years.hpp"

#include <date/date.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "engine/csv_reader.hpp"
#include "engine/focus_values.hpp"
#include "engine/record_rater.hpp"
#include "interpreter/loader.hpp"

namespace ratebook {
namespace {

namespace fs = std::filesystem;

std::string iso(int32_t day) {
    return date::format("%F", date::sys_days{date::days{day}});
}

// The day before the same date a year later: 2026-09-01 -> 2027-08-31.
int32_t last_day_of_year_from(int32_t first) {
    date::year_month_day start{date::sys_days{date::days{first}}};
    date::sys_days next{start + date::years{1}};
    return static_cast<int32_t>(next.time_since_epoch().count()) - 1;
}

constexpr const char* period_column = "ChargePeriodStart";

}  // namespace

int FiscalYears::find(int32_t day) const {
    for (size_t k = 0; k < years.size(); ++k)
        if (day >= years[k].first_day && day <= years[k].last_day) return static_cast<int>(k);
    return -1;
}

std::string FiscalYears::coverage() const {
    std::string s;
    for (const auto& y : years)
        s += fmt::format("{}FY{} {}..{}", s.empty() ? "" : ", ", y.rules->config.fiscal_year, iso(y.first_day),
                         iso(y.last_day));
    return s;
}

bool is_fiscal_year_folder(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec) || fs::exists(fs::path(dir) / "ratebook.toml", ec)) return false;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.is_directory() && fs::exists(e.path() / "ratebook.toml", ec)) return true;
    return false;
}

FiscalYears load_fiscal_years(const std::string& dir, Diagnostics& diags, const std::vector<ConstOverride>& overrides) {
    FiscalYears book;
    book.dir = dir;
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.is_directory() && fs::exists(e.path() / "ratebook.toml", ec)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    std::string base = dir;
    while (base.size() > 1 && base.back() == '/') base.pop_back();
    for (const auto& name : names) {
        FiscalYear y;
        y.rules = load_ruleset((fs::path(dir) / name).string(), diags, nullptr, base + "/" + name, overrides);
        y.first_day = y.rules->config.fiscal_year_start;
        y.last_day = last_day_of_year_from(y.first_day);
        book.years.push_back(std::move(y));
    }
    if (diags.has_errors()) return book;
    std::sort(book.years.begin(), book.years.end(),
              [](const FiscalYear& a, const FiscalYear& b) { return a.first_day < b.first_day; });
    for (size_t k = 1; k < book.years.size(); ++k) {
        const RuleSetConfig& a = book.years[k - 1].rules->config;
        const RuleSetConfig& b = book.years[k].rules->config;
        const std::string& where = book.years[k].rules->identity.path;
        if (book.years[k].first_day <= book.years[k - 1].last_day)
            diags.error("E0333", {},
                        fmt::format("fiscal years overlap: {} starts {}, before FY{} ends {}", where,
                                    iso(book.years[k].first_day), a.fiscal_year, iso(book.years[k - 1].last_day)),
                        "each record must fall in exactly one fiscal year's rule set");
        if (a.currency != b.currency || a.rounding != b.rounding || a.rounding_places != b.rounding_places)
            diags.error("E0334", {},
                        fmt::format("{} bills in {} rounded {}/{}, FY{} in {} rounded {}/{}", where, b.currency,
                                    rounding_mode_name(b.rounding), b.rounding_places, a.fiscal_year, a.currency,
                                    rounding_mode_name(a.rounding), a.rounding_places),
                        "one invoice holds charges of both years: rate each year separately with --rules FOLDER/FYnnnn");
    }
    return book;
}

int FiscalYearRouter::prepare(const std::vector<std::string>& header, const std::string& path) const {
    for (size_t i = 0; i < header.size(); ++i)
        if (header[i] == period_column) return static_cast<int>(i);
    throw FeedError(fmt::format("{}: missing required column {} (it chooses the fiscal year's rule set)", path,
                                period_column));
}

RecordRouter::Route FiscalYearRouter::route(const CsvRecord& rec, int column, RatedRecord& out) const {
    // Pass 0 deals with every record that belongs to no year, so each is counted once.
    const bool first = year_ == 0;
    if (!rec.error.empty() || static_cast<size_t>(column) >= rec.fields.size())
        return first ? Route::rate : Route::elsewhere;  // the rater rejects the malformed row
    std::string_view text = rec.fields[static_cast<size_t>(column)];
    std::string why;
    auto when = parse_timestamp(text, &why);
    if (!when) {
        if (!first) return Route::elsewhere;
        out.category = "no fiscal year";
        out.reason = fmt::format("E0430: {} `{}` is not a date and time ({}), so no fiscal year's rules apply",
                                 period_column, text, why);
        return Route::reject;
    }
    int year = book_.find(when->days);
    if (year == static_cast<int>(year_)) return Route::rate;
    if (year >= 0 || !first) return Route::elsewhere;
    out.category = "no fiscal year";
    out.reason = fmt::format("E0430: {} {} falls in no fiscal year of {} ({})", period_column, iso(when->days),
                             book_.dir, book_.coverage());
    return Route::reject;
}

std::vector<RateRun> rate_fiscal_years(const FiscalYears& book, const std::vector<std::string>& paths,
                                       const std::function<void(const RejectRow&)>& on_reject,
                                       const RateOptions& options, RateRun& merged) {
    std::vector<RateRun> runs;
    // Each pass hands its rejects over in file order; the passes are merged back into file order.
    std::vector<std::pair<size_t, RejectRow>> rejects;
    for (size_t k = 0; k < book.years.size(); ++k) {
        FiscalYearRouter router(book, k);
        RateOptions pass = options;
        pass.router = &router;
        if (k > 0) pass.observer = nullptr;  // every pass reads every record: validate them once
        runs.push_back(rate_feeds(*book.years[k].rules, paths, [&](const RejectRow& r) {
            size_t file = static_cast<size_t>(std::find(paths.begin(), paths.end(), r.file) - paths.begin());
            rejects.emplace_back(file, r);
        }, pass));
    }
    std::stable_sort(rejects.begin(), rejects.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first : a.second.line < b.second.line;
    });
    for (const auto& [file, r] : rejects) on_reject(r);

    merged = RateRun{};
    if (runs.empty()) return runs;
    merged.rows_in = runs[0].rows_in;  // every pass reads every record
    merged.feeds = runs[0].feeds;
    for (auto& f : merged.feeds) f.charged = f.rejected = f.elsewhere = 0;
    for (const RateRun& run : runs) {
        merged.charged += run.charged;
        merged.rejected += run.rejected;
        for (const auto& [cat, n] : run.rejects_by_category) merged.rejects_by_category[cat] += n;
        for (size_t i = 0; i < run.feeds.size() && i < merged.feeds.size(); ++i) {
            merged.feeds[i].charged += run.feeds[i].charged;
            merged.feeds[i].rejected += run.feeds[i].rejected;
        }
        merged.lines.insert(merged.lines.end(), run.lines.begin(), run.lines.end());
    }
    // A year whose pass found no billing month rated none of the month: its fees are not owed,
    // and its notes would be noise. When no year found the month, every year's notes stand.
    bool month_known = false;
    for (const RateRun& run : runs) month_known |= run.latest_billing_day.has_value();
    if (!month_known)
        for (size_t k = 0; k < runs.size(); ++k)
            for (const auto& note : runs[k].notes)
                merged.notes.push_back(fmt::format("FY{}: {}", book.years[k].rules->config.fiscal_year, note));
    return runs;
}

}  // namespace ratebook
