#include "interpreter/variance_measures.hpp"

namespace ratebook {

const std::vector<ColumnInfo>& variance_names() {
    static const std::vector<ColumnInfo> names = {
        {"account", Type::text},          {"ru", Type::text},
        {"service", Type::text},          {"product", Type::text},
        {"component", Type::text},        {"unit", Type::text},
        {"current_charge", Type::money},  {"prior_charge", Type::money},
        {"charge_change", Type::money},   {"charge_change_pct", Type::percent},
        {"current_volume", Type::quantity}, {"prior_volume", Type::quantity},
        {"volume_change", Type::quantity},  {"volume_change_pct", Type::percent},
        {"is_new", Type::boolean},        {"is_dropped", Type::boolean},
    };
    return names;
}

int variance_slot(std::string_view name) {
    const auto& names = variance_names();
    for (size_t i = 0; i < names.size(); ++i)
        if (names[i].name == name) return static_cast<int>(i);
    return -1;
}

}  // namespace ratebook
