// Source files and spans: the line lookup every diagnostic needs.
#include "grammar/source.hpp"

#include <fmt/format.h>

namespace ratebook {

std::string_view SourceFile::line_text(uint32_t line) const {
    if (line == 0) return {};
    std::string_view rest = text;
    for (uint32_t n = 1; n < line; ++n) {
        size_t nl = rest.find('\n');
        if (nl == std::string_view::npos) return {};
        rest.remove_prefix(nl + 1);
    }
    if (rest.empty() && line > 1 && !text.empty() && text.back() == '\n') return {};
    rest = rest.substr(0, rest.find('\n'));
    if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
    return rest;
}

std::string Span::where() const {
    if (!valid()) return "<unknown>";
    return fmt::format("{}:{}:{}", file->name, line, column);
}

// Keeps the text as written, except a UTF-8 byte order mark (saved by some spreadsheet and
// text editors), which is no part of the rules.
std::shared_ptr<const SourceFile> make_source(std::string name, std::string text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
    return std::make_shared<const SourceFile>(SourceFile{std::move(name), std::move(text)});
}

}  // namespace ratebook
