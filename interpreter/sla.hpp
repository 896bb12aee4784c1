// The compiled form of `sla` rules (interpreter/compile_sla.cpp): service credits owed when a
// measured service level misses, as the engine's `ratebook credits` applies them
// (engine/credits.cpp). docs/language.md, "SLA credit rules", is the author's reference.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/source.hpp"
#include "interpreter/decimal.hpp"

namespace ratebook {

// A condition over the text fields of a row (a charge line, or a row of the SLA metrics file):
// `service == "Amazon Elastic Compute Cloud" and account != "99999-SUSPENSE"`. Only equality,
// lists, `and`, `or` and `not` over text, so it is kept as a small tree, not bytecode.
struct TextMatch {
    enum class Kind : uint8_t { always, eq, ne, in, not_in, and_, or_, not_ };
    Kind kind = Kind::always;
    uint8_t field = 0;                // index into the field list the match was compiled for
    std::vector<std::string> values;  // eq, ne: one; in, not_in: the list
    std::vector<TextMatch> parts;     // and_, or_: two; not_: one

    bool matches(const std::vector<std::string_view>& fields) const;
};

// The fields a `charges` match may name (in this order on a charge line) ...
const std::vector<std::string>& sla_charge_fields();
// ... and those a `measure` match may name (a row of the SLA metrics file).
const std::vector<std::string>& sla_metric_fields();

// One credit tier: a measured level strictly below `below` earns `credit` of the charges.
// Both are fractions (99.0% is 0.99). "At least 99.0%" does not reach a `below 99.0%` tier.
struct SlaTier {
    Decimal below;
    Decimal credit;
    Span span;
};

struct CompiledSla {
    std::string name;
    Span kind_span;
    Span name_span;
    TextMatch measure;          // which rows of the metrics file measure this service level
    std::string measure_text;   // the author's words, for messages and the content hash
    TextMatch charges;          // which charge lines the credit is a percentage of
    std::string charges_text;
    // Cloud form: tiers by descending threshold; the lowest threshold the level is below wins.
    std::vector<SlaTier> tiers;
    // Outsourcing form: a level below `target` is a default, and
    // credit = pool_allocation x credit_allocation x (at_risk x the month's charges).
    std::optional<Decimal> target;
    std::optional<Decimal> pool_allocation;
    std::optional<Decimal> credit_allocation;
    // Caps. at_risk: the credits of one pool for one account in a month, summed, are capped at
    // at_risk x that account's charges. cap: each credit line is capped at cap_percent of its
    // charges and at cap_amount.
    std::optional<Decimal> at_risk;
    std::optional<Decimal> cap_percent;
    std::optional<Decimal> cap_amount;
    std::optional<Decimal> minimum;      // a credit line below this is not issued
    std::optional<int> claim_window;     // billing cycles after the month to file a claim
    std::string pool;                    // rules with one pool share the at-risk cap; default: the rule's name
    std::string description;

    bool outsourcing() const { return target.has_value(); }
    // "rules/FY2027/sla.rules:12": where credit lines say they come from.
    std::string location() const;
};

// The canonical text of an sla rule for the rule set's content hash (no source positions).
std::string sla_canonical(const CompiledSla& s);

}  // namespace ratebook
