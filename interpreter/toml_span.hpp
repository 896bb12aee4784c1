// Where a ratebook.toml value sits, as a diagnostic Span: the one conversion from toml++'s
// source regions, shared by every reader of the settings (config, account master, normalise).
#pragma once
#include <toml++/toml.h>

#include <cstdint>
#include <memory>

#include "grammar/diagnostic.hpp"

namespace ratebook {

inline Span toml_span(const std::shared_ptr<const SourceFile>& file, const toml::source_region& r,
                      uint32_t length = 1) {
    Span s;
    s.file = file;
    s.line = r.begin.line;
    s.column = r.begin.column;
    s.length = length;
    return s;
}

}  // namespace ratebook
