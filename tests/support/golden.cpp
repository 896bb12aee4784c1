#include "tests/support/golden.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace ratebook::testing {

std::string source_dir() { return RATEBOOK_SOURCE_DIR; }

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_text(const std::filesystem::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
}

void check_golden(const std::filesystem::path& expected_file, const std::string& actual) {
    const char* update = std::getenv("RATEBOOK_UPDATE_GOLDEN");
    if (update && std::string(update) == "1") {
        write_text(expected_file, actual);
        return;
    }
    INFO("golden file: ", expected_file.string(), " (RATEBOOK_UPDATE_GOLDEN=1 rewrites it)");
    REQUIRE(std::filesystem::exists(expected_file));
    CHECK(read_text(expected_file) == actual);
}

std::vector<std::filesystem::path> entries_ending(const std::filesystem::path& dir, const std::string& suffix) {
    std::vector<std::filesystem::path> out;
    if (!std::filesystem::exists(dir)) return out;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        std::string name = e.path().filename().string();
        if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
            out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace ratebook::testing
