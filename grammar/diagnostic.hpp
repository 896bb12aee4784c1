// One diagnostic type and one renderer for every stage: parse, check, config, tables, runtime.
// Shape (after rustc and Elm):
//
//   rates.rules:12:23: error[E0203]: cannot add Money and Percent
//      12 |   charge BilledCost + admin_fee
//         |                       ^^^^^^^^^
//      = help: to add a fee, multiply: BilledCost * (1 + admin_fee)
//
// Messages are lowercase, plain words, no C++ or PEGTL names, and the fix goes in `help`.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "grammar/source.hpp"

namespace ratebook {

enum class Severity { error, warning, note };

struct Diagnostic {
    Severity severity = Severity::error;
    std::string code;     // "E0101"; see docs/diagnostics.md and diagnostic_codes.cpp
    std::string message;  // what is wrong
    Span span;            // where (may be invalid for whole-run problems)
    std::string help;     // what to do (may be empty)
    std::vector<std::string> notes;  // extra context lines ("first defined at rates.rules:3:1")
};

// Collects diagnostics in the order they were found.
class Diagnostics {
public:
    void add(Diagnostic d) { items_.push_back(std::move(d)); }
    void error(std::string code, Span span, std::string message, std::string help = {});
    void warning(std::string code, Span span, std::string message, std::string help = {});
    bool has_errors() const;
    size_t error_count() const;
    size_t warning_count() const;
    const std::vector<Diagnostic>& items() const { return items_; }
    std::vector<Diagnostic>& items() { return items_; }
    void append(const Diagnostics& other);
    // Stable order for output: by file, line, column, then the order found.
    void sort();

private:
    std::vector<Diagnostic> items_;
};

// Renders one diagnostic as text (with the source line and a caret line when the span is valid).
std::string render(const Diagnostic& d);
// Renders all of them, each followed by a blank line.
std::string render(const Diagnostics& ds);
// One JSON object per diagnostic, as a JSON array, for tools (`--format json`).
std::string render_json(const Diagnostics& ds);

// Closest candidate by edit distance, for "did you mean ...?" hints; empty when nothing is close.
std::string closest_name(std::string_view wrong, const std::vector<std::string>& candidates);

}  // namespace ratebook
