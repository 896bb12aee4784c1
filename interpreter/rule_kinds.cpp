#include "interpreter/rule_kinds.hpp"

namespace ratebook {

namespace {
// One row per kind of rule block.
const RuleKind kinds[] = {
    {"rate", "prices the usage records its match selects", compile_rate},
    {"account", "maps each record to the customer account that pays for it", compile_account},
    {"fee", "charges every active account a flat monthly fee, prorated by days if asked", compile_fee},
    {"allocate", "spreads a shared pool over accounts after monthly pricing", compile_allocate},
    {"sla", "service credits owed when a measured service level misses its tiers", compile_sla},
    {"variance", "flags the month-over-month changes that need an explanation", compile_variance, finish_variance},
    {"check", "reports the records its condition holds on, before anything is billed", compile_check},
    {"drilldown", "defines every rate's service, product and component, unless the rate does", compile_drilldown, finish_drilldown},
    {"schedule", "a named tier shape (percentages of a base price) that rates use as tiers \"NAME\" at PRICE", compile_schedule, finish_schedule},
};
}  // namespace

std::span<const RuleKind> rule_kinds() { return kinds; }

const RuleKind* find_rule_kind(std::string_view name) {
    for (const auto& k : kinds)
        if (k.name == name) return &k;
    return nullptr;
}

}  // namespace ratebook
