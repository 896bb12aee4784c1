// FOCUS value parsers. Calendar math goes through Howard Hinnant's date library (the basis of
// C++20 <chrono> calendars); numbers go through Decimal::parse, scientific notation being turned
// into plain text first by moving the decimal point, so no value ever passes through a double.
#include "engine/focus_values.hpp"

#include <date/date.h>
#include <fmt/format.h>

#include <algorithm>

namespace ratebook {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A value quoted in a message: long junk (a whole misplaced column) is cut short.
std::string shown(std::string_view text) {
    constexpr size_t limit = 40;
    if (text.size() <= limit) return std::string(text);
    return std::string(text.substr(0, limit)) + "...";
}

template <class T>
std::optional<T> refuse(std::string* why, std::string reason) {
    if (why) *why = std::move(reason);
    return std::nullopt;
}

}  // namespace


// ---- timestamps ---------------------------------------------------------------------------------

namespace {

// Reads exactly `count` digits at text[i]; false (and i unchanged) if they are not there.
bool read_digits(std::string_view text, size_t& i, int count, int& out) {
    if (i + static_cast<size_t>(count) > text.size()) return false;
    int value = 0;
    for (int k = 0; k < count; ++k) {
        char c = text[i + static_cast<size_t>(k)];
        if (!is_digit(c)) return false;
        value = value * 10 + (c - '0');
    }
    out = value;
    i += static_cast<size_t>(count);
    return true;
}

bool read_char(std::string_view text, size_t& i, char c) {
    if (i < text.size() && text[i] == c) {
        ++i;
        return true;
    }
    return false;
}

constexpr const char* timestamp_shape =
    "expected a date like 2024-09-18 or a timestamp like 2024-09-18T22:00:00Z";

}  // namespace

std::optional<Timestamp> parse_timestamp(std::string_view text, std::string* why) {
    using R = Timestamp;
    if (text.empty()) return refuse<R>(why, "empty value is not a timestamp");
    size_t i = 0;
    int y = 0, mo = 0, d = 0;
    if (!read_digits(text, i, 4, y) || !read_char(text, i, '-') || !read_digits(text, i, 2, mo) ||
        !read_char(text, i, '-') || !read_digits(text, i, 2, d))
        return refuse<R>(why, fmt::format("not a timestamp: {} ({})", shown(text), timestamp_shape));
    if (mo < 1 || mo > 12) return refuse<R>(why, fmt::format("no such month: {:02} in {}", mo, shown(text)));
    const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                                   date::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) {
        const date::year_month_day_last last{ymd.year(), date::month_day_last{ymd.month()}};
        return refuse<R>(why, fmt::format("no such date: {:04}-{:02}-{:02} (that month has {} days)", y, mo,
                                          d, static_cast<unsigned>(last.day())));
    }
    int64_t days = date::sys_days(ymd).time_since_epoch().count();
    if (i == text.size()) return Timestamp{static_cast<int32_t>(days), 0};

    if (text[i] != 'T' && text[i] != 't' && text[i] != ' ')
        return refuse<R>(why, fmt::format("unexpected text after the date in {} ({})", shown(text), timestamp_shape));
    ++i;
    int hh = 0, mm = 0, ss = 0;
    if (!read_digits(text, i, 2, hh) || !read_char(text, i, ':') || !read_digits(text, i, 2, mm))
        return refuse<R>(why, fmt::format("not a time of day in {} ({})", shown(text), timestamp_shape));
    if (read_char(text, i, ':') && !read_digits(text, i, 2, ss))
        return refuse<R>(why, fmt::format("not a time of day in {} ({})", shown(text), timestamp_shape));
    if (hh > 23) return refuse<R>(why, fmt::format("hour out of range: {} (0-23) in {}", hh, shown(text)));
    if (mm > 59) return refuse<R>(why, fmt::format("minute out of range: {} (0-59) in {}", mm, shown(text)));
    if (ss > 59) return refuse<R>(why, fmt::format("second out of range: {} (0-59) in {}", ss, shown(text)));
    if (read_char(text, i, '.')) {  // fractional seconds: dropped (see the header)
        size_t first = i;
        while (i < text.size() && is_digit(text[i])) ++i;
        if (i == first)
            return refuse<R>(why, fmt::format("expected digits after the decimal point in {}", shown(text)));
    }

    int offset = 0;  // seconds east of UTC
    if (i < text.size() && (text[i] == 'Z' || text[i] == 'z')) {
        ++i;
    } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
        const int sign = text[i] == '-' ? -1 : 1;
        ++i;
        int oh = 0, om = 0;
        const size_t zone_start = i - 1;
        bool ok = read_digits(text, i, 2, oh);
        if (ok && i < text.size()) {
            read_char(text, i, ':');
            ok = read_digits(text, i, 2, om);
        }
        if (!ok || oh > 23 || om > 59)
            return refuse<R>(why, fmt::format("invalid time zone offset {} in {} (expected +HH:MM or Z)",
                                              shown(text.substr(zone_start)), shown(text)));
        offset = sign * (oh * 3600 + om * 60);
    }
    if (i != text.size())
        return refuse<R>(why, fmt::format("unexpected text after the timestamp: {}", shown(text.substr(i))));

    int64_t utc = static_cast<int64_t>(hh) * 3600 + mm * 60 + ss - offset;
    int64_t day_shift = utc >= 0 ? utc / 86400 : -((-utc + 86399) / 86400);  // floor division
    return Timestamp{static_cast<int32_t>(days + day_shift), static_cast<int32_t>(utc - day_shift * 86400)};
}

