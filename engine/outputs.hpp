// Writing a run's outputs: CSV and JSON helpers, and an output folder whose files appear all
// together or not at all (each is written to a temporary name and renamed on commit()).
#pragma once
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/rating.hpp"
#include "interpreter/ruleset.hpp"

namespace ratebook {

class OutputFolder {
public:
    explicit OutputFolder(std::string dir);  // creates dir if missing; throws FeedError
    ~OutputFolder();                          // removes temporary files unless committed
    std::ofstream& open(const std::string& name);
    void commit();  // flushes and renames every opened file into place
    std::string path_of(const std::string& name) const;

private:
    struct Entry {
        std::string name, temp;
        std::unique_ptr<std::ofstream> stream;
    };
    std::string dir_;
    std::vector<Entry> entries_;
    bool committed_ = false;
};

// A CSV field, quoted when it holds a comma, quote, or line break (RFC 4180).
std::string csv_field(std::string_view text);
// A JSON string literal with escapes.
std::string json_string(std::string_view text);
// 1234567.8 -> "1,234,567.80" (places fixed by the caller's rounding); no currency sign.
std::string group_thousands(const Decimal& d);

// `header` false: the lines only, to follow another rule set's lines (fiscal-year folders).
void write_charges_csv(std::ostream& out, const RuleSet& rules, const RateRun& run, bool header = true);
void write_reject_header(std::ostream& out);
void write_reject(std::ostream& out, const RejectRow& r);
// `"path": ..., "revision": ..., "commit": ..., "dirty": ...` (inside a JSON object).
std::string ruleset_identity_json(const RuleSetIdentity& id);
// `years`: every rule set that rated the run (fiscal-year folders), listed as "rulesets"; the
// totals use `rules`' rounding, which all of them share.
void write_summary_json(std::ostream& out, const RuleSet& rules, const RateRun& run,
                        const std::vector<const RuleSet*>& years = {});

// Accounts by billed total, largest first (ties by account code): for summaries.
std::vector<std::pair<std::string, Decimal>> account_totals(const RuleSet& rules, const RateRun& run);
Decimal total_billed(const RuleSet& rules, const RateRun& run);

}  // namespace ratebook
