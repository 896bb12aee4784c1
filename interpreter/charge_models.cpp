// The arithmetic of the month-level charge models declared in ruleset.hpp: package blocks,
// baseline ARC/RRC units, and the account master's active dates. Kept apart from the engine
// so tests can check the formulas on their own.
#include <algorithm>

#include "interpreter/ruleset.hpp"

namespace ratebook {

Decimal BlockPricing::charge_for(const Decimal& volume) const {
    // Net credits can take a month's volume to zero or below: no block is sold then.
    if (volume.sign() <= 0) return Decimal();
    if (partial == Partial::prorated) return volume * price / size;  // exact to 18 places
    // A part block is a whole block: 1,001 requests at 1,000 a block are 2 blocks.
    Decimal blocks = (volume / size).rounded(0, RoundingMode::ceiling);
    return blocks * price;
}

Decimal BaselineAdjustment::arc_units(const Decimal& volume, const Decimal& base) const {
    return std::max(Decimal(), volume - base - deadband);
}

Decimal BaselineAdjustment::rrc_units(const Decimal& volume, const Decimal& base) const {
    return std::max(Decimal(), base - volume - deadband);
}

const Decimal& BaselineAdjustment::baseline_for(const std::string& account, const std::string& ru) const {
    if (per_account.empty()) return baseline;
    auto it = per_account.find(table_has_ru ? account + '\x1f' + ru : account);
    return it == per_account.end() ? baseline : it->second;
}

std::optional<bool> AccountMaster::active_on(std::string_view code, int32_t day) const {
    auto it = by_code.find(std::string(code));
    if (it == by_code.end()) return std::nullopt;
    for (uint32_t p : it->second)
        if (periods[p].covers(day)) return true;
    return false;
}

}  // namespace ratebook
