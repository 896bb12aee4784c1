// Duplicate rows, confirmed: the rows whose identifying-column hash another row shares (the
// candidates DuplicateRows finds) are read again from the feeds, normalised as the pass
// normalised them, and compared column by column. A hash collision therefore costs a re-read,
// never a false finding; a clean month has no candidates and reads nothing twice; and each
// reader opened here reads one chunk (8 MiB) of the feed, not the whole file.
#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "engine/normalise.hpp"
#include "engine/row_hash.hpp"
#include "engine/validate_checks.hpp"

namespace ratebook::validation {
namespace {

// The identifying columns laid end to end, each after its length (so that moving a byte from
// one column to the next makes another key).
void identifying_key(const CsvRecord& rec, const std::vector<int>& cols, std::string& out) {
    out.clear();
    for (int c : cols) {
        const auto n = static_cast<uint32_t>(rec.fields[c].size());
        out.append(reinterpret_cast<const char*>(&n), sizeof n);
        out.append(rec.fields[c]);
    }
}

[[noreturn]] void changed(const std::string& path, uint64_t line) {
    throw FeedError(fmt::format("{}:{}: the file changed while it was being read (the duplicate-row check "
                                "read this row again and it differs); run again on a copy that is not being written",
                                path, line));
}

}  // namespace

std::vector<DuplicateRows::Pair> confirm_duplicates(const RuleSet& rules, const std::vector<std::string>& files,
                                                    std::vector<DuplicateRows::Candidate> candidates) {
    CsvRecord rec;
    std::string scratch;
    for (size_t i = 0; i < candidates.size();) {
        const uint32_t file = candidates[i].file;
        const uint64_t start = candidates[i].reader_start, base = candidates[i].base;
        size_t end = i;
        while (end < candidates.size() && candidates[end].file == file && candidates[end].reader_start == start) ++end;
        const std::string& path = files[file];
        // Read as the pass read it: from the start, or from the chunk's start with the header.
        auto reader = std::make_unique<CsvReader>(path);
        if (start != 0) reader = std::make_unique<CsvReader>(path, reader->header(), start);
        const std::vector<std::string>& header = reader->header();
        const Normaliser normaliser(rules, header);
        const std::vector<int> cols = identifying_column_indices(header);
        const int billed = Columns(header).billed;
        size_t k = i;
        while (k < end && reader->next(rec)) {
            const uint64_t line = base + rec.line;
            if (line < candidates[k].line) continue;
            if (line > candidates[k].line || !rec.error.empty()) changed(path, candidates[k].line);
            if (normaliser.active()) normaliser.apply(rec, scratch);
            RowHash h;
            for (int c : cols) h.add(rec.fields[c]);
            if (RowPrint::kept(h.value()) != candidates[k].hash) changed(path, line);
            identifying_key(rec, cols, candidates[k].key);
            if (billed >= 0 && !is_null(rec.fields[billed]))
                candidates[k].cost = parse_number(rec.fields[billed]).value_or(Decimal());
            ++k;
        }
        if (k < end) changed(path, candidates[k].line);
        i = end;
    }
    return DuplicateRows::pairs(candidates);
}

}  // namespace ratebook::validation