// ---- numbers ------------------------------------------------------------------------------------

namespace {

bool equals_lower(std::string_view text, std::string_view lower) {
    if (text.size() != lower.size()) return false;
    for (size_t k = 0; k < text.size(); ++k) {
        char c = text[k];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != lower[k]) return false;
    }
    return true;
}

// Parses plain decimal text, first dropping fractional trailing zeros beyond 18 places (a
// 20-place "2.00000000000000000000" is exactly 2, so refusing it would only be pedantic).
std::optional<Decimal> parse_plain(std::string_view text, std::string* why) {
    size_t point = text.find('.');
    if (point != std::string_view::npos) {
        size_t places = text.size() - point - 1;
        while (places > static_cast<size_t>(Decimal::max_scale) && text.back() == '0') {
            text.remove_suffix(1);
            --places;
        }
    }
    std::string reason;
    auto value = Decimal::parse(text, &reason);
    if (!value) return refuse<Decimal>(why, fmt::format("{}: {}", reason, shown(text)));
    return value;
}

// "1.5E-7" -> "0.00000015", exactly: the mantissa's digits with the point moved by the exponent.
std::optional<Decimal> parse_scientific(std::string_view text, size_t e_pos, std::string* why) {
    const std::string_view mantissa = text.substr(0, e_pos);
    const std::string_view exponent = text.substr(e_pos + 1);
    auto not_a_number = [&] { return refuse<Decimal>(why, fmt::format("not a number: {}", shown(text))); };

    size_t i = 0;
    const bool negative = !mantissa.empty() && mantissa[0] == '-';
    if (!mantissa.empty() && (mantissa[0] == '-' || mantissa[0] == '+')) ++i;
    std::string digits;
    size_t int_digits = 0;
    for (; i < mantissa.size() && is_digit(mantissa[i]); ++i) digits += mantissa[i];
    int_digits = digits.size();
    if (i < mantissa.size() && mantissa[i] == '.')
        for (++i; i < mantissa.size() && is_digit(mantissa[i]); ++i) digits += mantissa[i];
    if (i != mantissa.size() || digits.empty()) return not_a_number();

    size_t j = 0;
    const bool exp_negative = !exponent.empty() && exponent[0] == '-';
    if (!exponent.empty() && (exponent[0] == '-' || exponent[0] == '+')) ++j;
    if (j == exponent.size()) return not_a_number();
    int64_t exp = 0;
    for (; j < exponent.size(); ++j) {
        if (!is_digit(exponent[j])) return not_a_number();
        exp = std::min<int64_t>(exp * 10 + (exponent[j] - '0'), 1'000'000);  // saturate: 1e999999999
    }
    if (exp_negative) exp = -exp;

    // Drop leading zeros; `point` counts the digits before the decimal point.
    size_t lead = digits.find_first_not_of('0');
    if (lead == std::string::npos) return Decimal();  // 0e5, 0.0E-3: zero whatever the exponent
    int64_t point = static_cast<int64_t>(int_digits) - static_cast<int64_t>(lead) + exp;
    digits.erase(0, lead);
    if (point > Decimal::max_digits)
        return refuse<Decimal>(why, fmt::format("number out of range: {}", shown(text)));
    // Trailing zeros of the fraction change nothing; drop those that would not fit 18 places.
    int64_t places = static_cast<int64_t>(digits.size()) - point;
    while (places > Decimal::max_scale && digits.back() == '0') {
        digits.pop_back();
        --places;
    }
    if (places > Decimal::max_scale)
        return refuse<Decimal>(why, fmt::format("number needs more than {} decimal places: {}",
                                                Decimal::max_scale, shown(text)));

    std::string plain = negative ? "-" : "";
    if (point <= 0) {
        plain += "0.";
        plain.append(static_cast<size_t>(-point), '0');
        plain += digits;
    } else if (static_cast<size_t>(point) >= digits.size()) {
        plain += digits;
        plain.append(static_cast<size_t>(point) - digits.size(), '0');
    } else {
        plain.append(digits, 0, static_cast<size_t>(point));
        plain += '.';
        plain.append(digits, static_cast<size_t>(point));
    }
    auto value = Decimal::parse(plain);
    if (!value) return refuse<Decimal>(why, fmt::format("number out of range: {}", shown(text)));
    return value;
}

}  // namespace

