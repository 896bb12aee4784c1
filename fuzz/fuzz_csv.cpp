// Fuzz target: the streaming CSV/FOCUS reader and the FOCUS value parsers. The bytes are a feed
// file (plain, or gzip when they start with the gzip magic); the first byte also picks a small
// read block size and field limit so block ends and oversized-field paths are hit constantly.
// Every field is then run through is_null, parse_number, parse_timestamp and parse_tags.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/csv_reader.hpp"
#include "engine/focus_values.hpp"
#include "fuzz/common.hpp"

using namespace ratebook;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1 || size > 256 * 1024) return 0;
    const size_t block = 1 + (data[0] & 0x3f);             // 1..64 bytes per read
    const size_t max_field = 8 + ((data[0] >> 6) * 40);    // 8, 48, 88, 128 bytes
    std::string_view feed(reinterpret_cast<const char*>(data) + 1, size - 1);
    const std::string& path = fuzz::scratch_path(".csv");
    fuzz::write_file(path, feed);

    std::vector<std::pair<std::string, std::string>> tags;
    try {
        CsvReader reader(path, max_field, block);
        const size_t columns = reader.header().size();
        CsvRecord rec;
        uint64_t last_line = 0;
        while (reader.next(rec)) {
            if (rec.line <= last_line) __builtin_trap();  // lines only move forward
            last_line = rec.line;
            if (!rec.error.empty()) continue;
            if (rec.fields.size() != columns) __builtin_trap();  // checked records have every field
            for (std::string_view f : rec.fields) {
                if (f.size() > max_field) __builtin_trap();
                (void)is_null(f);
                std::string why;
                if (auto n = parse_number(f, &why)) {
                    // A parsed number prints and parses back to the same value.
                    auto back = Decimal::parse(n->to_string());
                    if (!back || !(*back == *n)) __builtin_trap();
                } else if (why.empty()) {
                    __builtin_trap();  // a refusal always says why
                }
                (void)parse_timestamp(f, &why);
                (void)parse_tags(f, tags, &why);
            }
        }
    } catch (const FeedError&) {
        // A feed that cannot be used at all: reported, not a crash.
    }
    return 0;
}
