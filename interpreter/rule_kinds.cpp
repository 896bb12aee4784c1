#include "interpreter/rule_kinds.hpp"

#include <array>

namespace ratebook {

namespace {
const std::array<RuleKind, 3> kinds = {{
    {"rate", "prices the usage records its match selects", compile_rate},
    {"account", "maps each record to the customer account that pays for it", compile_account},
    {"check", "reports the records its condition holds on, before anything is billed", compile_check},
}};
}  // namespace

std::span<const RuleKind> rule_kinds() { return kinds; }

const RuleKind* find_rule_kind(std::string_view name) {
    for (const auto& k : kinds)
        if (k.name == name) return &k;
    return nullptr;
}

}  // namespace ratebook
