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
    {"E0232", "malformed tiers",
     "Tiers read `tiers graduated` (or `volume`), then `first SIZE at PRICE`, any number of "
     "`next SIZE at PRICE`, and `over at PRICE` last. A tiered rate has no `charge` clause."},
    // E03xx: the rule set folder, ratebook.toml and tables (interpreter/config.cpp, loader.cpp)
    {"E0300", "ratebook.toml is not valid TOML", "The file could not be read as TOML."},
    {"E0301", "unknown setting", "A key in ratebook.toml is not one ratebook knows; misspellings are never ignored."},
    {"E0302", "setting missing", "ratebook.toml lacks a required setting (name, fiscal_year, fiscal_year_start)."},
    {"E0303", "setting has the wrong form", "A setting's value is of the wrong kind (text, whole number, date)."},
    {"E0304", "fiscal year and its start disagree", "A fiscal year is named for the year it ends in."},
    {"E0305", "unknown rounding mode", "Modes: half_even, half_up, half_down, down, up, ceiling, floor."},
    {"E0306", "duplicate key in a table", "A lookup column holds the same key on two rows."},
    {"E0307", "table path leaves the rule set", "Tables must live inside the rule set folder."},
    {"E0308", "table file unreadable", "The table's path does not name a readable file."},
    {"E0309", "malformed table", "A table row has the wrong number of values, or the file is empty."},
    {"E0310", "rule set folder unusable", "The folder or its ratebook.toml is missing or unreadable."},
    {"E0311", "no rule files", "A rule set folder holds its rules in *.rules files."},
    {"E0312", "rule file too large", "A rule file may be at most 8 MiB."},
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
