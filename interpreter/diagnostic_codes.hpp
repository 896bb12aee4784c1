// Every diagnostic code ratebook can print, with a title and a longer explanation, in one
// table (syntax codes E01xx come from grammar/syntax_codes.hpp). `ratebook explain CODE`
// prints an entry; docs/diagnostics.md is generated from the same table.
#pragma once
#include <string_view>
#include <vector>

namespace ratebook {

struct DiagnosticCode {
    std::string_view code;
    std::string_view title;
    std::string_view explanation;
};

const std::vector<DiagnosticCode>& diagnostic_codes();
const DiagnosticCode* find_diagnostic_code(std::string_view code);

}  // namespace ratebook
