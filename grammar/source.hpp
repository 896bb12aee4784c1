// A rule file's text and the spans that point into it. Every later stage (checker, compiler,
// VM, engine) reports problems through a Span, so a finance author always sees file:line:col.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ratebook {

struct SourceFile {
    std::string name;  // as shown to the user: "rules/FY2027/rates.rules"
    std::string text;

    // The 1-based line `line` without its line ending ("" past the end).
    std::string_view line_text(uint32_t line) const;
};

// A place in a source file. line and column are 1-based; column counts bytes. length is in
// bytes and may be 0 (a point, e.g. "expected `}` here").
struct Span {
    std::shared_ptr<const SourceFile> file;
    uint32_t line = 0;
    uint32_t column = 0;
    uint32_t length = 0;

    bool valid() const { return file != nullptr && line > 0; }
    std::string where() const;  // "file:line:col" or "<unknown>"
};

std::shared_ptr<const SourceFile> make_source(std::string name, std::string text);

}  // namespace ratebook
