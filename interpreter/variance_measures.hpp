// What a `variance` rule can read: one group of charge lines compared across two months. The
// first names are the grouping keys (columns of charges.csv), the rest the group's measures.
// A rule's bytecode loads them by position in this list (its slot numbers), so the engine
// fills a Record in exactly this order.
#pragma once
#include <cstddef>
#include <string_view>
#include <vector>

#include "interpreter/columns.hpp"

namespace ratebook {

// account, ru, service, product, component, unit: the keys a `by` clause may name.
inline constexpr size_t variance_key_count = 6;

enum class VarianceMeasure : size_t {
    current_charge = variance_key_count,
    prior_charge,
    charge_change,
    charge_change_pct,
    current_volume,
    prior_volume,
    volume_change,
    volume_change_pct,
    is_new,
    is_dropped,
};

const std::vector<ColumnInfo>& variance_names();
inline bool is_variance_key(size_t slot) { return slot < variance_key_count; }
// Position of a name in variance_names(), or -1.
int variance_slot(std::string_view name);

}  // namespace ratebook
