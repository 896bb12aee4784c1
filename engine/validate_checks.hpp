// Inside feed validation: the record as the checks see it (parsed once, shared by every
// check), where findings go, and the check families. Only engine/validate*.cpp include this.
//
// Validation runs inside rating's pass (issue 6: it may add at most 30% to rating): rating cuts a
// feed into chunks rated on several threads, and each thread's RowValidator checks the records
// of the chunks it rates into a ChunkPart. The parts are merged in file order by the
// FeedValidator (validate.cpp), which also runs the month-wide checks once the feeds are read.
// So everything a row check remembers about the month is a ChunkPart field merged in order
// (first sightings, totals, day masks, row fingerprints), and findings carry chunk-relative lines
// until the merge knows where the chunk starts.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/csv_reader.hpp"
#include "engine/duplicate_rows.hpp"
#include "engine/focus_values.hpp"
#include "engine/parsed_fields.hpp"
#include "engine/rating.hpp"
#include "engine/row_hash.hpp"
#include "engine/text_table.hpp"
#include "interpreter/vm.hpp"
#include "engine/validate.hpp"

namespace ratebook::validation {

// Where the columns the checks read sit in one file's header (-1: absent).
struct Columns {
    int billed = -1, pricing_qty = -1, consumed_qty = -1, pricing_unit = -1, consumed_unit = -1;
    int charge_start = -1, charge_end = -1, billing_start = -1, billing_end = -1;
    int provider = -1, service = -1, category = -1, currency = -1, billing_account = -1, sub_account = -1;
    int resource = -1, sku = -1, tags = -1;
    explicit Columns(const std::vector<std::string>& header);
};

// A quantity as the row checks need it: its sign, or absent (null or unreadable: the schema
// checks report why). Its value is parsed only for a message.
struct Quantity {
    bool present = false;
    int sign = 0;
    std::string_view text;
    bool negative() const { return present && sign < 0; }
    bool none() const { return !present || sign == 0; }
};

// A timestamp that may be absent (null or unreadable): std::optional<Timestamp>'s interface, but
// copied as whole words. The optional's one-byte flag, copied through the stack into the Row,
// made the CPU wait on store forwarding on every row (perf: a quarter of the schema checks' time).
struct MaybeTime {
    Timestamp value;
    uint32_t known = 0;
    explicit operator bool() const { return known != 0; }
    const Timestamp& operator*() const { return value; }
    const Timestamp* operator->() const { return &value; }
    void reset() { known = 0; }
    MaybeTime& operator=(const std::optional<Timestamp>& t) {
        known = t.has_value();
        if (t) value = *t;
        return *this;
    }
};

// One record, parsed once for every check. A value that is absent, null or unparseable is
// nullopt / empty (the schema checks report why).
struct Row {
    const CsvRecord* rec = nullptr;
    ParsedFields* fields = nullptr;  // the record's numbers and Tags, parsed once (shared with rating)
    uint32_t file = 0;  // index into the feeds
    bool malformed = false;
    Decimal billed;  // 0 when missing
    Quantity pricing_qty, consumed_qty;
    MaybeTime charge_start, charge_end, billing_start, billing_end;
    std::string_view provider, service, category, currency, account, resource, sku, tags;
};

// The month billed, as day numbers: [first, end).
struct Month {
    int32_t first = 0, end = 0;
    bool known() const { return end > first; }
    int days() const { return end - first; }
};
Month month_of(int32_t day);

// A 128-bit fingerprint of text (XXH3, chosen for its tested collision resistance: a collision
// would need about 2^64 records). A second copy of a file is found by it (duplicate-file);
// duplicate rows are confirmed by their columns instead (row_hash.hpp).
struct Print128 {
    uint64_t h1 = 0x243F6A8885A308D3ull, h2 = 0x13198A2E03707344ull;
    void add(std::string_view s);
};
// "2026-10-01" and "2026-10-01 00:00:00", for messages.
std::string show_day(int32_t days);
std::string show_time(const Timestamp& t);

// A hash map by text, looked up by string_view without a copy (a transparent hash): per-row
// lookups by resource must not allocate, and the sorted maps findings are made from cost a
// dozen long-string comparisons a lookup.
// The hash is RowHash's (row_hash.hpp): a third of std::hash's time on a 100-byte ResourceId.
struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
        RowHash h;
        h.add(s);
        return h.value();
    }
};
template <class T>
using TextIndex = std::unordered_map<std::string, T, TextHash, std::equal_to<>>;

