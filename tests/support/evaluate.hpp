// Test helper: compile and run one expression against a small fixed record, the way a rule's
// clause would run. Returns the value as text, or the first diagnostic's code and message.
#pragma once
#include <string>

namespace ratebook::testing {

struct Evaluation {
    std::string value;  // e.g. "$21.00", "4.2", "40%", "true", "\"abc\"" (empty on error)
    std::string type;   // "Money", ...
    std::string code;   // first error code, e.g. "E0202" (empty on success)
    std::string message;
};

// The record: BilledCost $12.00, EffectiveCost empty, PricingQuantity 1000,
// ServiceName "Compute", ChargePeriodStart 2026-10-05, tag cost-center = CC-0001.
// `prelude` is rule text compiled first (consts).
Evaluation evaluate(const std::string& expression, const std::string& prelude = {});

}  // namespace ratebook::testing
