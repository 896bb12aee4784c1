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

DuplicateRows::DuplicateRows(uint64_t budget_bytes) : parts_(size_t{1} << partition_bits), budget_(budget_bytes) {}

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

void DuplicateRows::add_chunk(const std::vector<RowPrint>& prints, uint32_t file, uint64_t base,
                              const std::vector<std::pair<uint64_t, Decimal>>& big_costs) {
    if (file >= (uint32_t{1} << 19)) throw FeedError("duplicate-row check: more than 524,287 files");
    const uint64_t lines = uint64_t{1} << 40;
    for (RowPrint p : prints) {
        if (p.line() + base >= lines) throw FeedError("duplicate-row check: more than 2^40 lines");
        p.where += (base << 5) | (uint64_t{file} << 45);
        place(p);
    }
    for (const auto& [line, cost] : big_costs)
        big_costs_.emplace((uint64_t{file} << 45) | ((line + base) << 5) | 31, cost);
}

void DuplicateRows::place(const RowPrint& p) {
    Partition& part = parts_[p.h1 >> (64 - partition_bits)];
    if (part.filling.capacity() == 0) part.filling.reserve(block_prints);
    part.filling.push_back(p);
    ++rows_;
    if (part.filling.size() == block_prints) block_full(part);
}

void DuplicateRows::block_full(Partition& p) {
    const uint64_t bytes = p.filling.size() * sizeof(RowPrint);
    if (in_memory_ + bytes <= budget_) {
        in_memory_ += bytes;
        p.kept.push_back(std::move(p.filling));
        p.filling = {};
        p.filling.reserve(block_prints);
        return;
    }
    if (!file_) file_ = temporary_file();
    if (std::fwrite(p.filling.data(), sizeof(RowPrint), p.filling.size(), file_) != p.filling.size())
        throw FeedError("duplicate-row check: cannot write the temporary file (disk full?)");
    p.spilled.push_back(file_size_);
    file_size_ += bytes;
    p.filling.clear();
}

std::vector<DuplicateRows::Pair> DuplicateRows::finish() {
    std::vector<Pair> out;
    if (file_ && std::fflush(file_) != 0)
        throw FeedError("duplicate-row check: cannot write the temporary file (disk full?)");
    std::vector<RowPrint> all;
    std::vector<uint32_t> table;  // open addressing over `all`: index + 1, 0 empty
    for (Partition& p : parts_) {
        all.clear();
        for (auto& b : p.kept) all.insert(all.end(), b.begin(), b.end());
        for (uint64_t at : p.spilled) {
            size_t n = all.size();
            all.resize(n + block_prints);
            if (::pread(::fileno(file_), all.data() + n, block_prints * sizeof(RowPrint), static_cast<off_t>(at)) !=
                static_cast<ssize_t>(block_prints * sizeof(RowPrint)))
                throw FeedError("duplicate-row check: cannot read the temporary file back");
        }
        all.insert(all.end(), p.filling.begin(), p.filling.end());
        p = Partition{};  // its memory goes back before the next partition is read
        // The partition's rows are in the order they were added (file order): the first of
        // equal rows is the one a small table of this partition alone sees first.
        size_t size = 16;
        while (size < 2 * all.size()) size *= 2;
        table.assign(size, 0);
        const size_t mask = size - 1;
        for (uint32_t n = 0; n < all.size(); ++n) {
            const RowPrint& a = all[n];
            size_t i = a.h1 & mask;
            for (;; i = (i + 1) & mask) {
                if (table[i] == 0) {
                    table[i] = n + 1;
                    break;
                }
                const RowPrint& first = all[table[i] - 1];
                if (first.h1 != a.h1 || first.h2 != a.h2) continue;
                const unsigned scale = a.where & 31;
                Decimal cost = scale == 31 ? big_costs_.at(a.where) : Decimal::from_parts(a.cost, static_cast<int>(scale));
                out.push_back(Pair{first.file(), a.file(), first.line(), a.line(), cost});
                break;
            }
        }
    }
    std::sort(out.begin(), out.end(), [](const Pair& a, const Pair& b) {
        return std::tie(a.again_file, a.again_line) < std::tie(b.again_file, b.again_line);
    });
    return out;
}

}  // namespace ratebook
