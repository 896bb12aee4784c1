// Feed validation (issue 6): the corpus of broken feeds under tests/validate_feeds gives exactly
// the reviewed findings (tests/golden/validate/NAME.findings), the sample month gives exactly
// the problems samples/2026-10/PROBLEMS.md lists, the real FOCUS sample exactly the defects its
// README lists, control totals pass to the cent and fail a cent off, and `ratebook rate` stops
// on errors unless they are accepted.
#include <algorithm>
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "engine/csv_reader.hpp"
#include "engine/duplicate_rows.hpp"
#include "engine/outputs.hpp"
#include "engine/row_hash.hpp"
#include "engine/rating.hpp"
#include "engine/validate.hpp"
#include "engine/validate_checks.hpp"
#include "interpreter/loader.hpp"
#include "tests/support/golden.hpp"

using namespace ratebook;
using namespace ratebook::testing;
namespace fs = std::filesystem;

namespace {

const fs::path corpus = fs::path(source_dir()) / "tests/validate_feeds";
const fs::path golden = fs::path(source_dir()) / "tests/golden/validate";

std::unique_ptr<RuleSet> load(const fs::path& dir) {
    Diagnostics diags;
    // Rule files shown relative to the repository, as `ratebook` run from its root shows them.
    auto rules = load_ruleset(dir.string(), diags, nullptr, fs::relative(dir, source_dir()).string());
    INFO(render(diags));
    REQUIRE_FALSE(diags.has_errors());
    return rules;
}

std::string findings_text(const Validation& v);

// Validation as `ratebook validate` runs it, paths shown relative to the repository.
Validation validate(const RuleSet& rules, const std::vector<fs::path>& usage, const ValidateOptions& options) {
    std::vector<std::string> paths;
    for (const auto& p : usage) paths.push_back(fs::relative(p, source_dir()).string());
    fs::path here = fs::current_path();
    fs::current_path(source_dir());
    // Every check in one pass watching rating, as `ratebook validate` runs them; with chunks of
    // 700 bytes rated on two threads, so that each feed's rows are checked in many parts merged
    // in file order. The checks over their own reader must find exactly the same.
    RateOptions rating;
    rating.threads = 2;
    rating.chunk_bytes = 700;
    Validation v = validate_month(rules, paths, options, rating);
    Validation alone = validate_feeds(rules, paths, options);
    add_rating_findings(rules, paths, alone);
    CHECK(findings_text(v) == findings_text(alone));
    fs::current_path(here);
    return v;
}

// findings.csv, then what normalisation changed.
std::string findings_text(const Validation& v) {
    std::ostringstream out;
    out << "check,severity,file,line,amount,message\n";
    for (const auto& f : v.findings)
        out << csv_field(f.check) << ',' << severity_name(f.severity) << ',' << csv_field(f.file) << ','
            << (f.line ? std::to_string(f.line) : std::string()) << ',' << f.amount.rounded(2).to_string()
            << ',' << csv_field(f.message) << '\n';
    if (!v.normalised.empty()) {
        out << "# normalised\n";
        for (const auto& [what, n] : v.normalised) out << n << "  " << what << '\n';
    }
    return out.str();
}

struct Case {
    fs::path rules = corpus / "rules";
    std::vector<fs::path> usage;
    ValidateOptions options;
};

// NAME.csv with its optional NAME.args: `also FILE`, `prior FILE`, `control-total P=AMOUNT`,
// `rules DIR` (relative to the corpus folder); # starts a comment.
Case read_case(const fs::path& csv) {
    Case c;
    c.usage.push_back(csv);
    fs::path args = csv.parent_path() / (csv.stem().string() + ".args");
    if (!fs::exists(args)) return c;
    std::istringstream in(read_text(args));
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        auto space = line.find(' ');
        std::string key = line.substr(0, space), value = line.substr(space + 1);
        if (key == "also") c.usage.push_back(corpus / value);
        else if (key == "prior") c.options.prior.push_back((corpus / value).string());
        else if (key == "rules") c.rules = corpus / value;
        else if (key == "control-total") {
            auto eq = value.find('=');
            c.options.control_totals[value.substr(0, eq)] = *Decimal::parse(value.substr(eq + 1));
        } else FAIL("unknown line in ", args.string(), ": ", line);
    }
    return c;
}

