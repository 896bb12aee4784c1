// A record's number fields, parsed once for rating and feed validation alike: a FOCUS row has six
// to eight cost and quantity columns, both read them all, and parsing them was the largest
// per-row cost after splitting the fields.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/focus_values.hpp"
#include "interpreter/decimal.hpp"

namespace ratebook {

class NumberCache {
public:
    // Call before each record: what was parsed for the last one is forgotten.
    void next_record() { ++stamp_; }
    // The field `text` of column `column` as a number, parsed on the first call for this record;
    // nullopt when it is not one (callers parse again for the reason: that is the rare case).
    const std::optional<Decimal>& number(int column, std::string_view text) {
        if (static_cast<size_t>(column) >= slots_.size()) slots_.resize(static_cast<size_t>(column) + 1);
        Slot& s = slots_[static_cast<size_t>(column)];
        if (s.stamp != stamp_) {
            s.stamp = stamp_;
            s.value = parse_number(text);
        }
        return s.value;
    }

private:
    struct Slot {
        uint64_t stamp = 0;
        std::optional<Decimal> value;
    };
    std::vector<Slot> slots_;
    uint64_t stamp_ = 1;
};

}  // namespace ratebook
