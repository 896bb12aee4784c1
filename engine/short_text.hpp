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

inline bool same_text(std::string_view a, std::string_view b) {
    const size_t n = a.size();
    if (n != b.size()) return false;
    const char* x = a.data();
    const char* y = b.data();
    if (n >= 8 && n <= 32) {
        uint64_t u, v, diff = 0;
        for (size_t i = 0; i + 8 < n; i += 8) {
            std::memcpy(&u, x + i, 8);
            std::memcpy(&v, y + i, 8);
            diff |= u ^ v;
        }
        std::memcpy(&u, x + n - 8, 8);
        std::memcpy(&v, y + n - 8, 8);
        return (diff | (u ^ v)) == 0;
    }
    if (n >= 4 && n < 8) {
        uint32_t u0, v0, u1, v1;
        std::memcpy(&u0, x, 4);
        std::memcpy(&v0, y, 4);
        std::memcpy(&u1, x + n - 4, 4);
        std::memcpy(&v1, y + n - 4, 4);
        return ((u0 ^ v0) | (u1 ^ v1)) == 0;
    }
    if (n < 4) {
        for (size_t i = 0; i < n; ++i)
            if (x[i] != y[i]) return false;
        return true;
    }
    return std::memcmp(x, y, n) == 0;
}

// Copies n bytes from `from` to `to` (not overlapping).
inline void copy_text(char* to, const char* from, size_t n) {
    if (n >= 8 && n <= 32) {
        uint64_t w;
        for (size_t i = 0; i + 8 < n; i += 8) {
            std::memcpy(&w, from + i, 8);
            std::memcpy(to + i, &w, 8);
        }
        std::memcpy(&w, from + n - 8, 8);
        std::memcpy(to + n - 8, &w, 8);
    } else if (n >= 4 && n < 8) {
        uint32_t a, b;
        std::memcpy(&a, from, 4);
        std::memcpy(&b, from + n - 4, 4);
        std::memcpy(to, &a, 4);
        std::memcpy(to + n - 4, &b, 4);
    } else if (n < 4) {
        for (size_t i = 0; i < n; ++i) to[i] = from[i];
    } else {
        std::memcpy(to, from, n);
    }
}

}  // namespace ratebook
