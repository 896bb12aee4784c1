// Values by text, for a chunk's per-row tallies (untagged resources, resources charged to the
// suspense account): entries and their text live in two flat arrays, found through an
// open-addressing table of entry numbers. A chunk meets most of its resources once (a resource
// has a row a day, and a month is spread over ~70 chunks), so a node-based map spent an
// allocation on nearly every row, and the merging thread a free for each when the chunk was done.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/row_hash.hpp"

namespace ratebook {

template <class T>
class TextTable {
public:
    // The value for `key`, added (value-initialised) when new; `added` says which.
    T& at(std::string_view key, bool& added) { return at(key, hash_of(key), added); }
    // The same, with the key's hash_of() known (another table's hash(i)): merging chunks' tables
    // into the month's does not hash their keys again.
    T& at(std::string_view key, uint64_t hash, bool& added) {
        if (2 * (entries_.size() + 1) > slots_.size()) grow();
        const size_t mask = slots_.size() - 1;
        for (size_t i = hash & mask;; i = (i + 1) & mask) {
            uint32_t& slot = slots_[i];
            if (slot == 0) {
                if (text_.size() + key.size() > UINT32_MAX || entries_.size() >= UINT32_MAX - 1)
                    throw std::length_error("more than 4 GB of distinct resource names in one month");
                entries_.push_back(Entry{hash, static_cast<uint32_t>(text_.size()), static_cast<uint32_t>(key.size()), T{}});
                text_.append(key);
                slot = static_cast<uint32_t>(entries_.size());
                added = true;
                return entries_.back().value;
            }
            Entry& e = entries_[slot - 1];
            if (e.hash == hash && key == std::string_view(text_.data() + e.offset, e.size)) {
                added = false;
                return e.value;
            }
        }
    }
    // Entries in the order they were added.
    size_t size() const { return entries_.size(); }
    std::string_view key(size_t i) const { return {text_.data() + entries_[i].offset, entries_[i].size}; }
    uint64_t hash(size_t i) const { return entries_[i].hash; }
    static uint64_t hash_of(std::string_view key) {
        RowHash h;
        h.add(key);
        return h.value();
    }
    T& value(size_t i) { return entries_[i].value; }
    const T& value(size_t i) const { return entries_[i].value; }

private:
    struct Entry {
        uint64_t hash;
        uint32_t offset, size;  // in text_ (the month's distinct ResourceIds are far less than 4 GB)
        T value;
    };
    void grow() {
        slots_.assign(slots_.empty() ? 64 : 2 * slots_.size(), 0);
        const size_t mask = slots_.size() - 1;
        for (uint32_t n = 0; n < entries_.size(); ++n) {
            size_t i = entries_[n].hash & mask;
            while (slots_[i] != 0) i = (i + 1) & mask;
            slots_[i] = n + 1;
        }
    }
    std::string text_;
    std::vector<Entry> entries_;
    std::vector<uint32_t> slots_;  // entry number + 1; 0 empty
};

}  // namespace ratebook
