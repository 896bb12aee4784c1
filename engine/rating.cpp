// The rating job, parallel and deterministic.
//
// An uncompressed feed is cut into chunks of about 8 MiB. FeedChunk boundaries are *guessed* (the
// byte after the first line break past each nominal offset) and every chunk is rated by a
// worker with its own CsvReader that starts at the guess and stops at the first record starting
// at or after the next guess. A guess can be wrong: the line break may sit inside a quoted field.
// So chunks are merged strictly in file order, and a chunk is accepted only if its first record
// starts exactly where the previous chunk's reader stopped (the previous reader parsed from a
// true record boundary, so where it stopped is one too). A chunk that fails the check is rated
// again on the merging thread from the true boundary. Correctness never depends on the guess,
// only speed does; and the records, their order and their line numbers are exactly those of one
// reader reading the whole file, so outputs are byte-identical whatever the thread count.
//
// Each chunk aggregates its own charge lines and keeps its rejects (bounded by the chunk size);
// the merging thread folds chunks in file order into the run's lines and hands rejects to the
// caller in file order. At most a few chunks are in flight, so memory does not grow with the
// file. Sums are exact decimals, so grouping them by chunk changes no value; a line's
// account_source is that of its first record in file order, as with one reader.
// A compressed or non-regular feed cannot be cut: it is one chunk.
#include "engine/rating.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <climits>
#include <cstring>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>
#include <tuple>

#include "engine/csv_reader.hpp"
#include "engine/allocate_rules.hpp"
#include "engine/monthly_pricing.hpp"
#include "engine/normalise.hpp"
#include "engine/parsed_fields.hpp"
#include "engine/record_rater.hpp"

namespace ratebook {
namespace {

constexpr uint64_t default_chunk_bytes = uint64_t{8} << 20;
constexpr uint64_t no_limit = std::numeric_limits<uint64_t>::max();

// How the record's account was found, in the rule author's words.
std::string account_source_label(const RuleSet& rules, uint32_t source) {
    if (!rules.account) return "suspense_account in ratebook.toml (no account rule)";
    if (source < rules.account->sources.size()) return rules.account->sources[source].label;
    if (!rules.account->fallback.empty()) return rules.account->fallback_label;
    return "suspense_account in ratebook.toml";
}

// ---- aggregation --------------------------------------------------------------------------------

// 8 bytes a step; only for the hash table below (equality is always checked on the bytes).
inline uint64_t hash_bytes(std::string_view s, uint64_t h) {
    constexpr uint64_t k = 0x9E3779B97F4A7C15ull;
    const char* p = s.data();
    size_t n = s.size();
    while (n >= 8) {
        uint64_t w;
        std::memcpy(&w, p, 8);
        h = ((h ^ w) * k);
        h ^= h >> 29;
        p += 8;
        n -= 8;
    }
    uint64_t w = 0;
    if (n) std::memcpy(&w, p, n);
    h = (h ^ w ^ (static_cast<uint64_t>(s.size()) << 56)) * k;
    return h ^ (h >> 31);
}

// Owns the text of aggregated lines: records' views die with the record.
class Arena {
public:
    std::string_view store(std::string_view s) {
        if (s.empty()) return {};
        if (s.size() > left_) {
            size_t size = std::max<size_t>(s.size(), 64 << 10);
            blocks_.emplace_back(new char[size]);
            cur_ = blocks_.back().get();
            left_ = size;
        }
        std::memcpy(cur_, s.data(), s.size());
        std::string_view out(cur_, s.size());
        cur_ += s.size();
        left_ -= s.size();
        return out;
    }

private:
    std::vector<std::unique_ptr<char[]>> blocks_;
    char* cur_ = nullptr;
    size_t left_ = 0;
};

// The aggregation key: the drill-down fields and the rule.
struct LineKey {
    std::string_view account, ru, service, product, component, unit;
    uint32_t rate = 0;
    std::string_view inactive;  // the inactive account a suspense line's records mapped to, or ""

    auto tie() const { return std::tie(account, ru, service, product, component, unit, rate, inactive); }
};

// A key as one byte string: the rule, then each part after its length. So a record's key is
// hashed in one pass and compared with one memcmp, and a stored key is one block of text: a
// lookup touches two or three cache lines instead of one per part (the table outgrows the caches
// with a resource-level drill-down: a line per resource).
class PackedKey {
public:
    void pack(const LineKey& k) {
        buf_.clear();
        put(&k.rate, sizeof k.rate);
        for (std::string_view part : {k.account, k.ru, k.service, k.product, k.component, k.unit, k.inactive}) {
            const auto n = static_cast<uint32_t>(part.size());
            put(&n, sizeof n);
            put(part.data(), part.size());
        }
    }
    std::string_view bytes() const { return buf_; }

