// Parser tests: literals, precedence, spans, errors and recovery, rendering, and the golden
// directories tests/golden/parse (NAME.rules -> NAME.ast) and tests/golden/syntax_errors
// (NAME.rules -> NAME.stderr). RATEBOOK_UPDATE_GOLDEN=1 rewrites the expected files.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "grammar/parser.hpp"
#include "grammar/syntax_codes.hpp"

namespace {

using namespace ratebook;
namespace fs = std::filesystem;

struct Parsed {
    Module module;
    Diagnostics diags;
};

Parsed parse(const std::string& text, const std::string& name = "test.rules") {
    Parsed p;
    p.module = parse_rules(make_source(name, text), p.diags);
    return p;
}

// The expression `text` as a tree; fails the test on a syntax error.
std::string tree(const std::string& text) {
    Diagnostics d;
    ExprPtr e = parse_expression(make_source("expr", text), d);
    INFO(render(d));
    REQUIRE(e != nullptr);
    CHECK(d.items().empty());
    return print_expr(*e);
}

ExprPtr expr(const std::string& text) {
    Diagnostics d;
    ExprPtr e = parse_expression(make_source("expr", text), d);
    INFO(render(d));
    REQUIRE(e != nullptr);
    return e;
}

// The one diagnostic that parsing the expression `text` gives.
Diagnostic expr_error(const std::string& text) {
    Diagnostics d;
    ExprPtr e = parse_expression(make_source("expr", text), d);
    CHECK(e == nullptr);
    REQUIRE(d.items().size() == 1);
    return d.items()[0];
}

// The one diagnostic that parsing the rule file `text` gives.
Diagnostic file_error(const std::string& text) {
    Parsed p = parse(text);
    INFO(render(p.diags));
    REQUIRE(p.diags.items().size() == 1);
    return p.diags.items()[0];
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool updating_golden() {
    const char* v = std::getenv("RATEBOOK_UPDATE_GOLDEN");
    return v != nullptr && std::string(v) == "1";
}

fs::path golden_dir(const char* stage) {
    return fs::path(RATEBOOK_SOURCE_DIR) / "tests" / "golden" / stage;
}

std::vector<fs::path> rule_files(const fs::path& dir) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".rules") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

// Compares `actual` with the file `expected` (or rewrites it when updating).
void check_golden(const fs::path& expected, const std::string& actual) {
    if (updating_golden()) {
        std::ofstream(expected, std::ios::binary) << actual;
        return;
    }
    INFO("golden file: ", expected.string());
    REQUIRE(fs::exists(expected));
    CHECK(read_file(expected) == actual);
}

}  // namespace

TEST_CASE("numbers: thousands separators and decimals as written") {
    CHECK(tree("1,250,000.50") == "(decimal 1250000.50)");
    CHECK(tree("1,250.00") == "(decimal 1250.00)");
    CHECK(expr("1,250.00")->number.scale() == 2);
    CHECK(tree("0.023") == "(decimal 0.023)");
    CHECK(tree("round(x,2)") == "(call round (name x) (decimal 2))");
    CHECK(tree("round(BilledCost, 2)") == "(call round (name BilledCost) (decimal 2))");
    // The settled rule: a comma followed by exactly three digits is a thousands separator.
    CHECK(tree("max(1,250)") == "(call max (decimal 1250))");
    CHECK(tree("max(1, 250)") == "(call max (decimal 1) (decimal 250))");
    CHECK(expr_error("1,25").code == "E0110");
    CHECK(expr_error("1,2500").code == "E0110");
    CHECK(expr_error("1,250,00").message ==
          "`1,250,00` is not a number: a thousands separator `,` must be followed by exactly 3 "
          "digits");
    CHECK(expr_error("1.0000000000000000001").code == "E0116");
}

TEST_CASE("money, percent, text and booleans") {
    CHECK(tree("$1,250.00") == "(money 1250.00 USD)");
    CHECK(tree("0.023 USD") == "(money 0.023 USD)");
    CHECK(tree("100EUR") == "(money 100 EUR)");
    CHECK(tree("4.5%") == "(percent 4.5)");
    CHECK(tree("\"a \\\"quoted\\\" \\\\ b\"") == "(text \"a \\\"quoted\\\" \\\\ b\")");
    CHECK(expr("\"say \\\"hi\\\"\"")->text == "say \"hi\"");
    CHECK(tree("true") == "(bool true)");
    CHECK(tree("false") == "(bool false)");
    CHECK(tree("tag(\"cost-center\")") == "(call tag (text \"cost-center\"))");
    CHECK(tree("today()") == "(call today)");
    CHECK(expr_error("$ 5").code == "E0104");
    CHECK(expr_error("5 usd").code == "E0119");
    CHECK(expr_error("5 USDX").code == "E0119");
    CHECK(expr_error("4.5 %").code == "E0119");
    CHECK(expr_error("\"open").code == "E0103");
    CHECK(expr_error("\"a\\nb\"").code == "E0118");
}

