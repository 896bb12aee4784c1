// The usual Tags value, {"cost-center":"CC-0001","env":"prod"}: text keys and values without
// escapes, read as views into the field with no copy (rating reads a month's Tags this way, and
// validation checks them this way). Returns false for anything else (escapes, numbers,
// true/false/null, errors): parse_tags (engine/focus_values.hpp) then decides, with its exact
// messages. Accepts exactly what parse_tags accepts for such input, with the same result (a
// duplicate key: the last value, at the first position).
#pragma once
#include <string_view>
#include <vector>

#include "interpreter/vm.hpp"

namespace ratebook {

bool parse_plain_tags(std::string_view json, std::vector<Tag>& out);

}  // namespace ratebook