size_t count_check(const Validation& v, std::string_view check) {
    return std::count_if(v.findings.begin(), v.findings.end(), [&](const Finding& f) { return f.check == check; });
}

// untagged-row findings are one per resource: the rows they count, read back from the messages
// ("... has no tags on 31 rows (...)", or "... has no tags" for one row).
size_t untagged_rows(const Validation& v) {
    size_t rows = 0;
    for (const Finding& f : v.findings) {
        if (f.check != "untagged-row") continue;
        auto at = f.message.find(" has no tags on ");
        rows += at == std::string::npos ? 1 : std::stoul(f.message.substr(at + 16));
    }
    return rows;
}

struct Result {
    int status;
    std::string output;
};

Result run(const std::string& args) {
    fs::path log = fs::temp_directory_path() / ("ratebook_validate_test_" + std::to_string(::getpid()) + ".log");
    std::string cmd = "cd '" + source_dir() + "' && '" + RATEBOOK_BINARY + "' " + args + " > '" + log.string() +
                      "' 2>&1";
    int raw = std::system(cmd.c_str());
    return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_text(log)};
}

fs::path fresh_dir(const std::string& name) {
    fs::path p = fs::temp_directory_path() / ("ratebook_validate_" + std::to_string(::getpid()) + "_" + name);
    fs::remove_all(p);
    return p;
}

}  // namespace

TEST_CASE("the broken-feed corpus gives exactly the reviewed findings") {
    auto feeds = entries_ending(corpus, ".csv");
    REQUIRE(feeds.size() >= 16);
    for (const auto& csv : feeds) {
        INFO("case ", csv.filename().string());
        Case c = read_case(csv);
        auto rules = load(c.rules);
        Validation v = validate(*rules, c.usage, c.options);
        check_golden(golden / (csv.stem().string() + ".findings"), findings_text(v));
    }
}

TEST_CASE("each broken feed finds its own problem; the clean month finds nothing") {
    auto rules = load(corpus / "rules");
    auto one = [&](const char* name) { return validate(*rules, {corpus / name}, {}); };
    CHECK(one("clean.csv").findings.empty());
    CHECK(one("clean.csv").exit_status() == 0);
    // One problem per file: the check named after it fires, and nothing else is an error.
    for (const char* check : {"malformed-row", "invalid-value", "billing-currency", "billing-period", "charge-period",
                              "duplicate-row", "invalid-tags", "sku-not-priced", "missing-day"}) {
        std::string file = check;
        std::replace(file.begin(), file.end(), '-', '_');
        Validation v = one((file + ".csv").c_str());
        INFO(check);
        CHECK(count_check(v, check) >= 1);
        CHECK(v.exit_status() == 2);
    }
    for (const char* check : {"null-value", "negative-usage", "untagged-row", "allowed-value", "unit-spelling",
                              "no-account-mapping"}) {
        std::string file = check;
        std::replace(file.begin(), file.end(), '-', '_');
        Validation v = one((file + ".csv").c_str());
        INFO(check);
        CHECK(count_check(v, check) >= 1);
        CHECK(v.exit_status() == 1);  // warnings only
    }
    // A Usage row with a cost but no quantity: a warning, and the corpus's rate rules (volume
    // PricingQuantity, the default) cannot rate it, so rating rejects it too (rule-error).
    Validation cwq = one("cost_without_quantity.csv");
    CHECK(count_check(cwq, "cost-without-quantity") == 1);
    CHECK(count_check(cwq, "rule-error") == 1);
    Validation dup = one("duplicate_row.csv");
    REQUIRE(dup.findings.size() == 1);
    // Line 6 is the 5th data row (AWS, day 3); the copy was appended as line 64.
    CHECK(dup.findings[0].line == 64);
    CHECK(dup.findings[0].message.find("line 6 ") != std::string::npos);
    CHECK(dup.findings[0].message.find("ResourceId") != std::string::npos);
}

