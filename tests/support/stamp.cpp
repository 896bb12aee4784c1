#include "tests/support/stamp.hpp"

#include <regex>

namespace ratebook::testing {

std::string without_commit(const std::string& text) {
    static const std::regex cell("@[0-9a-f]{12}(\\+dirty)?"), commit("\"commit\": (\"[0-9a-f]{40}\"|null)"),
        dirty("\"dirty\": (true|false)"), not_in_git(" \\(not in git\\)");
    std::string out = std::regex_replace(text, cell, "@COMMIT");
    out = std::regex_replace(out, not_in_git, "@COMMIT");
    out = std::regex_replace(out, commit, "\"commit\": \"COMMIT\"");
    return std::regex_replace(out, dirty, "\"dirty\": DIRTY");
}

}  // namespace ratebook::testing
