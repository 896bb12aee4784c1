// The feed columns rules may read, named as the FOCUS specification names them, with the type
// a rule sees. Money columns are in the billing currency; dates are the UTC calendar day of
// the timestamp. Tags is read through tag("key"), never directly.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "interpreter/types.hpp"

namespace ratebook {

struct ColumnInfo {
    std::string_view name;
    Type type;
};

const std::vector<ColumnInfo>& focus_columns();
std::optional<ColumnInfo> find_column(std::string_view name);
std::vector<std::string> focus_column_names();

}  // namespace ratebook
