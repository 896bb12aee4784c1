// The disassembler: bytecode as text, for `ratebook disasm` and golden compiler tests.
// Jumps show labels (L1, L2), never offsets; each source line is noted once, where it starts.
#pragma once
#include <string>
#include <string_view>

#include "interpreter/ruleset.hpp"

namespace ratebook {

// A constant as an author would write it: money `$1250.00` in USD (`1250.00 EUR` otherwise),
// percent `4.5%`, text in quotes, dates as 2026-09-01.
std::string format_constant(Type t, const Value& v, std::string_view currency);
std::string format_date(int32_t days);
// A fraction as a percentage: 0.045 -> 4.5%
std::string percent_text(const Decimal& fraction);

// with_lines = false leaves out source positions: the rule set's canonical form, hashed into
// its content hash so that comments and layout do not change it.
// `scope` names the slots of chunks not evaluated over a usage record (variance rules).
std::string disassemble_chunk(const Chunk& chunk, const RuleSet& rules, bool with_lines = true,
                              const std::vector<ColumnInfo>* scope = nullptr);
// Every rule (or only those whose name equals `only`), with consts and slots first.
std::string disassemble(const RuleSet& rules, std::string_view only = {}, bool with_lines = true);

}  // namespace ratebook
