// Normalisation the rule set declares ([normalise] in ratebook.toml): other spellings of null,
// allowed values in another case, unit aliases through a table, tag-key aliases. Applied to a
// record's fields before rating reads them, and counted by validation, so that no rewrite is
// silent: the report lists every spelling changed and how many times.
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/csv_reader.hpp"
#include "engine/rating.hpp"
#include "interpreter/ruleset.hpp"

namespace ratebook {

class Normaliser {
public:
    // Built once per file, for its header. Throws FeedError when the unit table is unusable.
    Normaliser(const RuleSet& rules, const std::vector<std::string>& header);
    bool active() const { return active_; }

    // Rewrites the record's fields in place: new values are views into the rule set or into
    // `scratch` (rewritten Tags), valid as long as both. Rating calls this (one scratch per thread).
    void apply(CsvRecord& rec, std::string& scratch) const { apply(rec, scratch, nullptr); }
    // The same, counting each change by kind and spelling (validation) when counts is not null.
    void apply(CsvRecord& rec, std::string& scratch, NormaliseCounts* counts) const;

private:
    bool rewrite_tags(std::string_view json, std::string& out, NormaliseCounts* counts) const;

    bool active_ = false;
    std::vector<std::string_view> nulls_;
    std::vector<std::pair<int, std::string_view>> null_columns_;  // every column, for nulls
    struct Allowed {
        int column;
        std::string_view name;
        const std::vector<std::string>* values;
    };
    std::vector<Allowed> allowed_;
    std::vector<std::pair<int, std::string_view>> unit_columns_;
    std::unordered_map<std::string_view, std::string_view> units_;  // spelling -> unit
    const std::map<std::string, std::string>* tag_keys_ = nullptr;
    bool trim_tag_keys_ = false;
    int tags_ = -1;
};

}  // namespace ratebook
