// Month-over-month variance: two months of charge lines (the charges.csv `ratebook rate`
// writes) compared line by line, summed into the groups of the rule set's default `variance`
// rule, each group flagged or not by its variance rule, and every change split into parts that
// add up exactly:
//
//   change = volume effect + rate effect + new lines - dropped lines
//
// per charge line (account, ru, service, product, component and unit all equal), with
//   volume effect = (AQ - BQ) x BP, BP = BA / BQ, rounded to the rule set's places and mode
//   rate effect   = (AA - BA) - volume effect   (the remainder, so the two add up to the cent;
//                   it is (AP - BP) x AQ to within half a cent, AP = AA / AQ)
//   new lines     = AA of a line billed this month only; dropped lines = BA of a line billed
//                   last month only
// where A is the current month, B the prior, Q the volume and A/B-A the charge. A line whose
// prior volume is zero has no prior unit price: its whole change is rate effect. Groups and the
// total are sums of their lines' parts, so they reconcile too.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/csv_reader.hpp"
#include "interpreter/ruleset.hpp"
#include "interpreter/variance_measures.hpp"

namespace ratebook {

// A charges file that cannot be compared (missing column, malformed number or row, a variance
// rule that fails on a group). what() is the whole message; the parts are kept for tests.
class VarianceInputError : public FeedError {
public:
    VarianceInputError(std::string code_, std::string where_, std::string message_, std::string help_);
    std::string code, where, message, help;
};

struct BilledLine {
    std::array<std::string, variance_key_count> keys;  // account, ru, service, product, component, unit
    Decimal volume, charge;
    uint64_t line = 0;  // in its file
};

struct MonthCharges {
    std::string path;
    std::vector<BilledLine> lines;
};

// Reads a charges.csv; throws VarianceInputError naming file:line on anything it cannot use.
MonthCharges read_charges(const std::string& path);

struct Amounts {
    Decimal volume, charge;
};

struct Decomposition {
    Decimal volume_effect, rate_effect, new_lines, dropped_lines;
    // What the parts add up to: the change in charges.
    Decimal total() const { return volume_effect + rate_effect + new_lines - dropped_lines; }
    Decomposition& operator+=(const Decomposition& o);
};

// One charge line's change; `prior` or `current` absent when the line was not billed that month.
Decomposition decompose_line(const std::optional<Amounts>& prior, const std::optional<Amounts>& current,
                             int places, RoundingMode mode);

struct GroupVariance {
    std::vector<std::string> key_values;  // in the order of the default rule's `by`
    Amounts prior, current;               // volumes summed across units: see `units`
    std::vector<std::string> units;       // distinct units of its lines, sorted
    size_t prior_lines = 0, current_lines = 0;
    Decomposition parts;
    bool flagged = false;
    const CompiledVariance* rule = nullptr;  // the rule that decided (an override or the default)

    Decimal change() const { return current.charge - prior.charge; }
    bool is_new() const { return prior_lines == 0; }
    bool is_dropped() const { return current_lines == 0; }
};

struct CustomerChange {
    std::string account;
    Decimal prior, current;
    Decimal change() const { return current - prior; }
};

struct VarianceReport {
    const CompiledVariance* default_rule = nullptr;
    std::string prior_path, current_path;
    size_t prior_lines = 0, current_lines = 0, lines_compared = 0;
    Decimal prior_total, current_total;
    Decomposition total;
    std::vector<GroupVariance> groups;      // by key values
    std::vector<CustomerChange> customers;  // largest absolute change first, ties by account
    size_t flagged = 0;
};

// The percentage change a rule sees: change / |base| as a fraction; from a zero base, +-100%
// for any change (0% for none), so that "up from nothing" passes a percent threshold.
Decimal percent_change(const Decimal& base, const Decimal& now);

// Throws VarianceInputError (E0360 when the rule set has no default variance rule, E0443 when
// a rule's condition fails on a group).
VarianceReport compare_months(const RuleSet& rules, const MonthCharges& prior, const MonthCharges& current);

// Outputs (engine/variance_report.cpp).
std::string explain_group(const RuleSet& rules, const GroupVariance& g);
void write_variance_csv(std::ostream& out, const RuleSet& rules, const VarianceReport& r);
void write_variance_json(std::ostream& out, const RuleSet& rules, const VarianceReport& r);
void write_variance_text(std::ostream& out, const RuleSet& rules, const VarianceReport& r);

}  // namespace ratebook
