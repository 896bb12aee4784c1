// Parallel rating gives byte-identical outputs whatever the thread count and wherever the
// chunk boundaries fall. The feed is the sample month made hostile to splitting: quoted fields
// holding line breaks (some that look like blank lines or CRLF), blank lines between records,
// CRLF records, escaped and non-text tags, malformed rows, and rejects spread through the file.
// Tiny chunks (RATEBOOK_CHUNK_BYTES) put chunk guesses inside quoted fields and blank runs.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "tests/support/golden.hpp"

using namespace ratebook::testing;
namespace fs = std::filesystem;

namespace {

fs::path work_dir() {
    fs::path p = fs::temp_directory_path() / ("ratebook_threads_test_" + std::to_string(::getpid()));
    fs::create_directories(p);
    return p;
}

// Replaces the first field of a CSV line (BillingAccountId, unused by the rules).
std::string with_first_field(const std::string& line, const std::string& field) {
    return field + line.substr(line.find(','));
}

std::string hostile_feed() {
    std::istringstream in(read_text(fs::path(source_dir()) / "samples/2026-10/usage.csv"));
    std::string line, out;
    std::getline(in, line);
    out += line + "\n";
    for (int n = 0; std::getline(in, line); ++n) {
        if (n % 37 == 5) line = with_first_field(line, "\"multi\nline\"");
        if (n % 53 == 7) line = with_first_field(line, "\"looks\n\nlike a blank line\r\n\"");
        if (n % 61 == 11) line = with_first_field(line, "\"a \"\"quoted\"\"\nvalue\"");
        if (n % 71 == 13) line = line.substr(0, line.rfind(",\"{")) + R"(,"{""cost-center"":""CC\u002d0001"",""n"":1.5}")";
        if (n % 89 == 17) line = line.substr(0, line.rfind(",\"{")) + R"(,"{""cost-center"":")";  // bad tags
        if (n % 97 == 19) line = line.substr(0, line.find(','));  // too few fields
        if (n % 113 == 29) line = line.substr(0, line.rfind(',')) + ",x\"";  // a comma inside the tags: malformed
        if (n % 101 == 23) line = "ab\"c" + line.substr(line.find(','));  // quote inside a plain field
        out += line;
        out += n % 41 == 3 ? "\r\n" : "\n";
        if (n % 43 == 9) out += "\n\r\n";  // blank lines between records
    }
    return out;
}

std::string rate(const fs::path& feed, const std::string& name, int threads, long chunk_bytes) {
    fs::path out = work_dir() / name;
    fs::remove_all(out);
    std::string cmd = "cd '" + source_dir() + "' && RATEBOOK_CHUNK_BYTES=" + std::to_string(chunk_bytes) + " '" +
                      RATEBOOK_BINARY + "' rate --rules rules/FY2027 --usage '" + feed.string() + "' --out '" +
                      out.string() + "' --threads " + std::to_string(threads) + " --quiet > '" +
                      (work_dir() / (name + ".log")).string() + "' 2>&1";
    int raw = std::system(cmd.c_str());
    CHECK_MESSAGE((WIFEXITED(raw) && WEXITSTATUS(raw) == 0), "rate failed: " << name);
    return out.string();
}

void check_same(const std::string& a, const std::string& b) {
    for (const char* f : {"charges.csv", "rejects.csv", "summary.json"}) {
        INFO(a << " vs " << b << ": " << f);
        CHECK(read_text(fs::path(a) / f) == read_text(fs::path(b) / f));
    }
}

}  // namespace

TEST_CASE("outputs are byte-identical for 1 and 2 threads and any chunk size") {
    fs::path feed = work_dir() / "hostile.csv";
    {
        std::ofstream f(feed, std::ios::binary);
        f << hostile_feed();
    }
    const std::string reference = rate(feed, "t1", 1, 0);  // one reader: the file is one chunk
    const std::string rejects = read_text(fs::path(reference) / "rejects.csv");
    // The feed really is hostile: rejects of several kinds, all through the file.
    CHECK(rejects.find("expected 33 fields") != std::string::npos);
    CHECK(rejects.find("invalid tags") != std::string::npos);
    CHECK(rejects.find(",3001,") == std::string::npos);  // line numbers moved by the inner line breaks
    size_t count = 0;
    for (char c : rejects) count += c == '\n';
    CHECK(count > 60);

    for (long chunk : {1L, 97L, 1000L, 4096L, 65536L}) {
        CAPTURE(chunk);
        check_same(reference, rate(feed, "t2_" + std::to_string(chunk), 2, chunk));
        check_same(reference, rate(feed, "t1_" + std::to_string(chunk), 1, chunk));
    }
}

TEST_CASE("the sample month rates the same on 1 and 2 threads") {
    fs::path feed = fs::path(source_dir()) / "samples/2026-10/usage.csv";
    const std::string one = rate(feed, "s1", 1, 0);
    check_same(one, rate(feed, "s2", 2, 500));
    check_same(one, rate(feed, "s2d", 2, 0));
}
