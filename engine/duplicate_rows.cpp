#include "engine/duplicate_rows.hpp"

#include "engine/csv_reader.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <stdexcept>
#include <tuple>

namespace ratebook {
namespace {

// An unlinked temporary file in $TMPDIR (or /tmp): nothing is left behind, whatever happens.
std::FILE* temporary_file() {
    const char* dir = std::getenv("TMPDIR");
    std::string path = std::string(dir && *dir ? dir : "/tmp") + "/ratebook-duplicates-XXXXXX";
    int fd = ::mkstemp(path.data());
    if (fd < 0) throw FeedError("duplicate-row check: cannot create a temporary file in " + path);
    ::unlink(path.c_str());
    std::FILE* f = ::fdopen(fd, "w+b");
    if (!f) {
        ::close(fd);
        throw FeedError("duplicate-row check: cannot open a temporary file");
    }
    return f;
}

}  // namespace

DuplicateRows::DuplicateRows(uint64_t budget_bytes) : budget_(budget_bytes) {}

DuplicateRows::~DuplicateRows() {
    if (file_) std::fclose(file_);
}

RowPrint RowPrint::make(uint64_t h1, uint64_t h2, uint32_t file, uint64_t line, const Decimal& cost) {
    if (file >= (uint32_t{1} << 19) || line >= (uint64_t{1} << 40))
        throw FeedError("duplicate-row check: more than 524,287 files or 2^40 lines");
    RowPrint p{h1, h2, (uint64_t{file} << 45) | (line << 5), 0};
    const __int128 coef = cost.coefficient();
    if (coef >= INT64_MIN && coef <= INT64_MAX) {
        p.cost = static_cast<int64_t>(coef);
        p.where |= static_cast<uint64_t>(cost.scale());
    } else {
        p.where |= 31;
    }
    return p;
}

void RowPrints::group() {
    constexpr size_t parts = size_t{1} << partition_bits;
    if (bounds_.size() == parts + 1) return;
    auto part = [](const RowPrint& p) { return static_cast<size_t>(p.h1 >> (64 - partition_bits)); };
    bounds_.assign(parts + 1, 0);
    last_line_ = 0;
    for (const RowPrint& p : rows_) {
        ++bounds_[part(p) + 1];
        last_line_ = std::max(last_line_, p.line());
    }
    for (size_t i = 1; i <= parts; ++i) bounds_[i] += bounds_[i - 1];
    // In place (no second array to fill: the chunk's prints stay where they were written, in
    // cache): each print is swapped into the next free place of its partition. The order within
    // a partition is lost; finish() does not need it.
    std::vector<uint32_t> next(bounds_.begin(), bounds_.end() - 1);
    for (size_t p = 0; p < parts; ++p) {
        while (next[p] < bounds_[p + 1]) {
            RowPrint v = rows_[next[p]];
            for (size_t q = part(v); q != p; q = part(v)) std::swap(v, rows_[next[q]++]);
            rows_[next[p]++] = v;
        }
    }
}

void DuplicateRows::add_chunk(RowPrints&& prints, uint32_t file, uint64_t base,
                              const std::vector<std::pair<uint64_t, Decimal>>& big_costs) {
    if (file >= (uint32_t{1} << 19)) throw FeedError("duplicate-row check: more than 524,287 files");
    prints.group();
    if (prints.last_line_ + base >= (uint64_t{1} << 40)) throw FeedError("duplicate-row check: more than 2^40 lines");
    for (const auto& [line, cost] : big_costs)
        big_costs_.emplace((uint64_t{file} << 45) | ((line + base) << 5) | 31, cost);
    if (prints.rows_.empty()) return;
    rows_ += prints.rows_.size();
    Batch b{file, base, std::move(prints.rows_), std::move(prints.bounds_)};
    const uint64_t bytes = b.rows.size() * sizeof(RowPrint);
    if (in_memory_ + bytes > budget_) {
        if (!file_) file_ = temporary_file();
        if (std::fwrite(b.rows.data(), sizeof(RowPrint), b.rows.size(), file_) != b.rows.size())
            throw FeedError("duplicate-row check: cannot write the temporary file (disk full?)");
        b.offset = static_cast<int64_t>(file_size_);
        file_size_ += bytes;
        b.rows = std::vector<RowPrint>();  // (not `= {}`: that keeps the capacity)
    } else {
        in_memory_ += bytes;
    }
    batches_.push_back(std::move(b));
}

std::vector<DuplicateRows::Pair> DuplicateRows::finish() {
    std::vector<Pair> out;
    if (file_ && std::fflush(file_) != 0)
        throw FeedError("duplicate-row check: cannot write the temporary file (disk full?)");
    std::vector<RowPrint> all;
    std::vector<uint32_t> table;  // open addressing over `all`: index + 1, 0 empty
    constexpr size_t parts = size_t{1} << RowPrints::partition_bits;
    for (size_t part = 0; part < parts; ++part) {
        all.clear();
        for (const Batch& b : batches_) {
            const size_t from = b.bounds[part], n = b.bounds[part + 1] - from, at = all.size();
            if (n == 0) continue;
            all.resize(at + n);
            if (b.offset < 0) {
                std::memcpy(all.data() + at, b.rows.data() + from, n * sizeof(RowPrint));
            } else if (::pread(::fileno(file_), all.data() + at, n * sizeof(RowPrint),
                               static_cast<off_t>(b.offset + from * sizeof(RowPrint))) !=
                       static_cast<ssize_t>(n * sizeof(RowPrint))) {
                throw FeedError("duplicate-row check: cannot read the temporary file back");
            }
            const uint64_t shift = (b.base << 5) | (uint64_t{b.file} << 45);
            for (size_t i = at; i < at + n; ++i) all[i].where += shift;
        }
        // Two passes over the partition (in cache): the earliest row of each fingerprint, then
        // every other row with that fingerprint paired with it. (Rows are in no order here.)
        size_t size = 16;
        while (size < 2 * all.size()) size *= 2;
        table.assign(size, 0);
        const size_t mask = size - 1;
        auto slot_of = [&](const RowPrint& a) -> uint32_t& {
            for (size_t i = a.h1 & mask;; i = (i + 1) & mask) {
                uint32_t& slot = table[i];
                if (slot == 0) return slot;
                const RowPrint& b = all[slot - 1];
                if (b.h1 == a.h1 && b.h2 == a.h2) return slot;
            }
        };
        bool repeats = false;
        for (uint32_t n = 0; n < all.size(); ++n) {
            uint32_t& slot = slot_of(all[n]);
            if (slot == 0) {
                slot = n + 1;
                continue;
            }
            repeats = true;
            if (all[n].where < all[slot - 1].where) slot = n + 1;  // earlier in (file, line)
        }
        if (!repeats) continue;
        for (uint32_t n = 0; n < all.size(); ++n) {
            const uint32_t first_at = slot_of(all[n]) - 1;
            if (first_at == n) continue;
            const RowPrint& a = all[n];
            const RowPrint& first = all[first_at];
            const unsigned scale = a.where & 31;
            Decimal cost = scale == 31 ? big_costs_.at(a.where) : Decimal::from_parts(a.cost, static_cast<int>(scale));
            out.push_back(Pair{first.file(), a.file(), first.line(), a.line(), cost});
        }
    }
    std::sort(out.begin(), out.end(), [](const Pair& a, const Pair& b) {
        return std::tie(a.again_file, a.again_line) < std::tie(b.again_file, b.again_line);
    });
    return out;
}

}  // namespace ratebook
