// Feed validation: what is wrong with a month's usage feeds, found before anything is billed.
//
// One reader pass over the feeds (validate.cpp) hands every record to the checks, one file per
// family: schema (validate_schema.cpp: columns, types, nulls, currency, billing period), rows
// (validate_rows.cpp: negative usage, cost without quantity, charge period, duplicates, tags),
// feed-wide (validate_feed.cpp: missing days, prior-month variance, control totals, a file given
// twice) and the rule set's own `check` rules (validate_rules.cpp). What only rating knows (no
// rate rule prices a SKU, a resource lands in the suspense account) is added from the rating run
// (validate_rating.cpp), and the report is written by validate_report.cpp.
// Every finding names a check id (docs/validation.md lists them), a severity, the file and
// line, and the dollars affected, so a reader can go straight to the row.
#pragma once
#include <cstdint>
#include <map>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "engine/rating.hpp"
#include "interpreter/decimal.hpp"
#include "interpreter/ruleset.hpp"

namespace ratebook {

enum class FindingSeverity : uint8_t { error, warning, info };
std::string_view severity_name(FindingSeverity s);

struct Finding {
    std::string check;  // stable id: "missing-column", "duplicate-row", ...
    FindingSeverity severity = FindingSeverity::error;
    std::string file;   // empty for a finding about the whole month (a control total)
    uint64_t line = 0;  // 0: about the file or the feed, not one row
    std::string message;
    Decimal amount;     // BilledCost affected (0 when no row's cost is at stake)
};

struct ValidateOptions {
    std::vector<std::string> prior;  // last month's feeds, for variance and per-account days
    // Provider -> the amount on its invoice; the feed's BilledCost must add up to it to the cent.
    std::map<std::string, Decimal> control_totals;
};

struct Validation {
    std::vector<Finding> findings;  // in the order found: file order, then feed-wide checks
    NormaliseCounts normalised;
    uint64_t rows = 0;
    std::string month;  // the month billed, "2026-10" (empty when no row says)
    bool skipped = false;  // `ratebook rate --skip-validation`: no check ran

    size_t count(FindingSeverity s) const;
    // Exit status of `ratebook validate`: 0 clean (info only), 1 warnings only, 2 errors.
    int exit_status() const;
};

// Runs every check that needs only the feeds and the rule set, as a FeedObserver of rating's
// pass (`ratebook rate`: RateOptions::observer) or of its own reader (validate_feeds). Built
// before the pass: it finds the month billed (the first row stating a billing period) and reads
// last month's feeds. Throws FeedError when a feed cannot be read at all.
class FeedValidator final : public FeedObserver {
public:
    FeedValidator(const RuleSet& rules, const std::vector<std::string>& usage, const ValidateOptions& options);
    ~FeedValidator() override;
    void begin_file(uint32_t file, const std::string& path, const std::vector<std::string>& header) override;
    std::unique_ptr<Worker> worker(uint32_t file) override;
    void merge(Part& part, uint64_t line_base) override;
    void end_file(uint32_t file) override;
    // The month-wide checks, once every feed is read; the findings in file order (order_findings).
    Validation finish();
    // Set as RateOptions::observer of a rating pass: no-account-mapping and inactive-account are
    // then found here, from each rated record's ResourceId (charge lines need not carry it: a
    // drill-down may redefine their component).
    void watch_rating();

    struct State;  // engine/validate.cpp

private:
    std::unique_ptr<State> s_;
};

// Reads every feed once and runs every check that needs only the feeds and the rule set.
// Throws FeedError when a feed cannot be read at all.
Validation validate_feeds(const RuleSet& rules, const std::vector<std::string>& usage,
                          const ValidateOptions& options);

// The checks only rating's rejects can answer (passed one by one, as rating streams them): SKUs
// no rate rule prices, rule errors on a record. (Resources whose cost lands in the suspense
// account, or on an inactive account, FeedValidator::watch_rating counts.)
// A bound on the findings one check makes in one feed. A feed where every row has the same
// defect (a provider that never fills ContractedCost, a misspelt ChargeFrequency on every row)
// would otherwise give one finding per row: millions of messages held in memory and a report no
// one reads. Past `limit` findings of a check in a feed, the rest are counted, with their
// dollars and their last line, and said once in a closing finding of the same check.
class FindingLimit {
public:
    static constexpr uint64_t default_limit = 10'000;
    explicit FindingLimit(uint64_t limit = default_limit) : limit_(limit) {}

