// Finding duplicate rows in a month of any size with bounded memory.
//
// Every row contributes an 8-byte print: a hash of its identifying columns (row_hash.hpp) and
// its line. The rating thread that reads a chunk groups the chunk's
// prints by partition (their top bits), in place and in cache, so the merging thread, which must
// take chunks in file order, only keeps each chunk's batch as it is: no per-row work on the one
// thread every chunk goes through. Past a memory budget, batches go to an unlinked temporary
// file in one write each. At the end each partition is gathered from every batch into a small
// hash table, which finds the rows whose hash another row shares: the candidates. Only those are
// read again from the feeds (validate_duplicates.cpp) and compared column by column, so a hash
// collision costs a re-read and never a false finding, and a clean month reads nothing twice.
// Memory is the budget plus one partition (a 10M-row month: ~1.3 MB and its table), not a table
// of every row.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "interpreter/decimal.hpp"

namespace ratebook {

// One row as the duplicate check keeps it: 8 bytes, the top 48 bits of the hash of its
// identifying columns over the row's line relative to its batch's first line (16 bits). Rows
// sharing 48 bits are only candidates, confirmed by their columns, so the short hash costs at
// most a re-read now and then (a 10M-row month: a pair of rows by chance one time in five; with
// 44 bits it was seven pairs, seven chunks read twice) and halves the memory
// the month's prints take (each megabyte of fresh memory costs ~3 ms to fault in on our VM).
struct RowPrint {
    static constexpr unsigned line_bits = 16;
    static constexpr uint64_t line_span = uint64_t{1} << line_bits;
    static constexpr uint64_t hash_mask = ~(line_span - 1);
    uint64_t bits = 0;

    uint64_t hash() const { return bits & hash_mask; }
    uint64_t line() const { return bits & (line_span - 1); }
    // The part of a RowHash value a print keeps.
    static uint64_t kept(uint64_t hash) { return hash & hash_mask; }
};

// A batch of one chunk's prints, with lines relative to the chunk and to the batch's first line.
// A batch spans fewer than 2^16 lines: the caller starts another when fits() says no (an 8 MiB
// chunk of 500-byte FOCUS rows has ~17,000; a gzipped feed is read as one chunk).
class RowPrints {
public:
    static constexpr unsigned partition_bits = 6;
    void reserve(size_t n) { rows_.reserve(n); }
    bool fits(uint64_t line) const { return rows_.empty() || line - first_line_ < RowPrint::line_span; }
    void push_back(uint64_t hash, uint64_t line) {
        if (rows_.empty()) first_line_ = line;
        rows_.push_back(RowPrint{RowPrint::kept(hash) | (line - first_line_)});
    }
    size_t size() const { return rows_.size(); }
    // Orders the rows by partition (the reading thread calls it at the chunk's end; DuplicateRows
    // does if nobody has).
    void group();

private:
    friend class DuplicateRows;
    std::vector<RowPrint> rows_;
    std::vector<uint32_t> bounds_;  // after group(): partition p is rows_[bounds_[p], bounds_[p+1])
    uint64_t first_line_ = 0;       // relative to the chunk
};

class DuplicateRows {
public:
    // budget_bytes: prints kept in memory before batches spill to a temporary file.
    explicit DuplicateRows(uint64_t budget_bytes = uint64_t{32} << 20);
    ~DuplicateRows();
    DuplicateRows(const DuplicateRows&) = delete;
    DuplicateRows& operator=(const DuplicateRows&) = delete;

    // A chunk's prints, taken over: `base` is added to each line and `file` set when they are
    // read back. `reader_start` says where the chunk's reader was opened (0: at the file's start;
    // otherwise a continuation reader at that byte, whose lines + base are the file's), so the
    // candidates can be read again. Throws FeedError beyond 2^24 files, or when the temporary
    // file cannot be written.
    void add_chunk(RowPrints&& prints, uint32_t file, uint64_t base, uint64_t reader_start);
    uint64_t rows() const { return rows_; }
    bool spilled() const { return file_ != nullptr; }

    // A row whose hash another row shares, and how to read it again. The re-reader fills `key`
    // (its identifying columns, exactly) and `cost` (its BilledCost).
    struct Candidate {
        uint64_t hash;  // RowPrint::kept(RowHash)
        uint32_t file;
        uint64_t line;
        uint64_t reader_start, base;
        std::string key;
        Decimal cost;
    };
    // Every candidate, ordered by (file, reader_start, line): a reader opened once per chunk
    // finds them in the order it reads. Throws FeedError (as add_chunk() may) when the temporary
    // file cannot be written or read: the run stops with the reason, nothing written.
    std::vector<Candidate> candidates();

    struct Pair {
        uint32_t first_file, again_file;  // the first row, and a later one equal to it
        uint64_t first_line, again_line;
        Decimal again_cost;  // the later row's BilledCost
    };
    // The candidates, their keys filled in: every later row equal to an earlier one (same hash
    // and same key), paired with the earliest, in file order.
    static std::vector<Pair> pairs(const std::vector<Candidate>& confirmed);

private:
    struct Batch {
        uint32_t file;
        uint64_t first_line;         // in the file: a print's line is first_line + its relative line
        uint64_t reader_start, base;  // the chunk's reader, and base + its lines = the file's
        std::vector<RowPrint> rows;  // empty once spilled
        std::vector<uint32_t> bounds;
        int64_t offset = -1;  // in the temporary file, when spilled
    };
    std::vector<Batch> batches_;
    uint64_t budget_, in_memory_ = 0, rows_ = 0;
    std::FILE* file_ = nullptr;
    uint64_t file_size_ = 0;
};

}  // namespace ratebook
