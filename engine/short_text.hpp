// Equality of short field values without a call into the C library: feed validation compares a
// dozen fields of 2 to 40 bytes in every row (timestamps against the last row's, units, allowed
// values, providers and services), and a call to memcmp per field costs more than the bytes
// themselves. Reads stay inside [data, data + size): words that would run past the end overlap
// the previous word instead.
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

}  // namespace ratebook
