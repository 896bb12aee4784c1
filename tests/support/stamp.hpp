// Outputs carry the rule set's git commit and whether its folder was edited (issue 7). Both
// change with every commit of this repository, so reviewed golden files hold placeholders.
#pragma once
#include <string>

namespace ratebook::testing {

// "@1c54a840c7e0+dirty" -> "@COMMIT", "\"commit\": \"<40 hex>\"" -> "\"commit\": \"COMMIT\"",
// "\"dirty\": true" -> "\"dirty\": DIRTY". Text without a stamp is unchanged.
std::string without_commit(const std::string& text);

}  // namespace ratebook::testing