    static LineKey unpack(std::string_view b) {
        LineKey k;
        std::memcpy(&k.rate, b.data(), sizeof k.rate);
        size_t at = sizeof k.rate;
        for (std::string_view* part : {&k.account, &k.ru, &k.service, &k.product, &k.component, &k.unit, &k.inactive}) {
            uint32_t n;
            std::memcpy(&n, b.data() + at, sizeof n);
            at += sizeof n;
            *part = b.substr(at, n);
            at += n;
        }
        return k;
    }

private:
    void put(const void* p, size_t n) { buf_.append(static_cast<const char*>(p), n); }
    std::string buf_;
};

// 8 bytes a step; only for the hash table below (equality is always checked on the bytes).
inline uint64_t hash_key(std::string_view s) { return hash_bytes(s, 0x243F6A8885A308D3ull); }

struct AggLine {
    const char* key = nullptr;  // PackedKey bytes, in the table's arena
    uint32_t key_size = 0;
    uint32_t account_source = 0;
    uint64_t hash = 0;
    uint64_t records = 0;
    Decimal volume, charge;
    std::string_view packed() const { return {key, key_size}; }
};

// Open addressing over indices into lines_ (insertion order kept: first record first). A slot
// holds the line's index and the top half of its hash, so probing past other keys reads no line.
class AggTable {
public:
    AggTable() : slots_(1024, 0), mask_(1023) {}

    // The line for `key` (packed), created (its bytes copied) if new.
    AggLine& upsert(std::string_view key, uint64_t hash, uint32_t account_source) {
        const uint64_t tag = hash & 0xFFFFFFFF00000000ull;
        size_t i = hash & mask_;
        for (;;) {
            uint64_t s = slots_[i];
            if (s == 0) break;
            if ((s & 0xFFFFFFFF00000000ull) == tag) {
                AggLine& l = lines_[(s & 0xFFFFFFFFu) - 1];
                if (l.key_size == key.size() && std::memcmp(l.key, key.data(), key.size()) == 0) return l;
            }
            i = (i + 1) & mask_;
        }
        AggLine l;
        std::string_view stored = arena_.store(key);
        l.key = stored.data();
        l.key_size = static_cast<uint32_t>(stored.size());
        l.hash = hash;
        l.account_source = account_source;
        lines_.push_back(l);
        slots_[i] = tag | lines_.size();
        if (lines_.size() * 2 > slots_.size()) grow();
        return lines_.back();
    }
    std::vector<AggLine>& lines() { return lines_; }

private:
    void grow() {
        std::vector<uint64_t> slots(slots_.size() * 2, 0);
        mask_ = slots.size() - 1;
        for (uint32_t n = 0; n < lines_.size(); ++n) {
            size_t i = lines_[n].hash & mask_;
            while (slots[i] != 0) i = (i + 1) & mask_;
            slots[i] = (lines_[n].hash & 0xFFFFFFFF00000000ull) | (n + 1);
        }
        slots_ = std::move(slots);
    }