TEST_CASE("control totals: equal to the cent passes, a cent off fails naming both figures") {
    auto rules = load(corpus / "rules");
    ValidateOptions ok;
    // AWS: 31 days x $10.00 = $310.00; Azure: 31 days x $2.50 = $77.50.
    ok.control_totals["AWS"] = *Decimal::parse("310.00");
    ok.control_totals["Azure"] = *Decimal::parse("77.5");
    CHECK(validate(*rules, {corpus / "clean.csv"}, ok).findings.empty());
    ValidateOptions off = ok;
    off.control_totals["AWS"] = *Decimal::parse("310.01");
    Validation v = validate(*rules, {corpus / "clean.csv"}, off);
    REQUIRE(v.findings.size() == 1);
    CHECK(v.findings[0].check == "control-total");
    CHECK(v.findings[0].message.find("310.00") != std::string::npos);
    CHECK(v.findings[0].message.find("310.01") != std::string::npos);
    CHECK(v.findings[0].amount == *Decimal::parse("-0.01"));
    ValidateOptions unknown;
    unknown.control_totals["Oracle"] = *Decimal::parse("1.00");
    CHECK(count_check(validate(*rules, {corpus / "clean.csv"}, unknown), "control-total") == 1);
}

TEST_CASE("the sample month gives exactly the problems PROBLEMS.md lists, and the sample's own check") {
    auto rules = load(fs::path(source_dir()) / "rules/FY2027");
    Validation v = validate(*rules, {fs::path(source_dir()) / "samples/2026-10/usage.csv"}, {});
    check_golden(golden / "sample_month.findings", findings_text(v));
    // PROBLEMS.md: line 602 no rate, 1202 a field short, 1802 NaN, 2402 CC-9999, and one EFS
    // resource untagged on all 31 of its days.
    auto at = [&](std::string_view check, uint64_t line) {
        return std::any_of(v.findings.begin(), v.findings.end(),
                           [&](const Finding& f) { return f.check == check && f.line == line; });
    };
    CHECK(at("sku-not-priced", 602));
    CHECK(at("malformed-row", 1202));
    CHECK(at("invalid-value", 1802));
    // The EFS resource's 31 lines (12, 109, ... 2922, one a day) are untagged; PROBLEMS.md calls
    // untagged resources natural (about 5%): the month has 4 such resources, 124 rows, each
    // counted on its resource's one finding (at its first row, naming its last).
    CHECK(at("untagged-row", 12));
    CHECK(std::any_of(v.findings.begin(), v.findings.end(), [](const Finding& f) {
        return f.check == "untagged-row" && f.line == 12 &&
               f.message.find("has no tags on 31 rows (the first at this line, the last at line 2922)") !=
                   std::string::npos;
    }));
    CHECK(count_check(v, "untagged-row") == 4);
    CHECK(untagged_rows(v) == 4 * 31);
    // In the suspense account with no account found: 2 of the 4 untagged resources (the EFS file
    // system and one App Service plan are traced by tables/resource_prefixes.csv), and line
    // 2402's (tag CC-9999).
    CHECK(count_check(v, "no-account-mapping") == 3);
    // rules/FY2027/tables/accounts.csv: 10381-4 opens on 15 October, 10017-0 closes on 20 October
    // (10231-7 closed on 30 September: any usage of it would be found too);
    // their usage outside those days is routed to suspense and found, once per resource.
    auto inactive_for = [&](const std::string& account) {
        return std::count_if(v.findings.begin(), v.findings.end(), [&](const Finding& f) {
            return f.check == "inactive-account" && f.message.find("account " + account + " was not active") != std::string::npos;
        });
    };
    CHECK(inactive_for("10381-4") > 0);
    CHECK(inactive_for("10017-0") > 0);
    CHECK(count_check(v, "inactive-account") == inactive_for("10381-4") + inactive_for("10017-0") + inactive_for("10231-7"));
    CHECK(v.count(FindingSeverity::error) == 3);
    // rules/FY2027/checks.rules: "large-daily-charge" (info) fires with its message.
    CHECK(count_check(v, "large-daily-charge") > 0);
    CHECK(std::any_of(v.findings.begin(), v.findings.end(), [](const Finding& f) {
        return f.check == "large-daily-charge" &&
               f.message.find(" billed 212312.935357308 for Amazon Textract on 2026-10-01: over $20,000 in one day") !=
                   std::string::npos;
    }));
}

