// The `ratebook` command line: each subcommand is a row in one table (cli/main.cpp) with its
// help text; options are parsed here the same way for all of them.
#pragma once
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ratebook::cli {

struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::vector<std::string>> options;  // "--out" -> values
    std::set<std::string> flags;                              // "--help", "--quiet"

    bool flag(const std::string& name) const { return flags.count(name) > 0; }
    std::optional<std::string> value(const std::string& name) const;
    std::vector<std::string> values(const std::string& name) const;
};

// Options that take a value (`--out DIR` or `--out=DIR`; repeatable ones collect every value,
// and `--usage a.csv b.csv` takes values until the next option). Anything else starting with
// `--` is a flag; unknown flags or options are errors.
struct OptionSpec {
    std::set<std::string> with_value;
    std::set<std::string> multi_value;  // values until the next option
    std::set<std::string> flags;
};

// Returns false and sets `error` on an unknown option or a missing value.
bool parse_args(const std::vector<std::string>& argv, const OptionSpec& spec, Args& out,
                std::string& error);

struct Command {
    const char* name;
    const char* summary;
    const char* help;  // full --help text
    int (*run)(const Args& args);
    OptionSpec options;
};

// Exit codes shared by all commands (docs/cli.md).
constexpr int exit_ok = 0;
constexpr int exit_errors = 1;        // rule errors (check), or findings
constexpr int exit_bad_input = 2;     // unusable input: unreadable file, missing columns, usage
constexpr int exit_too_many_rejects = 3;

int run_check(const Args& args);
int run_disasm(const Args& args);
int run_rate(const Args& args);
int run_explain(const Args& args);
int run_credits(const Args& args);
int run_variance(const Args& args);
int run_accounts(const Args& args);
int run_validate(const Args& args);
int run_whatif(const Args& args);
// `check` on a folder of fiscal-year folders (cli/cmd_check_years.cpp).
int check_fiscal_years(const std::string& dir, bool json);

}  // namespace ratebook::cli