    std::vector<AggLine> lines_;
    std::vector<uint64_t> slots_;
    size_t mask_;
    Arena arena_;
};

// ---- chunks -------------------------------------------------------------------------------------

struct ChunkReject {
    uint64_t line;  // relative to the chunk's reader
    uint32_t category, reason, raw;  // lengths of consecutive texts in FeedChunk::reject_text
};

struct FeedChunk {
    uint64_t start = 0;        // guessed record start (0: the file start, header included)
    uint64_t limit = no_limit;  // records starting at or after this belong to the next chunk
    // Filled by the worker:
    uint64_t first_start = 0, first_line = 0;  // where its first record starts (after blank lines)
    uint64_t stop = 0, stop_line = 0;          // where its reader stopped
    uint64_t rows = 0, charged = 0, rejected = 0, bytes_read = 0, elsewhere = 0;
    int32_t latest_billing_day = INT32_MIN;  // for monthly fees
    AggTable agg;
    std::vector<ChunkReject> rejects;
    std::string reject_text;
    std::unique_ptr<FeedObserver::Part> observed;  // what the observer (feed validation) made of it
    std::exception_ptr error;
    bool done = false;
};

struct FileJob {
    const RuleSet& rules;
    const std::string& path;
    const std::vector<std::string>& header;
    const FeedLayout& layout;
    const Normaliser& normaliser;  // ratebook.toml [normalise], applied before rating (issue 6)
    const RecordRouter* router = nullptr;
    int route_column = -1;
};

// Records read together and kept valid together: rating takes a batch, then the feed checks
// take it. Alternating record by record, the two sets of code did not fit the instruction cache
// together and each evicted the other on every row (callgrind: 1.5 instruction-cache misses a
// row for rating alone, 47 with the checks interleaved); by batches each runs from cache.
struct RecordBatch {
    static constexpr size_t size = 16;
    struct Slot {
        CsvRecord rec;
        std::string scratch;          // the record's unescaped quoted fields
        std::string normalised_tags;  // its Tags, when normalisation rewrote them
        ParsedFields numbers;         // its numbers and Tags, parsed once for rating and checks
    };
    std::array<Slot, size> slots;
};

// Rates one chunk from `start` (a continuation reader unless start is 0).
void rate_chunk(const FileJob& job, RecordRater& rater, FeedObserver::Worker* watcher, FeedChunk& c,
                uint64_t start) {
    try {
        if (watcher) watcher->begin_chunk(start);
        NormaliseCounts* counts = watcher ? watcher->normalise_counts() : nullptr;
        std::unique_ptr<CsvReader> reader = start == 0 ? std::make_unique<CsvReader>(job.path)
                                                       : std::make_unique<CsvReader>(job.path, job.header, start);
        c.first_start = reader->skip_to_record();
        c.first_line = reader->line();
        auto batch = std::make_unique<RecordBatch>();
        RatedRecord rated;
        PackedKey packed;
        for (;;) {
            // A batch: the records already whole in the reader's buffer (all valid together),
            // or, when there are none, one record read with more input.
            size_t n = 0;
            while (n < RecordBatch::size &&
                   reader->next_buffered(batch->slots[n].rec, c.limit, batch->slots[n].scratch))
                ++n;
            if (n == 0 && reader->next_before(batch->slots[0].rec, c.limit, batch->slots[0].scratch)) n = 1;
            if (n == 0) break;
            for (size_t k = 0; k < n; ++k) {
                RecordBatch::Slot& slot = batch->slots[k];
                CsvRecord& rec = slot.rec;
                ++c.rows;
                if (job.normaliser.active()) job.normaliser.apply(rec, slot.normalised_tags, counts);
                slot.numbers.next_record();
                rater.share_numbers(watcher ? &slot.numbers : nullptr);
                auto route = job.router ? job.router->route(rec, job.route_column, rated) : RecordRouter::Route::rate;
                if (route == RecordRouter::Route::elsewhere) {
                    ++c.elsewhere;
                    continue;
                }
                if (route == RecordRouter::Route::rate) {
                    rater.rate(rec, job.layout, rated);
                    if (watcher) watcher->rated(rec, slot.numbers, rated);
                } else {
                    rated.charged = false;
                }
                if (!rated.charged) {
                    ++c.rejected;
                    c.reject_text.append(rated.category).append(rated.reason).append(rec.raw);
                    c.rejects.push_back(ChunkReject{rec.line, static_cast<uint32_t>(rated.category.size()),
                                                    static_cast<uint32_t>(rated.reason.size()),
                                                    static_cast<uint32_t>(rec.raw.size())});
                    continue;
                }
                ++c.charged;
                packed.pack(LineKey{rated.account, rated.ru, rated.service, rated.product, rated.component,
                                    rated.unit, rated.rate, rated.inactive_account});
                c.latest_billing_day = std::max(c.latest_billing_day, rated.billing_day);
                AggLine& line = c.agg.upsert(packed.bytes(), hash_key(packed.bytes()), rated.account_source);
                ++line.records;
                line.volume += rated.volume;
                line.charge += rated.charge;
            }
            // Then the checks, over the same records (every record, routed anywhere).
            if (watcher)
                for (size_t k = 0; k < n; ++k) watcher->record(batch->slots[k].rec, batch->slots[k].numbers);
        }
        c.stop = reader->offset();
        c.stop_line = reader->line();
        c.bytes_read = reader->bytes_read();
        rater.share_numbers(nullptr);
        if (watcher) c.observed = watcher->end_chunk();
    } catch (...) {
        c.error = std::current_exception();
    }
}

// Where chunks after the first should start: the byte after the first line break at or past
// each multiple of chunk_bytes. Only a guess (see the top of the file).
std::vector<uint64_t> guess_starts(const std::string& path, uint64_t data_start, uint64_t chunk_bytes) {
    std::vector<uint64_t> starts;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return starts;
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        ::close(fd);
        return starts;
    }
    const uint64_t size = static_cast<uint64_t>(st.st_size);
    char buf[64 << 10];
    uint64_t at = data_start + chunk_bytes;
    while (at < size) {
        uint64_t found = no_limit;
        for (uint64_t pos = at - 1; pos < size && found == no_limit;) {
            ssize_t got = ::pread(fd, buf, sizeof buf, static_cast<off_t>(pos));
            if (got <= 0) break;
            if (const void* nl = std::memchr(buf, '\n', static_cast<size_t>(got)))
                found = pos + static_cast<uint64_t>(static_cast<const char*>(nl) - buf) + 1;
            pos += static_cast<uint64_t>(got);
        }
        if (found == no_limit || found >= size) break;
        if (starts.empty() || found > starts.back()) starts.push_back(found);
        at = std::max(at + chunk_bytes, found + 1);
    }
    ::close(fd);
    return starts;
}

}  // namespace