TEST_CASE("dates are real calendar dates") {
    CHECK(tree("2026-09-01") == "(date 2026-09-01)");
    CHECK(expr("2026-09-01")->days == 20697);
    CHECK(expr("1970-01-01")->days == 0);
    CHECK(expr("2028-02-29")->days == 21243);  // a leap year
    Diagnostic d = expr_error("2027-02-29");
    CHECK(d.code == "E0109");
    CHECK(d.message == "`2027-02-29` is not a date: February 2027 has 28 days");
    CHECK(d.help == "the last day of February 2027 is 2027-02-28");
    CHECK(expr_error("2026-02-30").message ==
          "`2026-02-30` is not a date: February 2026 has 28 days");
    CHECK(expr_error("2026-13-01").message == "`2026-13-01` is not a date: months run 1 to 12");
    CHECK(expr_error("2026-04-31").message == "`2026-04-31` is not a date: April 2026 has 30 days");
    CHECK(expr_error("2026-04-00").message == "`2026-04-00` is not a date: days start at 1");
    CHECK(tree("2026 - 09") == "(- (decimal 2026) (decimal 9))");
}

TEST_CASE("precedence and associativity") {
    CHECK(tree("1 + 2 * 3") == "(+ (decimal 1) (* (decimal 2) (decimal 3)))");
    CHECK(tree("(1 + 2) * 3") == "(* (+ (decimal 1) (decimal 2)) (decimal 3))");
    CHECK(tree("a - b - c") == "(- (- (name a) (name b)) (name c))");
    CHECK(tree("a / b * c") == "(* (/ (name a) (name b)) (name c))");
    CHECK(tree("-5") == "(neg (decimal 5))");
    CHECK(tree("-x * y") == "(* (neg (name x)) (name y))");
    CHECK(tree("a - -b") == "(- (name a) (neg (name b)))");
    CHECK(tree("not a == b and c or d") ==
          "(or (and (not (== (name a) (name b))) (name c)) (name d))");
    CHECK(tree("a or b and c") == "(or (name a) (and (name b) (name c)))");
    CHECK(tree("a + 1 >= b * 2") == "(>= (+ (name a) (decimal 1)) (* (name b) (decimal 2)))");
    CHECK(tree("x in [\"a\", \"b\"]") == "(in (name x) [(text \"a\") (text \"b\")])");
    CHECK(tree("x not in []") == "(not-in (name x) [])");
    CHECK(tree("x + 1 in [1] and y") ==
          "(and (in (+ (name x) (decimal 1)) [(decimal 1)]) (name y))");
    CHECK(tree("if a > 1 then b else c + 1") ==
          "(if (> (name a) (decimal 1)) (name b) (+ (name c) (decimal 1)))");
    CHECK(tree("if a then b else if c then d else e") ==
          "(if (name a) (name b) (if (name c) (name d) (name e)))");
    CHECK(tree("a # comment\n  + b") == "(+ (name a) (name b))");
    CHECK(expr_error("a < b < c").code == "E0115");
    CHECK(expr_error("a <> b").code == "E0106");
    CHECK(expr_error("a = b").code == "E0106");
}

TEST_CASE("spans: line, column and length") {
    Parsed p = parse(
        "# rates\nrate \"R\" {\n  charge BilledCost * (1 + fee)\n"
        "  match a and\n    b\n}\naccount {\n  else from x in table t.k -> v\n}\n");
    REQUIRE(p.diags.items().empty());
    REQUIRE(p.module.rules.size() == 2);
    const RuleDecl& r = p.module.rules[0];
    CHECK(r.kind_span.line == 2);
    CHECK(r.kind_span.column == 1);
    CHECK(r.kind_span.length == 4);
    CHECK(r.name_span.column == 6);
    CHECK(r.name_span.length == 3);
    CHECK(r.close_span.line == 6);
    const Expr& charge = *r.clauses[0].value;
    CHECK(charge.span.line == 3);
    CHECK(charge.span.column == 10);
    CHECK(charge.span.length == 22);  // BilledCost * (1 + fee)
    CHECK(charge.op_span.column == 21);
    CHECK(charge.op_span.length == 1);
    CHECK(charge.args[1]->span.column == 23);  // the bracketed part includes its brackets
    CHECK(charge.args[1]->span.length == 9);
    CHECK(charge.args[1]->op_span.column == 26);
    const Expr& match = *r.clauses[1].value;  // spans two lines: clipped to the first
    CHECK(match.span.line == 4);
    CHECK(match.span.column == 9);
    CHECK(match.span.length == 5);
    CHECK(r.clauses[1].keyword_span.length == 5);
    const Clause& from = p.module.rules[1].clauses[0];
    CHECK(from.keyword == "from");
    CHECK(from.keyword_span.column == 3);
    CHECK(from.keyword_span.length == 9);  // `else from`
    REQUIRE(from.lookup.has_value());
    CHECK(from.lookup->table == "t");
    CHECK(from.lookup->value_span.column == 31);
    CHECK(p.module.rules[1].name.empty());

    ExprPtr call = expr("round(x, 2)");
    CHECK(call->op_span.length == 5);
    CHECK(call->span.length == 11);
    ExprPtr in = expr("x not in [1]");
    CHECK(in->op_span.column == 3);
    CHECK(in->op_span.length == 6);
    CHECK(in->flag);
}