// What one chunk of one feed contributes to the month, in the chunk's record order. Lines are
// relative to the chunk's reader until FeedValidator::merge adds where the chunk starts.
struct ChunkPart : FeedObserver::Part {
    uint32_t file = 0;
    uint64_t rows = 0;
    std::vector<Finding> findings;
    // The hash of each row's identifying columns (duplicate-row), with chunk-relative lines, and
    // where the chunk's reader was opened (FeedObserver::Worker::begin_chunk), to read
    // candidates again.
    std::vector<RowPrints> prints;  // (more than one only past 2^16 lines: RowPrints::fits)
    uint64_t reader_start = 0;
    struct Unit {                  // the first row of this chunk spelling a unit this way
        std::string folded, spelling;
        std::string_view column;
        uint64_t line;
        Decimal billed;
    };
    std::vector<Unit> units;
    struct Untagged {  // rows of one resource with no tags
        std::string resource;  // (empty in a chunk's table, whose key it is)
        uint64_t first = 0, last = 0, rows = 0;
        Decimal cost;
    };
    TextTable<Untagged> untagged;  // by ResourceId, in order of first row
    struct Currency {  // rows billed in a currency other than the rule set's
        std::string code;
        uint64_t rows = 0, line = 0;
        Decimal cost;
    };
    std::vector<Currency> currencies;
    struct Totals {
        uint64_t rows = 0;
        Decimal cost;
    };
    std::map<std::string, uint32_t, std::less<>> provider_days, account_days;  // bit d: day d+1 has rows
    std::map<std::string, Totals, std::less<>> by_service;                     // "provider / service"
    std::map<std::string, Decimal, std::less<>> provider_cost;
    // The file's records as a multiset (sums of per-record fingerprints: order-free, so chunks
    // add up), for spotting a second copy of a file.
    uint64_t print1 = 0, print2 = 0, print_rows = 0;
    Decimal cost;
    NormaliseCounts normalised;
    // Charged usage by ResourceId that fell to the suspense account (no account source gave an
    // account), and by inactive account and ResourceId.
    TextTable<UsageTotals> unmapped;
    UsageByAccountResource inactive;
};

// Collects one chunk's findings, minus the checks the rule set skips.
class Sink {
public:
    Sink(const RuleSet& rules, const std::vector<std::string>& files) : rules_(rules), files_(files) {}
    bool on(std::string_view check) const { return !rules_.config.validate.skipped(check); }
    void add(std::string_view check, FindingSeverity s, uint64_t line, std::string message, const Decimal& amount = {});
    void begin(ChunkPart* part) { part_ = part; }
    ChunkPart& part() { return *part_; }
    const std::string& file_name(uint32_t file) const { return files_[file]; }
    const RuleSet& rules() const { return rules_; }

private:
    const RuleSet& rules_;
    const std::vector<std::string>& files_;
    ChunkPart* part_ = nullptr;
};

