// Month-over-month variance (engine/variance.cpp): hand-computed decompositions, a property
// test over random pairs of months (the parts add up to the change, to the cent, for every group
// and in total), the reviewed reports for the sample pair of months, and bad charges files.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>
#include <unistd.h>

#include "engine/variance.hpp"
#include "interpreter/loader.hpp"
#include "tests/support/golden.hpp"

using namespace ratebook;
using namespace ratebook::testing;
namespace fs = std::filesystem;

namespace {

Decimal d(const char* text) { return *Decimal::parse(text); }
Amounts amounts(const char* volume, const char* charge) { return Amounts{d(volume), d(charge)}; }

Decomposition split(std::optional<Amounts> prior, std::optional<Amounts> current) {
    return decompose_line(prior, current, 2, RoundingMode::half_even);
}

std::unique_ptr<RuleSet> rules_from(const std::string& text) {
    Diagnostics diags;
    auto rules = load_ruleset_from_text("variance.rules", text, diags);
    REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
    return rules;
}

BilledLine line(const std::string& account, const std::string& ru, const std::string& unit, const char* volume,
                const char* charge) {
    BilledLine l;
    l.keys = {account, ru, "Service " + ru, "P-" + ru, "c-" + account + ru, unit};
    l.volume = d(volume);
    l.charge = d(charge);
    return l;
}

const GroupVariance& group(const VarianceReport& r, const std::vector<std::string>& keys) {
    for (const auto& g : r.groups)
        if (g.key_values == keys) return g;
    FAIL("no such group");
    return r.groups.front();
}

fs::path temp_file(const std::string& name, const std::string& text) {
    fs::path p = fs::temp_directory_path() / ("ratebook_variance_" + std::to_string(::getpid()) + "_" + name);
    write_text(p, text);
    return p;
}

}  // namespace

