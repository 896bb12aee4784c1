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
#include "interpreter/rule_source.hpp"
#include "interpreter/value.hpp"

namespace ratebook {

struct TableSpec {
    std::string name;  // as used in rules: `in table accounts.CostCenter -> AccountCode`
    std::string path;  // relative to the rule set folder
    Span span;         // the [tables.NAME] header in ratebook.toml
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
};

// A CSV table from the rule set, all values text. Lookups go through an index per key column.
struct Table {
    std::string name;
    std::string path;
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
    std::vector<uint32_t> row_lines;  // file line of each row, for messages
    std::unordered_map<std::string, std::unordered_map<std::string, uint32_t>> indexes;

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

struct ConstInfo {
    std::string name;
    Type type;
    uint32_t constant;  // index into RuleSet::constants
    Span span;
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
    std::optional<CompiledAccountRule> account;
    std::vector<Table> tables;
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
