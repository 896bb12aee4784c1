// Equality and copying of short field values without a call into the C library: feed validation
// compares and copies a dozen fields of 2 to 40 bytes in every row (timestamps against the last
// row's, units, allowed values, the identifying columns of the duplicate check), and a call to
// memcmp or memcpy per field costs more than the bytes themselves. Reads and writes stay inside
// [data, data + size): words that would run past the end overlap the previous word instead.
#pragma once
#include <cstdint>
#include <cstring>
#include <string_view>

namespace ratebook {

namespace short_text_detail {
inline uint64_t word(const char* p) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
}
inline uint32_t half(const char* p) {
    uint32_t w;
    std::memcpy(&w, p, 4);
    return w;
}
}  // namespace short_text_detail

// No loops below 33 bytes (a loop whose length changes row to row is a mispredicted branch
// each time): words at fixed offsets from either end, overlapping in the middle.
inline bool same_text(std::string_view a, std::string_view b) {
    using namespace short_text_detail;
    const size_t n = a.size();
    if (n != b.size()) return false;
    const char* x = a.data();
    const char* y = b.data();
    if (n > 32) return std::memcmp(x, y, n) == 0;
    if (n >= 16)
        return ((word(x) ^ word(y)) | (word(x + 8) ^ word(y + 8)) | (word(x + n - 16) ^ word(y + n - 16)) |
                (word(x + n - 8) ^ word(y + n - 8))) == 0;
    if (n >= 8) return ((word(x) ^ word(y)) | (word(x + n - 8) ^ word(y + n - 8))) == 0;
    if (n >= 4) return ((half(x) ^ half(y)) | (half(x + n - 4) ^ half(y + n - 4))) == 0;
    for (size_t i = 0; i < n; ++i)
        if (x[i] != y[i]) return false;
    return true;
}

// Copies n bytes from `from` to `to` (not overlapping).
inline void copy_text(char* to, const char* from, size_t n) {
    using namespace short_text_detail;
    if (n > 32) {
        std::memcpy(to, from, n);
    } else if (n >= 16) {
        const uint64_t a = word(from), b = word(from + 8), c = word(from + n - 16), d = word(from + n - 8);
        std::memcpy(to, &a, 8);
        std::memcpy(to + 8, &b, 8);
        std::memcpy(to + n - 16, &c, 8);
        std::memcpy(to + n - 8, &d, 8);
    } else if (n >= 8) {
        const uint64_t a = word(from), b = word(from + n - 8);
        std::memcpy(to, &a, 8);
        std::memcpy(to + n - 8, &b, 8);
    } else if (n >= 4) {
        const uint32_t a = half(from), b = half(from + n - 4);
        std::memcpy(to, &a, 4);
        std::memcpy(to + n - 4, &b, 4);
    } else {
        for (size_t i = 0; i < n; ++i) to[i] = from[i];
    }
}

}  // namespace ratebook
