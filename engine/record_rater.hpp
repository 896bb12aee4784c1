// Rating one usage record: read its fields into the rule set's slots, map it to an account,
// find the one rate rule that prices it and run that rule. A pure function of (record, rule
// set): no shared state is written, so feeds can be rated in parallel later (issue 8).
#pragma once
#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/csv_reader.hpp"
#include "engine/parsed_fields.hpp"
#include "interpreter/ruleset.hpp"
#include "interpreter/vm.hpp"

namespace ratebook {

// Where each field the engine needs sits in one feed's header. Built once per file.
struct FeedLayout {
    std::vector<int> slot_column;  // RuleSet slot -> CSV column index
    int tags = -1;                 // Tags column, -1 when absent
    int service = -1, product = -1, component = -1;  // drill-down: ServiceName, SkuId, ResourceId
    // Columns whose values must be numbers when present (validated even if no rule reads
    // them, so junk such as NaN never passes silently): CSV index and column name.
    std::vector<std::pair<int, std::string_view>> numeric_checks;
    // For each numeric check, the slot reading that column as a number (-1: none): the value
    // parsed by the check is the slot's value, so no column is parsed twice.
    std::vector<int> numeric_check_slot;
    std::vector<uint8_t> slot_checked;  // slot -> filled by a numeric check
    std::vector<std::pair<int, std::string_view>> required_values;  // must not be empty/NULL
    // Read only when the rule set needs them (account_activity.cpp): the record's day, to check
    // its account is active; the billing month, for monthly fees.
    int charge_period_start = -1, billing_period_start = -1;
    std::string_view billing_column = "BillingPeriodStart";  // or ChargePeriodStart when absent
};

// Builds the layout, or throws FeedError naming every required column the file lacks.
FeedLayout make_layout(const RuleSet& rules, const std::vector<std::string>& header,
                       const std::string& path);

// The outcome for one record: either a charge or a reject reason.
struct RatedRecord {
    bool charged = false;
    // charged:
    std::string_view account;
    uint32_t account_source = 0;  // index into account sources; sources.size() = fallback
    uint32_t rate = 0;            // index into RuleSet::rates
    std::string_view ru, unit, service, product, component;
    Decimal volume, charge;       // exact, unrounded
    // Set when the mapped account was inactive on the record's day: the account it mapped to,
    // before the charge was routed to the suspense account. Empty otherwise.
    std::string_view inactive_account;
    int32_t billing_day = INT32_MIN;  // BillingPeriodStart (or ChargePeriodStart) when fees need it
    // rejected:
    std::string category;  // short, for counting: "no rate rule matches", "malformed row", ...
    std::string reason;    // full text with the record's values
};

class RecordRater {
public:
    explicit RecordRater(const RuleSet& rules);

    // Rates `rec` (read through `layout`). Views in the result point into `rec`, the rule set or
    // this rater; they are valid until the next call.
    void rate(const CsvRecord& rec, const FeedLayout& layout, RatedRecord& out);

    // For validation's `check` rules (engine/validate_rules.cpp): read the record's fields
    // (false, with out.category and out.reason, when they cannot be read), then run chunks on them.
    bool load(const CsvRecord& rec, const FeedLayout& layout, RatedRecord& out) {
        return load_fields(rec, layout, out);
    }
    bool evaluate(const Chunk& chunk, Value& v, RatedRecord& out) { return run(chunk, v, out, nullptr); }

    // Number fields and Tags already parsed for this record by feed validation (rate_chunk
    // shares one ParsedFields between them); null: parse here.
    void share_numbers(ParsedFields* numbers) { numbers_ = numbers; }

private:
    bool load_fields(const CsvRecord& rec, const FeedLayout& layout, RatedRecord& out);
    bool map_account(RatedRecord& out);
    bool choose_rate(const CsvRecord& rec, const FeedLayout& layout, RatedRecord& out);
    bool run(const Chunk& chunk, Value& v, RatedRecord& out, const CompiledRate* rate);
    bool check_account_active(const CsvRecord& rec, const FeedLayout& layout, RatedRecord& out);
    // Service, product and component as the rate rule defines them (record_rater_drilldown.cpp).
    bool drill_down(const CompiledRate& rate, RatedRecord& out);
    std::string describe_record(const CsvRecord& rec, const FeedLayout& layout) const;

    const RuleSet& rules_;
    ParsedFields* numbers_ = nullptr;
    std::optional<Decimal> parsed_;  // a number parsed here when nothing is shared
    Vm vm_;
    std::vector<Value> values_;
    std::vector<uint8_t> missing_;
    std::vector<std::pair<std::string, std::string>> tag_storage_;  // only for escaped or non-text tags
    std::vector<Tag> tags_;
    Record record_;
    std::string account_text_;
    std::string inactive_text_;
    // Per account source with a table lookup: key -> account, views into the rule set's table
    // (the same answers as Table::find, without building a std::string per record).
    std::vector<std::unordered_map<std::string_view, std::string_view>> account_lookup_;
    // Dispatch index: (slot, value) -> rules filed under it, in rule order; plus rules that
    // must be tried on every record.
    std::unordered_map<uint32_t, std::unordered_map<std::string_view, std::vector<uint32_t>>> dispatch_;
    std::vector<uint32_t> always_;
    std::vector<uint32_t> candidates_;
    std::vector<uint32_t> matched_;
};

}  // namespace ratebook