std::optional<Decimal> parse_number(std::string_view text, std::string* why) {
    // Fast path for the usual feed value, a plain decimal of at most 18 digits ("7.2736996800"):
    // one pass into a 64-bit coefficient. Same value and scale as Decimal::parse gives; anything
    // else (exponents, NaN, long numbers, stray characters) takes the full path below.
    {
        const size_t n = text.size();
        size_t i = 0;
        bool negative = false;
        if (i < n && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
        uint64_t coef = 0;
        int digits = 0, places = 0;
        bool point = false;
        for (; i < n; ++i) {
            const char c = text[i];
            if (is_digit(c)) {
                coef = coef * 10 + static_cast<uint64_t>(c - '0');
                ++digits;
                places += point;
            } else if (c == '.' && !point) {
                point = true;
            } else {
                break;
            }
        }
        if (i == n && digits > 0 && digits <= 18) {
            const __int128 c = static_cast<__int128>(coef);
            return Decimal::from_parts(negative ? -c : c, places);
        }
    }
    if (text.empty()) return refuse<Decimal>(why, "empty value is not a number");
    std::string_view unsigned_part = text;
    if (text[0] == '+' || text[0] == '-') unsigned_part.remove_prefix(1);
    if (equals_lower(unsigned_part, "nan"))
        return refuse<Decimal>(why, fmt::format("not a number: {}", text));
    if (equals_lower(unsigned_part, "inf") || equals_lower(unsigned_part, "infinity"))
        return refuse<Decimal>(why, fmt::format("infinity is not a usable number: {}", text));
    size_t e_pos = text.find_first_of("eE");
    if (e_pos == std::string_view::npos) return parse_plain(text, why);
    return parse_scientific(text, e_pos, why);
}

// ---- tags ---------------------------------------------------------------------------------------

namespace {

void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// A recursive-descent reader for the one shape Tags may take: an object of scalar values.
class TagParser {
public:
    TagParser(std::string_view text, std::string* why) : text_(text), why_(why) {}

    // object := '{' ws [ member (',' member)* ] '}' ws
    bool parse(std::vector<std::pair<std::string, std::string>>& out) {
        size_t used = 0;
        skip_ws();
        if (!take('{')) return fail(R"(tags must be a JSON object like {"cost-center":"CC-0001"})");
        skip_ws();
        if (!take('}')) {
            for (;;) {
                if (!member(out, used)) return false;
                skip_ws();
                if (take('}')) break;
                if (!take(','))
                    return fail(fmt::format("expected ',' or '}}' after the value of tag '{}'", shown(last_key_)));
                skip_ws();
            }
        }
        skip_ws();
        if (i_ != text_.size()) return fail("unexpected text after the closing '}' of the tags");
        out.resize(used);
        return true;
    }

private:
    // member := string ws ':' ws value. Parsed straight into out's existing strings.
    bool member(std::vector<std::pair<std::string, std::string>>& out, size_t& used) {
        if (used == out.size()) out.emplace_back();
        std::string& key = out[used].first;
        if (peek() != '"') return fail(fmt::format("expected a quoted tag name at character {}", i_ + 1));
        if (!string(key, "")) return false;
        last_key_ = key;
        skip_ws();
        if (!take(':')) return fail(fmt::format("expected ':' after tag name '{}'", shown(key)));
        skip_ws();
        size_t slot = used;
        for (size_t k = 0; k < used; ++k) {
            if (out[k].first == key) {  // duplicate key: the last value wins, at the first position
                slot = k;
                break;
            }
        }
        if (!value(out[slot].second)) return false;
        if (slot == used) ++used;
        return true;
    }

    // value := string | number | true | false | null ; objects and arrays are refused
    bool value(std::string& dst) {
        dst.clear();
        char c = peek();
        if (c == '"') return string(dst, last_key_);
        if (c == '{' || c == '[')
            return fail(fmt::format("tag '{}' has a nested value; tags must be text", shown(last_key_)));
        if (c == '-' || is_digit(c)) return number(dst);
        for (std::string_view word : {"true", "false", "null"}) {
            if (text_.substr(i_, word.size()) == word) {
                i_ += word.size();
                if (word != "null") dst = word;
                return true;
            }
        }
        return fail(fmt::format("tag '{}' has a value that is not text, a number, true, false or null",
                                shown(last_key_)));
    }

    // number := '-'? ('0' | [1-9][0-9]*) ('.' [0-9]+)? ([eE] [+-]? [0-9]+)?, kept as written
    bool number(std::string& dst) {
        const size_t start = i_;
        take('-');
        if (!take('0') && !digits()) return bad_number();
        if (take('.') && !digits()) return bad_number();
        if (peek() == 'e' || peek() == 'E') {
            ++i_;
            if (!take('+')) take('-');
            if (!digits()) return bad_number();
        }
        dst.assign(text_.substr(start, i_ - start));
        return true;
    }
    bool digits() {
        size_t start = i_;
        while (i_ < text_.size() && is_digit(text_[i_])) ++i_;
        return i_ > start;
    }
    bool bad_number() { return fail(fmt::format("tag '{}' has a malformed number", shown(last_key_))); }

    // string := '"' (char | escape)* '"', decoded into dst
    bool string(std::string& dst, std::string_view key) {
        dst.clear();
        ++i_;  // opening quote
        for (;;) {
            size_t run = i_;
            while (run < text_.size() && text_[run] != '"' && text_[run] != '\\' &&
                   static_cast<unsigned char>(text_[run]) >= 0x20)
                ++run;
            dst.append(text_.substr(i_, run - i_));
            i_ = run;
            if (i_ == text_.size()) return fail("unterminated text in the tags (a closing quote is missing)");
            char c = text_[i_++];
            if (c == '"') return true;
            if (c != '\\') return fail(where("a control character; write it as an escape such as \\n", key));
            if (!escape(dst, key)) return false;
        }
    }

    bool escape(std::string& dst, std::string_view key) {
        if (i_ == text_.size()) return fail("unterminated text in the tags (a closing quote is missing)");
        char c = text_[i_++];
        switch (c) {
            case '"': dst += '"'; return true;
            case '\\': dst += '\\'; return true;
            case '/': dst += '/'; return true;
            case 'b': dst += '\b'; return true;
            case 'f': dst += '\f'; return true;
            case 'n': dst += '\n'; return true;
            case 'r': dst += '\r'; return true;
            case 't': dst += '\t'; return true;
            case 'u': break;
            default: return fail(where(fmt::format("an unknown escape \\{}", c), key));
        }
        uint32_t cp = 0;
        if (!hex4(cp)) return fail(where("a \\u escape without four hex digits", key));
        if (cp >= 0xDC00 && cp <= 0xDFFF) return fail(where("an unpaired \\u surrogate", key));
        if (cp >= 0xD800 && cp <= 0xDBFF) {  // high surrogate: a low one must follow
            uint32_t low = 0;
            if (text_.substr(i_, 2) != "\\u") return fail(where("an unpaired \\u surrogate", key));
            i_ += 2;
            if (!hex4(low)) return fail(where("a \\u escape without four hex digits", key));
            if (low < 0xDC00 || low > 0xDFFF) return fail(where("an unpaired \\u surrogate", key));
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(dst, cp);
        return true;
    }

    bool hex4(uint32_t& out) {
        if (i_ + 4 > text_.size()) return false;
        out = 0;
        for (int k = 0; k < 4; ++k) {
            char c = text_[i_++];
            uint32_t v;
            if (is_digit(c)) v = static_cast<uint32_t>(c - '0');
            else if (c >= 'a' && c <= 'f') v = static_cast<uint32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') v = static_cast<uint32_t>(c - 'A' + 10);
            else return false;
            out = out * 16 + v;
        }
        return true;
    }

    static std::string where(std::string_view problem, std::string_view key) {
        if (key.empty()) return fmt::format("a tag name contains {}", problem);
        return fmt::format("tag '{}' contains {}", shown(key), problem);
    }

    char peek() const { return i_ < text_.size() ? text_[i_] : '\0'; }
    bool take(char c) {
        if (peek() != c || i_ == text_.size()) return false;
        ++i_;
        return true;
    }
    void skip_ws() {
        while (i_ < text_.size() && is_space(text_[i_])) ++i_;
    }
    bool fail(std::string reason) {
        if (why_) *why_ = std::move(reason);
        return false;
    }

    std::string_view text_;
    std::string* why_;
    size_t i_ = 0;
    std::string_view last_key_;  // the current tag's name, in `out` (for messages)
};

}  // namespace

bool parse_tags(std::string_view json, std::vector<std::pair<std::string, std::string>>& out,
                std::string* why) {
    size_t first = 0;
    while (first < json.size() && is_space(json[first])) ++first;
    if (is_null(json.substr(first))) {
        out.clear();
        return true;
    }
    return TagParser(json, why).parse(out);
}

}  // namespace ratebook