TEST_CASE("the FOCUS sample: the defects its README lists, and nothing else") {
    auto rules = load(fs::path(source_dir()) / "tests/data/focus-sample-rules");
    Validation v = validate(*rules, {fs::path(source_dir()) / "tests/data/focus-sample/focus_sample.csv"}, {});
    check_golden(golden / "focus_sample.findings", findings_text(v));
    // README: ContractedCost null in 7 (Oracle) rows; one row charged outside its billing
    // period; ChargeFrequency spelled Usage-based (7 rows); PricingUnit GB-Months, GB Months,
    // GB/Month; 289 of 942 AWS rows untagged; 12 negative Usage rows.
    CHECK(count_check(v, "null-value") == 7);
    CHECK(count_check(v, "charge-period") == 1);
    CHECK(count_check(v, "allowed-value") == 7);
    CHECK(untagged_rows(v) == 289);
    CHECK(count_check(v, "negative-usage") == 12);
    CHECK(count_check(v, "duplicate-row") == 0);
    CHECK(count_check(v, "unit-spelling") >= 2);
}

TEST_CASE("ratebook validate writes the report and exits 0, 1 or 2") {
    fs::path out = fresh_dir("cli");
    Result clean = run("validate --rules tests/validate_feeds/rules --usage tests/validate_feeds/clean.csv --out " +
                       out.string());
    INFO(clean.output);
    CHECK(clean.status == 0);
    for (const char* f : {"report.txt", "findings.csv", "findings.json"}) CHECK(fs::exists(out / f));
    Result warn = run("validate --rules tests/validate_feeds/rules --usage tests/validate_feeds/untagged_row.csv "
                      "--quiet --out " + out.string());
    CHECK(warn.status == 1);
    Result err = run("validate --rules tests/validate_feeds/rules --usage tests/validate_feeds/clean.csv "
                     "--control-total AWS=310.01 --out " + out.string());
    CHECK(err.status == 2);
    CHECK(err.output.find("control-total: 1 finding") != std::string::npos);
    CHECK(run("validate --rules tests/validate_feeds/rules --usage tests/validate_feeds/clean.csv "
              "--control-total AWS=3.001 --out " + out.string()).status == 2);
    check_golden(golden / "several.report.txt",
                 [&] {
                     run("validate --rules tests/validate_feeds/rules --usage tests/validate_feeds/several.csv "
                         "--quiet --out " + out.string());
                     return read_text(out / "report.txt");
                 }());
}