Decimal billed_charge(const RuleSet& rules, const ChargeLine& line) {
    return line.charge.rounded(rules.config.rounding_places, rules.config.rounding);
}

RateRun rate_feeds(const RuleSet& rules, const std::vector<std::string>& paths,
                   const std::function<void(const RejectRow&)>& on_reject, const RateOptions& options) {
    RateRun run;
    unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    const uint64_t chunk_bytes = options.chunk_bytes ? options.chunk_bytes : default_chunk_bytes;
    AggTable total;
    RejectRow reject;  // reused: its strings keep their storage

    for (uint32_t file = 0; file < paths.size(); ++file) {
        const std::string& path = paths[file];
        std::vector<std::string> header;
        uint64_t data_start = 0;
        bool splittable = false;
        {
            CsvReader probe(path);
            header = probe.header();
            data_start = probe.offset();
            splittable = probe.splittable();
        }
        FeedLayout layout = make_layout(rules, header, path);
        const Normaliser normaliser(rules, header);
        const FileJob job{rules, path, header, layout, normaliser, options.router,
                          options.router ? options.router->prepare(header, path) : -1};
        FeedObserver* observer = options.observer;
        if (observer) observer->begin_file(file, path, header);

        std::vector<std::unique_ptr<FeedChunk>> chunks;
        {
            std::vector<uint64_t> starts;
            if (splittable) starts = guess_starts(path, data_start, chunk_bytes);
            chunks.push_back(std::make_unique<FeedChunk>());
            for (uint64_t s : starts) {
                chunks.back()->limit = s;
                chunks.push_back(std::make_unique<FeedChunk>());
                chunks.back()->start = s;
            }
        }
        const unsigned workers = std::min<size_t>(threads, chunks.size()) > 1 ? threads : 0;

        // Workers take chunks in order, at most `window` ahead of the merge.
        std::mutex mutex;
        std::condition_variable work_cv, done_cv;
        size_t next = 0, merged = 0;
        bool stop = false;
        const size_t window = 2 * static_cast<size_t>(threads) + 2;
        std::vector<std::thread> pool;
        struct Joiner {
            std::mutex& m;
            std::condition_variable& cv;
            bool& stop;
            std::vector<std::thread>& pool;
            ~Joiner() {
                {
                    std::lock_guard lock(m);
                    stop = true;
                }
                cv.notify_all();
                for (auto& t : pool) t.join();
            }
        } joiner{mutex, work_cv, stop, pool};
        for (unsigned w = 0; w < workers; ++w) {
            pool.emplace_back([&] {
                RecordRater rater(rules);
                std::unique_ptr<FeedObserver::Worker> watcher;
                std::exception_ptr watcher_error;  // handed to each chunk this thread takes
                try {
                    if (observer) watcher = observer->worker(file);
                } catch (...) {
                    watcher_error = std::current_exception();
                }
                for (;;) {
                    size_t k;
                    {
                        std::unique_lock lock(mutex);
                        work_cv.wait(lock, [&] { return stop || next >= chunks.size() || next < merged + window; });
                        if (stop || next >= chunks.size()) return;
                        k = next++;
                    }
                    FeedChunk& c = *chunks[k];
                    if (watcher_error) c.error = watcher_error;
                    else rate_chunk(job, rater, watcher.get(), c, c.start);
                    {
                        std::lock_guard lock(mutex);
                        c.done = true;
                    }
                    done_cv.notify_all();
                }
            });
        }
        std::unique_ptr<RecordRater> inline_rater;  // the merging thread's, for one thread or a re-run
        std::unique_ptr<FeedObserver::Worker> inline_watcher;
        auto rate_here = [&](FeedChunk& chunk, uint64_t from) {
            if (!inline_rater) inline_rater = std::make_unique<RecordRater>(rules);
            if (observer && !inline_watcher) inline_watcher = observer->worker(file);
            rate_chunk(job, *inline_rater, inline_watcher.get(), chunk, from);
        };

        FeedCount count;
        count.path = path;
        uint64_t prev_stop = 0, prev_stop_line = 0;  // absolute line at prev_stop
        for (size_t k = 0; k < chunks.size(); ++k) {
            FeedChunk* c = chunks[k].get();
            if (workers == 0) {
                rate_here(*c, c->start);
            } else {
                std::unique_lock lock(mutex);
                done_cv.wait(lock, [&] { return c->done; });
            }
            if (k > 0 && c->first_start != prev_stop) {
                // The guess was not a record boundary: rate this chunk again from the true one.
                auto redo = std::make_unique<FeedChunk>();
                redo->start = prev_stop;
                redo->limit = c->limit;
                rate_here(*redo, prev_stop);
                if (!redo->error && redo->first_start != prev_stop)
                    throw std::logic_error("rate_feeds: a chunk re-read from a record boundary moved");
                chunks[k] = std::move(redo);
                c = chunks[k].get();
            }
            if (c->error) std::rethrow_exception(c->error);
            // Absolute line = base + the chunk reader's line (chunk 0 reads from the file start).
            const uint64_t base = k == 0 ? 0 : prev_stop_line - c->first_line;
            const char* text = c->reject_text.data();
            for (const ChunkReject& r : c->rejects) {
                reject.file = path;
                reject.line = base + r.line;
                reject.category.assign(text, r.category);
                text += r.category;
                reject.reason.assign(text, r.reason);
                text += r.reason;
                reject.raw.assign(text, r.raw);
                text += r.raw;
                ++run.rejects_by_category[reject.category];
                on_reject(reject);
            }
            if (observer && c->observed) observer->merge(*c->observed, base);
            for (const AggLine& l : c->agg.lines()) {
                AggLine& t = total.upsert(l.packed(), l.hash, l.account_source);
                t.records += l.records;
                t.volume += l.volume;
                t.charge += l.charge;
            }
            count.rows += c->rows;
            if (c->latest_billing_day != INT32_MIN)
                run.latest_billing_day = std::max(run.latest_billing_day.value_or(INT32_MIN), c->latest_billing_day);
            count.charged += c->charged;
            count.rejected += c->rejected;
            count.elsewhere += c->elsewhere;
            count.bytes = k == 0 ? c->bytes_read : c->stop;
            prev_stop = c->stop;
            prev_stop_line = base + c->stop_line;
            chunks[k].reset();  // its memory goes back before the next chunk is merged
            if (workers) {
                {
                    std::lock_guard lock(mutex);
                    merged = k + 1;
                }
                work_cv.notify_all();
            }
        }
        if (splittable && chunks.size() > 1) count.bytes = prev_stop;
        if (observer) observer->end_file(file);
        run.rows_in += count.rows;
        run.charged += count.charged;
        run.rejected += count.rejected;
        run.elsewhere += count.elsewhere;
        run.feeds.push_back(std::move(count));
    }

    // Sorted: account, ru, service, product, component, unit, rule (the key is unique).
    std::vector<AggLine>& lines = total.lines();
    std::vector<LineKey> keys;
    keys.reserve(lines.size());
    for (const AggLine& l : lines) keys.push_back(PackedKey::unpack(l.packed()));
    std::vector<uint32_t> order(lines.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return keys[a].tie() < keys[b].tie(); });
    std::vector<std::string> labels;
    if (rules.account)
        for (uint32_t s = 0; s <= rules.account->sources.size(); ++s) labels.push_back(account_source_label(rules, s));
    run.lines.reserve(lines.size());
    for (uint32_t i : order) {
        const AggLine& l = lines[i];
        const LineKey& key = keys[i];
        ChargeLine line;
        line.account = key.account;
        line.account_source = l.account_source < labels.size() ? labels[l.account_source]
                                                                : account_source_label(rules, l.account_source);
        if (!key.inactive.empty()) {
            line.inactive_account = key.inactive;
            line.account_source = inactive_account_label(key.inactive, line.account_source);
        }
        line.ru = key.ru;
        line.service = key.service;
        line.product = key.product;
        line.component = key.component;
        line.unit = key.unit;
        line.rate = key.rate;
        line.records = l.records;
        line.volume = l.volume;
        line.charge = l.charge;
        run.lines.push_back(std::move(line));
    }
    apply_monthly_pricing(rules, run);
    apply_allocations(rules, run);  // shared pools, once the month's own charges are final
    return run;
}

}  // namespace ratebook