TEST_CASE("reserved words cannot be names, but may start one") {
    CHECK(file_error("const and = 1\n").code == "E0114");
    CHECK(file_error("const table = 1\n").message ==
          "`table` is a reserved word and cannot be used as a name");
    CHECK(file_error("rate \"R\" {\n  match table == 1\n}\n").code == "E0114");
    CHECK(file_error("account {\n  from x in table from.k -> v\n}\n").code == "E0114");
    CHECK(tree("order + android + iffy + format + notes + inside") ==
          "(+ (+ (+ (+ (+ (name order) (name android)) (name iffy)) (name format)) (name notes)) "
          "(name inside))");
    Parsed p = parse("const tablet = 1\n");
    CHECK(p.diags.items().empty());
    CHECK(p.module.consts.size() == 1);
}

TEST_CASE("recovery: one error per broken item, and the rest is still read") {
    Parsed p = parse(R"(rate "A" {
  match ServiceCategory == "Compute" and
}
rate "B" {
  charge BilledCost * (1 + 4.5%
}
rate "C" {
  charge if BilledCost > 5 then BilledCost
}
rate "Good" {
  charge BilledCost
}
)");
    CHECK(p.diags.error_count() == 3);  // three broken blocks, three errors
    REQUIRE(p.module.rules.size() == 1);
    CHECK(p.module.rules[0].name == "Good");
    for (const Diagnostic& d : p.diags.items()) CHECK(d.span.file->name == "test.rules");

    Parsed consts = parse("const a = 1,25\nconst b = \nconst c = 3\nconst d = (\n");
    CHECK(consts.diags.error_count() == 3);
    CHECK(consts.module.consts.size() == 1);

    Parsed missing = parse("rate \"A\" {\n  charge 1\nrate \"B\" {\n  charge 2\n}\nconst x = 1\n");
    CHECK(missing.diags.error_count() == 1);
    CHECK(missing.diags.items()[0].code == "E0102");
    CHECK(missing.module.rules.size() == 1);
    CHECK(missing.module.consts.size() == 1);

    Parsed good = parse("const a = 1 const b = 2\nrate \"x\" { match a == 1 ru \"Y\" }\n");
    CHECK(good.diags.items().empty());
    CHECK(good.module.consts.size() == 2);
    CHECK(good.module.rules.size() == 1);

    Parsed empty = parse("# nothing but a comment\n\n");
    CHECK(empty.diags.items().empty());
    Parsed crlf = parse("rate \"R\" {\r\n  charge \"x\r\n}\r\n");
    REQUIRE(crlf.diags.items().size() == 1);
    CHECK(crlf.diags.items()[0].span.length == 2);  // the text up to the line end, not the \r
}

TEST_CASE("nesting is limited, not a crash") {
    CHECK(file_error("const a = " + std::string(1000, '(') + "1\n").code == "E0120");
    CHECK(file_error("const a = " + std::string(1000, '-') + "1\n").code == "E0120");
    CHECK(tree(std::string(50, '(') + "1" + std::string(50, ')')) == "(decimal 1)");
}

TEST_CASE("parse_expression reads one whole expression") {
    CHECK(tree("  5%  ") == "(percent 5)");
    CHECK(expr_error("").code == "E0104");
    CHECK(expr_error("5% 6").message == "unexpected `6` after the value");
    CHECK(expr_error("a +").message == "expected a number, a column name or `(` after `+`");
}

