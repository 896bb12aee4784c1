// A record's number fields and its Tags, parsed once for rating and feed validation alike: a
// FOCUS row has six to eight cost and quantity columns and a Tags object, both read them all,
// and parsing them was the largest per-row cost after splitting the fields.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/focus_values.hpp"
#include "engine/plain_tags.hpp"
#include "interpreter/decimal.hpp"

namespace ratebook {

class ParsedFields {
public:
    // Call before each record: what was parsed for the last one is forgotten.
    void next_record() {
        ++stamp_;
        tags_state_ = TagsState::unread;
    }
    // The field `text` of column `column` as a number, parsed on the first call for this record;
    // nullopt when it is not one (callers parse again for the reason: that is the rare case).
    const std::optional<Decimal>& number(int column, std::string_view text) {
        const auto c = static_cast<size_t>(column);
        if (c >= stamps_.size()) {
            stamps_.resize(c + 1, 0);
            values_.resize(c + 1);
        }
        if (stamps_[c] != stamp_) {
            stamps_[c] = stamp_;
            values_[c] = parse_number(text);
        }
        return values_[c];
    }
    // What number() gave for `column` in this record, if it was asked; null when not.
    const std::optional<Decimal>* parsed(int column) const {
        const auto c = static_cast<size_t>(column);
        if (c >= stamps_.size() || stamps_[c] != stamp_) return nullptr;
        return &values_[c];
    }
    // The Tags field `text` of column `column` read by parse_plain_tags (views into the field), on
    // the first call for this record; null when it is not that plain form (callers then use
    // parse_tags).
    const std::vector<Tag>* plain_tags(int column, std::string_view text) {
        if (tags_state_ == TagsState::unread || tags_column_ != column) {
            tags_column_ = column;
            tags_state_ = parse_plain_tags(text, tags_) ? TagsState::plain : TagsState::not_plain;
        }
        return tags_state_ == TagsState::plain ? &tags_ : nullptr;
    }

private:
    // By column; apart, so that asking which columns are parsed reads a few cache lines, not one a
    // column (rating keeps sixteen records' worth: rating.cpp's RecordBatch).
    std::vector<uint64_t> stamps_;
    std::vector<std::optional<Decimal>> values_;
    uint64_t stamp_ = 1;
    enum class TagsState : uint8_t { unread, plain, not_plain };
    TagsState tags_state_ = TagsState::unread;
    int tags_column_ = -1;
    std::vector<Tag> tags_;
};

}  // namespace ratebook
