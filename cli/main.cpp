// ratebook: IT chargeback rating from FOCUS feeds and rule files.
#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/huge_pages.hpp"

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
     R"(usage: ratebook rate --rules DIR --usage FILE... --out DIR [--by COLUMNS] [--set NAME=VALUE]... [--max-reject-rate PCT] [--threads N] [--skip-validation] [--quiet]

Reads the FOCUS usage feeds (.csv or .csv.gz), maps each record to a customer account, prices
it with the one rate rule that matches, and writes to the --out folder:
  charges.csv   one line per account x RU x service x product x component, charge rounded
                per the rule set, with the rule name and file:line and the rule set hash
  invoice.csv   the charge lines rolled up by --by (default account,ru); each line is the
                sum of its billed charge lines, so the invoice equals the charges
  rejects.csv   every record not charged: input file, line, reason, the raw row
  summary.json  counts, totals, rejects by reason, the rule set identity, and notes on what
                the run could not do (monthly fees when the billing month is unknown)
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
  --accept-errors CHECK...  bill even though feed validation found errors of these checks
                         (check ids, docs/validation.md); recorded in summary.json
  --prior FILE...        last month's feeds, for validation's variance checks
  --control-total P=AMOUNT...  a provider's invoice total; the feed must match to the cent
  --skip-validation      rate without the feed checks (a re-rate of a month already
                         validated: a preview, a what-if); summary.json says they were skipped

While rating, the feeds are validated as `ratebook validate` does. Errors on records that
rating rejects one by one (malformed rows, unreadable values or tags, SKUs no rate rule
prices, rule errors) are listed in rejects.csv and do not stop the run; any other error
(duplicate rows or files, missing days, billing periods, currencies, control totals, error
`check` rules) stops it before charges are written, unless --accept-errors names its check:
the folder then holds only report.txt, findings.csv and findings.json.

