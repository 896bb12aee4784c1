// What-if rating: the same records rated by the rules in force and by a proposal, in one read
// of the feed, and the difference by account, RU and service, down to the records that moved.
// A dry run: nothing here writes charges; cli/cmd_whatif.cpp writes only the comparison.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/rating.hpp"
#include "interpreter/decimal.hpp"
#include "interpreter/ruleset.hpp"

namespace ratebook {

// One record rated differently by the two rule sets.
struct RecordChange {
    std::string file;
    uint64_t line = 0;
    std::string kind;      // "rule", "account", "rule and account", "newly rejected", "newly charged"
    std::string current;   // "rule `X`, account A" or "rejected: reason"
    std::string proposed;
};

struct WhatIfRun {
    RateRun current, proposed;  // each exactly as `ratebook rate` would bill it
    // Record counts (exact); a record may both change rule and account.
    uint64_t moved_rule = 0, moved_account = 0, newly_rejected = 0, newly_charged = 0;
    std::vector<RecordChange> changes;  // the first `max_listed`, in file order
};

// Reads every feed once; each record goes to both rule sets. Throws FeedError when a feed cannot
// be used by either rule set (a column one of them needs is missing).
WhatIfRun rate_whatif(const RuleSet& current, const RuleSet& proposed, const std::vector<std::string>& paths,
                      size_t max_listed = 1000);

// Billed totals of one grouping (total, an account, an RU, a service) under both rule sets.
struct ChargeComparison {
    std::string key;
    Decimal current, proposed;
    Decimal change() const { return proposed - current; }
    // change / current in percent to 2 places; empty when current is zero (nothing to compare).
    std::string change_pct() const;
};

enum class CompareBy { account, ru, service };

// Keys of both runs, sorted by key; every billed line lands in exactly one key, so the changes
// add up to the difference of the totals exactly.
std::vector<ChargeComparison> compare(const RuleSet& current_rules, const RateRun& current, const RuleSet& proposed_rules,
                                const RateRun& proposed, CompareBy by);
ChargeComparison compare_totals(const RuleSet& current_rules, const RateRun& current, const RuleSet& proposed_rules,
                          const RateRun& proposed);

// The `n` comparisons with the largest change either way (ties by key), for "biggest movers".
std::vector<ChargeComparison> biggest_movers(std::vector<ChargeComparison> rows, size_t n);

}  // namespace ratebook