TEST_CASE("hand-computed decompositions of one charge line") {
    SUBCASE("volume and rate both up") {
        // B: 100 GB for $10.00, BP = $0.10; A: 120 GB for $13.20, AP = $0.11.
        // volume effect (120 - 100) x 0.10 = $2.00; rate effect 13.20 - 10.00 - 2.00 = $1.20,
        // which is (0.11 - 0.10) x 120 exactly.
        Decomposition x = split(amounts("100", "10.00"), amounts("120", "13.20"));
        CHECK(x.volume_effect.to_string() == "2.00");
        CHECK(x.rate_effect.to_string() == "1.20");
        CHECK(x.new_lines.is_zero());
        CHECK(x.dropped_lines.is_zero());
        CHECK(x.total().to_string() == "3.20");
    }
    SUBCASE("a unit price that does not divide evenly: volume effect rounded, rate effect the remainder") {
        // B: 3 units for $10.00, BP = 3.333...; A: 4 units for $10.00, AP = 2.50.
        // volume effect 1 x 10.00 / 3 = 3.3333... -> $3.33; rate effect 0.00 - 3.33 = -$3.33;
        // the unrounded (AP - BP) x AQ = (2.50 - 3.3333...) x 4 = -3.3333..., within half a cent.
        Decomposition x = split(amounts("3", "10.00"), amounts("4", "10.00"));
        CHECK(x.volume_effect.to_string() == "3.33");
        CHECK(x.rate_effect.to_string() == "-3.33");
        CHECK(x.total().is_zero());
    }
    SUBCASE("a volume effect of exactly half a cent rounds half-even") {
        // B: 2 units for $0.01; A: 3 units for $0.02. volume effect 1 x 0.01 / 2 = 0.005 -> $0.00
        // (half-even: 0 is even); rate effect 0.02 - 0.01 - 0.00 = $0.01.
        Decomposition x = split(amounts("2", "0.01"), amounts("3", "0.02"));
        CHECK(x.volume_effect.to_string() == "0.00");
        CHECK(x.rate_effect.to_string() == "0.01");
        // B: 2 units for $0.03, A: 3 units for $0.05: 1 x 0.03 / 2 = 0.015 -> $0.02 (2 is even).
        Decomposition y = split(amounts("2", "0.03"), amounts("3", "0.05"));
        CHECK(y.volume_effect.to_string() == "0.02");
        CHECK(y.rate_effect.to_string() == "0.00");
    }
    SUBCASE("new and dropped lines") {
        // Billed this month only: the whole $7.50 is a new line. Last month only: $7.50 dropped,
        // so the change 0 - 7.50 = -7.50 is minus the dropped line.
        Decomposition n = split(std::nullopt, amounts("5", "7.50"));
        CHECK(n.new_lines.to_string() == "7.50");
        CHECK(n.total().to_string() == "7.50");
        Decomposition g = split(amounts("5", "7.50"), std::nullopt);
        CHECK(g.dropped_lines.to_string() == "7.50");
        CHECK(g.total().to_string() == "-7.50");
        CHECK(g.volume_effect.is_zero());
    }
    SUBCASE("no prior volume: no prior unit price, so the change is all rate") {
        // A fixed fee: 0 units, $25.00 then $30.00: volume effect $0.00, rate effect $5.00.
        Decomposition x = split(amounts("0", "25.00"), amounts("0", "30.00"));
        CHECK(x.volume_effect.to_string() == "0.00");
        CHECK(x.rate_effect.to_string() == "5.00");
    }
    SUBCASE("volume falls to zero on a line still billed") {
        // B: 10 units for $5.00; A: 0 units for $0.00: volume effect (0 - 10) x 0.50 = -$5.00, rate 0.
        Decomposition x = split(amounts("10", "5.00"), amounts("0", "0.00"));
        CHECK(x.volume_effect.to_string() == "-5.00");
        CHECK(x.rate_effect.to_string() == "0.00");
    }
    SUBCASE("a credit line (negative charges)") {
        // B: 4 units, -$8.00 (BP = -2.00); A: 5 units, -$12.50 (AP = -2.50).
        // volume effect 1 x -2.00 = -$2.00; rate effect -4.50 + 2.00 = -$2.50 = (-2.50 + 2.00) x 5.
        Decomposition x = split(amounts("4", "-8.00"), amounts("5", "-12.50"));
        CHECK(x.volume_effect.to_string() == "-2.00");
        CHECK(x.rate_effect.to_string() == "-2.50");
    }
}

TEST_CASE("percent change: of the prior month's size, and +-100% from nothing") {
    CHECK(percent_change(d("200"), d("250")).normalized().to_string() == "0.25");
    CHECK(percent_change(d("-200"), d("-250")).normalized().to_string() == "-0.25");  // more credit: down
    CHECK(percent_change(d("0"), d("5")).to_string() == "1");
    CHECK(percent_change(d("0"), d("-5")).to_string() == "-1");
    CHECK(percent_change(d("0"), d("0")).to_string() == "0");
}

