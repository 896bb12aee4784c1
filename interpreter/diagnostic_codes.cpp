#include "interpreter/diagnostic_codes.hpp"

#include "grammar/syntax_codes.hpp"

namespace ratebook {

namespace {

const DiagnosticCode semantic_codes[] = {
    // E02xx: names and types (interpreter/checker.cpp, interpreter/compiler.cpp)
    {"E0201", "unknown name",
     "A name is neither a FOCUS column nor a const defined earlier. Column names are spelt as in "
     "the FOCUS specification (BilledCost, ServiceName, ...); consts must be defined before use."},
    {"E0202", "operation not allowed on these types",
     "Arithmetic keeps units honest: money can be added to money, multiplied by a number, a percent "
     "or a quantity, but not added to a percent or multiplied by money. See the table in "
     "docs/language.md."},
    {"E0203", "values cannot be compared",
     "Both sides of a comparison must be of one type (a plain number may be compared with a "
     "quantity). Text and true/false compare only with == and !=."},
    {"E0204", "a condition is needed",
     "`match`, `if`, `and`, `or` and `not` work on conditions (true or false), such as "
     "ServiceCategory == \"Compute\"."},
    {"E0205", "unknown function", "The function is not one of ratebook's built-ins (docs/language.md lists them)."},
    {"E0206", "wrong number of arguments", "The function was given too many or too few values."},
    {"E0207", "unsuitable argument", "One argument of a function has the wrong type or value."},
    {"E0208", "tag() needs a key in quotes", "tag(\"cost-center\") reads one key of the record's Tags."},
    {"E0209", "if/else branches differ", "Both branches of `if ... then ... else ...` must give the same type."},
    {"E0210", "unsuitable list", "`x in [...]` takes fixed values (literals or consts) of x's type."},
    {"E0211", "a const cannot read the record", "Consts are fixed values computed once; columns and tags vary per record."},
    {"E0212", "const defined twice", "Each const name may be defined once in a rule set."},
    {"E0213", "amount in another currency", "Amounts must be in the rule set's currency (ratebook.toml)."},
    {"E0214", "unknown kind of rule", "Rule blocks start with `rate` or `account`."},
    {"E0215", "unknown clause", "The clause keyword does not belong to this kind of rule."},
    {"E0216", "clause given twice", "Each clause may appear once per rule."},
    {"E0217", "required clause missing", "A rate rule needs a name, `match`, `ru` and `charge`."},
    {"E0218", "clause has the wrong type",
     "`match` is a condition, `ru` and `unit` are text, `volume` a quantity, `charge` money."},
    {"E0219", "rule name used twice", "Rule names identify charge lines on invoices and must be unique."},
    {"E0220", "priority is not a whole number", "`priority` is a whole number; the higher wins."},
    {"E0221", "unknown table or column", "Tables are declared in ratebook.toml under [tables.NAME]."},
    {"E0222", "more than one account rule", "A rule set has one account rule; list its sources in order."},
    {"E0223", "a fixed value cannot be computed", "A constant expression failed, e.g. a division by zero."},
    {"E0224", "expression too large", "An expression exceeds the size or nesting limits; split it with consts."},
    {"E0227", "too many decimal places", "A percentage may have up to 16 decimal places."},
    {"E0228", "rate rules compete for the same records",
     "Two rate rules have the same match and priority and their effective dates overlap, so every "
     "record in the overlap would be rejected as ambiguous. Make the dates meet without overlapping "
     "(`until 2026-12-31` and `effective 2027-01-01`), or give one a higher `priority`."},
    {"E0230", "a fixed value is needed", "Tier sizes, tier prices and effective dates cannot depend on the record."},
    {"E0231", "effective date outside the fiscal year",
     "`effective` and `until` lie within the rule set's fiscal year, and `until` is not before `effective`."},
    {"E0233", "unusable --set",
     "`--set NAME=VALUE` changes a const for a what-if run: NAME must be a const of the rule set and "
     "VALUE an expression of the same type (a percent for a percent, money for money)."},
    {"W0234", "rate rule can never be chosen",
     "Another rate rule has the same match and a higher priority on every day this one applies, so "
     "this rule prices nothing. A warning, not an error: the rule set still compiles."},
    {"E0235", "too many rules",
     "A rule set holds at most 20,000 rule blocks and 20,000 consts (docs/hardening.md)."},
    {"E0232", "malformed tiers",
     "Tiers read `tiers graduated` (or `volume`), then `first SIZE at PRICE`, any number of "
     "`next SIZE at PRICE`, and `over at PRICE` last. A tiered rate has no `charge` clause."},
    {"E0250", "unusable sla match",
     "An sla rule's `measure` and `charges` compare fields with text: ==, !=, in [...], and, or, not. "
     "`charges` names charge-line fields (account, account_source, ru, service, product, component, "
     "unit, rule); `measure` names fields of the SLA metrics file (provider, service, metric)."},
    {"E0251", "malformed credit tiers",
     "Each tier is `below LEVEL credit PERCENT`, from the highest level down: a measured level "
     "strictly below LEVEL earns PERCENT of the charges, and the lowest level it is below wins. "
     "Exactly at LEVEL is not below it."},
    {"E0252", "sla rule form unclear",
     "An sla rule has either credit tiers (cloud form) or `target` with `pool_allocation`, "
     "`credit_allocation` and `at_risk` (outsourcing form: credit = pool allocation x credit "
     "allocation x at-risk amount)."},
    {"E0253", "sla clause has the wrong value",
     "Levels, credits, allocations and at_risk are percentages from 0% to 100%; cap is a percentage "
     "or an amount; minimum an amount; claim_window a whole number of billing cycles; pool text."},
    {"E0254", "sla pool members disagree",
     "Rules of one pool share one at-risk cap on one set of charges, so they must have the same "
     "`charges` and `at_risk`."},
    // E0240-E0245: variance rules (interpreter/compile_variance.cpp)
    {"E0240", "malformed `by`",
     "A variance rule's `by` names the charges.csv columns to group charge lines by, joined by "
     "`and`: account, ru, service, product, component, unit. Example: by account and ru."},
    {"E0241", "a variance rule reads something it cannot",
     "Variance rules compare groups of charge lines across two months. They read the grouping keys "
     "(account, ru, ...), the measures (current_charge, prior_charge, charge_change, "
     "charge_change_pct, current_volume, prior_volume, volume_change, volume_change_pct, is_new, "
     "is_dropped) and consts; not feed columns or tags."},
    {"E0242", "default and override variance rules mixed up",
     "Exactly one variance rule sets the grouping with `by` (the default). Every other variance "
     "rule is an override: it says with `for` which groups it is for, and its `flag` replaces the "
     "default's for them. A rule has `by` or `for`, never both."},
    {"E0243", "`for` reads a measure",
     "An override's `for` picks groups by their keys (for account == \"10004-0\"); thresholds "
     "on measures belong in `flag`."},
    {"E0244", "key not grouped by",
     "A variance rule tests a key (such as service) that the default rule's `by` does not group "
     "by, so a group has no single value of it. Add the key to `by`."},
    {"E0245", "a variance condition is not a condition",
     "`flag` and `for` take a condition, true or false: a comparison such as "
     "abs(charge_change) >= $250.00, or several joined by `and` / `or`."},
    // E0236-E0239, E0246-E0248: drill-down fields and named tier schedules
    // (interpreter/compile_drilldown.cpp, interpreter/compile_schedule.cpp)
    {"E0236", "a drill-down field is not text",
     "`service`, `product` and `component` name a charge line's drill-down, so each is Text: a "
     "column such as ServiceName or ResourceName, a text in quotes, a text const, `tag(\"...\")`, an "
     "`if` between texts, or `none` for an empty field (no drill-down to that level)."},
    {"E0237", "misused `drilldown` block",
     "A rule set has at most one `drilldown` block, and it defines at least one of service, "
     "product and component. Its definitions apply to every rate rule that does not give its own."},
    {"E0238", "a named schedule needs a fixed base price",
     "`tiers \"NAME\" at PRICE` prices each tier of the schedule at its percentage of PRICE, so "
     "PRICE is required and must be a fixed amount (a literal or a const), not read from the record; "
     "tiers are priced on an account's month, not per record."},
    {"E0239", "unknown tier schedule",
     "`tiers \"NAME\" at PRICE` names a `schedule` declared in the rule set or in a library it "
     "`use`s (stdlib/tiers: \"Three-step volume discount\", \"Standard storage volume discount\", "
     "\"First million requests free\")."},
    {"E0246", "a rate mixes a named schedule with its own tier lines",
     "A rate either takes its tiers from a schedule (`tiers \"NAME\" at PRICE`) or writes them out "
     "(`tiers graduated` and `first`/`next`/`over` lines), not both."},
    {"E0247", "a price after `tiers graduated`",
     "`tiers graduated` and `tiers volume` take no price: each tier line has its own. A price after "
     "`tiers` belongs to a named schedule, `tiers \"NAME\" at PRICE`."},
    {"E0248", "misused schedule",
     "A `schedule` needs a name (rates refer to it by that name) and its own tier lines; it cannot "
     "refer to another schedule."},
    {"E0249", "joined text too long",
     "Texts joined with + (SkuId + \" \" + RegionId) may be up to 65,536 characters; a record whose "
     "joined text would be longer is rejected with the rule's location."},
    // E0290-E0299: table lookups in expressions (interpreter/check_lookup.cpp)
    {"E0290", "lookup() needs 3 or 4 arguments", "lookup(table, key, column) or lookup(table, key, column, default)."},
    {"E0291", "lookup() of an unknown table", "The first argument of lookup() names a table declared in ratebook.toml."},
    {"E0292", "lookup() of an unknown column", "The third argument of lookup() names a column of the table."},
    {"E0293", "lookup key is not Text", "Table keys are text; look up a text column, a tag or a text expression."},
    {"E0294", "lookup default of the wrong type", "The default must be of the looked-up column's declared type."},
    {"E0295", "duplicate key in a looked-up table", "The key column used by lookup() holds the same key on two rows."},
    // E0296-E0299: allocate rules (interpreter/compile_allocate.cpp)
    {"E0296", "fixed shares do not add up to 100%", "An allocation's `share` lines must spread the whole pool."},
    {"E0297", "allocations wait for each other in a cycle", "`after` links that come back to their start leave no allocation to run first."},
    {"E0298", "`after` names no allocation", "`after \"NAME\"` names another allocate rule of the rule set."},
    {"E0299", "malformed allocation", "A pool is a fixed amount or an RU code; the basis is `by charges`, `by volume(\"RU\")`, `by weights(TABLE, COLUMN)`, `by evenly` or `share` lines."},
    // E028x: block pricing, baselines and fees (interpreter/compile_charge_models.cpp, compile_fee.cpp)
    {"E0280", "malformed block pricing",
     "Block pricing reads `blocks SIZE at PRICE` (e.g. blocks 1,000 at $0.40: $0.40 per block of 1,000 "
     "units) and `partial up` (a part block is charged as a whole one) or `partial prorated` (in "
     "proportion). Size and price are fixed values; a block-priced rate has no `charge` and no tiers."},
    {"E0281", "malformed baseline",
     "A baseline reads `baseline UNITS`, optionally `deadband UNITS`, and `arc at PRICE` and/or `rrc at "
     "PRICE`: units above baseline + deadband are charged at the ARC rate, units below baseline - "
     "deadband credited at the RRC rate. All are fixed, non-negative values."},
    {"E0282", "malformed fee",
     "A fee reads `fee \"NAME\" { monthly MONEY  ru \"CODE\" }`, optionally `prorate days`, "
     "`unit \"TEXT\"` and `description \"TEXT\"`. The amount is a fixed, non-negative amount."},
    {"E0283", "fee without an account master",
     "A fee is charged to every account of the account master active in the month, so the rule set "
     "needs [account_master] in its ratebook.toml."},
    // E0260-E0269: `check` rules (interpreter/compile_check.cpp)
    {"E0260", "unknown check severity", "A check's severity is error, warning or info, written without quotes."},
    {"E0261", "check message is not text", "A check's message is text in quotes; {Column} shows a record's value."},
    {"E0262", "bad placeholder in a check message",
     "Each {Name} in a check's message names a FOCUS column, such as {ResourceId}; write {{ and }} for braces."},
    {"E0263", "check named like a built-in check",
     "A check's name is the id of its findings; docs/validation.md lists the built-in ids it may not reuse."},
    // E03xx: the rule set folder, ratebook.toml and tables (interpreter/config.cpp, loader.cpp)
    {"E0300", "ratebook.toml is not valid TOML", "The file could not be read as TOML."},
    {"E0301", "unknown setting", "A key in ratebook.toml is not one ratebook knows; misspellings are never ignored."},
    {"E0302", "setting missing", "ratebook.toml lacks a required setting (name, fiscal_year, fiscal_year_start)."},
    {"E0303", "setting has the wrong form", "A setting's value is of the wrong kind (text, whole number, date)."},
    // E0340-E0349: [normalise] and [validate] in ratebook.toml (interpreter/normalise_config.cpp)
    {"E0340", "unknown normalise or validate setting", "[normalise] and [validate] take only the keys docs/language.md lists."},
    {"E0341", "normalise or validate setting has the wrong form",
     "nulls is a list of texts, allowed_values maps a column to a list, tag_keys maps a key to a key, "
     "unit_table names a table, skip lists check ids, the *_change_pct thresholds are whole percents."},
    {"E0342", "empty text listed as a null", "The empty value is always a null; list only other spellings."},
    {"E0343", "not a FOCUS column", "allowed_values names a FOCUS column ratebook reads, such as ChargeFrequency."},
    {"E0344", "unknown check id", "validate.skip names check ids from docs/validation.md."},
    {"E0345", "unusable unit table", "normalise.unit_table names a declared table with columns Spelling and Unit."},
    {"E0304", "fiscal year and its start disagree", "A fiscal year is named for the year it ends in."},
    {"E0305", "unknown rounding mode", "Modes: half_even, half_up, half_down, down, up, ceiling, floor."},
    {"E0306", "duplicate key in a table", "A lookup column holds the same key on two rows."},
    {"E0307", "path leaves the rule set",
     "Tables, rule files and ratebook.toml must live inside the rule set folder: no absolute path, "
     "no `..`, no symbolic link to a file or folder outside it."},
    {"E0308", "table file unreadable", "The table's path does not name a readable file."},
    {"E0309", "malformed table", "A table row has the wrong number of values, or the file is empty."},
    {"E0310", "rule set folder unusable", "The folder or its ratebook.toml is missing or unreadable."},
    {"E0311", "no rule files", "A rule set folder holds its rules in *.rules files."},
    {"E0312", "rule files too large or too many", "A rule file may be at most 8 MiB, and a rule set folder holds at most 1,000 of them."},
    {"E0350", "unusable library name",
     "`use` names a library of the standard rules relative to its folder, without `.rules`, as in "
     "`use \"sla/aws_compute\"`. Absolute paths, `..` and characters other than letters, digits, "
     "`_`, `-` and `/` are refused."},
    {"E0351", "no such library",
     "The library named by `use` is not in the standard rules folder (RATEBOOK_STDLIB, else "
     "share/ratebook/stdlib beside the installed binary, else the source tree's stdlib/)."},
    // E0360-E0369: rule set settings for a command
    {"E0360", "no variance rule",
     "`ratebook variance` needs the rule set to hold a default variance rule (one with `by`); see "
     "docs/language.md, \"variance rules\"."},
    // E0320-E0324: typed table columns (interpreter/table_types.cpp, config.cpp)
    {"E0320", "table cell of the wrong type", "A cell of a typed table column does not parse as the declared type."},
    {"E0321", "declared table column missing", "ratebook.toml declares a column (or key) the table file does not have."},
    {"E0322", "duplicate key in a table's key column", "The declared key column of a table holds the same key on two rows."},
    {"E0323", "unusable holiday table", "`holidays` names a declared table whose key column is typed date."},
    {"E0324", "unknown column type", "Column types are text, money, quantity, percent, decimal and date."},
    {"E0313", "account master misdeclared",
     "[account_master] in ratebook.toml names the account table (`table`, declared under [tables.NAME]) "
     "and its columns: account (default AccountCode), customer (default CustomerName), active_from, "
     "active_to, and optionally `customers`, a table listing every customer's account code."},
    {"E0314", "account master date unreadable", "Active dates are written YYYY-MM-DD, or left empty for an open end."},
    {"E0315", "account active to before active from", "An account's period ends on or after the day it starts."},
    {"E0316", "account listed twice or with overlapping dates",
     "One account code may have several rows (periods of activity), but their dates must not overlap; "
     "identical rows are duplicates. Both lines are named."},
    {"E0317", "account not in the customer list",
     "Every code of the account master must appear in the customer list (account_master.customers)."},
    {"E0318", "empty account code", "Every row of the account master names an account code."},
    {"W0319", "account master dates not used",
     "The account table has an ActiveFrom or ActiveTo column but [account_master] does not name it "
     "(`active_from = \"ActiveFrom\"`), so every account counts as active every day. A warning: the "
     "rule set still compiles."},
    // E033x: rule sets read from git (`--rules REV:path`, interpreter/rule_source.cpp)
    {"E0330", "unknown git revision",
     "`--rules REV:path` reads a rule set from a commit; REV must name a commit, branch or tag of "
     "the repository (`git log --oneline`, `git tag`). An existing folder of that name is used "
     "instead, so a folder with ':' in its name still works."},
    {"E0331", "no such folder in the revision",
     "The path after ':' is a folder from the top of the repository, as in `git show REV:path`."},
    {"E0332", "git repository unusable",
     "Reading rules from git needs the git program and a repository at the current folder."},
    {"E0333", "fiscal years overlap",
     "In a folder of fiscal-year rule sets (rules/FY2026, rules/FY2027), each ratebook.toml's "
     "fiscal_year_start begins a year that must not overlap another's: every record must fall in "
     "exactly one fiscal year."},
    {"E0334", "fiscal years bill differently",
     "The fiscal years in one folder are rated into one invoice, so they must share currency and "
     "rounding. Rate each year on its own (--rules rules/FY2027) if they really differ."},
    // E043x: routing records to fiscal years (engine/fiscal_years.cpp); the record is rejected
    {"E0430", "no fiscal year covers the record",
     "With --rules naming a folder of fiscal-year rule sets, each record is rated by the year "
     "containing its ChargePeriodStart. This record's date falls in none of them (or is not a "
     "date): add that year's rule set, or correct the feed."},
    // E04xx: while rating a record (interpreter/vm.cpp); the record is rejected with the message
    {"E0401", "division by zero", "A rule divided by zero on this record."},
    {"E0402", "number too large", "A result needed more than 38 digits."},
    {"E0403", "empty value", "A rule read a number or date column that is empty on this record."},
    {"E0404", "instruction budget spent", "A rule ran longer than the VM allows for one record."},
    {"E0405", "internal error", "The VM ended without a value: a bug in ratebook; please report it."},
    // E045x: the inputs of `ratebook credits` (engine/credits_inputs.cpp); the run writes nothing
    {"E0450", "credits input unusable",
     "A charges, SLA metrics or claims file cannot be read, or lacks a required column."},
    {"E0451", "bad value in a credits input",
     "A row of a credits input holds a value that cannot be read: a measured level (99.95% or "
     "99.95), a month (2026-10), a date (2026-11-15), a charge, or an outage (43.2 min)."},
    {"E0452", "two measurements for one service level",
     "Two rows of the SLA metrics file match one sla rule's `measure` in the month; keep one."},
    {"E0453", "which month",
     "The charges file holds one month; the month is taken from --month, or from the SLA metrics "
     "file when all its rows are for one month."},
    {"E0454", "claim id used twice", "Each claim in the claims file has its own claim id."},
    // E0440-E0449: comparing two months' charges (engine/variance.cpp)
    {"E0440", "charges file lacks a column",
     "`ratebook variance` reads the charges.csv that `ratebook rate` writes; it needs the columns "
     "account, ru, service, product, component, unit, volume and charge."},
    {"E0441", "malformed number in a charges file",
     "A volume or charge cell of charges.csv is not a plain decimal number such as 1250.00 or -3.5."},
    {"E0442", "malformed row in a charges file",
     "A charges.csv row could not be read (wrong number of fields, an unterminated quote, ...)."},
    {"E0444", "charges file unreadable",
     "A --current or --prior file of `ratebook variance` does not exist, cannot be read, or has no header."},
    {"E0443", "a variance rule failed on a group",
     "Evaluating a variance rule's condition failed for one group (for example a division by zero, "
     "or a number too large); the message names the rule and the group."},
    {"E0415", "no row for the key", "lookup() without a default found no row for the record's key."},
};

}  // namespace

const std::vector<DiagnosticCode>& diagnostic_codes() {
    static const std::vector<DiagnosticCode> all = [] {
        std::vector<DiagnosticCode> v;
        for (const auto& c : syntax_codes) v.push_back({c.code, c.title, c.explanation});
        for (const auto& c : semantic_codes) v.push_back(c);
        return v;
    }();
    return all;
}

const DiagnosticCode* find_diagnostic_code(std::string_view code) {
    for (const auto& c : diagnostic_codes())
        if (c.code == code) return &c;
    return nullptr;
}

}  // namespace ratebook
