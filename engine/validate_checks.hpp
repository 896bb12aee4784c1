// Inside feed validation: the record as the checks see it (parsed once, shared by every
// check), where findings go, and the check families. Only engine/validate*.cpp include this.
#pragma once
#include <array>
#include <map>
#include <memory>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/csv_reader.hpp"
#include "engine/focus_values.hpp"
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

// One record, parsed once for every check. A value that is absent, null or unparseable is
// nullopt / empty (the schema checks report why).
struct Row {
    const CsvRecord* rec = nullptr;
    uint32_t file = 0;  // index into the feeds
    bool malformed = false;
    Decimal billed;  // 0 when missing
    std::optional<Decimal> pricing_qty, consumed_qty;
    std::optional<Timestamp> charge_start, charge_end, billing_start, billing_end;
    std::string_view provider, service, category, currency, account, resource, sku, tags;
};

// Collects findings, minus the checks the rule set skips.
class Sink {
public:
    Sink(const RuleSet& rules, Validation& v, const std::vector<std::string>& files)
        : rules_(rules), v_(v), files_(files) {}
    bool on(std::string_view check) const { return !rules_.config.validate.skipped(check); }
    void add(std::string_view check, FindingSeverity s, uint32_t file, uint64_t line, std::string message,
             const Decimal& amount = {});
    void add_month(std::string_view check, FindingSeverity s, std::string message, const Decimal& amount = {});
    const std::string& file_name(uint32_t file) const { return files_[file]; }
    Validation& validation() { return v_; }
    const RuleSet& rules() const { return rules_; }

private:
    const RuleSet& rules_;
    Validation& v_;
    const std::vector<std::string>& files_;
};

// The month billed, as day numbers: [first, end).
struct Month {
    int32_t first = 0, end = 0;
    bool known() const { return end > first; }
    int days() const { return end - first; }
};

// 64-bit hashing of field bytes for the duplicate tables (two seeds give 128 bits, so a
// collision would need 2^64 rows).
uint64_t hash_text(std::string_view s, uint64_t h);
// "2026-10-01" and "2026-10-01 00:00:00", for messages.
std::string show_day(int32_t days);
std::string show_time(const Timestamp& t);

// Schema: header columns, malformed rows, value types, nulls where FOCUS forbids them, one
// currency, the billing period of every row. Also parses the Row the other checks read.
class SchemaChecks {
public:
    explicit SchemaChecks(Sink& sink) : sink_(sink) {}
    // Reports missing columns; false when some are missing.
    bool begin_file(uint32_t file, const std::vector<std::string>& header);
    // Parses rec into row, reporting what is wrong with its values. False: the record is
    // malformed and the other checks skip it.
    bool record(const CsvRecord& rec, uint32_t file, const Columns& cols, Row& row);
    void finish();
    const Month& month() const { return month_; }

private:
    Sink& sink_;
    std::vector<std::pair<int, std::string_view>> numbers_, timestamps_, required_;
    std::vector<std::optional<Decimal>> numbers_by_column_;     // this record's parsed values
    std::vector<std::optional<Timestamp>> times_by_column_;
    Month month_;
    // (file, currency) -> rows, first line, cost: one finding per other currency.
    struct Currency {
        uint32_t file;
        std::string code;
        uint64_t rows = 0, line = 0;
        Decimal cost;
    };
    std::vector<Currency> other_currencies_;
    std::string why_;
};

// Rows: negative usage, cost without quantity, charge period outside the billing period,
// duplicates, untagged and unreadable tags, values FOCUS does not allow, units spelled two ways.
class RowChecks {
public:
    explicit RowChecks(Sink& sink);
    void begin_file(uint32_t file, const std::vector<std::string>& header);
    void record(const Row& row);
    // A file found to be a copy of an earlier one: its duplicate-row findings are dropped
    // (duplicate-file says it once).
    void end_file(bool duplicate_file);

private:
    struct Seen {  // 24 bytes a row
        uint64_t h1 = 0, h2 = 0;
        uint64_t where = 0;  // file << 40 | line
    };
    Sink& sink_;
    std::vector<int> id_cols_;
    std::string id_names_;
    std::vector<Seen> seen_;  // open addressing; h1 == 0 and h2 == 0 is empty
    size_t seen_count_ = 0;
    std::vector<Finding> pending_duplicates_;
    std::vector<std::pair<int, const std::pair<std::string, std::vector<std::string>>*>> allowed_;
    std::vector<std::pair<std::string, std::vector<std::string>>> allowed_lists_;
    std::vector<std::pair<int, std::string_view>> unit_cols_;
    std::unordered_map<std::string, std::pair<std::string, std::string>> unit_spellings_;  // folded -> first
    std::unordered_map<std::string, bool> unit_reported_;
    std::string key_;
    std::vector<std::pair<std::string, std::string>> tag_scratch_;
    std::string why_;
};

// Feed-wide: days with no rows, last month's volume and cost, control totals, a file twice.
class FeedChecks {
public:
    FeedChecks(Sink& sink, const ValidateOptions& options) : sink_(sink), options_(options) {}
    void read_prior(const std::vector<std::string>& prior);
    void begin_file(uint32_t file, const std::vector<std::string>& header);
    void record(const Row& row, const Month& month);
    // True when the file just read is a copy of an earlier one (reported here).
    bool end_file(uint32_t file);
    void finish(const Month& month);

private:
    struct Totals {
        uint64_t rows = 0;
        Decimal cost;
    };
    struct Days {
        uint32_t mask = 0;  // bit d: day d+1 of the month has rows
    };
    void mark_days(uint32_t& mask, const Row& row, const Month& month) const;

    Sink& sink_;
    const ValidateOptions& options_;
    std::map<std::string, Days, std::less<>> provider_days_, account_days_, prior_account_days_;
    std::map<std::string, Totals, std::less<>> by_service_, prior_by_service_;
    std::map<std::string, Decimal, std::less<>> provider_cost_;
    int prior_month_days_ = 0;
    std::string key_;
    // Per file: its header and a hash of every record's text, to find a second copy.
    struct FilePrint {
        uint64_t h1 = 0, h2 = 0, rows = 0;
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
    void begin_file(uint32_t file, const std::vector<std::string>& header, const std::string& path);
    void record(const Row& row);

private:
    struct State;
    Sink& sink_;
    std::unique_ptr<State> state_;
};

}  // namespace ratebook::validation
