// Finding duplicate rows in a month of any size with bounded memory.
//
// Every row contributes a 128-bit fingerprint of its identifying columns and where it is (file
// and line). The rating thread that reads a chunk groups the chunk's fingerprints by partition
// (their top bits), in place and in cache, so the merging thread, which must take chunks in file
// order, only keeps each chunk's batch as it is: no per-row work on the one thread every chunk
// goes through. Past a memory budget, batches go to an unlinked temporary file in one write
// each. At the end each partition is gathered from every batch into a small hash table, which
// finds the earliest (file, line) of each fingerprint; every other row with it repeats that
// row. Memory is the budget plus one partition (a 10M-row month: ~5 MB and its table), not a
// table of every row.
#pragma once
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "interpreter/decimal.hpp"

namespace ratebook {

// One row as the duplicate check keeps it: 32 bytes.
struct RowPrint {
    uint64_t h1 = 0, h2 = 0;
    // file (19 bits) << 45 | line (40 bits) << 5 | the scale of `cost` (5 bits; 31: not in `cost`):
    // ordered as (file, line).
    uint64_t where = 0;
    int64_t cost = 0;  // BilledCost's coefficient, when it fits (it nearly always does)

    uint32_t file() const { return static_cast<uint32_t>(where >> 45); }
    uint64_t line() const { return (where >> 5) & ((uint64_t{1} << 40) - 1); }
    // A row's print; a cost whose coefficient is past int64 is flagged (scale 31) and its value
    // kept by the caller. Throws FeedError beyond 2^19 files or 2^40 lines.
    static RowPrint make(uint64_t h1, uint64_t h2, uint32_t file, uint64_t line, const Decimal& cost);
    bool big_cost() const { return (where & 31) == 31; }
};

// One chunk's fingerprints, made with file 0 and lines relative to the chunk.
class RowPrints {
public:
    static constexpr unsigned partition_bits = 6;
    void reserve(size_t n) { rows_.reserve(n); }
    void push_back(const RowPrint& p) { rows_.push_back(p); }
    const RowPrint& back() const { return rows_.back(); }
    size_t size() const { return rows_.size(); }
    // Orders the rows by partition (the reading thread calls it at the chunk's end; DuplicateRows
    // does if nobody has).
    void group();

private:
    friend class DuplicateRows;
    std::vector<RowPrint> rows_;
    std::vector<uint32_t> bounds_;  // after group(): partition p is rows_[bounds_[p], bounds_[p+1])
    uint64_t last_line_ = 0;        // the largest relative line
};

class DuplicateRows {
public:
    // budget_bytes: fingerprints kept in memory before batches spill to a temporary file.
    explicit DuplicateRows(uint64_t budget_bytes = uint64_t{32} << 20);
    ~DuplicateRows();
    DuplicateRows(const DuplicateRows&) = delete;
    DuplicateRows& operator=(const DuplicateRows&) = delete;

    // A chunk's prints, taken over: `base` is added to each line and `file` set when they are
    // read back. big_costs: the costs of the prints flagged big_cost(), by relative line. Throws
    // FeedError beyond 2^19 files or 2^40 lines, or when the temporary file cannot be written.
    void add_chunk(RowPrints&& prints, uint32_t file, uint64_t base,
                   const std::vector<std::pair<uint64_t, Decimal>>& big_costs);
    uint64_t rows() const { return rows_; }
    bool spilled() const { return file_ != nullptr; }

    struct Pair {
        uint32_t first_file, again_file;  // the first row, and a later one equal to it
        uint64_t first_line, again_line;
        Decimal again_cost;  // the later row's BilledCost
    };
    // Every later row equal to an earlier one, paired with the earliest, in file order.
    // Throws FeedError (as add_chunk() may) when the temporary file cannot be written or read:
    // the run stops with the reason, nothing written.
    std::vector<Pair> finish();

private:
    struct Batch {
        uint32_t file;
        uint64_t base;
        std::vector<RowPrint> rows;  // empty once spilled
        std::vector<uint32_t> bounds;
        int64_t offset = -1;  // in the temporary file, when spilled
    };
    std::vector<Batch> batches_;
    uint64_t budget_, in_memory_ = 0, rows_ = 0;
    std::map<uint64_t, Decimal> big_costs_;  // by `where`: costs whose coefficient is past int64
    std::FILE* file_ = nullptr;
    uint64_t file_size_ = 0;
};

}  // namespace ratebook
