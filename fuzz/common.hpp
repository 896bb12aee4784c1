// Shared helpers for the libFuzzer targets: a per-process scratch file for targets that drive
// file-based APIs (CsvReader, rate_feeds).
#pragma once
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

namespace ratebook::fuzz {

// A file under $TMPDIR named for this process (fuzzers may run side by side); rewritten on
// every call.
inline const std::string& scratch_path(const char* suffix) {
    static const std::string path = (std::filesystem::temp_directory_path() /
                                     ("ratebook_fuzz_" + std::to_string(::getpid()) + suffix))
                                        .string();
    return path;
}

inline void write_file(const std::string& path, std::string_view data) {
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::abort();
    if (!data.empty() && std::fwrite(data.data(), 1, data.size(), f) != data.size()) std::abort();
    std::fclose(f);
}

}  // namespace ratebook::fuzz
