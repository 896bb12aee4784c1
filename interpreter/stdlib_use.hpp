// `use "sla/aws_compute"`: a rule file includes a library of the standard rules shipped in
// stdlib/ (stdlib/sla/aws_compute.rules). Where the libraries are found, in order:
//   1. the folder named by the environment variable RATEBOOK_STDLIB, when set;
//   2. share/ratebook/stdlib next to the installed binary (BIN/../share/ratebook/stdlib);
//   3. the source tree's stdlib/ (a build run from its build folder).
// A path is a relative name without `.rules`: letters, digits, `_`, `-` and `/` between
// names; `..`, absolute paths and backslashes are refused, so a rule set cannot read outside
// the library folder. Each library is read once however many files use it, and is shown in
// messages as stdlib/NAME.rules.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "grammar/ast.hpp"
#include "grammar/diagnostic.hpp"

namespace ratebook {

// The library folder in use (the first of the three that exists; the source tree's otherwise).
std::string stdlib_root();

// Reads and parses every library the modules `use` (and those the libraries use), in the order
// first used. Problems are reported at the `use` line (E0350, E0351).
std::vector<Module> load_used_libraries(const std::vector<Module>& modules, Diagnostics& diags);

}  // namespace ratebook
