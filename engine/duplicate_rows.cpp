#include "engine/duplicate_rows.hpp"

#include "engine/csv_reader.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
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

void RowPrints::group() {
    constexpr size_t parts = size_t{1} << partition_bits;
    if (bounds_.size() == parts + 1) return;
    auto part = [](const RowPrint& p) { return static_cast<size_t>(p.bits >> (64 - partition_bits)); };
    bounds_.assign(parts + 1, 0);
    for (const RowPrint& p : rows_) ++bounds_[part(p) + 1];
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

void DuplicateRows::add_chunk(RowPrints&& prints, uint32_t file, uint64_t base, uint64_t reader_start) {
    if (file >= (uint32_t{1} << 24)) throw FeedError("duplicate-row check: more than 16,777,215 files");
    prints.group();
    if (prints.rows_.empty()) return;
    const size_t n = prints.rows_.size();
    rows_ += n;
    Batch b{file, base + prints.first_line_, reader_start, base, {}, std::move(prints.bounds_)};
    const uint64_t bytes = n * sizeof(RowPrint);
    if (in_memory_ + bytes > budget_) {
        if (!file_) file_ = temporary_file();
        if (std::fwrite(prints.rows_.data(), sizeof(RowPrint), n, file_) != n)
            throw FeedError("duplicate-row check: cannot write the temporary file (disk full?)");
        b.offset = static_cast<int64_t>(file_size_);
        file_size_ += bytes;
    } else {
        // Copied, not taken over: the copy is made here, on the merging thread, whose heap is
        // backed by huge pages (a few faults for the month's prints), and the chunk's own vector
        // goes back to its rating thread's heap for the next chunk. Taken over, every chunk's
        // prints were fresh memory on a rating thread's heap, faulted in 4 KB pages by both
        // threads at once: +10% of rating's time at 2 threads, measured.
        b.rows.assign(prints.rows_.begin(), prints.rows_.end());
        in_memory_ += bytes;
    }
    batches_.push_back(std::move(b));
}

std::vector<DuplicateRows::Candidate> DuplicateRows::candidates() {
    std::vector<Candidate> out;
    if (file_ && std::fflush(file_) != 0)
        throw FeedError("duplicate-row check: cannot write the temporary file (disk full?)");
    std::vector<RowPrint> all;
    std::vector<uint32_t> batch_of;  // all[i] came from batches_[batch_of[i]]
    std::vector<uint32_t> table;     // open addressing over `all`: index + 1, 0 empty
    std::vector<bool> shared;        // all[i]'s hash is another row's too
    constexpr size_t parts = size_t{1} << RowPrints::partition_bits;
    // Spilled batches are read back eight partitions at a time, one read a batch (a partition at
    // a time was 64 small reads a batch: ~45,000 calls for 10M rows); memory: an eighth of them.
    constexpr size_t parts_read = 8;
    std::vector<RowPrint> read_back;
    std::vector<size_t> read_at;  // per batch: where its first partition of the group is in read_back
    for (size_t part = 0; part < parts; ++part) {
        if (part % parts_read == 0 && file_) {
            read_back.clear();
            read_at.assign(batches_.size(), 0);
            for (uint32_t k = 0; k < batches_.size(); ++k) {
                const Batch& b = batches_[k];
                if (b.offset < 0) continue;
                const size_t from = b.bounds[part], n = b.bounds[part + parts_read] - from, at = read_back.size();
                read_at[k] = at;
                if (n == 0) continue;
                read_back.resize(at + n);
                if (::pread(::fileno(file_), read_back.data() + at, n * sizeof(RowPrint),
                            static_cast<off_t>(b.offset + from * sizeof(RowPrint))) !=
                    static_cast<ssize_t>(n * sizeof(RowPrint)))
                    throw FeedError("duplicate-row check: cannot read the temporary file back");
            }
        }
        all.clear();
        batch_of.clear();
        for (uint32_t k = 0; k < batches_.size(); ++k) {
            const Batch& b = batches_[k];
            const size_t from = b.bounds[part], n = b.bounds[part + 1] - from, at = all.size();
            if (n == 0) continue;
            all.resize(at + n);
            batch_of.resize(at + n, k);
            const RowPrint* src = b.offset < 0
                                      ? b.rows.data() + from
                                      : read_back.data() + read_at[k] + (from - b.bounds[part - part % parts_read]);
            std::memcpy(all.data() + at, src, n * sizeof(RowPrint));
        }
        size_t size = 16;
        while (size < 2 * all.size()) size *= 2;
        table.assign(size, 0);
        shared.assign(all.size(), false);
        const size_t mask = size - 1;
        bool any = false;
        for (uint32_t n = 0; n < all.size(); ++n) {
            for (size_t i = (all[n].bits >> RowPrint::line_bits) & mask;; i = (i + 1) & mask) {
                uint32_t& slot = table[i];
                if (slot == 0) {
                    slot = n + 1;
                    break;
                }
                if (all[slot - 1].hash() == all[n].hash()) {
                    shared[slot - 1] = shared[n] = any = true;
                    break;
                }
            }
        }
        if (!any) continue;
        for (uint32_t n = 0; n < all.size(); ++n) {
            if (!shared[n]) continue;
            const Batch& b = batches_[batch_of[n]];
            out.push_back(
                Candidate{all[n].hash(), b.file, b.first_line + all[n].line(), b.reader_start, b.base, {}, {}});
        }
    }
    std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
        return std::tie(a.file, a.reader_start, a.line) < std::tie(b.file, b.reader_start, b.line);
    });
    return out;
}

std::vector<DuplicateRows::Pair> DuplicateRows::pairs(const std::vector<Candidate>& confirmed) {
    // Equal rows by (hash, key); the earliest (file, line) of each is the first.
    std::vector<const Candidate*> order;
    order.reserve(confirmed.size());
    for (const Candidate& c : confirmed) order.push_back(&c);
    std::sort(order.begin(), order.end(), [](const Candidate* a, const Candidate* b) {
        return std::tie(a->hash, a->key, a->file, a->line) < std::tie(b->hash, b->key, b->file, b->line);
    });
    std::vector<Pair> out;
    for (size_t i = 0; i < order.size();) {
        size_t j = i + 1;
        while (j < order.size() && order[j]->hash == order[i]->hash && order[j]->key == order[i]->key) ++j;
        const Candidate& first = *order[i];
        for (size_t k = i + 1; k < j; ++k)
            out.push_back(Pair{first.file, order[k]->file, first.line, order[k]->line, order[k]->cost});
        i = j;
    }
    std::sort(out.begin(), out.end(), [](const Pair& a, const Pair& b) {
        return std::tie(a.again_file, a.again_line) < std::tie(b.again_file, b.again_line);
    });
    return out;
}

}  // namespace ratebook