exit status: 0 ok, 1 rule set errors, 2 unusable input (unreadable file, missing required
columns), 3 reject rate above --max-reject-rate, 4 feed validation errors not accepted)",
     run_rate, {{"--rules", "--out", "--max-reject-rate", "--threads", "--by", "--set"}, {"--usage", "--accept-errors", "--prior", "--control-total"}, {"--quiet", "--skip-validation"}}},
    {"credits", "service credits owed under the sla rules, and claim decisions",
     R"(usage: ratebook credits --rules DIR --charges FILE --metrics FILE [--claims FILE] [--month YYYY-MM] --out DIR [--quiet]

Evaluates the rule set's `sla` rules on one month: each rule reads its measured service level
from the SLA metrics file, finds the credit tier reached (a level strictly below `below 99.0%`
reaches that tier; exactly 99.0% does not), and credits that percentage of the charge lines
its `charges` match, per account and service; caps, the minimum credit and the at-risk pool
cap follow. With --claims, each claim is approved with its credit or denied with a reason
(below no tier, filed after the window, no matching charges, under the minimum credit).
Writes to the --out folder, all files or none:
  credits.csv   account, service, period, sla, kind, measured, tier, percent, base_charges,
                credit, status, evidence, rule file:line
  claims.csv    one decision per claim (with --claims)
  summary.json  inputs accounted for, each sla rule's outcome, totals
  summary.txt   the summary printed here

options:
  --rules DIR      the rule set folder, e.g. rules/FY2027
  --charges FILE   charges.csv written by `ratebook rate` for the month
  --metrics FILE   the SLA metrics CSV: provider (or service_provider), service, month,
                   metric, value (99.95% or 99.95), evidence
  --claims FILE    claims CSV: claim_id, account, service, period, claimed (98.5% or an outage
                   such as 43.2 min), evidence, filed (2026-11-15)
  --month YYYY-MM  the month of the charges (default: the one month of the metrics file)
  --quiet          print nothing but errors

exit status: 0 ok, 1 rule set errors, 2 unusable input (file:line and a hint are printed))",
     run_credits, {{"--rules", "--charges", "--metrics", "--claims", "--month", "--out"}, {}, {"--quiet"}}},
    {"variance", "compare two months' charges and flag the changes to explain",
     R"(usage: ratebook variance --rules DIR --current A/charges.csv --prior B/charges.csv --out DIR [--quiet]

Compares every charge line of two months (the charges.csv files `ratebook rate` writes), sums
them into the groups of the rule set's `variance` rule (`by account and ru`, ...), and flags the
groups whose change passes its thresholds (or an override's, for the groups named by `for`).
Each group's change is split into parts that add up to the cent:
  volume effect (AQ - BQ) x BP, rounded per the rule set; rate effect the remainder (which is
  (AP - BP) x AQ to within half a cent); new lines; dropped lines
Writes to the --out folder, all together or not at all:
  variance.csv   one row per group: numbers, decomposition, flagged, rule, explanation
  variance.json  the same, with the totals and the customers ranked by change
  variance.txt   the report to read: reconciliation, flagged groups explained, customers

exit status: 0 ok, 1 rule set errors, 2 unusable input (unreadable file, missing column,
malformed number: the message names file:line))",
     run_variance, {{"--rules", "--current", "--prior", "--out"}, {}, {"--quiet"}}},
    {"validate", "check a month's usage feeds before anything is billed",
     R"(usage: ratebook validate --rules DIR --usage FILE... --out DIR [--prior FILE...] [--control-total PROVIDER=AMOUNT...] [--quiet]

Reads the FOCUS usage feeds once and reports what is wrong with them before anything is
billed: missing columns, values of the wrong type, nulls FOCUS forbids, other currencies,
rows outside the month billed; negative usage, cost without quantity, charge periods outside
the billing period, duplicate rows (naming the columns compared and both lines), untagged
rows, values FOCUS does not allow, units spelled two ways; SKUs no rate rule prices and
resources with no account mapping (from rating the feed, without writing charges); days of
the month with no rows per provider; with --prior, cost and volume per provider and service
against last month and accounts' missing days; with --control-total, the sum of BilledCost
per provider against the provider's invoice, to the cent; a file given twice. The rule set's
own `check` rules run on every record. ratebook.toml's [normalise] section is applied first
and every change counted. docs/validation.md lists every check id.

Writes to the --out folder:
  report.txt     findings grouped by check: count, dollars affected, the first examples
                 with file and line (also printed unless --quiet)
  findings.csv   every finding: check, severity, file, line, amount, message
  findings.json  the same, with counts and the normalisation applied

options:
  --rules DIR                  the rule set folder, e.g. rules/FY2027
  --usage FILE...              the month's FOCUS CSV feeds
  --out DIR                    where to write the report (created if missing)
  --prior FILE...              last month's feeds, for the variance and per-account day checks
  --control-total P=AMOUNT...  a provider's invoice total, e.g. AWS=1234567.89 (repeatable)
  --quiet                      print only where the report was written

exit status: 0 clean (or info only), 1 warnings only, 2 errors (or unusable input, bad
command line, rule set errors))",
     run_validate, {{"--rules", "--out"}, {"--usage", "--prior", "--control-total"}, {"--quiet"}}},
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
Monthly fees a rule set could not charge (no charged record gave the month) are said on the
console, even with --quiet: `note: rules in force: ...` or `note: proposal: ...`.

  --set NAME=VALUE  change a const on the proposed side, e.g. --set admin_fee=5%; without
                    --proposed the proposal is CURRENT with these changes

exit status: 0 ok, 1 rule set errors, 2 unusable input)",
     run_whatif, {{"--rules", "--proposed", "--out", "--set"}, {"--usage"}, {"--quiet"}}},
    {"explain", "explain a diagnostic code such as E0202",
     R"(usage: ratebook explain [CODE...]

Prints the title and explanation of each diagnostic code (the E0202 in `error[E0202]`), or
the list of every code when none is given.)",
     run_explain, {}},
    {"accounts", "list and validate the account master, and show the rules that use it",
     R"(usage: ratebook accounts --rules DIR

Lists the account master named in DIR/ratebook.toml under [account_master]: each row's account
code, active-from and active-to dates and customer name; then the rule-set lines that use the
table (account mapping, fees, any line naming it); then the validation: a code listed twice,
overlapping active dates for one code (both lines named), codes missing from the customer list
(account_master.customers), dates that are not dates.

exit status: 0 valid, 1 findings or rule set errors (printed on stderr), 2 bad command line)",
     run_accounts, {{"--rules"}, {}, {}}},
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
        if (c.name == "rate" || c.name == "validate" || c.name == "whatif") use_huge_pages(argv);
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
        try {
            return c.run(args);
        } catch (const std::bad_alloc&) {
            fmt::print(stderr, "ratebook {}: out of memory; nothing was written\n", c.name);
        } catch (const std::exception& e) {
            // Commands report what they expect (bad input, rule errors) themselves; this is the
            // rest (a full disk, an unwritable temporary folder): said plainly, not a crash.
            fmt::print(stderr, "ratebook {}: cannot go on: {}; nothing was written\n", c.name, e.what());
        }
        return exit_bad_input;
    }
    fmt::print(stderr, "ratebook: unknown command `{}`\n\n", argv[1]);
    print_overview();
    return exit_bad_input;
}
