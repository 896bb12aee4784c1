// The diagnostic codes of the syntax stage (E01xx), for `ratebook explain CODE` and the docs.
// Every code here appears in at least one tests/golden/syntax_errors/*.stderr, and the parser
// emits no code that is missing here (tests/parse_test.cpp checks both).
#pragma once

namespace ratebook {

struct CodeInfo {
    const char* code;
    const char* title;
    const char* explanation;
};

inline constexpr CodeInfo syntax_codes[] = {
    {"E0101", "unknown character",
     "Outside double quotes and comments, a rule file uses only letters, digits, `_`, spaces and "
     "the signs $ % ( ) [ ] { } , . + - * / = < > ! \" #. Characters pasted from a word processor "
     "(curly quotes, long dashes, no-break spaces) are the usual cause; retype them."},
    {"E0102", "rule not closed",
     "Every rule's clauses end with `}`. The parser reached the end of the file, or the start of "
     "the next rule or `const`, while a rule was still open. Add `}` after its last clause."},
    {"E0103", "text not closed",
     "Text is written between double quotes on one line: \"Compute\". Add the closing `\"` "
     "before the end of the line."},
    {"E0104", "missing value",
     "A clause keyword, an operator (`+`, `*`, `and`, `==` ...), `if`, `then`, `else`, `(` or `,` "
     "must be followed by a value: a number, an amount such as $1,250.00, a percentage, a date, "
     "text in double quotes, a column or const name, or a calculation in brackets. Because a "
     "clause may continue on the next line, a missing value often shows up as the next line's "
     "keyword being read as the value."},
    {"E0105", "incomplete `if`",
     "A choice is written `if condition then value else other value`; both `then` and `else` "
     "are required, so that every record gets a value."},
    {"E0106", "`=` used to compare",
     "Comparisons use `==` (equal), `!=` (not equal), `<`, `<=`, `>` and `>=`. A single `=` only "
     "gives a `const` its value, and `<>` is not used."},
    {"E0107", "bracket not closed",
     "Every `(`, including the one after a function name such as `round(`, needs a matching "
     "`)`; the arguments of a function are separated by `,`."},
    {"E0108", "list not closed",
     "`in` and `not in` take a list in square brackets, with values separated by `,`: "
     "`ServiceCategory in [\"Compute\", \"Storage\"]`."},
    {"E0109", "not a date",
     "Dates are written year-month-day with two-digit months and days (2026-09-01) and must "
     "exist in the calendar: months run 1 to 12, and February has 29 days only in leap years."},
    {"E0110", "bad thousands separator",
     "A `,` inside a number separates thousands and must be followed by exactly three digits "
     "(1,250,000.50). The decimal point is always `.`; write 1.25, not 1,25."},
    {"E0111", "clause without a keyword",
     "Each clause of a rule starts with its keyword (`match`, `ru`, `volume`, `charge`, `from`, "
     "`else` ...) followed by its value."},
    {"E0112", "malformed `const`",
     "A constant is written `const name = value`, for example `const admin_fee = 4.5%`."},
    {"E0113", "rule expected",
     "At the top of a file come only constants (`const name = value`) and rules, each written "
     "as its kind, its name in double quotes and its clauses in braces: "
     "`rate \"Cloud compute\" { ... }`."},
    {"E0114", "reserved word used as a name",
     "These words have a fixed meaning and cannot name a constant, table or column: and, or, "
     "not, in, if, then, else, true, false, const, from, table."},
    {"E0115", "chained comparison",
     "Comparisons take two values. To test a range, join two comparisons with `and`: "
     "`100 <= PricingQuantity and PricingQuantity < 1,000`."},
    {"E0116", "number out of range",
     "Numbers are exact: at most 38 digits, of which at most 18 after the decimal point."},
    {"E0117", "malformed table lookup",
     "A lookup in a `from` clause is written `in table TABLE.KEY_COLUMN -> RESULT_COLUMN`, for "
     "example `from tag(\"cost-center\") in table accounts.CostCenter -> AccountCode`."},
    {"E0118", "unknown escape in text",
     "Inside text a backslash starts an escape: `\\\"` is a double quote and `\\\\` a "
     "backslash. No other escapes exist."},
    {"E0119", "unexpected text after a value",
     "A clause or constant holds one value; something followed it on the same line that cannot "
     "continue it. Usually an operator is missing (`+`, `*`, `and`), or a `%` is separated from "
     "its number."},
    {"E0120", "expression nested too deeply",
     "Brackets, lists, function calls, `not`, `-` and `if` can be nested at most 100 deep. Name "
     "a part with a `const` to simplify."},
    {"E0121", "control character in text",
     "Text in quotes holds printable characters only: a tab, escape or other control character "
     "is invisible in the rule file but would reach invoices and terminals. Retype the text."},
};

}  // namespace ratebook