    // True: keep `f` as it is. False: it was counted in its check's closing finding.
    bool keep(const Finding& f) {
        if (f.file.empty() || f.line == 0) return true;  // about a file or the month: always few
        Over& o = seen_[{f.check, f.file}];
        if (++o.findings <= limit_) return true;
        o.severity = f.severity;
        ++o.more;
        o.amount += f.amount;
        o.last = f.line;
        return false;
    }

    // The closing findings, one per check and feed that passed the limit.
    std::vector<Finding> closing() const {
        std::vector<Finding> out;
        for (const auto& [key, o] : seen_) {
            if (o.more == 0) continue;
            out.push_back(Finding{key.first, o.severity, key.second, o.last,
                                  "... and " + std::to_string(o.more) + " more rows like the " + std::to_string(limit_) +
                                      " listed for this check and file (the last at this line; only the first " +
                                      std::to_string(limit_) + " are listed one by one)",
                                  o.amount});
        }
        return out;
    }

private:
    struct Over {
        uint64_t findings = 0, more = 0, last = 0;
        FindingSeverity severity = FindingSeverity::error;
        Decimal amount;
    };
    uint64_t limit_;
    std::map<std::pair<std::string, std::string>, Over> seen_;
};


// Charged usage of one resource (or one inactive account and resource): its records and their
// BilledCost (the cost at stake; charges.csv has what it was billed, on the suspense lines).
struct UsageTotals {
    uint64_t records = 0;
    Decimal charge;       // BilledCost
    std::string account;  // the account it was charged to
};
using UsageByResource = std::map<std::string, UsageTotals, std::less<>>;  // (found by string_view: no copy a row)
using UsageByAccountResource = std::map<std::pair<std::string, std::string>, UsageTotals>;  // (inactive account, resource)
// no-account-mapping: one finding per resource whose usage fell to the suspense account.
void add_unmapped_findings(const RuleSet& rules, const UsageByResource& unmapped, std::vector<Finding>& out);
// inactive-account: one finding per inactive account and resource.
void add_inactive_findings(const RuleSet& rules, const UsageByAccountResource& inactive, std::vector<Finding>& out);

class RatingFindings {
public:
    explicit RatingFindings(const RuleSet& rules) : rules_(rules) {}
    void on_reject(const RejectRow& r);

    // Adds what was found to `v`, in file order with its other findings.
    void add_to(Validation& v, const std::vector<std::string>& files);

private:
    Decimal billed_cost(const RejectRow& r);

    const RuleSet& rules_;
    std::vector<Finding> found_;
    FindingLimit limit_;  // of each check's findings in each feed
    std::map<std::string, int> billed_column_;  // file -> BilledCost column
    std::string field_;
};

// Puts findings in file order (the feeds' order, then line), month-wide findings last.
void order_findings(Validation& v, const std::vector<std::string>& files);

// Rates the feeds without writing anything, for RatingFindings. A feed missing a column the
// rules need cannot be rated: that becomes a missing-column finding.
void add_rating_findings(const RuleSet& rules, const std::vector<std::string>& usage, Validation& v);

// `ratebook validate`: every check in one pass, the feed checks watching a rating pass that
// writes nothing (on `rating.threads` threads). When the rules cannot rate a feed (a missing
// column), the checks run over their own reader instead and the missing column is a finding.
Validation validate_month(const RuleSet& rules, const std::vector<std::string>& usage, const ValidateOptions& options,
                          RateOptions rating = {});

// Writes report.txt, findings.csv and findings.json into the folder.
class OutputFolder;
void write_validation(OutputFolder& out, const Validation& v, const std::vector<std::string>& accepted = {});
// The readable report alone (report.txt), grouped by check, errors first.
std::string validation_report(const Validation& v, const std::vector<std::string>& accepted = {});

// Check ids that have at least one error finding, sorted.
std::vector<std::string> error_checks(const Validation& v);

}  // namespace ratebook
