// Feed validation at scale (issue 6 / issue 8): the duplicate-row check keeps a hash per row in
// blocks that spill to a temporary file past a memory budget, and a check that fires on every
// row keeps its first findings and counts the rest. Both must give the same answers as the
// small, all-in-memory case.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <tuple>
#include <vector>

#include "engine/duplicate_rows.hpp"
#include "engine/row_hash.hpp"
#include "engine/validate.hpp"

using namespace ratebook;

namespace {

struct Row {
    uint64_t hash;
    std::string key;  // the identifying columns, as the re-reader would give them
    uint32_t file;
    uint64_t line;
    Decimal cost;
};

// 600,000 rows over 3 files (about 9,400 in each of the 64 partitions, in 60 batches) with 500
// planted repeats of earlier rows, and 300 rows whose hash collides with an earlier row's
// although their columns differ (those must not be paired).
std::vector<Row> month_with_repeats() {
    std::mt19937_64 rng(7);
    std::vector<Row> rows;
    for (uint32_t file = 0; file < 3; ++file)
        for (uint64_t line = 2; line < 2 + 200'000; ++line) {
            Decimal cost = Decimal::from_parts(static_cast<__int128>(rng() % 1'000'000'000), 10);
            if (line % 9'973 == 0) cost = Decimal::from_parts(static_cast<__int128>(rng()) * 1'000'000'000'000, 18);
            rows.push_back(Row{rng(), std::to_string(rows.size()), file, line, cost});
        }
    std::set<size_t> planted;
    auto plant = [&](bool same_key) {
        size_t from = rng() % (rows.size() / 2), to = rows.size() / 2 + rng() % (rows.size() / 2);
        if (!planted.insert(to).second) return false;
        rows[to].hash = rows[from].hash;
        if (same_key) rows[to].key = rows[from].key;
        return true;
    };
    for (int n = 0; n < 500;) n += plant(true);
    for (int n = 0; n < 300;) n += plant(false);
    return rows;
}

using Pairs = std::vector<std::tuple<uint32_t, uint64_t, uint32_t, uint64_t, std::string>>;

// The answer by brute force: for every row, the earliest earlier row with its columns.
Pairs expected(const std::vector<Row>& rows) {
    std::map<std::pair<uint64_t, std::string>, const Row*> first;
    Pairs out;
    for (const Row& r : rows) {
        auto [it, added] = first.try_emplace({r.hash, r.key}, &r);
        if (!added) out.emplace_back(r.file, r.line, it->second->file, it->second->line, r.cost.to_string());
    }
    return out;
}

// The candidates' keys and costs filled in from the rows (what validate_duplicates.cpp reads
// from the feeds), then paired.
Pairs confirm(DuplicateRows& d, const std::vector<Row>& rows, size_t* candidates = nullptr) {
    std::map<std::pair<uint32_t, uint64_t>, const Row*> at;
    for (const Row& r : rows) at[{r.file, r.line}] = &r;
    auto found = d.candidates();
    if (candidates) *candidates = found.size();
    for (auto& c : found) {
        const Row& r = *at.at({c.file, c.line});
        REQUIRE(c.hash == RowPrint::kept(r.hash));
        c.key = r.key;
        c.cost = r.cost;
    }
    Pairs out;
    for (const auto& p : DuplicateRows::pairs(found))
        out.emplace_back(p.again_file, p.again_line, p.first_file, p.first_line, p.again_cost.to_string());
    return out;
}

Pairs found(const std::vector<Row>& rows, uint64_t budget, bool& spilled) {
    DuplicateRows d(budget);
    // Each file in batches of 10,000 rows with their own line numbers (base 0), so that a budget
    // of 1 MiB keeps the first six in memory and spills the rest.
    for (uint32_t file = 0; file < 3; ++file) {
        RowPrints prints;
        for (const Row& r : rows) {
            if (r.file != file) continue;
            prints.push_back(r.hash, r.line);
            if (prints.size() == 10000) {
                d.add_chunk(std::move(prints), file, 0, 0);
                prints = {};
            }
        }
        d.add_chunk(std::move(prints), file, 0, 0);
    }
    spilled = d.spilled();
    return confirm(d, rows);
}

}  // namespace

TEST_CASE("duplicate rows: the same pairs in memory and spilled to a temporary file") {
    const auto rows = month_with_repeats();
    const auto want = expected(rows);
    CHECK(want.size() == 500);
    bool spilled = true;
    CHECK(found(rows, uint64_t{1} << 30, spilled) == want);
    CHECK_FALSE(spilled);
    CHECK(found(rows, 0, spilled) == want);  // every batch goes to the file
    CHECK(spilled);
    CHECK(found(rows, 1 << 20, spilled) == want);  // some in memory, the rest in the file
    CHECK(spilled);

    // As rating hands them over: chunks of 1,000 rows with lines relative to the chunk, each read
    // by its own reader; the candidates come in reading order.
    DuplicateRows by_chunk(1 << 20);
    for (size_t from = 0; from < rows.size();) {
        const Row& first = rows[from];
        const uint64_t base = first.line - 2;  // the chunk's lines, relative, start at 2 too
        RowPrints prints;
        for (size_t k = from; k < std::min(rows.size(), from + 1000) && rows[k].file == first.file; ++k)
            prints.push_back(rows[k].hash, rows[k].line - base);
        const size_t taken = prints.size();  // a chunk stops at the end of its file
        by_chunk.add_chunk(std::move(prints), first.file, base, /*reader_start=*/from * 500 + 1);
        from += taken;
    }
    size_t candidates = 0;
    CHECK(confirm(by_chunk, rows, &candidates) == want);
    std::map<uint64_t, int> rows_by_hash;
    for (const Row& r : rows) ++rows_by_hash[RowPrint::kept(r.hash)];
    size_t shared = 0;
    for (const Row& r : rows) shared += rows_by_hash[RowPrint::kept(r.hash)] > 1;
    CHECK(candidates == shared);  // the rows whose hash another row has, and no other
    CHECK(shared >= 800);
}

TEST_CASE("duplicate rows: candidates come in reading order, with where to read them") {
    const uint64_t h7 = uint64_t{7} << 40, h8 = uint64_t{8} << 40, h9 = uint64_t{9} << 40;
    DuplicateRows d;
    RowPrints a, b;
    a.push_back(h7, 3);  // chunk read from byte 900 of file 1, lines relative
    a.push_back(h8, 4);
    a.push_back(h7, 5);
    b.push_back(h8, 10);  // file 0, read from its start
    b.push_back(h9 | 12345, 11);  // (the low 16 bits of a hash are not kept)
    d.add_chunk(std::move(a), 1, 100, 900);
    d.add_chunk(std::move(b), 0, 0, 0);
    const auto c = d.candidates();
    REQUIRE(c.size() == 4);
    CHECK(std::make_tuple(c[0].file, c[0].line, c[0].hash, c[0].reader_start) == std::make_tuple(0u, 10u, h8, 0u));
    CHECK(std::make_tuple(c[1].file, c[1].line, c[1].hash, c[1].base) == std::make_tuple(1u, 103u, h7, 100u));
    CHECK(std::make_tuple(c[2].line, c[2].hash) == std::make_tuple(104u, h8));
    CHECK(std::make_tuple(c[3].line, c[3].hash) == std::make_tuple(105u, h7));
}

TEST_CASE("duplicate rows: a chunk of more than 2^16 lines goes in several batches, lines kept") {
    // A gzipped feed is read as one chunk: its prints are cut into batches of fewer than 2^16
    // lines (what RowChecks does with RowPrints::fits), each placed by its first line.
    const uint64_t h = uint64_t{0x5a5a5} << 40;
    const uint64_t lines[] = {2, 3, RowPrint::line_span + 1, RowPrint::line_span + 2, 5 * RowPrint::line_span + 7};
    std::vector<RowPrints> batches(1);
    for (uint64_t line : lines) {
        if (!batches.back().fits(line)) batches.emplace_back();
        batches.back().push_back(h, line);
    }
    CHECK(batches.size() == 3);
    DuplicateRows d;
    for (RowPrints& p : batches) d.add_chunk(std::move(p), 0, 1000, 0);
    const auto c = d.candidates();
    REQUIRE(c.size() == 5);
    for (size_t i = 0; i < 5; ++i) CHECK(c[i].line == 1000 + lines[i]);
}

TEST_CASE("row hash: each column's length counts, and every byte") {
    auto hash = [](std::initializer_list<std::string_view> cols) {
        RowHash h;
        for (auto c : cols) h.add(c);
        return h.value();
    };
    CHECK(hash({"ab", "c"}) != hash({"a", "bc"}));
    CHECK(hash({"", "x"}) != hash({"x", ""}));
    CHECK(hash({"abc", "def"}) == hash({"abc", "def"}));
    // Every length from 0 to 100, every byte position: a one-byte change changes the hash.
    std::set<uint64_t> seen;
    for (size_t n = 0; n <= 100; ++n) {
        std::string text(n, 'a');
        CHECK(seen.insert(hash({text, "tail"})).second);
        for (size_t i = 0; i < n; ++i) {
            std::string other = text;
            other[i] = 'b';
            CHECK(seen.insert(hash({other, "tail"})).second);
        }
    }
}

TEST_CASE("a check firing on every row: the first findings listed, the rest counted exactly") {
    FindingLimit limit(3);
    std::vector<Finding> kept;
    for (uint64_t line = 2; line < 9; ++line) {
        Finding f{"null-value", FindingSeverity::warning, "feed.csv", line, "ContractedCost is null",
                  Decimal::from_parts(150, 2)};
        if (limit.keep(f)) kept.push_back(f);
    }
    Finding other{"null-value", FindingSeverity::warning, "other.csv", 2, "ContractedCost is null", {}};
    CHECK(limit.keep(other));  // counted per file
    Finding month{"missing-day", FindingSeverity::error, "", 0, "AWS has no rows on 2026-10-05", {}};
    for (int i = 0; i < 5; ++i) CHECK(limit.keep(month));  // about the month: never limited
    REQUIRE(kept.size() == 3);
    CHECK(kept.back().line == 4);
    auto closing = limit.closing();
    REQUIRE(closing.size() == 1);
    // Lines 5, 6, 7, 8 were not listed: 4 more rows, 4 x 1.50 = 6.00, the last at line 8.
    CHECK(closing[0].check == "null-value");
    CHECK(closing[0].file == "feed.csv");
    CHECK(closing[0].line == 8);
    CHECK(closing[0].amount == Decimal::from_parts(600, 2));
    CHECK(closing[0].message.find("... and 4 more rows like the 3 listed") == 0);
}