TEST_CASE("ratebook rate stops on validation errors unless accepted, and records the choice") {
    fs::path out = fresh_dir("rate");
    Result stopped = run("rate --rules tests/validate_feeds/rules --usage tests/validate_feeds/duplicate_row.csv --out " +
                         out.string());
    INFO(stopped.output);
    CHECK(stopped.status == 4);
    CHECK(stopped.output.find("--accept-errors duplicate-row") != std::string::npos);
    CHECK_FALSE(fs::exists(out / "charges.csv"));
    CHECK(fs::exists(out / "report.txt"));
    fs::remove_all(out);
    Result accepted = run("rate --rules tests/validate_feeds/rules --usage tests/validate_feeds/duplicate_row.csv "
                          "--accept-errors duplicate-row --out " + out.string());
    INFO(accepted.output);
    CHECK(accepted.status == 0);
    CHECK(fs::exists(out / "charges.csv"));
    std::string summary = read_text(out / "summary.json");
    CHECK(summary.find("\"accepted_errors\": [\"duplicate-row\"]") != std::string::npos);
    // --skip-validation: no checks at all (a re-rate), said in the summary and on screen; the
    // charges are those of the accepted run.
    const std::string accepted_charges = read_text(out / "charges.csv");
    fs::remove_all(out);
    Result skipped = run("rate --rules tests/validate_feeds/rules --usage tests/validate_feeds/duplicate_row.csv "
                         "--skip-validation --out " + out.string());
    INFO(skipped.output);
    CHECK(skipped.status == 0);
    CHECK(skipped.output.find("checks:   skipped (--skip-validation)") != std::string::npos);
    CHECK(read_text(out / "summary.json").find("\"validation\": {\"skipped\": true}") != std::string::npos);
    CHECK(read_text(out / "charges.csv") == accepted_charges);
    CHECK(run("rate --rules tests/validate_feeds/rules --usage tests/validate_feeds/duplicate_row.csv "
              "--skip-validation --accept-errors duplicate-row --out " + out.string()).status == 2);
    CHECK(run("rate --rules tests/validate_feeds/rules --usage tests/validate_feeds/clean.csv --accept-errors "
              "duplicate-rows --out " + out.string()).status == 2);
    // A control total a cent off stops the run too, and can be accepted like any other check.
    fs::remove_all(out);
    Result cent = run("rate --rules tests/validate_feeds/rules --usage tests/validate_feeds/clean.csv "
                      "--control-total AWS=310.01 Azure=77.50 --out " + out.string());
    CHECK(cent.status == 4);
    CHECK(cent.output.find("adds up to 310.00 but the control total is 310.01") != std::string::npos);
    CHECK(run("rate --rules tests/validate_feeds/rules --usage tests/validate_feeds/clean.csv --control-total "
              "AWS=310.00 Azure=77.50 --quiet --out " + out.string()).status == 0);
    // Rejected records (a NaN cost) do not stop the run: they are in rejects.csv.
    fs::remove_all(out);
    CHECK(run("rate --rules tests/validate_feeds/rules --usage tests/validate_feeds/invalid_value.csv --out " +
              out.string()).status == 0);
}

TEST_CASE("normalisation is applied before rating, not only counted") {
    fs::path out = fresh_dir("normalise");
    Result r = run("rate --rules tests/validate_feeds/rules_normalise --usage tests/validate_feeds/normalise.csv "
                   "--quiet --out " + out.string());
    INFO(r.output);
    REQUIRE(r.status == 0);
    std::string charges = read_text(out / "charges.csv");
    // i-0013 is tagged {"cc":"CC-0001"}: the alias makes it cost-center CC-0001 -> 10001-APPS;
    // disk-05's key " cost-center" is trimmed -> CC-0002 -> 10002-DATA. Nothing is in suspense.
    CHECK(charges.find("10001-APPS,\"tag(\"\"cost-center\"\") via accounts\",CMP,Amazon EC2,EC2-M5,i-0013,") !=
          std::string::npos);
    CHECK(charges.find("disk-05") != std::string::npos);
    CHECK(charges.find("99999-SUSPENSE") == std::string::npos);
    // i-0012's PricingUnit Hrs is rated as Hours (the unit on its charge line).
    CHECK(charges.find("i-0012,24,Hours,") != std::string::npos);
}

