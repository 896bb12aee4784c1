// Safe exports: CSV written for spreadsheets is protected against formula injection (OWASP
// "CSV Injection"): a text cell beginning with `=`, `+`, `-`, `@`, tab or carriage return gets a
// leading single quote, so a spreadsheet shows it as text instead of running it. Numbers are
// never changed (`-20.90` stays `-20.90`), and ordinary text is byte-for-byte as before.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/outputs.hpp"
#include "engine/rating.hpp"
#include "interpreter/loader.hpp"

using namespace ratebook;
namespace fs = std::filesystem;

namespace {

// Splits one CSV line written by csv_field (RFC 4180) into cells.
std::vector<std::string> split_csv(const std::string& line) {
    std::vector<std::string> cells(1);
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') cells.back() += '"', ++i;
            else if (c == '"') quoted = false;
            else cells.back() += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            cells.emplace_back();
        } else {
            cells.back() += c;
        }
    }
    return cells;
}

}  // namespace

TEST_CASE("csv_field: formula-like text gets a leading quote") {
    CHECK(csv_field("=1+2") == "'=1+2");
    CHECK(csv_field("=HYPERLINK(\"http://evil\",\"x\")") == "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"");
    CHECK(csv_field("+cmd|' /C calc'!A0") == "'+cmd|' /C calc'!A0");
    CHECK(csv_field("-2+3+cmd|' /C calc'!A0") == "'-2+3+cmd|' /C calc'!A0");
    CHECK(csv_field("@SUM(1+9)*cmd|' /C calc'!A0") == "'@SUM(1+9)*cmd|' /C calc'!A0");
    CHECK(csv_field("\t=1") == "'\t=1");
    CHECK(csv_field("\r=1") == "\"'\r=1\"");  // quoted too: it holds a carriage return
    CHECK(csv_field("-") == "'-");
    CHECK(csv_field("+") == "'+");
    CHECK(csv_field("-.") == "'-.");
    CHECK(csv_field("-1e5") == "'-1e5");           // not a plain number: protected
    CHECK(csv_field("- 5") == "'- 5");
    CHECK(csv_field("-5,=1") == "\"'-5,=1\"");
    CHECK(csv_field("=a,b") == "\"'=a,b\"");
}

TEST_CASE("csv_field: numbers and ordinary text are unchanged") {
    for (std::string number : {"-20.90", "-0.01", "+3", "-5", "0", "12.", ".5", "-.5", "1250.00",
                               "-99999999999999999999.999999999999999999"})
        CHECK(csv_field(number) == number);
    for (std::string text : {"", "CMP-AWS-VM", "10362-4", "Virtual Machines", "a=b", "x-1", "mail@x",
                             "'already quoted", " =leading space"})
        CHECK(csv_field(text) == text);
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("two\nlines") == "\"two\nlines\"");
}

TEST_CASE("charges.csv and rejects.csv: injected text is neutralised, numbers are not") {
    // Text from the rules (ru, rule name), the feed (ServiceName, SkuId, ResourceId, PricingUnit)
    // and the account tag all reach charges.csv.
    Diagnostics d;
    auto rules = load_ruleset_from_text(
        "export.rules",
        "rate \"=cmd|' /C calc'!A0\" {\n  match true\n  ru \"@RU\"\n  charge BilledCost\n}\n"
        "account \"a\" {\n  from tag(\"cc\")\n}\n",
        d);
    REQUIRE_MESSAGE(!d.has_errors(), render(d));

    fs::path feed = fs::temp_directory_path() / ("ratebook_export_" + std::to_string(::getpid()) + ".csv");
    std::ofstream(feed, std::ios::binary)
        << "ServiceName,SkuId,ResourceId,PricingUnit,PricingQuantity,BilledCost,Tags\n"
        << "+svc,-sku,\tres,=unit,-3,-20.90,\"{\"\"cc\"\":\"\"=HYPERLINK(1)\"\"}\"\n"
        << "=BAD,sku,res,Hours,1,not-a-number,{}\n";
    std::vector<RejectRow> rejects;
    RateRun run = rate_feeds(*rules, {feed.string()}, [&](const RejectRow& r) { rejects.push_back(r); });
    fs::remove(feed);
    REQUIRE(run.charged == 1);
    REQUIRE(rejects.size() == 1);

    std::ostringstream charges;
    write_charges_csv(charges, *rules, run);
    std::istringstream lines(charges.str());
    std::string header, line;
    std::getline(lines, header);
    std::getline(lines, line);
    std::vector<std::string> h = split_csv(header), c = split_csv(line);
    REQUIRE(h.size() == c.size());
    auto cell = [&](const std::string& name) {
        for (size_t i = 0; i < h.size(); ++i)
            if (h[i] == name) return c[i];
        FAIL("no column " << name);
        return std::string();
    };
    CHECK(cell("account") == "'=HYPERLINK(1)");
    CHECK(cell("ru") == "'@RU");
    CHECK(cell("service") == "'+svc");
    CHECK(cell("product") == "'-sku");
    CHECK(cell("component") == "'\tres");
    CHECK(cell("unit") == "'=unit");
    CHECK(cell("rule") == "'=cmd|' /C calc'!A0");
    // Numbers stay numbers.
    CHECK(cell("charge") == "-20.90");
    CHECK(cell("volume") == "-3");
    CHECK(cell("records") == "1");
    // No cell at all starts with a formula character unless it is a number.
    for (const auto& x : c)
        if (!x.empty() && std::string("=+@\t\r").find(x[0]) != std::string::npos) FAIL("unprotected cell " << x);

    std::ostringstream rej;
    write_reject(rej, rejects[0]);
    std::vector<std::string> r = split_csv(rej.str().substr(0, rej.str().size() - 1));
    REQUIRE(r.size() == 5);
    CHECK(r[4].rfind("'=BAD,", 0) == 0);  // the raw record, as text
}
