// A compiled rule set: one fiscal year's folder (ratebook.toml, *.rules, tables) turned into
// bytecode, constants and loaded tables. Immutable once built, so rating threads share it.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "grammar/source.hpp"
#include "interpreter/bytecode.hpp"
#include "interpreter/columns.hpp"
#include "interpreter/decimal.hpp"
#include "interpreter/drilldown.hpp"
#include "interpreter/sla.hpp"
#include "interpreter/types.hpp"
#include "interpreter/normalise_config.hpp"
#include "interpreter/rule_source.hpp"
#include "interpreter/value.hpp"

namespace ratebook {

struct TableSpec {
    std::string name;  // as used in rules: `in table accounts.CostCenter -> AccountCode`
    std::string path;  // relative to the rule set folder
    Span span;         // the [tables.NAME] header in ratebook.toml
    // Declared in ratebook.toml (see docs/language.md, "Tables"): the key column (default: the
    // first column) and the type of each typed column; undeclared columns are Text.
    std::string key;
    Span key_span;
    struct ColumnType {
        std::string column;
        Type type = Type::text;
        Span span;
    };
    std::vector<ColumnType> column_types;
};

// The account master (ratebook.toml [account_master]): which table lists the customer accounts
// and which of its columns hold the code, the customer's name and the active dates.
struct AccountMasterSpec {
    std::string table;          // a table of [tables.NAME]
    std::string account = "AccountCode";
    std::string customer = "CustomerName";
    std::string active_from;    // "" = no such column: every account always active
    std::string active_to;
    std::string customers;      // optional table listing every customer's account code
    Span span;                  // the [account_master] header
};

// ratebook.toml, checked. See docs/ruleset.md for every key.
struct RuleSetConfig {
    std::string name;
    int fiscal_year = 0;
    int32_t fiscal_year_start = 0;  // days since 1970-01-01
    std::string currency = "USD";
    RoundingMode rounding = RoundingMode::half_even;
    int rounding_places = 2;
    std::string suspense_account;
    std::string description;
    std::vector<TableSpec> tables;
    std::string holiday_table;  // `holidays = "NAME"`: the dates business_days() skips
    Span holiday_span;
    std::optional<AccountMasterSpec> account_master;
    NormaliseConfig normalise;  // [normalise] (interpreter/normalise_config.cpp)
    ValidateConfig validate;    // [validate]
};

// A CSV table from the rule set, all values text. Lookups go through an index per key column.
struct Table {
    std::string name;
    std::string path;
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
    std::vector<uint32_t> row_lines;  // file line of each row, for messages
    std::unordered_map<std::string, std::unordered_map<std::string, uint32_t>> indexes;
    std::string key_column;          // the column lookup() searches (declared `key`, or the first)
    std::vector<Type> column_types;  // per column; checked cell by cell when the table is loaded
    Type column_type(size_t i) const { return i < column_types.size() ? column_types[i] : Type::text; }

    std::optional<size_t> column_index(std::string_view column) const;
    // Row index of `key` in `key_column` (the index must have been built); nullopt if absent.
    std::optional<uint32_t> find(const std::string& key_column, std::string_view key) const;
};

// Tiers over an account's volume for the month (per rate rule), priced after aggregation.
//   graduated: each tier's units at that tier's price (first 50,000 at $0.023, next ...)
//   volume:    all units at the price of the tier the month's volume reaches
struct TierSchedule {
    enum class Kind { graduated, volume } kind = Kind::graduated;
    struct Tier {
        std::optional<Decimal> up_to;  // cumulative upper bound; none for `over`
        Decimal price;                 // per unit
        Span span;
    };
    std::vector<Tier> tiers;

    // The exact charge for a month's volume.
    Decimal charge_for(const Decimal& volume) const;
};

// `schedule "NAME" { tiers graduated  first 1,000 at 100%  next ...  over at 80% }`: a tier shape
// whose prices are fractions of a base price, reused by rates as `tiers "NAME" at $0.023`
// (interpreter/compile_schedule.cpp).
struct TierShape {
    std::string name;
    Span name_span;
    TierSchedule shape;  // each tier's price is a fraction of the base (90% -> 0.9)
};
struct TierShapeUse {
    std::string name;  // of the schedule
    Decimal base;      // the rate's base price per unit
    Span span;         // the name in the rate rule
};

// Package (block) pricing over an account's volume for the month: the volume is sold in blocks
// of `size` units at `price` a block ("per 1,000 requests"). A part block is either charged as a
// whole block (round_up) or in proportion (prorated), as the author says.
struct BlockPricing {
    enum class Partial { round_up, prorated } partial = Partial::round_up;
    Decimal size;   // units per block, > 0
    Decimal price;  // per block
    Span span;

