// Parsing the value types found in FOCUS cost-and-usage feeds: nulls, timestamps, exact
// numbers and the Tags JSON object. Every parser is exact (no binary floating point) and says why
// a value is refused in words a billing analyst can act on.
#pragma once
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "interpreter/decimal.hpp"

namespace ratebook {

// A point in time, UTC, to the second.
struct Timestamp {
    int32_t days = 0;     // days since 1970-01-01
    int32_t seconds = 0;  // seconds into that day, 0..86399
    friend auto operator<=>(const Timestamp&, const Timestamp&) = default;
};

// True for a missing value: the empty string, or the literal NULL that some exporters write.
// Case-sensitive on purpose: only "NULL" (the sample feeds) and "null" are nulls; a text value
// such as "Null" or "nULL" is data, not a null.
// (Inline: validation asks it of 17 columns a row.)
inline bool is_null(std::string_view value) {
    return value.empty() || (value.size() == 4 && (value == "NULL" || value == "null"));
}

// Accepts "2024-09-18T22:00:00Z", "2024-09-18T22:00:00.000Z", "2024-09-18 22:00:00",
// "2024-09-18T22:00:00+02:00" (converted to UTC; also "+0200"), "2024-09-18T22:00Z" and
// "2024-09-18" (midnight). A timestamp without a zone is UTC, as FOCUS requires. Fractional
// seconds are accepted and dropped: charge periods are whole seconds, and providers only pad
// with ".000". Refuses impossible dates and times (2024-02-30, 25:00, 23:60, leap second 60).
// On failure returns nullopt and, if `why` is given, a plain reason.
std::optional<Timestamp> parse_timestamp(std::string_view text, std::string* why = nullptr);

// Accepts plain decimals ("0.00000080000", "-12", "+3.5", ".5") and scientific notation
// ("1.5E-7", "1e-10", "2.5e+3"), the latter converted exactly by moving the decimal point in the
// text. Trailing zeros beyond 18 decimal places are dropped (exact); any other value needing more
// than 18 places or 38 digits is refused, as are NaN, infinities, spaces and stray characters.
// On failure returns nullopt and, if `why` is given, a plain reason ("number out of range: 1e400").
std::optional<Decimal> parse_number(std::string_view text, std::string* why = nullptr);

// True for the usual feed number, a plain decimal of 1 to 18 digits with an optional sign and
// point ("0.0144979450", "-12", ".5"): parse_number accepts every such text. `sign` is then its
// sign (-1, 0 or 1; "-0.00" is 0). Checking a column's type or sign this way costs a third of
// parsing it (validation checks number columns a row that nothing else reads); false says only
// "parse it to know".
inline bool plain_number_sign(std::string_view text, int& sign) {
    size_t i = 0;
    const size_t n = text.size();
    const bool negative = n && text[0] == '-';
    if (n && (negative || text[0] == '+')) i = 1;
    unsigned digits = 0;
    bool point = false, nonzero = false;
    for (; i < n; ++i) {
        const unsigned d = static_cast<unsigned char>(text[i]) - unsigned{'0'};
        if (d < 10) {
            ++digits;
            nonzero |= d != 0;
        } else if (text[i] == '.' && !point) {
            point = true;
        } else {
            return false;
        }
    }
    sign = nonzero ? (negative ? -1 : 1) : 0;
    return digits > 0 && digits <= 18;
}
inline bool is_plain_number(std::string_view text) {
    int sign;
    return plain_number_sign(text, sign);
}

// Parses the Tags column, a JSON object of text values: {"cost-center":"CC-0001","env":"prod"}.
// String escapes are decoded (\uXXXX to UTF-8, surrogate pairs joined); number, true and false
// values are kept as written ("1.50" stays "1.50"), null becomes ""; a nested object or array is
// refused. An empty or NULL column means no tags. Tags keep their order in the input; when a
// key appears twice the last value wins, at the position of the first (JSON leaves duplicates
// undefined; last-wins is what JavaScript and most JSON libraries do).
// Replaces the contents of `out` (reusing its strings' storage, as this runs once per record).
// On failure returns false, leaves `out` unspecified and, if `why` is given, a plain reason.
bool parse_tags(std::string_view json, std::vector<std::pair<std::string, std::string>>& out,
                std::string* why = nullptr);

}  // namespace ratebook
