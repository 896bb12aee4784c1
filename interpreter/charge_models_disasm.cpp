// The disassembly lines of the month-level charge models (blocks, baseline, fee): they are
// part of the content hash, so a changed block price or fee gives a different hash.
#include <fmt/format.h>

#include "interpreter/disasm.hpp"
#include "interpreter/ruleset.hpp"

namespace ratebook {

std::string describe_charge_models(const CompiledRate& r, const std::string& currency) {
    auto money = [&](const Decimal& d) { return format_constant(Type::money, Value::of(d), currency); };
    std::string out;
    if (r.blocks)
        out += fmt::format("  blocks of {} at {} (per account, on the month's volume), partial {}\n",
                           r.blocks->size.to_plain_string(), money(r.blocks->price),
                           r.blocks->partial == BlockPricing::Partial::round_up ? "up" : "prorated");
    if (r.baseline) {
        out += fmt::format("  baseline {} deadband {} (per account, on the month's volume)",
                           r.baseline->baseline.to_plain_string(), r.baseline->deadband.to_plain_string());
        if (r.baseline->base_charge) out += fmt::format("  base charge {}", money(*r.baseline->base_charge));
        if (r.baseline->arc_rate) out += fmt::format("  arc {}", money(*r.baseline->arc_rate));
        if (r.baseline->rrc_rate) out += fmt::format("  rrc {}", money(*r.baseline->rrc_rate));
        if (!r.baseline->table.empty())
            out += fmt::format("  per-account baselines from table {} ({} rows)", r.baseline->table,
                               r.baseline->per_account.size());
        out += "\n";
    }
    if (r.fee)
        out += fmt::format("  fee {} per account monthly{}, ru \"{}\", unit \"{}\"\n", money(r.fee->amount),
                           r.fee->prorate ? ", prorated by days" : "", r.fee->ru, r.fee->unit);
    return out;
}

}  // namespace ratebook
