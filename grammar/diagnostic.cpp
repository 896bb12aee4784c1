// Diagnostics: collecting, ordering and rendering (text for people, JSON for tools), and the
// "did you mean" helper.
#include "grammar/diagnostic.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cctype>

namespace ratebook {

void Diagnostics::error(std::string code, Span span, std::string message, std::string help) {
    add({Severity::error,
         std::move(code),
         std::move(message),
         std::move(span),
         std::move(help),
         {}});
}

void Diagnostics::warning(std::string code, Span span, std::string message, std::string help) {
    add({Severity::warning,
         std::move(code),
         std::move(message),
         std::move(span),
         std::move(help),
         {}});
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

size_t Diagnostics::error_count() const {
    return std::count_if(items_.begin(), items_.end(),
                         [](const Diagnostic& d) { return d.severity == Severity::error; });
}

size_t Diagnostics::warning_count() const {
    return std::count_if(items_.begin(), items_.end(),
                         [](const Diagnostic& d) { return d.severity == Severity::warning; });
}

void Diagnostics::append(const Diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

void Diagnostics::sort() {
    auto key = [](const Diagnostic& d) {
        const Span& s = d.span;
        return std::make_tuple(s.valid() ? std::string_view(s.file->name) : std::string_view(),
                               s.line, s.column);
    };
    std::stable_sort(items_.begin(), items_.end(),
                     [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
}

namespace {

constexpr int tab_width = 4;

const char* severity_name(Severity s) {
    switch (s) {
        case Severity::error: return "error";
        case Severity::warning: return "warning";
        case Severity::note: return "note";
    }
    return "error";
}

bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Screen columns taken by line[0, bytes): tabs go to the next stop, a UTF-8 character is one.
size_t display_width(std::string_view line, size_t bytes) {
    size_t width = 0;
    for (size_t i = 0; i < bytes; ++i) {
        if (i >= line.size())
            ++width;  // a point just past the end of the line
        else if (line[i] == '\t')
            width += tab_width - width % tab_width;
        else if (!is_utf8_continuation(line[i]))
            ++width;
    }
    return width;
}

// The source line as shown: tabs expanded, other control characters (an ESC sequence pasted
// into a rule file, say) shown as `?` so an error message cannot drive the analyst's terminal.
std::string expand_tabs(std::string_view line) {
    std::string out;
    size_t width = 0;
    for (char c : line) {
        if (c == '\t') {
            size_t n = tab_width - width % tab_width;
            out.append(n, ' ');
            width += n;
        } else {
            unsigned char u = static_cast<unsigned char>(c);
            out += u < 32 || u == 127 ? '?' : c;
            if (!is_utf8_continuation(c)) ++width;
        }
    }
    return out;
}

// "   4 | source line" and "     |    ^^^^".
void render_snippet(std::string& out, const Span& span) {
    std::string_view line = span.file->line_text(span.line);
    size_t start = span.column - 1;
    size_t end = std::min<size_t>(start + span.length, std::max(line.size(), start + 1));
    size_t from = display_width(line, start);
    size_t carets = std::max<size_t>(1, display_width(line, end) - from);
    out += fmt::format("{:>4} | {}\n", span.line, expand_tabs(line));
    out += fmt::format("     | {}{}\n", std::string(from, ' '), std::string(carets, '^'));
}

void json_string(std::string& out, std::string_view s) {
    out += '"';
    for (size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        switch (c) {
            case '"': out += "\\\""; continue;
            case '\\': out += "\\\\"; continue;
            case '\n': out += "\\n"; continue;
            case '\r': out += "\\r"; continue;
            case '\t': out += "\\t"; continue;
            default: break;
        }
        if (c < 0x20 || c == 0x7F) {
            out += fmt::format("\\u{:04x}", c);
        } else if (c < 0x80) {
            out += static_cast<char>(c);
        } else {
            // Copy a well-formed UTF-8 sequence; replace a stray byte so the output stays JSON.
            size_t n = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
            bool ok = n > 0 && i + n <= s.size() && c < 0xF5;
            for (size_t k = 1; ok && k < n; ++k) ok = is_utf8_continuation(s[i + k]);
            if (ok) {
                out.append(s.substr(i, n));
                i += n - 1;
            } else {
                out += "\\ufffd";
            }
        }
    }
    out += '"';
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbouring letters each cost 1.
size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
    for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.size()][b.size()];
}

}  // namespace

std::string render(const Diagnostic& d) {
    std::string out;
    if (d.span.valid()) out += d.span.where() + ": ";
    out += severity_name(d.severity);
    if (!d.code.empty()) out += "[" + d.code + "]";
    out += ": " + d.message + "\n";
    if (d.span.valid() && d.span.column > 0) render_snippet(out, d.span);
    if (!d.help.empty()) out += "   = help: " + d.help + "\n";
    for (const std::string& note : d.notes) out += "   = note: " + note + "\n";
    return out;
}

std::string render(const Diagnostics& ds) {
    std::string out;
    for (const Diagnostic& d : ds.items()) out += render(d) + "\n";
    return out;
}

std::string render_json(const Diagnostics& ds) {
    std::string out = "[";
    for (const Diagnostic& d : ds.items()) {
        out += out.size() > 1 ? ",\n {" : "\n {";
        out += "\"severity\": ";
        json_string(out, severity_name(d.severity));
        out += ", \"code\": ";
        json_string(out, d.code);
        out += ", \"message\": ";
        json_string(out, d.message);
        if (d.span.valid()) {
            out += ", \"file\": ";
            json_string(out, d.span.file->name);
            out += fmt::format(", \"line\": {}, \"column\": {}, \"length\": {}", d.span.line,
                               d.span.column, d.span.length);
        }
        out += ", \"help\": ";
        json_string(out, d.help);
        out += ", \"notes\": [";
        for (size_t i = 0; i < d.notes.size(); ++i) {
            if (i > 0) out += ", ";
            json_string(out, d.notes[i]);
        }
        out += "]}";
    }
    out += ds.items().empty() ? "]\n" : "\n]\n";
    return out;
}

std::string closest_name(std::string_view wrong, const std::vector<std::string>& candidates) {
    std::string w = lower(wrong);
    size_t limit = std::max<size_t>(1, w.size() / 3);
    const std::string* best = nullptr;
    size_t best_distance = limit + 1;
    for (const std::string& c : candidates) {
        size_t dist = edit_distance(w, lower(c));
        if (dist < best_distance) {
            best_distance = dist;
            best = &c;
        }
    }
    return best ? *best : std::string();
}

}  // namespace ratebook
