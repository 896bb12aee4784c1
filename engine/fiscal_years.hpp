// A rules folder holding one rule set per fiscal year (rules/FY2026, rules/FY2027, ...): each
// record is rated by the rule set whose fiscal year contains its ChargePeriodStart, so a feed
// crossing 1 September uses both years' rules. A record no fiscal year covers is rejected.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "engine/rating.hpp"
#include "grammar/diagnostic.hpp"
#include "interpreter/compiler.hpp"
#include "interpreter/ruleset.hpp"

namespace ratebook {

struct FiscalYear {
    std::unique_ptr<RuleSet> rules;
    int32_t first_day = 0, last_day = 0;  // days since 1970-01-01, inclusive
};

struct FiscalYears {
    std::string dir;
    std::vector<FiscalYear> years;  // by start date; never overlapping

    // Index of the year containing `day`, or -1.
    int find(int32_t day) const;
    // "FY2026 2025-09-01..2026-08-31, FY2027 2026-09-01..2027-08-31", for messages.
    std::string coverage() const;
};

// True when `dir` has no ratebook.toml of its own but sub-folders that have one.
bool is_fiscal_year_folder(const std::string& dir);

// Loads every sub-folder with a ratebook.toml (in name order); `overrides` apply to each.
// Errors (a rule set's own, overlapping years, years that round or bill in different ways) go
// to diags.
FiscalYears load_fiscal_years(const std::string& dir, Diagnostics& diags,
                              const std::vector<ConstOverride>& overrides = {});

// Routes records to the pass of year `year` (see RecordRouter). Pass 0 also rejects the
// records no year covers and those whose ChargePeriodStart is not a date.
class FiscalYearRouter : public RecordRouter {
public:
    FiscalYearRouter(const FiscalYears& book, size_t year) : book_(book), year_(year) {}
    int prepare(const std::vector<std::string>& header, const std::string& path) const override;
    Route route(const CsvRecord& rec, int column, RatedRecord& out) const override;

private:
    const FiscalYears& book_;
    size_t year_;
};

// Rates the feeds with every year's rule set (one pass each) and returns one run per year;
// rejects reach on_reject in file order. merged is the runs together (counts, and lines for
// the invoice and totals: the years round alike, checked on loading).
std::vector<RateRun> rate_fiscal_years(const FiscalYears& book, const std::vector<std::string>& paths,
                                       const std::function<void(const RejectRow&)>& on_reject,
                                       const RateOptions& options, RateRun& merged);

}  // namespace ratebook