TEST_CASE("groups are flagged by the default rule, or by the first override whose `for` holds") {
    auto rules = rules_from(R"(
variance "Review" {
  by account
  flag abs(charge_change) >= $100.00 and abs(charge_change_pct) >= 10%
    or is_new or is_dropped
}
variance "Big customer" {
  for account == "A1"
  flag abs(charge_change) >= $1,000.00
}
)");
    MonthCharges prior{"prior.csv", {line("A1", "STO", "GB-Mo", "1000", "500.00"), line("A2", "CMP", "Hours", "100", "1000.00"),
                                     line("A3", "CMP", "Hours", "10", "100.00"), line("A4", "NET", "GB", "50", "5.00")}};
    MonthCharges current{"current.csv", {line("A1", "STO", "GB-Mo", "2000", "1000.00"), line("A2", "CMP", "Hours", "100", "1100.00"),
                                         line("A3", "CMP", "Hours", "10", "105.00"), line("A5", "AI", "Requests", "3", "0.30")}};
    VarianceReport r = compare_months(*rules, prior, current);
    REQUIRE(r.groups.size() == 5);
    // A1: +$500.00 (+100%) passes the default rule but the override wants $1,000: not flagged.
    const GroupVariance& a1 = group(r, {"A1"});
    CHECK(a1.rule->name == "Big customer");
    CHECK_FALSE(a1.flagged);
    // A2: 100 hours both months, $10.00 -> $11.00 an hour: +$100.00 (+10%), all rate effect.
    const GroupVariance& a2 = group(r, {"A2"});
    CHECK(a2.flagged);
    CHECK(a2.rule->name == "Review");
    CHECK(a2.parts.volume_effect.to_string() == "0.00");
    CHECK(a2.parts.rate_effect.to_string() == "100.00");
    CHECK(explain_group(*rules, a2) ==
          "Volume unchanged (100 Hours); rate up 10% ($10.0000 -> $11.0000 per Hours) added $100.00");
    // A3: +$5.00 (+5%): under both thresholds.
    CHECK_FALSE(group(r, {"A3"}).flagged);
    // A4 dropped, A5 new: flagged by `is_dropped` / `is_new`.
    CHECK(group(r, {"A4"}).flagged);
    CHECK(group(r, {"A4"}).parts.dropped_lines.to_string() == "5.00");
    CHECK(explain_group(*rules, group(r, {"A4"})) == "Not billed this month; last month $5.00 for 50 GB");
    CHECK(group(r, {"A5"}).flagged);
    CHECK(explain_group(*rules, group(r, {"A5"})) == "New this month: $0.30 for 3 Requests; nothing billed last month");
    CHECK(r.flagged == 3);
    // A1's volume doubled at the same $0.50 per GB-Mo: all volume effect.
    CHECK(explain_group(*rules, a1) == "Volume up 100% (1,000 -> 2,000 GB-Mo) added $500.00; rate unchanged");
    // Totals: 1,605.00 -> 2,205.30 = +600.30 = volume 500.00 + rate 105.00 + new 0.30 - dropped 5.00.
    CHECK(r.prior_total.to_string() == "1605.00");
    CHECK(r.current_total.to_string() == "2205.30");
    CHECK(r.total.volume_effect.to_string() == "500.00");
    CHECK(r.total.rate_effect.to_string() == "105.00");
    CHECK(r.total.total().to_string() == "600.30");
    // Customers by absolute change: A1 +500, A2 +100, A3 +5 and A4 -5 (a tie: account order), A5 +0.30.
    std::vector<std::string> order;
    for (const auto& c : r.customers) order.push_back(c.account);
    CHECK(order == std::vector<std::string>{"A1", "A2", "A3", "A4", "A5"});
}