TEST_CASE("render: layout, tabs, points past the end of a line") {
    auto src = make_source("f.rules", "\tcharge x @\nrate\n");
    Diagnostic d{Severity::error,     "E0101",     "unknown character `@`",
                 Span{src, 1, 11, 1}, "remove it", {"a note"}};
    CHECK(render(d) ==
          "f.rules:1:11: error[E0101]: unknown character `@`\n"
          "   1 |     charge x @\n"
          "     |              ^\n"
          "   = help: remove it\n"
          "   = note: a note\n");
    Diagnostic point{Severity::warning, "W1", "here", Span{src, 2, 5, 0}, "", {}};
    CHECK(render(point) == "f.rules:2:5: warning[W1]: here\n   2 | rate\n     |     ^\n");
    Diagnostic nowhere{Severity::error, "E0999", "no place", Span{}, "", {}};
    CHECK(render(nowhere) == "error[E0999]: no place\n");
    CHECK(Span{}.where() == "<unknown>");
    CHECK(Span{src, 2, 3, 1}.where() == "f.rules:2:3");
    CHECK(src->line_text(2) == "rate");
    CHECK(src->line_text(3).empty());
    CHECK(make_source("bom", "\xEF\xBB\xBFx")->text == "x");
}

TEST_CASE("render_json escapes text") {
    Diagnostics ds;
    CHECK(render_json(ds) == "[]\n");
    auto src = make_source("a\"b.rules", "x\n");
    ds.error("E0103", Span{src, 1, 1, 1}, "say \"hi\"\\\n\t\x01", "help");
    std::string json = render_json(ds);
    CHECK(json.find(R"("message": "say \"hi\"\\\n\t\u0001")") != std::string::npos);
    CHECK(json.find(R"("file": "a\"b.rules", "line": 1, "column": 1, "length": 1)") !=
          std::string::npos);
    CHECK(json.find("\"notes\": []") != std::string::npos);
}

TEST_CASE("Diagnostics: counts, sort, append") {
    auto a = make_source("a.rules", "x\ny\n");
    Diagnostics ds;
    ds.error("E1", Span{a, 2, 1, 1}, "second");
    ds.warning("W1", Span{a, 1, 1, 1}, "first");
    Diagnostics more;
    more.error("E2", Span{}, "no place");
    ds.append(more);
    CHECK(ds.error_count() == 2);
    CHECK(ds.warning_count() == 1);
    CHECK(ds.has_errors());
    ds.sort();
    CHECK(ds.items()[0].message == "no place");
    CHECK(ds.items()[1].message == "first");
}

TEST_CASE("closest_name") {
    std::vector<std::string> cols = {"BilledCost", "ServiceCategory", "PricingQuantity", "ru"};
    CHECK(closest_name("BiledCost", cols) == "BilledCost");
    CHECK(closest_name("billedcost", cols) == "BilledCost");
    CHECK(closest_name("ServcieCategory", cols) == "ServiceCategory");  // a swap costs 1
    CHECK(closest_name("Region", cols).empty());
    CHECK(closest_name("rr", cols) == "ru");
    CHECK(closest_name("x", {}).empty());
}

TEST_CASE("golden: good files parse to the expected tree with no diagnostics") {
    auto files = rule_files(golden_dir("parse"));
    CHECK(files.size() >= 4);
    for (const fs::path& file : files) {
        std::string name = "parse/" + file.filename().string();
        Parsed p = parse(read_file(file), name);
        INFO(name, "\n", render(p.diags));
        CHECK(p.diags.items().empty());
        check_golden(fs::path(file).replace_extension(".ast"), print_ast(p.module));
    }
}

TEST_CASE("golden: syntax errors render as expected") {
    auto files = rule_files(golden_dir("syntax_errors"));
    CHECK(files.size() >= 14);
    for (const fs::path& file : files) {
        std::string name = "syntax_errors/" + file.filename().string();
        Parsed p = parse(read_file(file), name);
        std::string out = render(p.diags);
        INFO(name, "\n", out);
        CHECK(p.diags.has_errors());
        CHECK(out.find(RATEBOOK_SOURCE_DIR) == std::string::npos);
        for (const char* leak : {"pegtl", "tao::", "struct ", "ratebook::", "_kw", "must<"})
            CHECK(out.find(leak) == std::string::npos);
        check_golden(fs::path(file).replace_extension(".stderr"), out);
    }
}

TEST_CASE("every syntax code is in the table and in some golden error file") {
    std::set<std::string> table;
    for (const CodeInfo& c : syntax_codes) {
        CHECK(std::string(c.code).starts_with("E01"));
        CHECK(std::string(c.title).size() > 0);
        CHECK(std::string(c.explanation).size() > 20);
        CHECK(table.insert(c.code).second);  // no duplicates
    }
    std::string all;
    for (const fs::path& file : rule_files(golden_dir("syntax_errors")))
        all += read_file(fs::path(file).replace_extension(".stderr"));
    for (const std::string& code : table) {
        if (code == "E0120") continue;  // nesting limit: covered by a unit test above
        INFO(code);
        CHECK(all.find("error[" + code + "]") != std::string::npos);
    }
    for (size_t at = all.find("error["); at != std::string::npos; at = all.find("error[", at + 1)) {
        std::string code = all.substr(at + 6, 5);
        INFO(code);
        CHECK(table.count(code) == 1);
    }
}
