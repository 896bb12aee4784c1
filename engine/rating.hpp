// The rating job over whole feeds: read every record, rate it, and aggregate the charges into
// lines per account x RU x service x product x component (and rule, so every line is
// traceable to the one rule that priced it). Every record ends charged or rejected.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "interpreter/decimal.hpp"
#include "interpreter/ruleset.hpp"

namespace ratebook {

struct ChargeLine {
    std::string account;
    std::string account_source;  // how the account was found: the source's label or "fallback"
    std::string ru;
    std::string service;
    std::string product;
    std::string component;
    std::string unit;
    uint32_t rate = 0;  // index into RuleSet::rates
    int32_t allocation = -1;  // >= 0: a line of RuleSet::allocations[allocation] (then `rate` is unused)
    uint64_t records = 0;
    Decimal volume;     // exact sum
    Decimal charge;     // exact sum, unrounded; rounded once, per line, on output
    // A suspense line of usage whose account was inactive on the account master that day: the
    // account the records mapped to. Empty otherwise.
    std::string inactive_account;
};

// The account_source shown on such a line: the flag first, then how the account was found.
std::string inactive_account_label(std::string_view account, std::string_view source);

struct RejectRow {
    std::string file;
    uint64_t line = 0;
    std::string category;
    std::string reason;
    std::string raw;
};

struct FeedCount {
    std::string path;
    uint64_t rows = 0, charged = 0, rejected = 0, bytes = 0;
    uint64_t elsewhere = 0;  // rated by another rule set's pass (RateOptions::router)
};

struct RateRun {
    uint64_t rows_in = 0, charged = 0, rejected = 0;
    uint64_t elsewhere = 0;  // rows_in = charged + rejected + elsewhere
    std::map<std::string, uint64_t> rejects_by_category;
    std::vector<ChargeLine> lines;  // sorted: account, ru, service, product, component, rule
    std::vector<FeedCount> feeds;
    // The latest BillingPeriodStart of a charged record (days since 1970-01-01): the month that
    // monthly fees are charged for. Only read when the rule set has fees.
    std::optional<int32_t> latest_billing_day;
    // What the run could not do that an analyst must know about (fees it could not charge), said
    // on the console and in summary.json.
    std::vector<std::string> notes;
};

// Several rule sets over one feed (fiscal-year folders, engine/fiscal_years.hpp): each rule
// set rates the feed in its own pass, and the router says, per record, whether this pass rates
// it, leaves it to another pass, or rejects it (a record no rule set covers is rejected by
// exactly one pass). Must be safe to call from several threads at once.
struct CsvRecord;
struct RatedRecord;
class RecordRouter {
public:
    enum class Route { rate, elsewhere, reject };
    virtual ~RecordRouter() = default;
    // Once per feed: the column the router reads. Throws FeedError when the feed lacks it.
    virtual int prepare(const std::vector<std::string>& header, const std::string& path) const = 0;
    // For `reject`, sets out.category and out.reason.
    virtual Route route(const CsvRecord& rec, int column, RatedRecord& out) const = 0;
};

struct CsvRecord;
struct RatedRecord;
class ParsedFields;

// What normalisation changed, by kind and spelling: "null spelling NULL in ContractedCost" -> 7.
using NormaliseCounts = std::map<std::string, uint64_t>;

// Sees every record rating reads, on rating's threads, before it is rated: feed validation
// (issue 6) runs this way inside rating's one pass over the feed instead of a pass of its own.
// Records reach a Worker chunk by chunk; each chunk's Part is merged in file order on one
// thread, so what the observer concludes does not depend on the thread count or on where the
// chunks were cut.
class FeedObserver {
public:
    struct Part {
        virtual ~Part() = default;
    };
    class Worker {
    public:
        virtual ~Worker() = default;
        // A chunk's records follow, read by a reader opened at byte `reader_start` of the file (0:
        // at its start, header included; otherwise a continuation reader at that record start),
        // so that a record can be found again by its relative line.
        virtual void begin_chunk(uint64_t reader_start) = 0;
        // Where normalisation counts its changes in this chunk (rating normalises the record).
        virtual NormaliseCounts* normalise_counts() = 0;
        // Every record, after normalisation and after rating has read it; rec.line is relative to
        // the chunk's reader. Number fields and Tags are read through `fields`, which holds what
        // rating parsed of them. Records come in batches, each after rating has taken the batch
        // (rate_chunk says why), in file order.
        virtual void record(const CsvRecord& rec, ParsedFields& fields) = 0;
        // The record as rated by this rule set, just after rating it, so before record() (not
        // called for records routed elsewhere). `out`'s views are valid during the call only.
        virtual void rated(const CsvRecord& rec, ParsedFields& fields, const RatedRecord& out) = 0;
        virtual std::unique_ptr<Part> end_chunk() = 0;
    };
    virtual ~FeedObserver() = default;
    virtual void begin_file(uint32_t file, const std::string& path, const std::vector<std::string>& header) = 0;
    // One per rating thread and file; called on the rating threads.
    virtual std::unique_ptr<Worker> worker(uint32_t file) = 0;
    // In file order, on one thread: line_base + a relative line is the line in the file.
    virtual void merge(Part& part, uint64_t line_base) = 0;
    virtual void end_file(uint32_t file) = 0;
};

struct RateOptions {
    // Rating threads; 0 = std::thread::hardware_concurrency(). Outputs are byte-identical
    // whatever the count.
    unsigned threads = 1;
    // Bytes of feed per chunk (an uncompressed file is cut into chunks at record boundaries and
    // the chunks are rated in parallel, then merged in file order). 0 = the default (8 MiB);
    // tests set it small (env RATEBOOK_CHUNK_BYTES in `ratebook rate`) to put chunk ends everywhere.
    uint64_t chunk_bytes = 0;
    const RecordRouter* router = nullptr;  // none: this rule set rates every record
    FeedObserver* observer = nullptr;      // feed validation, when `rate` checks the feeds
};

// Rates the feeds in order. Each reject is passed to on_reject in file order, as soon as its
// chunk is merged (so memory is bounded by the chunks in flight, not the file).
// Throws FeedError when a feed cannot be used at all.
RateRun rate_feeds(const RuleSet& rules, const std::vector<std::string>& paths,
                   const std::function<void(const RejectRow&)>& on_reject,
                   const RateOptions& options = {});

// A line's charge as billed: rounded per the rule set (places and mode from ratebook.toml).
Decimal billed_charge(const RuleSet& rules, const ChargeLine& line);

}  // namespace ratebook
