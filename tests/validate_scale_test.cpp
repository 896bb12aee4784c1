// Feed validation at scale (issue 6 / issue 8): the duplicate-row check keeps a fingerprint per
// row in blocks that spill to a temporary file past a memory budget, and a check that fires on
// every row keeps its first findings and counts the rest. Both must give the same answers as
// the small, all-in-memory case.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <tuple>
#include <vector>

#include "engine/duplicate_rows.hpp"
#include "engine/validate.hpp"

using namespace ratebook;

namespace {

struct Row {
    uint64_t h1, h2;
    uint32_t file;
    uint64_t line;
    Decimal cost;
};

// 600,000 rows over 3 files (about 9,400 in each of the 64 partitions, in 60 batches)
// with 500 planted repeats of earlier rows, some costs far past int64 as coefficients.
std::vector<Row> month_with_repeats() {
    std::mt19937_64 rng(7);
    std::vector<Row> rows;
    for (uint32_t file = 0; file < 3; ++file)
        for (uint64_t line = 2; line < 2 + 200'000; ++line) {
            Decimal cost = Decimal::from_parts(static_cast<__int128>(rng() % 1'000'000'000), 10);
            if (line % 9'973 == 0) cost = Decimal::from_parts(static_cast<__int128>(rng()) * 1'000'000'000'000, 18);
            rows.push_back(Row{rng(), rng(), file, line, cost});
        }
    std::set<size_t> planted;
    while (planted.size() < 500) {
        size_t from = rng() % (rows.size() / 2), to = rows.size() / 2 + rng() % (rows.size() / 2);
        if (!planted.insert(to).second) continue;
        rows[to].h1 = rows[from].h1;
        rows[to].h2 = rows[from].h2;
    }
    return rows;
}

// The answer by brute force: for every row, the earliest earlier row with its fingerprint.
std::vector<std::tuple<uint32_t, uint64_t, uint32_t, uint64_t, std::string>> expected(const std::vector<Row>& rows) {
    std::map<std::pair<uint64_t, uint64_t>, const Row*> first;
    std::vector<std::tuple<uint32_t, uint64_t, uint32_t, uint64_t, std::string>> out;
    for (const Row& r : rows) {
        auto [it, added] = first.try_emplace({r.h1, r.h2}, &r);
        if (!added) out.emplace_back(r.file, r.line, it->second->file, it->second->line, r.cost.to_string());
    }
    return out;
}

std::vector<std::tuple<uint32_t, uint64_t, uint32_t, uint64_t, std::string>> found(const std::vector<Row>& rows,
                                                                                    uint64_t budget, bool& spilled) {
    DuplicateRows d(budget);
    // Each file in batches of 10,000 rows with their own line numbers (base 0), so that a budget
    // of 1 MiB keeps the first three in memory and spills the rest.
    for (uint32_t file = 0; file < 3; ++file) {
        RowPrints prints;
        std::vector<std::pair<uint64_t, Decimal>> big;
        for (const Row& r : rows) {
            if (r.file != file) continue;
            prints.push_back(RowPrint::make(r.h1, r.h2, 0, r.line, r.cost));
            if (prints.back().big_cost()) big.emplace_back(r.line, r.cost);
            if (prints.size() == 10000) {
                d.add_chunk(std::move(prints), file, 0, big);
                prints = {};
                big.clear();
            }
        }
        d.add_chunk(std::move(prints), file, 0, big);
    }
    spilled = d.spilled();
    std::vector<std::tuple<uint32_t, uint64_t, uint32_t, uint64_t, std::string>> out;
    for (const auto& p : d.finish())
        out.emplace_back(p.again_file, p.again_line, p.first_file, p.first_line, p.again_cost.to_string());
    return out;
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

    // As rating hands them over: chunks of 1,000 rows with file 0 and lines relative to the chunk.
    DuplicateRows by_chunk(1 << 20);
    for (size_t from = 0; from < rows.size();) {
        const Row& first = rows[from];
        const uint64_t base = first.line - 2;  // the chunk's lines, relative, start at 2 too
        RowPrints prints;
        std::vector<std::pair<uint64_t, Decimal>> big;
        for (size_t k = from; k < std::min(rows.size(), from + 1000) && rows[k].file == first.file; ++k) {
            prints.push_back(RowPrint::make(rows[k].h1, rows[k].h2, 0, rows[k].line - base, rows[k].cost));
            if (prints.back().big_cost()) big.emplace_back(rows[k].line - base, rows[k].cost);
        }
        const size_t taken = prints.size();  // a chunk stops at the end of its file
        by_chunk.add_chunk(std::move(prints), first.file, base, big);
        from += taken;
    }
    std::vector<std::tuple<uint32_t, uint64_t, uint32_t, uint64_t, std::string>> chunked;
    for (const auto& p : by_chunk.finish())
        chunked.emplace_back(p.again_file, p.again_line, p.first_file, p.first_line, p.again_cost.to_string());
    CHECK(chunked == want);
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
