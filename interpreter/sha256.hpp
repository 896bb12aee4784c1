// SHA-256, for the rule set's content hash (a stamp on every output; see docs/ruleset.md).
#pragma once
#include <string>
#include <string_view>

namespace ratebook {
std::string sha256_hex(std::string_view data);
}
