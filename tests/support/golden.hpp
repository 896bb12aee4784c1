// Golden files: compare produced text with a reviewed file; with RATEBOOK_UPDATE_GOLDEN=1 in
// the environment, rewrite the file instead (then review the diff before committing).
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace ratebook::testing {

std::string source_dir();  // the repository root
std::string read_text(const std::filesystem::path& p);
void write_text(const std::filesystem::path& p, const std::string& text);
// Checks `actual` against the file (or rewrites it in update mode).
void check_golden(const std::filesystem::path& expected_file, const std::string& actual);
// Entries of `dir` (files or folders) whose name ends with `suffix`, sorted.
std::vector<std::filesystem::path> entries_ending(const std::filesystem::path& dir, const std::string& suffix);

}  // namespace ratebook::testing