// Schema: malformed rows, value types, nulls where FOCUS forbids them, one currency, the billing
// period of every row. Also parses the Row the other checks read. (Missing columns are a file's
// finding: missing_columns below.)
class SchemaChecks {
public:
    SchemaChecks(Sink& sink, const Month& month) : sink_(sink), month_(month) {}
    void begin_file(const std::vector<std::string>& header);
    // Parses rec into row, reporting what is wrong with its values. False: the record is
    // malformed and the other checks skip it.
    bool record(const CsvRecord& rec, uint32_t file, const Columns& cols, ParsedFields& numbers, Row& row);

private:
    // What record() does past the usual row, out of its way (see validate_schema.cpp).
    [[gnu::cold, gnu::noinline]] void null_values(const CsvRecord& rec);
    [[gnu::noinline]] bool unusual_number(const CsvRecord& rec, size_t k, ParsedFields& numbers, int8_t& sign);
    [[gnu::cold, gnu::noinline]] void not_a_number(const CsvRecord& rec, int col, std::string_view name);
    [[gnu::noinline]] bool new_timestamp(const CsvRecord& rec, size_t t);
    [[gnu::cold, gnu::noinline]] void other_currency(const Row& row);
    [[gnu::cold, gnu::noinline]] void billing_period(const Row& row);

    Sink& sink_;
    const Month& month_;
    std::vector<std::pair<int, std::string_view>> numbers_, timestamps_, required_;
    // The columns alone, for the loops every row runs (no call inside them: the loop's state
    // stays in registers).
    std::vector<int> number_columns_, required_columns_;
    std::vector<MaybeTime> times_by_column_;
    static constexpr int8_t no_sign = 2;   // null or not a number
    std::vector<int8_t> signs_by_column_;  // per number column, this record: -1, 0, 1 or no_sign
    std::vector<std::string> last_time_text_;  // per timestamp column: the last value parsed
    std::vector<MaybeTime> last_time_;
    std::string why_;
};
// The FOCUS columns (and the rule set's own) a file lacks; empty when none.
std::vector<std::string> missing_columns(const RuleSet& rules, const std::vector<std::string>& header);

// Rows: negative usage, cost without quantity, charge period outside the billing period,
// duplicates (fingerprints; the pairs are found at the end), untagged and unreadable tags,
// values FOCUS does not allow, units spelled two ways (first sightings; compared at the merge).
class RowChecks {
public:
    explicit RowChecks(Sink& sink);
    void begin_file(const std::vector<std::string>& header);
    void begin_chunk();
    void record(const Row& row);

private:
    // What record() does past the usual row, out of its way (see validate_rows.cpp).
    [[gnu::cold, gnu::noinline]] void negative_usage(const Row& row);
    [[gnu::cold, gnu::noinline]] void cost_without_quantity(const Row& row);
    [[gnu::cold, gnu::noinline]] void charge_period(const Row& row);
    [[gnu::noinline]] void untagged(const Row& row);
    [[gnu::cold, gnu::noinline]] void escaped_tags(const Row& row);
    [[gnu::cold, gnu::noinline]] void new_allowed_value(const Row& row, size_t a);
    [[gnu::cold, gnu::noinline]] void new_unit(const Row& row, size_t u);

    Sink& sink_;
    bool duplicates_on_ = true, untagged_on_ = true;
    std::vector<int> id_cols_;
    int tags_col_ = -1;
    std::vector<std::pair<int, const std::pair<std::string, std::vector<std::string>>*>> allowed_;
    std::vector<std::pair<std::string, std::vector<std::string>>> allowed_lists_;
    std::vector<std::pair<int, std::string_view>> unit_cols_;
    std::unordered_set<std::string> unit_seen_;  // this chunk: "folded\x1fspelling"
    std::vector<std::vector<std::string>> units_known_;  // per unit column: spellings seen this chunk
    std::vector<std::string> last_allowed_;        // per allowed-values column: the last good value
    std::string key_;
    std::vector<std::pair<std::string, std::string>> tag_scratch_;
    std::string why_;
};

// The identifying columns a header has, "BillingAccountId, SubAccountId, ...", for duplicate-row
// messages.
std::string identifying_column_names(const std::vector<std::string>& header);
// Where they are in a header, in the order rows are hashed and compared.
std::vector<int> identifying_column_indices(const std::vector<std::string>& header);
// The candidates' rows read again (validate_duplicates.cpp): every later row equal to an earlier
// one on the identifying columns, in file order. Throws FeedError when a feed changed meanwhile.
std::vector<DuplicateRows::Pair> confirm_duplicates(const RuleSet& rules, const std::vector<std::string>& files,
                                                    std::vector<DuplicateRows::Candidate> candidates);

