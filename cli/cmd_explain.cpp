#include <fmt/format.h>

#include <cstdio>

#include "cli/command.hpp"
#include "interpreter/diagnostic_codes.hpp"

namespace ratebook::cli {

int run_explain(const Args& args) {
    if (args.positional.empty()) {
        for (const auto& c : diagnostic_codes()) fmt::print("{}  {}\n", c.code, c.title);
        return exit_ok;
    }
    int status = exit_ok;
    for (const auto& code : args.positional) {
        const DiagnosticCode* c = find_diagnostic_code(code);
        if (!c) {
            fmt::print(stderr, "ratebook explain: no diagnostic code `{}` (run `ratebook explain` for the list)\n", code);
            status = exit_errors;
            continue;
        }
        fmt::print("{}: {}\n\n{}\n", c->code, c->title, c->explanation);
    }
    return status;
}

}  // namespace ratebook::cli
