// Parsing rule files. PEGTL stays inside grammar/*.cpp; nothing here exposes it.
#pragma once
#include <memory>
#include <string>

#include "grammar/ast.hpp"
#include "grammar/diagnostic.hpp"

namespace ratebook {

// Parses a whole rule file. Syntax errors go to `diags` (E01xx codes); the parser recovers at
// the next rule block or `const` so one run reports at least one error per broken block. The
// returned module holds every item that parsed cleanly.
Module parse_rules(std::shared_ptr<const SourceFile> file, Diagnostics& diags);

// Parses one expression filling the whole source (used by `--set name=expr`); nullptr on error.
ExprPtr parse_expression(std::shared_ptr<const SourceFile> file, Diagnostics& diags);

// A readable, stable dump of the tree for golden tests (no byte offsets, no absolute paths).
std::string print_ast(const Module& m);
std::string print_expr(const Expr& e);

}  // namespace ratebook