    // The exact charge for a month's volume; nothing for a month of no (or net negative) volume.
    Decimal charge_for(const Decimal& volume) const;
};

// Baseline with ARC/RRC (DOMAIN.md): each account's month of volume under the rule is compared
// with the baseline; units above baseline + deadband are an Additional Resource Charge, units
// below baseline - deadband a Reduced Resource Credit. Inside the deadband: neither.
struct BaselineAdjustment {
    Decimal baseline, deadband;           // units per account per month
    std::optional<Decimal> base_charge;   // `baseline 450 at $90.00`: the month's base, per account
    std::optional<Decimal> arc_rate;      // per unit above the band; none: no ARC
    std::optional<Decimal> rrc_rate;      // per unit below the band; none: no RRC
    Span span;

    // `baseline_table NAME`: per-account (or per account and RU) baselines, overriding `baseline`
    // for the accounts listed. Key: account, or account + '\x1f' + RU when the table has an RU column.
    std::string table;
    bool table_has_ru = false;
    std::unordered_map<std::string, Decimal> per_account;

    // The baseline of an account's month under the rule: its own, or the rule's.
    const Decimal& baseline_for(const std::string& account, const std::string& ru) const;
    Decimal arc_units(const Decimal& volume) const { return arc_units(volume, baseline); }
    Decimal rrc_units(const Decimal& volume) const { return rrc_units(volume, baseline); }
    Decimal arc_units(const Decimal& volume, const Decimal& base) const;  // max(0, volume - base - deadband)
    Decimal rrc_units(const Decimal& volume, const Decimal& base) const;  // max(0, base - volume - deadband)
};

// A flat monthly fee per account (`fee` rules): every account of the account master active on
// at least one day of the month pays it; with proration, in proportion to its days of service.
struct FeeSpec {
    Decimal amount;        // per account per month
    bool prorate = false;  // days active / days in month
    std::string ru;        // the resource unit code on its charge lines
    std::string unit = "account-month";
};

struct CompiledRate {
    std::string name;
    Span kind_span;
    Span name_span;
    Chunk match, ru, volume, unit, charge;
    int64_t priority = 0;
    std::string description;
    std::optional<TierSchedule> tiers;     // set: the charge is priced monthly, per account
    std::optional<Decimal> minimum;         // per account per month, for accounts that used it
    std::optional<int32_t> effective_from;  // days since 1970-01-01, inclusive
    std::optional<int32_t> effective_until; // inclusive
    std::optional<BlockPricing> blocks;     // set: priced monthly per account, in blocks
    std::optional<BaselineAdjustment> baseline;  // set: ARC/RRC lines per account each month
    std::optional<FeeSpec> fee;             // set: a `fee` rule; prices no record, only accounts
    DrillDown drilldown;                    // service, product, component (interpreter/drilldown.hpp)
    std::optional<TierShapeUse> tier_shape; // `tiers "NAME" at BASE`: `tiers` comes from that schedule
    // When `match` starts with `Column == "text"` (alone or and-ed with more), the engine's
    // dispatch index files the rule under that column value, so it is only tried on records
    // that have it.
    std::optional<uint32_t> dispatch_slot;
    std::string dispatch_value;
};

struct CompiledTableLookup {
    uint32_t table = 0;       // index into RuleSet::tables
    std::string key_column;
    std::string value_column;
    uint32_t value_column_index = 0;
    bool prefix = false;      // account sources: `from ResourceId prefix in table ...`
    std::vector<uint32_t> prefix_lengths = {};  // distinct key lengths, longest first (prefix only)
};

// One `lookup(table, key, column[, default])` in an expression: the value column, typed, by
// key. Texts point into the rule set's interned storage, so the map never dangles.
struct ExprTableLookup {
    uint32_t table = 0;
    std::string value_column;
    Type type = Type::text;
    std::unordered_map<std::string_view, Value> values;
};

// `check "NAME" { when COND severity error|warning|info message "... {Column} ..." }`: a
// finding for every record COND holds on (interpreter/compile_check.cpp).
struct CompiledCheck {
    std::string name;  // the finding's check id
    Span kind_span;
    Chunk when;        // Bool
    enum class Severity : uint8_t { error, warning, info } severity = Severity::warning;
    // The message split at its {Column} placeholders: text[0] value[0] text[1] ... text[n].
    std::vector<std::string> text;
    std::vector<Chunk> values;  // each reads one column
    std::vector<Type> value_types;
};

struct CompiledAccountSource {
    Chunk key;                               // Text
    std::optional<CompiledTableLookup> lookup;
    std::string label;                       // "tag cost-center via accounts" (on charge lines)
    Span span;
};

struct CompiledAccountRule {
    std::string name;
    Span span;
    std::vector<CompiledAccountSource> sources;
    Chunk fallback;  // empty: the config's suspense account
    Span fallback_span;
    std::string fallback_label;  // the author's words: `else "99999-SUSPENSE"`
};

// A `variance` rule (interpreter/compile_variance.cpp): which month-over-month changes of a
// group of charge lines need an explanation. The one rule without `for` is the default and sets
// the grouping (`by`); a rule with `for` overrides the default's `flag` for the groups it selects.
// Chunks read the names of interpreter/variance_measures.hpp, not feed columns.
struct CompiledVariance {
    std::string name;
    Span kind_span;
    Span name_span;
    std::vector<size_t> keys;  // `by`, as slots of variance_names(); the default rule only
    Chunk selects;             // `for`: empty on the default rule
    Chunk flag;
    std::vector<std::pair<size_t, Span>> keys_read;  // key slots its clauses read, for checks
    bool is_default() const { return selects.empty(); }
};

// `allocate "NAME" { pool ... by ... | share ... ru ... after ... }`: a shared pool spread over
// accounts after monthly pricing (engine/allocate_rules.cpp). See docs/language.md.
struct CompiledAllocation {
    std::string name;
    Span kind_span;
    std::optional<Decimal> fixed_pool;  // `pool $12,000.00`
    std::string pool_ru;                // `pool "SHR-PLAT"`: the month's lines of that RU
    enum class Basis { charges, volume, weights, evenly, shares } basis = Basis::charges;
    std::string basis_ru;               // volume: the RU whose volume weighs
    uint32_t table = 0;                 // weights: the table (keyed by account code) ...
    uint32_t weight_column = 0;         // ... and its numeric column
    std::vector<std::pair<std::string, Decimal>> shares;  // shares: account -> fraction (sum 1)
    std::string basis_label;            // "by weights(headcount, Heads)", on every allocated line
    std::string ru;                     // the RU of the allocated lines
    std::string description;
    std::vector<std::string> after;     // names of allocations that must run first
    std::vector<Span> after_spans;
};

struct ConstInfo {
    std::string name;
    Type type;
    uint32_t constant;  // index into RuleSet::constants
    Span span;
};

// One row of the account master: an account code's period of activity (both days inclusive;
// none = open-ended).
struct AccountPeriod {
    std::string code, customer;
    std::optional<int32_t> from, until;
    uint32_t line = 0;  // file line, for messages
    bool covers(int32_t day) const { return (!from || day >= *from) && (!until || day <= *until); }
};

struct AccountMaster {
    uint32_t table = 0;  // index into RuleSet::tables
    std::vector<AccountPeriod> periods;                        // file order
    std::unordered_map<std::string, std::vector<uint32_t>> by_code;  // code -> periods
    // nullopt: the code is not in the master (no opinion); else whether it is active that day.
    std::optional<bool> active_on(std::string_view code, int32_t day) const;
};

struct RuleSet {
    std::string dir;
    RuleSetConfig config;
    std::vector<std::shared_ptr<const SourceFile>> files;

