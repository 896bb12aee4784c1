// Service credits (`ratebook credits`): the month's charge lines (charges.csv from `ratebook
// rate`), the SLA metrics file and, optionally, customers' claims, evaluated against the rule
// set's `sla` rules. Reading the inputs: credits_inputs.cpp; the arithmetic: credits.cpp;
// the output files: credits_outputs.cpp. The rules' meaning is in docs/language.md ("SLA credit
// rules"); every amount is an exact decimal, rounded once per credit line.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "grammar/diagnostic.hpp"
#include "interpreter/ruleset.hpp"

namespace ratebook {

// An input cannot be used (E0450-E0454): the run writes nothing and exits 2.
struct CreditsInputError {
    Diagnostic diagnostic;
};

// One line of charges.csv (as `ratebook rate` wrote it); fields in the order of sla_charge_fields().
struct CreditBaseLine {
    std::vector<std::string> fields;
    Decimal charge;
    uint64_t line = 0;
    const std::string& account() const { return fields[0]; }
    const std::string& service() const { return fields[3]; }
};

// One row of the SLA metrics file.
struct Measurement {
    std::string provider, service, metric, month, evidence;
    std::string value_text;  // as written: "99.95%"
    Decimal level;           // a fraction: 99.95% is 0.9995
    uint64_t line = 0;
};

// One row of the claims file.
struct Claim {
    std::string id, account, service, period, claimed, evidence, filed;
    Decimal level;        // the claimed level (an outage is turned into the month's uptime)
    int32_t filed_days = 0;  // days since 1970-01-01
    uint64_t line = 0;
};

struct CreditInputs {
    std::string charges_path, metrics_path, claims_path;
    std::vector<CreditBaseLine> charges;
    std::vector<Measurement> metrics;
    std::vector<Claim> claims;
};

// Reads the files (claims_path may be empty). Throws CreditsInputError naming file:line.
CreditInputs read_credit_inputs(const std::string& charges_path, const std::string& metrics_path,
                                const std::string& claims_path);
// The month the charges are for: `month` when given (YYYY-MM), else the one month of the
// metrics rows. Throws CreditsInputError (E0453) when neither settles it.
std::string credit_period(const CreditInputs& in, const std::optional<std::string>& month);

// One line of credits.csv. kind "credit": one sla rule's credit on one account's charges for
// one service; kind "pool cap": the reduction that brings a pool's summed credits for one
// account down to its at-risk amount (negative).
struct CreditLine {
    std::string account, service, period, sla, pool, kind, measured, tier, status, evidence, location;
    std::optional<Decimal> percent;  // a fraction; none on a pool cap line
    Decimal base;                    // the charges the credit is on
    Decimal credit;                  // rounded per the rule set; what is owed
    size_t rule = 0;                 // index into RuleSet::slas
};

// How each sla rule fared in the month.
struct RuleOutcome {
    std::string sla, location, measured, evidence, status;  // status: default, met, no measurement
    uint64_t metrics_line = 0;
};

struct ClaimDecision {
    const Claim* claim = nullptr;
    bool approved = false;
    std::string reason;  // denied: below no tier, filed after the window, no matching charges,
                         // under the minimum credit
    std::string detail;  // in plain words, with the numbers
    std::string tier, measured, location;
    Decimal credit;
};

struct CreditRun {
    std::string period;
    std::vector<CreditLine> lines;
    std::vector<RuleOutcome> outcomes;
    std::vector<ClaimDecision> decisions;
    size_t charges_covered = 0;       // charge lines some sla rule's `charges` matches
    size_t metrics_used = 0;          // rows that measure a rule in the month
    size_t metrics_other_month = 0;   // rows for other months
    size_t metrics_no_rule = 0;       // rows of the month no rule measures
    Decimal total() const;
};

// Evaluates every sla rule on the month's measurements, then every claim. Throws
// CreditsInputError (E0452) when two rows measure one rule in the month.
CreditRun compute_credits(const RuleSet& rules, const CreditInputs& in, const std::string& period);

void write_credits_csv(std::ostream& out, const RuleSet& rules, const CreditRun& run);
void write_claims_csv(std::ostream& out, const RuleSet& rules, const CreditRun& run);
void write_credits_summary_json(std::ostream& out, const RuleSet& rules, const CreditInputs& in, const CreditRun& run);
// The short text summary, also printed by the command.
std::string credits_summary_text(const RuleSet& rules, const CreditInputs& in, const CreditRun& run);

}  // namespace ratebook
