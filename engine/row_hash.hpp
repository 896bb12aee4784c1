// A fast 64-bit hash of a row's identifying columns, for finding candidate duplicate rows.
//
// Every candidate (two rows with one hash) is confirmed by comparing the rows' columns
// themselves, re-read from the feed (validate_duplicates.cpp), so the hash needs speed and an
// even spread, not resistance to collisions: a collision costs a re-read, never a false finding.
// It runs on every row of the month, so it reads the columns where they are (no key is copied
// together first) with wyhash's multiply-fold mixing (public domain, by Wang Yi), 16 bytes a
// step. Each column's length is mixed in with it, so text moved from one column to the next
// changes the hash.
#pragma once
#include <cstdint>
#include <cstring>
#include <string_view>

namespace ratebook {

class RowHash {
public:
    void add(std::string_view text) {
        const auto* p = reinterpret_cast<const unsigned char*>(text.data());
        const size_t n = text.size();
        uint64_t a = 0, b = 0;
        if (n <= 16) {
            if (n >= 4) {
                // Two overlapping pairs of 4-byte words cover 4..16 bytes.
                const size_t step = (n >> 3) << 2;
                a = (r4(p) << 32) | r4(p + step);
                b = (r4(p + n - 4) << 32) | r4(p + n - 4 - step);
            } else if (n > 0) {
                a = (uint64_t{p[0]} << 16) | (uint64_t{p[n >> 1]} << 8) | p[n - 1];
            }
        } else {
            size_t left = n;
            while (left > 16) {
                h_ = mix(r8(p) ^ k1, r8(p + 8) ^ h_);
                p += 16;
                left -= 16;
            }
            a = r8(p + left - 16);  // the last 16 bytes (overlapping the step before)
            b = r8(p + left - 8);
        }
        // The length goes in after the bytes are mixed (as wyhash does): XORed into them, data
        // could cancel it ("aaaab" + 13 bytes against "aaaaa" + 14).
        h_ = mix(mix(a ^ k1, b ^ h_) ^ n ^ k2, k3);
    }
    uint64_t value() const { return mix(h_ ^ k3, h_ ^ k1); }

private:
    static uint64_t r8(const unsigned char* p) {
        uint64_t v;
        std::memcpy(&v, p, 8);
        return v;
    }
    static uint64_t r4(const unsigned char* p) {
        uint32_t v;
        std::memcpy(&v, p, 4);
        return v;
    }
    // The 128-bit product of a and b, folded to 64 bits.
    static uint64_t mix(uint64_t a, uint64_t b) {
        const unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
        return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
    }
    static constexpr uint64_t k1 = 0xa0761d6478bd642full, k2 = 0xe7037ed1a0b428dbull, k3 = 0x8ebc6af09c88c6e3ull;
    uint64_t h_ = 0x589965cc75374cc3ull;
};

}  // namespace ratebook
