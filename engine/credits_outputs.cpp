// The files `ratebook credits` writes: credits.csv, claims.csv (with --claims),
// summary.json and summary.txt. Text cells go through csv_field (formula-injection protection).
#include <fmt/format.h>

#include <map>
#include <set>

#include "engine/credits.hpp"
#include "engine/outputs.hpp"
#include "interpreter/disasm.hpp"

namespace ratebook {
namespace {

std::string money(const RuleSet& rules, const Decimal& d) { return d.rounded(rules.config.rounding_places).to_string(); }

}  // namespace

void write_credits_csv(std::ostream& out, const RuleSet& rules, const CreditRun& run) {
    out << "account,service,period,sla,kind,measured,tier,percent,base_charges,credit,status,evidence,rule_location\n";
    for (const auto& l : run.lines)
        out << csv_field(l.account) << ',' << csv_field(l.service) << ',' << l.period << ',' << csv_field(l.sla) << ','
            << l.kind << ',' << csv_field(l.measured) << ',' << csv_field(l.tier) << ','
            << (l.percent ? percent_text(*l.percent) : std::string()) << ',' << money(rules, l.base) << ','
            << money(rules, l.credit) << ',' << csv_field(l.status) << ',' << csv_field(l.evidence) << ','
            << csv_field(l.location) << '\n';
}

void write_claims_csv(std::ostream& out, const RuleSet& rules, const CreditRun& run) {
    out << "claim_id,account,service,period,claimed,evidence,filed,decision,reason,credit,detail,provider_measured,rule_location,line\n";
    for (const auto& d : run.decisions) {
        const Claim& c = *d.claim;
        out << csv_field(c.id) << ',' << csv_field(c.account) << ',' << csv_field(c.service) << ',' << c.period << ','
            << csv_field(c.claimed) << ',' << csv_field(c.evidence) << ',' << c.filed << ','
            << (d.approved ? "approved" : "denied") << ',' << csv_field(d.approved ? "" : d.reason) << ','
            << money(rules, d.credit) << ',' << csv_field(d.detail) << ',' << csv_field(d.measured) << ','
            << csv_field(d.location) << ',' << c.line << '\n';
    }
}

namespace {

struct ClaimCounts {
    size_t approved = 0;
    Decimal credit;
    std::map<std::string, size_t> denied;  // by reason
};

ClaimCounts count_claims(const CreditRun& run) {
    ClaimCounts n;
    for (const auto& d : run.decisions) {
        if (d.approved) ++n.approved, n.credit += d.credit;
        else ++n.denied[d.reason];
    }
    return n;
}

size_t accounts_credited(const CreditRun& run) {
    std::set<std::string> a;
    for (const auto& l : run.lines)
        if (l.credit.sign() != 0) a.insert(l.account);
    return a.size();
}

}  // namespace

void write_credits_summary_json(std::ostream& out, const RuleSet& rules, const CreditInputs& in, const CreditRun& run) {
    out << "{\n";
    out << fmt::format("  \"ruleset\": {{\"name\": {}, \"fiscal_year\": {}, \"currency\": {}, \"content_hash\": {}}},\n",
                       json_string(rules.config.name), rules.config.fiscal_year, json_string(rules.config.currency),
                       json_string(rules.content_hash));
    out << fmt::format("  \"period\": {},\n", json_string(run.period));
    out << fmt::format("  \"charges\": {{\"file\": {}, \"lines\": {}, \"covered_by_sla_rules\": {}, \"not_covered\": {}}},\n",
                       json_string(in.charges_path), in.charges.size(), run.charges_covered,
                       in.charges.size() - run.charges_covered);
    out << fmt::format("  \"metrics\": {{\"file\": {}, \"rows\": {}, \"used\": {}, \"other_months\": {}, \"measuring_no_rule\": {}}},\n",
                       json_string(in.metrics_path), in.metrics.size(), run.metrics_used, run.metrics_other_month,
                       run.metrics_no_rule);
    out << "  \"sla_rules\": [";
    for (size_t i = 0; i < run.outcomes.size(); ++i) {
        const auto& o = run.outcomes[i];
        out << (i ? ",\n" : "\n")
            << fmt::format("    {{\"sla\": {}, \"rule_location\": {}, \"status\": {}, \"measured\": {}, \"evidence\": {}}}",
                           json_string(o.sla), json_string(o.location), json_string(o.status), json_string(o.measured),
                           json_string(o.evidence));
    }
    out << (run.outcomes.empty() ? "],\n" : "\n  ],\n");
    out << fmt::format("  \"credits\": {{\"lines\": {}, \"accounts\": {}, \"total\": {}}}", run.lines.size(),
                       accounts_credited(run), json_string(money(rules, run.total())));
    if (!in.claims_path.empty()) {
        ClaimCounts n = count_claims(run);
        out << fmt::format(",\n  \"claims\": {{\"file\": {}, \"rows\": {}, \"approved\": {}, \"approved_credit\": {}, \"denied\": {{",
                           json_string(in.claims_path), run.decisions.size(), n.approved, json_string(money(rules, n.credit)));
        bool first = true;
        for (const auto& [reason, count] : n.denied) {
            out << (first ? "" : ", ") << fmt::format("{}: {}", json_string(reason), count);
            first = false;
        }
        out << "}}";
    }
    out << "\n}\n";
}

std::string credits_summary_text(const RuleSet& rules, const CreditInputs& in, const CreditRun& run) {
    std::string s = fmt::format("rule set: {} (fiscal year {}, hash {})\n", rules.config.name, rules.config.fiscal_year,
                                rules.content_hash.substr(0, 12));
    s += fmt::format("period:   {}\n", run.period);
    s += fmt::format("charges:  {} lines, {} covered by sla rules\n", in.charges.size(), run.charges_covered);
    s += fmt::format("metrics:  {} rows = {} used + {} other months + {} measuring no rule\n", in.metrics.size(),
                     run.metrics_used, run.metrics_other_month, run.metrics_no_rule);
    for (const auto& o : run.outcomes)
        s += fmt::format("  {:<15} {} ({}){}\n", o.status, o.sla, o.location,
                         o.measured.empty() ? "" : ": measured " + o.measured);
    s += fmt::format("credits:  {} {} on {} lines for {} accounts\n", group_thousands(run.total().rounded(rules.config.rounding_places)),
                     rules.config.currency, run.lines.size(), accounts_credited(run));
    if (!in.claims_path.empty()) {
        ClaimCounts n = count_claims(run);
        s += fmt::format("claims:   {} = {} approved ({} {}) + {} denied\n", run.decisions.size(), n.approved,
                         group_thousands(n.credit.rounded(rules.config.rounding_places)), rules.config.currency,
                         run.decisions.size() - n.approved);
        for (const auto& [reason, count] : n.denied) s += fmt::format("  {:>5}  denied: {}\n", count, reason);
    }
    return s;
}

}  // namespace ratebook