// Feed totals of one chunk: days with rows, cost and rows per provider and service, the file's
// fingerprint. The month-wide decisions are FeedChecks'.
class FeedTally {
public:
    // fingerprint_rows: the file has the size of another feed, so it may be a copy (only then is
    // every record's text hashed: that costs as much as the other row checks together).
    FeedTally(Sink& sink, const Month& month, bool per_account_days, bool fingerprint_rows)
        : sink_(sink), month_(month), per_account_days_(per_account_days), fingerprint_rows_(fingerprint_rows) {}
    void begin_chunk();
    void record(const Row& row);

private:
    struct Pair {  // one (provider, service)'s entries in the part's maps
        uint32_t* days;
        Decimal* provider_cost;
        ChunkPart::Totals* service;
    };

    const Pair& pair(std::string_view provider, std::string_view service);

    Sink& sink_;
    const Month& month_;
    bool per_account_days_, fingerprint_rows_;
    std::string key_;
    // The pairs last looked up, by their hash: a row's provider and service are two short
    // compares away from their entries, without a key built or a table walked.
    struct Recent {
        uint64_t hash = 0;
        uint64_t chunk = 0;  // valid in this chunk only (the entries are the part's)
        Pair pair{};
        // The provider and service end to end, here rather than behind a pointer (a row compares
        // them in the slot's own cache lines). Pairs longer than this are not kept here.
        uint16_t provider_size = 0, service_size = 0;
        char text[52];
    };
    std::array<Recent, 1024> recent_;  // by the top 10 bits of the hash (a month has tens to hundreds of pairs)
    uint64_t chunk_ = 0;
    TextIndex<Pair> pairs_;                 // this chunk's, by "provider\x1fservice"
    TextIndex<uint32_t*> account_days_;     // this chunk's, by account
};

// Feed-wide: days with no rows, last month's volume and cost, control totals, a file twice.
class FeedChecks {
public:
    FeedChecks(const RuleSet& rules, const std::vector<std::string>& files, const ValidateOptions& options,
               Validation& v)
        : rules_(rules), files_(files), options_(options), v_(v) {}
    void read_prior(const std::vector<std::string>& prior);
    // fingerprinted: the file's records are hashed (it has the size of another feed).
    void begin_file(const std::vector<std::string>& header, bool fingerprinted);
    void merge(ChunkPart& part);
    // True when the file just read is a copy of an earlier one (reported here).
    bool end_file(uint32_t file);
    void finish(const Month& month);

private:
    void add_month(std::string_view check, FindingSeverity s, std::string message, const Decimal& amount = {});

    const RuleSet& rules_;
    const std::vector<std::string>& files_;
    const ValidateOptions& options_;
    Validation& v_;
    std::map<std::string, uint32_t, std::less<>> provider_days_, account_days_, prior_account_days_;
    std::map<std::string, ChunkPart::Totals, std::less<>> by_service_, prior_by_service_;
    std::map<std::string, Decimal, std::less<>> provider_cost_;
    std::string key_;
    // Per file: its fingerprint (header and records), to find a second copy.
    struct FilePrint {
        uint64_t h1 = 0, h2 = 0, rows = 0;
        bool fingerprinted = false;
    };
    std::vector<FilePrint> prints_;
    FilePrint current_;
    Decimal current_cost_;
};

// The rule set's own `check` rules, run on each record's values.
class RuleChecks {
public:
    explicit RuleChecks(Sink& sink);
    ~RuleChecks();
    bool active() const;
    // When the rules cannot read the file (FeedValidator reports what they lack, once), its
    // records are not checked.
    void begin_file(const std::vector<std::string>& header, const std::string& path);
    void record(const Row& row);

private:
    struct State;
    Sink& sink_;
    std::unique_ptr<State> state_;
};

}  // namespace ratebook::validation
