// Allocation rules: a shared pool (a fixed amount, or the month's charges on one RU) spread over
// accounts by charges, volume, table weights, evenly or fixed shares, in the declared order.
// Every expected amount is worked out in its comment; a property test runs 10,000 random pools
// through the engine's apply_allocations.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "engine/allocate_rules.hpp"
#include "engine/rating.hpp"
#include "interpreter/loader.hpp"

using namespace ratebook;
namespace fs = std::filesystem;

namespace {

const std::string toml_head =
    "name = \"allocation test\"\nfiscal_year = 2027\nfiscal_year_start = 2026-09-01\ncurrency = \"USD\"\n"
    "suspense_account = \"99999-SUSPENSE\"\n";

// The account is the record's SubAccountId; two rate rules: VMs (RU CMP) and the shared
// platform (RU SHR), each charging BilledCost as is.
const std::string base_rules =
    "account \"By sub-account\" { from SubAccountId }\n"
    "rate \"VMs\" { match ServiceName == \"VM\" ru \"CMP\" charge BilledCost }\n"
    "rate \"Shared platform\" { match ServiceName == \"Platform\" ru \"SHR\" charge BilledCost }\n";

struct TempRuleSet {
    fs::path dir;
    explicit TempRuleSet(const std::string& name)
        : dir(fs::temp_directory_path() / ("ratebook_alloc_" + std::to_string(::getpid()) + "_" + name)) {
        fs::remove_all(dir);
        fs::create_directories(dir / "tables");
    }
    ~TempRuleSet() { fs::remove_all(dir); }
    void write(const std::string& name, const std::string& text) const {
        std::ofstream(dir / name, std::ios::binary) << text;
    }
};

std::string row(const std::string& service, const std::string& account, const std::string& qty,
                const std::string& cost) {
    return "AWS,Compute," + service + ",S," + service + "-" + account + "," + account + "," + qty + ",Hours," + cost +
           ",2026-10-05T00:00:00Z,\n";
}

struct Month {
    std::unique_ptr<RuleSet> rules;
    RateRun run;
    std::map<std::string, std::string> by_account;  // billed total per account
    std::map<std::string, std::string> lines;       // "account|rule|component" -> billed charge
    std::string total;
};

Month rate_month(const TempRuleSet& rs, const std::string& allocations, const std::string& usage,
                 const std::string& toml_extra = "") {
    rs.write("ratebook.toml", toml_head + toml_extra);
    rs.write("rates.rules", base_rules + allocations);
    rs.write("usage.csv",
             "ProviderName,ServiceCategory,ServiceName,SkuId,ResourceId,SubAccountId,PricingQuantity,PricingUnit,"
             "BilledCost,ChargePeriodStart,Tags\n" +
                 usage);
    Month m;
    Diagnostics diags;
    m.rules = load_ruleset(rs.dir.string(), diags, nullptr, "rs");
    REQUIRE_MESSAGE(!diags.has_errors(), render(diags));
    m.run = rate_feeds(*m.rules, {(rs.dir / "usage.csv").string()}, [](const RejectRow&) {});
    std::map<std::string, Decimal> totals;
    Decimal total;
    for (const auto& l : m.run.lines) {
        Decimal c = billed_charge(*m.rules, l);
        totals[l.account] += c;
        total += c;
        std::string rule = l.allocation >= 0 ? m.rules->allocations[l.allocation].name : m.rules->rates[l.rate].name;
        m.lines[l.account + "|" + rule + "|" + l.component] = c.to_string();
    }
    for (const auto& [a, t] : totals) m.by_account[a] = t.to_string();
    m.total = total.to_string();
    return m;
}

const std::string two_customers = row("VM", "10001-0", "3", "30.00") + row("VM", "10002-0", "1", "10.00");

}  // namespace

