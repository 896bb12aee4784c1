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
    // Each column is hashed on its own and the column hashes are summed (each marked with its
    // place), so the columns' multiplications do not wait on one another.
    void add(std::string_view text) {
        sum_ += column(reinterpret_cast<const unsigned char*>(text.data()), text.size()) ^ (count_ * k3);
        ++count_;
    }
    uint64_t value() const { return mix(sum_ ^ k1, count_ ^ k2); }

private:
    static uint64_t column(const unsigned char* p, size_t n) {
        // The length is in the seed: XORed into the data words, data could cancel it ("aaaab"
        // and 13 bytes against "aaaaa" and 14).
        const uint64_t seed = k2 + n * k3;
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
            // Two lanes of one 64-bit multiply each per 16 bytes (each step a bijection: no
            // information lost), so a long ResourceId is not one chain of 128-bit products; the
            // product below folds their high bits down.
            uint64_t x = k1, y = k2;
            size_t left = n;
            while (left > 16) {
                x = (x ^ r8(p)) * k3;
                y = (y ^ r8(p + 8)) * k4;
                p += 16;
                left -= 16;
            }
            a = r8(p + left - 16) ^ x;  // the last 16 bytes (overlapping the step before)
            b = r8(p + left - 8) ^ ((y << 32) | (y >> 32));
        }
        return mix(a ^ k1, b ^ seed);
    }
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
    static constexpr uint64_t k1 = 0xa0761d6478bd642full, k2 = 0xe7037ed1a0b428dbull, k3 = 0x8ebc6af09c88c6e3ull,
                              k4 = 0x589965cc75374cc3ull;
    uint64_t sum_ = 0x589965cc75374cc3ull, count_ = 0;
};

}  // namespace ratebook