TEST_CASE("property: volume + rate + new - dropped = change, to the cent, per group and in total") {
    // 1,000 random pairs of months over a universe of lines; each line billed in either month
    // with some probability, volumes with 6 decimals (zero sometimes), charges in cents (credits
    // sometimes). Grouped three ways. Checked against sums taken here from the raw lines.
    std::mt19937_64 rng(20261001);
    const std::vector<std::string> by_options = {"account", "account and ru", "ru and unit"};
    std::vector<std::unique_ptr<RuleSet>> rule_sets;
    for (const auto& by : by_options)
        rule_sets.push_back(rules_from("variance \"R\" { by " + by + "\n flag abs(charge_change_pct) >= 10% }"));
    auto pick = [&](uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng); };
    auto random_amounts = [&]() {
        int64_t micro = pick(5) == 0 ? 0 : static_cast<int64_t>(pick(100'000'000'000));  // up to 100,000 units
        int64_t cents = static_cast<int64_t>(pick(10'000'000)) - (pick(10) == 0 ? 5'000'000 : 0);
        return std::pair{Decimal::from_parts(micro, 6), Decimal::from_parts(cents, 2)};
    };
    size_t groups_checked = 0, lines_checked = 0;
    for (int pair = 0; pair < 1000; ++pair) {
        MonthCharges prior{"prior.csv", {}}, current{"current.csv", {}};
        Decimal prior_sum, current_sum;
        for (int a = 0; a < 4; ++a)
            for (int u = 0; u < 3; ++u) {
                std::string account = "A" + std::to_string(a), ru = "RU" + std::to_string(u % 2);
                std::string unit = u == 2 ? "GB" : "Hours";
                bool in_prior = pick(4) != 0, in_current = pick(4) != 0;
                BilledLine l = line(account, ru, unit, "0", "0");
                l.keys[4] = "c" + std::to_string(u);
                auto [bq, ba] = random_amounts();
                auto [aq, aa] = random_amounts();
                if (in_prior) {
                    l.volume = bq, l.charge = ba, prior.lines.push_back(l), prior_sum += ba;
                }
                if (in_current) {
                    l.volume = aq, l.charge = aa, current.lines.push_back(l), current_sum += aa;
                }
                if (in_prior && in_current && !bq.is_zero()) {
                    // The volume effect is (AQ - BQ) x BP rounded: within half a cent of exact.
                    Decomposition x = split(Amounts{bq, ba}, Amounts{aq, aa});
                    Decimal exact = (aq - bq) * ba / bq;
                    REQUIRE((x.volume_effect - exact).abs() <= d("0.005"));
                    REQUIRE(x.volume_effect.scale() == 2);
                    ++lines_checked;
                }
            }
        const RuleSet& rules = *rule_sets[static_cast<size_t>(pair) % rule_sets.size()];
        VarianceReport r = compare_months(rules, prior, current);
        Decomposition summed;
        Decimal group_prior, group_current;
        for (const auto& g : r.groups) {
            REQUIRE(g.parts.total() == g.current.charge - g.prior.charge);
            REQUIRE(!explain_group(rules, g).empty());  // mixed units, zero volumes, credits: all explained
            summed += g.parts;
            group_prior += g.prior.charge;
            group_current += g.current.charge;
            ++groups_checked;
        }
        REQUIRE(r.prior_total == prior_sum);
        REQUIRE(r.current_total == current_sum);
        REQUIRE(group_prior == prior_sum);
        REQUIRE(group_current == current_sum);
        REQUIRE(r.total.total() == current_sum - prior_sum);
        REQUIRE(summed.total() == current_sum - prior_sum);
        REQUIRE(summed.volume_effect == r.total.volume_effect);
        REQUIRE(summed.new_lines == r.total.new_lines);
        REQUIRE(summed.dropped_lines == r.total.dropped_lines);
        Decimal customers;
        for (const auto& c : r.customers) customers += c.change();
        REQUIRE(customers == current_sum - prior_sum);
        for (size_t i = 1; i < r.customers.size(); ++i)
            REQUIRE(r.customers[i - 1].change().abs() >= r.customers[i].change().abs());
    }
    CHECK(groups_checked > 4000);  // about 5 groups a pair: 4, 8 or 3 by the grouping
    CHECK(lines_checked > 3000);
}

TEST_CASE("the sample pair of months gives the reviewed variance reports") {
    // samples/2026-09/README.md says how both charges files were made; the rule set is a copy of
    // the shipped variance rules, kept here so other rule changes do not move this golden.
    const fs::path dir = fs::path(source_dir()) / "tests/golden/variance";
    CHECK_MESSAGE(read_text(dir / "ruleset/variance.rules") == read_text(fs::path(source_dir()) / "rules/FY2027/variance.rules"),
                  "the test copy must be the shipped variance rules: copy rules/FY2027/variance.rules over it");
    Diagnostics diags;
    auto rules = load_ruleset((dir / "ruleset").string(), diags, nullptr, "tests/golden/variance/ruleset");
    REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
    MonthCharges prior = read_charges(source_dir() + "/samples/2026-09/charges.csv");
    MonthCharges current = read_charges(source_dir() + "/samples/2026-10/charges.csv");
    prior.path = "samples/2026-09/charges.csv";
    current.path = "samples/2026-10/charges.csv";
    VarianceReport r = compare_months(*rules, prior, current);
    CHECK(r.total.total() == r.current_total - r.prior_total);
    // The deliberate changes (samples/2026-09/README.md) are all there and flagged.
    size_t new_groups = 0, dropped_groups = 0;
    for (const auto& g : r.groups) {
        if (g.is_new() && g.flagged) ++new_groups;
        if (g.is_dropped() && g.flagged) ++dropped_groups;
    }
    CHECK(new_groups >= 1);
    CHECK(dropped_groups >= 1);
    std::ostringstream csv, json, text;
    write_variance_csv(csv, *rules, r);
    write_variance_json(json, *rules, r);
    write_variance_text(text, *rules, r);
    check_golden(dir / "variance.csv", csv.str());
    check_golden(dir / "variance.json", json.str());
    check_golden(dir / "variance.txt", text.str());
}

TEST_CASE("a charges file it cannot use is named by file and line") {
    const std::string header = "account,account_source,ru,service,product,component,volume,unit,records,charge,rule\n";
    SUBCASE("missing column") {
        fs::path p = temp_file("missing.csv", "account,ru,service,product,component,unit,volume\n1,R,S,P,C,GB,1\n");
        try {
            read_charges(p.string());
            FAIL("no error");
        } catch (const VarianceInputError& e) {
            CHECK(e.code == "E0440");
            CHECK(e.where == p.string() + ":1");
            CHECK(e.message == "the header has no `charge` column");
        }
    }
    SUBCASE("malformed number") {
        fs::path p = temp_file("number.csv", header + "A,x,R,S,P,C,10,GB,1,12.50,r\nA,x,R,S,P,D,10,GB,1,12.5O,r\n");
        try {
            read_charges(p.string());
            FAIL("no error");
        } catch (const VarianceInputError& e) {
            CHECK(e.code == "E0441");
            CHECK(e.where == p.string() + ":3");
            CHECK(e.message == "`charge` is `12.5O`: not a number");
            CHECK(std::string(e.what()).find("help: write the charge as a plain decimal number") != std::string::npos);
        }
    }
    SUBCASE("no such file") {
        try {
            read_charges("/nonexistent/charges.csv");
            FAIL("no error");
        } catch (const VarianceInputError& e) {
            CHECK(e.code == "E0444");
            CHECK(e.message == "cannot read this charges file: No such file or directory");
        }
    }
    SUBCASE("malformed row") {
        fs::path p = temp_file("row.csv", header + "A,x,R,S,P,C,10,GB,1,12.50\n");
        try {
            read_charges(p.string());
            FAIL("no error");
        } catch (const VarianceInputError& e) {
            CHECK(e.code == "E0442");
            CHECK(e.where == p.string() + ":2");
        }
    }
}

TEST_CASE("a rule that fails on a group names the rule and the group; no default rule is refused") {
    auto rules = rules_from("variance \"R\" { by account\n flag current_charge / prior_charge > 2 }");
    MonthCharges prior{"p", {line("A1", "X", "GB", "1", "1.00")}}, current{"c", {line("A2", "X", "GB", "1", "1.00")}};
    try {
        compare_months(*rules, prior, current);
        FAIL("no error");
    } catch (const VarianceInputError& e) {
        CHECK(e.code == "E0443");
        CHECK(e.where == "variance.rules:2:22");  // the `/`
        CHECK(e.message == "variance \"R\" fails on the group account=A2: division by zero");
    }
    auto none = rules_from("const x = 1");
    CHECK_THROWS_WITH_AS(compare_months(*none, prior, current), doctest::Contains("E0360"), VarianceInputError);
}

TEST_CASE("the worked example of docs/language.md") {
    // 50,000 GB-Mo for $1,150.00 (BP $0.023) -> 61,000 GB-Mo for $1,464.00 (AP $0.024):
    // volume (61,000 - 50,000) x 0.023 = $253.00; rate 314.00 - 253.00 = $61.00.
    auto rules = rules_from(R"(
const review_floor = $250.00
variance "Month-over-month review" {
  by account and ru
  flag is_new and current_charge >= review_floor
    or is_dropped and prior_charge >= review_floor
    or abs(charge_change) >= review_floor and abs(charge_change_pct) >= 10%
    or abs(volume_change_pct) >= 50% and abs(charge_change) >= $100.00
}
)");
    MonthCharges prior{"p", {line("A1", "STO-OBJ", "GB-Mo", "50000", "1150.00")}};
    MonthCharges current{"c", {line("A1", "STO-OBJ", "GB-Mo", "61000", "1464.00")}};
    VarianceReport r = compare_months(*rules, prior, current);
    REQUIRE(r.groups.size() == 1);
    const GroupVariance& g = r.groups[0];
    CHECK(g.flagged);
    CHECK(g.parts.volume_effect.to_string() == "253.00");
    CHECK(g.parts.rate_effect.to_string() == "61.00");
    CHECK(explain_group(*rules, g) == "Volume up 22% (50,000 -> 61,000 GB-Mo) added $253.00; rate up 4.3% "
                                      "($0.0230 -> $0.0240 per GB-Mo) added $61.00");
}

namespace {

struct Run {
    int status;
    std::string output;  // stdout and stderr together
};

Run run_cli(const std::string& args) {
    fs::path log = fs::temp_directory_path() / ("ratebook_variance_cli_" + std::to_string(::getpid()) + ".log");
    std::string cmd = "cd '" + source_dir() + "' && '" + RATEBOOK_BINARY + "' " + args + " > '" + log.string() + "' 2>&1";
    int raw = std::system(cmd.c_str());
    return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_text(log)};
}

}  // namespace