TEST_CASE("the FOCUS sample with its spellings declared: read one way, every rewrite counted") {
    auto rules = load(corpus / "focus_normalise_rules");
    Validation v = validate(*rules, {fs::path(source_dir()) / "tests/data/focus-sample/focus_sample.csv"}, {});
    // README: ChargeFrequency Usage-based in 7 rows; PricingUnit GB Months (2 rows) and GB/Month
    // (7 rows), the same in ConsumedUnit; tag keys env and " org".
    CHECK(v.normalised["ChargeFrequency `Usage-based` -> `Usage-Based`"] == 7);
    CHECK(v.normalised["PricingUnit `GB Months` -> `GB-Months`"] == 2);
    CHECK(v.normalised["PricingUnit `GB/Month` -> `GB-Months`"] == 7);
    CHECK(v.normalised["ConsumedUnit `GB/Month` -> `GB-Months`"] == 7);
    CHECK(v.normalised.count("tag key `env` -> `environment`") == 1);
    CHECK(v.normalised.count("tag key ` org` -> `org`") == 1);
    // What was rewritten is no longer a finding; the other defects still are.
    CHECK(count_check(v, "allowed-value") == 0);
    CHECK(count_check(v, "unit-spelling") == 0);
    CHECK(count_check(v, "null-value") == 7);
    CHECK(count_check(v, "charge-period") == 1);
    CHECK(untagged_rows(v) == 289);
    check_golden(golden / "focus_sample_normalised.report.txt", validation_report(v));
}

TEST_CASE("duplicate rows are confirmed by their columns, and a feed changed meanwhile stops the run") {
    // The candidates (rows sharing a hash) are read again from the feed and compared column by
    // column: the duplicate_row corpus feed's lines 6 and 64 are one charge.
    auto rules = load(corpus / "rules");
    const fs::path feed = fs::temp_directory_path() / ("ratebook_confirm_" + std::to_string(::getpid()) + ".csv");
    fs::copy_file(corpus / "duplicate_row.csv", feed, fs::copy_options::overwrite_existing);
    auto candidates = [&] {
        CsvReader reader(feed.string());
        const std::vector<int> cols = validation::identifying_column_indices(reader.header());
        std::vector<DuplicateRows::Candidate> found;
        CsvRecord rec;
        while (reader.next(rec)) {
            if (rec.line != 6 && rec.line != 64) continue;
            RowHash h;
            for (int c : cols) h.add(rec.fields[c]);
            found.push_back(DuplicateRows::Candidate{RowPrint::kept(h.value()), 0, rec.line, 0, 0, {}, {}});
        }
        return found;
    };
    const auto found = candidates();
    REQUIRE(found.size() == 2);
    const auto pairs = validation::confirm_duplicates(*rules, {feed.string()}, found);
    REQUIRE(pairs.size() == 1);
    CHECK(pairs[0].first_line == 6);
    CHECK(pairs[0].again_line == 64);
    CHECK(pairs[0].again_cost.rounded(2).to_string() == "10.00");

    // Line 64's ResourceId changes by one byte after the pass (the same length, so every line
    // stays where it was): the re-read sees it and says which line, instead of a wrong pair.
    std::string text = read_text(feed);
    const size_t line64 = [&] {
        size_t at = 0;
        for (int n = 1; n < 64; ++n) at = text.find('\n', at) + 1;
        return at;
    }();
    const size_t comma = text.find(",i-", line64);
    REQUIRE(comma != std::string::npos);
    text[comma + 1] = 'j';
    std::ofstream(feed, std::ios::binary) << text;
    try {
        (void)validation::confirm_duplicates(*rules, {feed.string()}, found);
        FAIL("a changed feed was not noticed");
    } catch (const FeedError& e) {
        CHECK(std::string(e.what()).find(":64: the file changed while it was being read") != std::string::npos);
    }
    fs::remove(feed);
}