TEST_CASE("a fixed pool spread by headcount from a table, to the cent") {
    TempRuleSet rs("headcount");
    rs.write("tables/headcount.csv", "AccountCode,Heads\n10001-0,3\n10002-0,5\n10003-0,7\n");
    Month m = rate_month(rs,
                         "allocate \"Service desk\" {\n  pool $1,000.00\n  by weights(headcount, Heads)\n"
                         "  ru \"SHR-DESK\"\n}\n",
                         two_customers,
                         "[tables.headcount]\npath = \"tables/headcount.csv\"\nkey = \"AccountCode\"\n"
                         "columns = { Heads = \"quantity\" }\n");
    // 15 heads: 1,000 x 3/15 = 200.00; x 5/15 = 333.333...; x 7/15 = 466.666...
    // Floors 200.00 + 333.33 + 466.66 = 999.99; the last cent to the largest remainder (0.00666...).
    CHECK(m.lines["10001-0|Service desk|allocated share"] == "200.00");
    CHECK(m.lines["10002-0|Service desk|allocated share"] == "333.33");
    CHECK(m.lines["10003-0|Service desk|allocated share"] == "466.67");  // no usage, still 7 heads
    // The pool account carries the bill and gives it all out: +1,000.00 - 1,000.00 = 0.
    CHECK(m.lines["POOL Service desk|Service desk|pool amount"] == "1000.00");
    CHECK(m.lines["POOL Service desk|Service desk|allocated out"] == "-1000.00");
    CHECK(m.by_account["POOL Service desk"] == "0.00");
    // 30.00 + 10.00 of usage + the 1,000.00 bill.
    CHECK(m.total == "1040.00");
    CHECK(m.run.rows_in == m.run.charged + m.run.rejected);
}

TEST_CASE("a pool of the month's charges on one RU, spread by the other charges") {
    TempRuleSet rs("rupool");
    Month m = rate_month(rs,
                         "allocate \"Shared platform\" {\n  pool \"SHR\"\n  by charges\n  ru \"SHR-ALLOC\"\n}\n",
                         two_customers + row("Platform", "10001-0", "1", "7.00") +
                             row("Platform", "10003-0", "1", "3.00"));
    // The SHR lines (7.00 + 3.00 = 10.00) move to the pool. Bases: 10001-0 30.00, 10002-0 10.00
    // (10003-0's only line was pooled: no basis). 10.00 x 30/40 = 7.50; x 10/40 = 2.50.
    CHECK(m.lines["10001-0|Shared platform|allocated share"] == "7.50");
    CHECK(m.lines["10002-0|Shared platform|allocated share"] == "2.50");
    CHECK(m.by_account["10001-0"] == "37.50");
    CHECK(m.by_account["10002-0"] == "12.50");
    CHECK(m.by_account.count("10003-0") == 0);
    CHECK(m.by_account["POOL Shared platform"] == "0.00");  // 7.00 + 3.00 - 10.00
    // Nothing created or lost: the month is still 50.00, and all 4 records are charged.
    CHECK(m.total == "50.00");
    CHECK(m.run.charged == 4);
    CHECK(m.run.rows_in == 4);
    // A pooled line says where it came from.
    bool traced = false;
    for (const auto& l : m.run.lines)
        traced = traced || l.account_source.find("pooled into \"Shared platform\" from 10003-0") == 0;
    CHECK(traced);
}

TEST_CASE("allocations run in the declared order, then file order") {
    TempRuleSet rs("order");
    // "Overhead" is written first but waits for "Licences".
    Month m = rate_month(rs,
                         "allocate \"Overhead\" {\n  pool $10.00\n  by charges\n  ru \"OVH\"\n  after \"Licences\"\n}\n"
                         "allocate \"Licences\" {\n  pool $100.00\n  share \"10001-0\" at 33.34%\n"
                         "  share \"10002-0\" at 33.33%\n  share \"10003-0\" at 33.33%\n  ru \"LIC\"\n}\n",
                         two_customers);
    REQUIRE(m.rules->allocations.size() == 2);
    CHECK(m.rules->allocations[0].name == "Licences");
    // Licences: 100.00 x 33.34% = 33.34, 33.33, 33.33 (exact, no remainder).
    CHECK(m.lines["10001-0|Licences|allocated share"] == "33.34");
    CHECK(m.lines["10003-0|Licences|allocated share"] == "33.33");
    // Overhead then sees 10001-0 63.34, 10002-0 43.33, 10003-0 33.33 (total 140.00):
    // 10 x 63.34/140 = 4.5242...; 10 x 43.33/140 = 3.095; 10 x 33.33/140 = 2.3807...
    // Floors 4.52 + 3.09 + 2.38 = 9.99; the cent to the largest remainder, 3.095 -> 3.10.
    // (Run first, it would have split 30:10 = 7.50 / 2.50.)
    CHECK(m.lines["10001-0|Overhead|allocated share"] == "4.52");
    CHECK(m.lines["10002-0|Overhead|allocated share"] == "3.10");
    CHECK(m.lines["10003-0|Overhead|allocated share"] == "2.38");
    CHECK(m.total == "150.00");  // 40.00 + 100.00 + 10.00
}