    std::vector<ColumnInfo> slots;  // slot number -> feed column the rules read
    std::vector<Value> constants;
    std::vector<Type> constant_types;
    std::vector<std::unordered_set<std::string_view>> text_sets;
    std::vector<std::vector<Decimal>> number_sets;
    std::vector<std::vector<int32_t>> date_sets;
    std::vector<ConstInfo> consts;

    std::vector<CompiledRate> rates;
    std::optional<DrillDown> drilldown_defaults;  // the `drilldown` block, applied to every rate
    std::vector<TierShape> tier_shapes;           // `schedule` blocks, in file order
    std::optional<CompiledAccountRule> account;
    std::vector<CompiledSla> slas;  // `sla` rules: service credits (ratebook credits)
    std::vector<CompiledVariance> variances;  // in source order
    std::vector<CompiledAllocation> allocations;  // in the order they run (`after`, then file order)
    std::vector<CompiledCheck> checks;  // analysts' own feed checks, in file order
    std::vector<Table> tables;
    std::vector<ExprTableLookup> lookups;  // operand of the `table_lookup` opcode
    std::vector<int32_t> holidays;         // sorted days of the holiday table, for business_days()
    std::optional<AccountMaster> account_master;  // built from config.account_master
    std::string content_hash;  // of the compiled form: unchanged by comments or layout
    RuleSetIdentity identity;  // where the rules came from: path, git commit, dirty (issue 7)
    std::vector<std::string> overrides;  // what-if `--set name=value` changes applied, as given

    // Interns a text: the same text always gets the same symbol (> 0) and stable storage.
    uint32_t intern(std::string_view text);
    std::optional<uint32_t> symbol_of(std::string_view text) const;
    std::string_view symbol_text(uint32_t sym) const { return symbol_texts_[sym - 1]; }
    std::optional<uint32_t> slot_of(std::string_view column) const;
    const Table* table(std::string_view name) const;
    size_t bytecode_size() const;  // instructions, all chunks

private:
    std::deque<std::string> symbol_texts_;
    std::unordered_map<std::string_view, uint32_t> symbols_;
};

}  // namespace ratebook
