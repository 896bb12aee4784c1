// ratebook: IT chargeback rating from FOCUS feeds and rule files.
#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cli/command.hpp"

namespace ratebook::cli {
namespace {

const Command commands[] = {
    {"check", "compile a rule set and report every error",
     R"(usage: ratebook check RULESET_DIR [--format text|json]

Compiles every *.rules file in RULESET_DIR together with its ratebook.toml and tables, and
prints every diagnostic (file:line:col, the line, a caret and a hint). On success prints one
line: files, rules, bytecode size, content hash and time.

exit status: 0 no errors, 1 errors in the rule set, 2 bad command line)",
     run_check, {{"--format"}, {}, {}}},
    {"disasm", "show the bytecode a rule set compiles to",
     R"(usage: ratebook disasm RULESET_DIR [RULE_NAME]

Prints the compiled form of every rule (or of the rule named RULE_NAME): the feed columns
read, the consts, and per rule the instructions of its match, ru, volume, unit and charge,
with the source line each comes from. Jumps are shown as labels.

exit status: 0 ok, 1 errors in the rule set or no such rule, 2 bad command line)",
     run_disasm, {}},
    {"rate", "rate a month's usage feeds into charges",
     R"(usage: ratebook rate --rules DIR --usage FILE... --out DIR [--by COLUMNS] [--set NAME=VALUE]... [--max-reject-rate PCT] [--threads N] [--quiet]

Reads the FOCUS usage feeds (.csv or .csv.gz), maps each record to a customer account, prices
it with the one rate rule that matches, and writes to the --out folder:
  charges.csv   one line per account x RU x service x product x component, charge rounded
                per the rule set, with the rule name and file:line and the rule set hash
  invoice.csv   the charge lines rolled up by --by (default account,ru); each line is the
                sum of its billed charge lines, so the invoice equals the charges
  rejects.csv   every record not charged: input file, line, reason, the raw row
  summary.json  counts, totals, rejects by reason, the rule set identity
and prints a summary including the check `in = charged + rejected`.

Outputs are written to temporary files and renamed at the end: a failed run leaves no
half-written output.

options:
  --rules DIR            the rule set folder (one fiscal year), e.g. rules/FY2027; or REV:path
                         from git (HEAD~1:rules/FY2027); or a folder of fiscal-year folders
                         (rules/): each record is rated by the year of its ChargePeriodStart
  --usage FILE...        one or more FOCUS CSV feeds
  --out DIR              where to write the outputs (created if missing)
  --max-reject-rate PCT  exit 3 when more than PCT percent of records are rejected
                         (default 100: never); outputs are still written for review
  --set NAME=VALUE       what-if: rate with a const changed, e.g. --set admin_fee=5%;
                         checked and typed like the rule file's own (repeatable). The
                         outputs' rule set hash and summary.json record the change
  --by COLUMNS           invoice.csv's level of detail: any of account, ru, service,
                         product, component, comma-separated (default account,ru)
  --threads N            rating threads (default: the machine's cores); the outputs are
                         byte-identical whatever N
  --quiet                print only the identity line and errors

exit status: 0 ok, 1 rule set errors, 2 unusable input (unreadable file, missing required
columns), 3 reject rate above --max-reject-rate)",
     run_rate, {{"--rules", "--out", "--max-reject-rate", "--threads", "--by", "--set"}, {"--usage"}, {"--quiet"}}},
    {"whatif", "compare what a proposed rule set would charge (dry run)",
     R"(usage: ratebook whatif --usage FILE... --rules CURRENT [--proposed PROPOSED] [--set NAME=VALUE]... --out DIR [--quiet]

Rates the same records with the rules in force (--rules) and a proposal (--proposed; both
take a folder or REV:path from git, e.g. --proposed my-branch:rules/FY2027), reading each
feed once, and compares the billed charges: totals, by account, by RU and by service
(current, proposed, change, change %), the biggest movers, and the records that moved to
another rule or account, or are newly rejected or newly charged. A dry run: only these are
written to the --out folder:
  whatif.txt   the comparison for people (also printed unless --quiet)
  whatif.csv   section,key,current,proposed,change,change_pct and both rule set versions
  whatif.json  the same, the rule sets' identities and the records that moved

  --set NAME=VALUE  change a const on the proposed side, e.g. --set admin_fee=5%; without
                    --proposed the proposal is CURRENT with these changes

exit status: 0 ok, 1 rule set errors, 2 unusable input)",
     run_whatif, {{"--rules", "--proposed", "--out", "--set"}, {"--usage"}, {"--quiet"}}},
    {"explain", "explain a diagnostic code such as E0202",
     R"(usage: ratebook explain [CODE...]

Prints the title and explanation of each diagnostic code (the E0202 in `error[E0202]`), or
the list of every code when none is given.)",
     run_explain, {}},
};

void print_overview() {
    fmt::print("ratebook: IT chargeback rating from FOCUS feeds and rule files\n\n"
               "usage: ratebook COMMAND [options]   (ratebook COMMAND --help for details)\n\ncommands:\n");
    for (const auto& c : commands) fmt::print("  {:<8} {}\n", c.name, c.summary);
}

}  // namespace
}  // namespace ratebook::cli

int main(int argc, char** argv) {
    using namespace ratebook::cli;
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "help")) {
        print_overview();
        return argc < 2 ? exit_bad_input : exit_ok;
    }
    for (const auto& c : commands) {
        if (c.name != std::string(argv[1])) continue;
        std::vector<std::string> rest(argv + 2, argv + argc);
        Args args;
        std::string error;
        if (!parse_args(rest, c.options, args, error)) {
            fmt::print(stderr, "ratebook {}: {}\n", c.name, error);
            return exit_bad_input;
        }
        if (args.flag("--help")) {
            fmt::print("{}\n", c.help);
            return exit_ok;
        }
        return c.run(args);
    }
    fmt::print(stderr, "ratebook: unknown command `{}`\n\n", argv[1]);
    print_overview();
    return exit_bad_input;
}