TEST_CASE("evenly, and by the volume of one RU") {
    TempRuleSet rs("evenly");
    Month m = rate_month(rs,
                         "allocate \"Even\" {\n  pool $1.00\n  by evenly\n  ru \"EVN\"\n}\n"
                         "allocate \"By hours\" {\n  pool $1.00\n  by volume(\"CMP\")\n  ru \"VOL\"\n}\n",
                         two_customers + row("VM", "99999-SUSPENSE", "4", "4.00"));
    // Even: 2 customer accounts (suspense is never a basis): 0.50 each.
    CHECK(m.lines["10001-0|Even|allocated share"] == "0.50");
    CHECK(m.lines["10002-0|Even|allocated share"] == "0.50");
    CHECK(m.lines.count("99999-SUSPENSE|Even|allocated share") == 0);
    // By hours on CMP: 3 and 1 hours: 1.00 x 3/4 = 0.75, x 1/4 = 0.25.
    CHECK(m.lines["10001-0|By hours|allocated share"] == "0.75");
    CHECK(m.lines["10002-0|By hours|allocated share"] == "0.25");
}

TEST_CASE("allocation conservation: 10,000 random pools and bases through apply_allocations") {
    uint64_t state = 0x5DEECE66Dull;
    auto next = [&] {  // splitmix64: the same sequence on every machine
        uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    };
    const Decimal cent = Decimal::from_parts(1, 2);
    int checked_accounts = 0;
    for (int round = 0; round < 10000; ++round) {
        RuleSet rules;
        rules.config.suspense_account = "99999-SUSPENSE";
        CompiledAllocation a;
        a.name = "Pool";
        a.ru = "ALLOC";
        a.basis_label = "by test";
        // Pools of $0.01 to $1,000,000.00; 1 to 30 accounts with charges of $0.01 to $50,000.00.
        a.fixed_pool = Decimal::from_parts(static_cast<int64_t>(1 + next() % 100'000'000), 2);
        size_t n = 1 + next() % 30;
        RateRun run;
        std::map<std::string, Decimal> basis;
        // Every basis: 0 charges, 1 volume of an RU, 2 evenly, 3 table weights, 4 fixed shares.
        int kind = static_cast<int>(next() % 5);
        using B = CompiledAllocation::Basis;
        a.basis = kind == 0 ? B::charges : kind == 1 ? B::volume : kind == 2 ? B::evenly : kind == 3 ? B::weights : B::shares;
        a.basis_ru = "CMP";
        Table headcount;  // keyed by account code, a quantity column with up to 3 decimals
        headcount.name = "headcount";
        headcount.columns = {"AccountCode", "Heads"};
        headcount.column_types = {Type::text, Type::quantity};
        headcount.key_column = "AccountCode";
        int64_t basis_points_left = 10'000;  // fixed shares: whole basis points adding up to 100%
        for (size_t i = 0; i < n; ++i) {
            ChargeLine l;
            l.account = "A" + std::to_string(1000 + i);
            l.ru = "CMP";
            l.charge = Decimal::from_parts(static_cast<int64_t>(1 + next() % 5'000'000), 2);
            l.volume = Decimal::from_parts(static_cast<int64_t>(1 + next() % 10'000'000), static_cast<int>(next() % 7));
            Decimal heads = Decimal::from_parts(static_cast<int64_t>(1 + next() % 100'000), 3);
            headcount.rows.push_back({l.account, heads.to_string()});
            int64_t bp = i + 1 == n ? basis_points_left : static_cast<int64_t>(next() % (basis_points_left + 1));
            basis_points_left -= bp;
            Decimal share = Decimal::from_parts(bp, 4);
            if (kind == 4 && bp > 0) a.shares.emplace_back(l.account, share);
            Decimal w = kind == 0 ? l.charge : kind == 1 ? l.volume : kind == 2 ? Decimal::from_int(1) : kind == 3 ? heads : share;
            if (w.sign() > 0) basis[l.account] = w;  // a zero share takes no part
            run.lines.push_back(l);
        }
        rules.tables.push_back(headcount);
        a.table = 0;
        a.weight_column = 1;
        rules.allocations.push_back(a);
        apply_allocations(rules, run);
        Decimal total_basis, allocated;
        for (const auto& [acct, w] : basis) total_basis += w;
        for (const auto& l : run.lines) {
            if (l.allocation < 0 || l.component != "allocated share") continue;
            allocated += l.charge;
            // No account is more than a cent from its exact share (largest remainder hands out
            // at most one extra cent, and only to the largest remainders).
            Decimal exact = *a.fixed_pool * (basis.at(l.account) / total_basis);
            CHECK((l.charge - exact).abs() < cent);
            CHECK(l.charge.rounded(2) == l.charge);  // whole cents
            ++checked_accounts;
        }
        REQUIRE(allocated == *a.fixed_pool);  // the lines sum to the pool, exactly
    }
    CHECK(checked_accounts > 100'000);
}