TEST_CASE("ratebook variance: the three outputs together, or nothing and exit 2 on a bad charges file") {
    fs::path out = fs::temp_directory_path() / ("ratebook_variance_out_" + std::to_string(::getpid()));
    fs::remove_all(out);
    Run ok = run_cli("variance --rules rules/FY2027 --current samples/2026-10/charges.csv --prior "
                     "samples/2026-09/charges.csv --out " + out.string());
    INFO(ok.output);
    REQUIRE(ok.status == 0);
    CHECK(ok.output.find("[reconciles]") != std::string::npos);
    size_t files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(out)) ++files;
    CHECK(files == 3);
    CHECK(read_text(out / "variance.txt").find("Flagged for explanation: 7 of 97 groups") != std::string::npos);

    fs::path bad = temp_file("bad_charges.csv", "account,ru,service,product,component,unit,volume,charge\n"
                                                "A,R,S,P,C,GB,10,1.00\nA,R,S,P,D,GB,1O,1.00\n");
    fs::path out2 = out.string() + "_bad";
    fs::remove_all(out2);
    Run failed = run_cli("variance --rules rules/FY2027 --current " + bad.string() +
                         " --prior samples/2026-09/charges.csv --out " + out2.string());
    CHECK(failed.status == 2);
    CHECK(failed.output.find(bad.string() + ":3: error[E0441]: `volume` is `1O`: not a number") != std::string::npos);
    CHECK(failed.output.find("help: write the volume as a plain decimal number") != std::string::npos);
    CHECK(failed.output.find("nothing was written") != std::string::npos);
    CHECK(!fs::exists(out2 / "variance.csv"));
    fs::remove_all(out);
}
