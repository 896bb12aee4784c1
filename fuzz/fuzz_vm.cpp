// Fuzz target: the VM and the rating engine. The bytes drive a generator that writes a small,
// well-typed rule set (consts, 1-4 rate rules with random expressions of every type, an
// optional account rule) and a small FOCUS feed of random records (numbers at the edges of the
// decimal range, nulls, bad dates, odd tags). The rule set is compiled (constant folding runs
// on the VM too) and the feed is rated with rate_feeds, as `ratebook rate` does.
// Checked: no crash or sanitizer report, and every record is charged or rejected
// (in = charged + rejected); the charges CSV is written too.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "engine/csv_reader.hpp"
#include "engine/outputs.hpp"
#include "engine/rating.hpp"
#include "fuzz/common.hpp"
#include "interpreter/loader.hpp"

using namespace ratebook;

namespace {

enum class T { money, decimal, percent, quantity, boolean, text, date };

const char* const money_cols[] = {"BilledCost", "EffectiveCost", "ListCost"};
const char* const qty_cols[] = {"PricingQuantity", "ConsumedQuantity"};
const char* const text_cols[] = {"ProviderName", "ServiceCategory", "ServiceName", "SkuId",
                                 "SubAccountId", "PricingUnit"};
const char* const numbers[] = {"0", "1", "2", "0.5", "12.345", "1,000,000", "0.000000000000000001",
                               "99999999999999999999", "99999999999999999999.999999999999999999",
                               "3", "100", "1.045", "7"};
const char* const texts[] = {"\"AWS\"", "\"Compute\"", "\"\"", "\"x\"", "\"Storage\"", "\"a\\\"b\""};
const char* const modes[] = {"half_even", "half_up", "half_down", "down", "up", "ceiling", "floor"};

class Gen {
public:
    explicit Gen(FuzzedDataProvider& p) : p_(p) {}
    bool constant = false;  // const context: no feed columns or tags
    std::vector<std::pair<std::string, T>> consts;

    template <size_t N>
    const char* pick(const char* const (&a)[N]) { return a[p_.ConsumeIntegralInRange<size_t>(0, N - 1)]; }

    std::string number() {
        if (p_.ConsumeBool()) return pick(numbers);
        return std::to_string(p_.ConsumeIntegralInRange<int>(0, 5000));
    }

    std::string const_of(T t) {
        std::vector<std::string> names;
        for (auto& [n, ct] : consts) if (ct == t) names.push_back(n);
        if (names.empty()) return {};
        return names[p_.ConsumeIntegralInRange<size_t>(0, names.size() - 1)];
    }

    std::string leaf(T t) {
        if (p_.ConsumeIntegralInRange(0, 4) == 0) {
            std::string c = const_of(t);
            if (!c.empty()) return c;
        }
        bool col = !constant && p_.ConsumeBool();
        switch (t) {
            case T::money: return col ? pick(money_cols) : "$" + number();
            case T::decimal: return number();
            case T::percent: return number() + "%";
            case T::quantity: return constant ? "(" + number() + " * " + std::string(pick(qty_cols)) + ")" : pick(qty_cols);
            case T::boolean: return p_.ConsumeBool() ? "true" : "false";
            case T::text:
                if (col) return p_.ConsumeBool() ? pick(text_cols) : "tag(\"cc\")";
                return pick(texts);
            case T::date:
                return col ? "ChargePeriodStart" : (p_.ConsumeBool() ? "2026-10-01" : "2024-02-29");
        }
        return "0";
    }

    std::string expr(T t, int depth) {
        if (t == T::quantity && constant) t = T::decimal;  // no quantity without a column
        if (depth <= 0 || p_.ConsumeIntegralInRange(0, 3) == 0) return leaf(t);
        // Every compound expression is bracketed, so operator precedence never changes the
        // types the generator intended (most generated rule sets compile).
        return "(" + compound(t, depth - 1) + ")";
    }

    std::string compound(T t, int d) {
        int k = p_.ConsumeIntegralInRange(0, 9);
        if (k == 0) return expr(t, d);
        if (k == 1 && t != T::boolean)
            return "if " + expr(T::boolean, d) + " then " + expr(t, d) + " else " + expr(t, d);
        switch (t) {
            case T::money:
                switch (k) {
                    case 2: return expr(T::money, d) + " + " + expr(T::money, d);
                    case 3: return expr(T::money, d) + " - " + expr(T::money, d);
                    case 4: return expr(T::money, d) + " * " + expr(p_.ConsumeBool() ? T::decimal : T::percent, d);
                    case 5: return constant ? "-" + expr(T::money, d) : expr(T::quantity, d) + " * " + expr(T::money, d);
                    case 6: return expr(T::money, d) + " / " + expr(p_.ConsumeBool() || constant ? T::decimal : T::quantity, d);
                    case 7: return "round(" + expr(T::money, d) + ", " + std::to_string(p_.ConsumeIntegralInRange(0, 18)) +
                                   (p_.ConsumeBool() ? std::string(", \"") + pick(modes) + "\")" : ")");
                    case 8: return std::string(p_.ConsumeBool() ? "min(" : "max(") + expr(T::money, d) + ", " + expr(T::money, d) + ")";
                    default: return p_.ConsumeBool() ? "abs(" + expr(T::money, d) + ")"
                                                     : "clamp(" + expr(T::money, d) + ", " + expr(T::money, d) + ", " + expr(T::money, d) + ")";
                }
            case T::decimal:
                switch (k) {
                    case 2: return expr(T::decimal, d) + " + " + expr(p_.ConsumeBool() ? T::decimal : T::percent, d);
                    case 3: return expr(T::decimal, d) + " - " + expr(T::decimal, d);
                    case 4: return expr(T::decimal, d) + " * " + expr(T::decimal, d);
                    case 5: return expr(T::decimal, d) + " / " + expr(T::decimal, d);
                    case 6: return expr(T::money, d) + " / " + expr(T::money, d);
                    case 7: return "-" + expr(T::decimal, d);
                    case 8: return "round(" + expr(T::decimal, d) + ", " + std::to_string(p_.ConsumeIntegralInRange(0, 18)) + ")";
                    default: return constant ? "abs(" + expr(T::decimal, d) + ")" : expr(T::quantity, d) + " / " + expr(T::quantity, d);
                }
            case T::percent:
                switch (k) {
                    case 2: case 3: return expr(T::percent, d) + (k == 2 ? " + " : " - ") + expr(T::percent, d);
                    case 4: case 5: return expr(T::percent, d) + " * " + expr(T::decimal, d);
                    default: return "max(" + expr(T::percent, d) + ", " + expr(T::percent, d) + ")";
                }
            case T::quantity:
                switch (k) {
                    case 2: return expr(T::quantity, d) + " + " + expr(p_.ConsumeBool() ? T::quantity : T::decimal, d);
                    case 3: return expr(T::quantity, d) + " - " + expr(T::decimal, d);
                    case 4: return expr(T::quantity, d) + " * " + expr(p_.ConsumeBool() ? T::decimal : T::percent, d);
                    case 5: return expr(T::quantity, d) + " / " + expr(T::decimal, d);
                    default: return "round(" + expr(T::quantity, d) + ", " + std::to_string(p_.ConsumeIntegralInRange(0, 6)) + ", \"up\")";
                }
            case T::boolean: {
                static const char* const cmp[] = {" == ", " != ", " < ", " <= ", " > ", " >= "};
                switch (k) {
                    case 2: return expr(T::boolean, d) + " and " + expr(T::boolean, d);
                    case 3: return expr(T::boolean, d) + " or " + expr(T::boolean, d);
                    case 4: return "not " + expr(T::boolean, d);
                    case 5: return expr(T::text, d) + (p_.ConsumeBool() ? " == " : " != ") + expr(T::text, d);
                    case 6: return expr(T::money, d) + pick(cmp) + expr(T::money, d);
                    case 7: return expr(T::date, d) + pick(cmp) + expr(T::date, d);
                    case 8: return expr(T::text, d) + (p_.ConsumeBool() ? " in [" : " not in [") + pick(texts) + ", " + pick(texts) + "]";
                    default: return expr(T::decimal, d) + pick(cmp) + expr(T::decimal, d);
                }
            }
            case T::text:
                // Joined texts (join_text): the VM holds them until the next record.
                return k < 6 ? expr(T::text, d) + " + " + expr(T::text, d) : leaf(t);
            case T::date:
                return leaf(t);
        }
        return leaf(t);
    }

private:
    FuzzedDataProvider& p_;
};

std::string csv_cell(std::string s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string record_value(FuzzedDataProvider& p, T t) {
    static const char* const nums[] = {"", "NULL", "0", "1", "-1", "0.5", "12.345678", "1e-7", "-0.000000000000000001",
                                       "99999999999999999999", "1e20", "99999999999999999999999999999999999999",
                                       "1.5E+3", "abc", "0.0000000000000000001", "-99999999999999999999.5"};
    static const char* const dates[] = {"2026-10-01T00:00:00Z", "", "2026-02-30", "2026-10-01", "NULL",
                                        "2026-10-31T23:59:59+05:00", "1900-01-01", "9999-12-31T23:59:59Z"};
    static const char* const tags[] = {"{}", "{\"cc\":\"A1\"}", "", "{bad", "{\"cc\":1.50}", "{\"cc\":null}",
                                       "{\"cc\":\"\\u00e9\\ud83d\\ude00\"}", "[1]"};
    static const char* const words[] = {"AWS", "Compute", "", "x", "Storage", "a\"b", "NULL", "=cmd", "é"};
    int k = p.ConsumeIntegralInRange(0, 7);
    if (k == 0) return p.ConsumeRandomLengthString(24);
    switch (t) {
        case T::money: case T::quantity: case T::decimal: case T::percent:
            return nums[p.ConsumeIntegralInRange<size_t>(0, std::size(nums) - 1)];
        case T::date: return dates[p.ConsumeIntegralInRange<size_t>(0, std::size(dates) - 1)];
        case T::boolean: return tags[p.ConsumeIntegralInRange<size_t>(0, std::size(tags) - 1)];
        case T::text: return words[p.ConsumeIntegralInRange<size_t>(0, std::size(words) - 1)];
    }
    return "";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 4096) return 0;
    FuzzedDataProvider p(data, size);
    Gen g(p);
    std::string rules;
    int nconst = p.ConsumeIntegralInRange(0, 2);
    g.constant = true;
    static const T const_types[] = {T::money, T::decimal, T::percent, T::text, T::boolean, T::date};
    for (int i = 0; i < nconst; ++i) {
        T t = const_types[p.ConsumeIntegralInRange<size_t>(0, std::size(const_types) - 1)];
        std::string name = "c" + std::to_string(i);
        rules += "const " + name + " = " + g.expr(t, 3) + "\n";
        g.consts.emplace_back(name, t);
    }
    g.constant = false;
    int nrates = p.ConsumeIntegralInRange(1, 4);
    for (int i = 0; i < nrates; ++i) {
        rules += "rate \"r" + std::to_string(i) + "\" {\n  match " + g.expr(T::boolean, 4) + "\n";
        rules += "  ru " + g.expr(T::text, 1) + "\n";
        if (p.ConsumeBool()) rules += "  volume " + g.expr(T::quantity, 3) + "\n";
        if (p.ConsumeBool()) rules += "  unit " + g.expr(T::text, 2) + "\n";
        // Drill-down fields: any of service, product, component, fixed or per record.
        for (const char* field : {"service", "product", "component"})
            if (p.ConsumeBool()) rules += std::string("  ") + field + " " + g.expr(T::text, 2) + "\n";
        rules += "  charge " + g.expr(T::money, 5) + "\n";
        if (p.ConsumeBool()) rules += "  priority " + std::to_string(p.ConsumeIntegralInRange(0, 3)) + "\n";
        rules += "}\n";
    }
    if (p.ConsumeBool())
        rules += "account \"a\" {\n  from " + g.expr(T::text, 2) + "\n  else from SubAccountId\n" +
                 (p.ConsumeBool() ? "  else \"99999-SUSPENSE\"\n" : "") + "}\n";

    Diagnostics diags;
    std::unique_ptr<RuleSet> rs;
    // No try: a DecimalError escaping the loader is a crash (see fuzz_rules.cpp).
    rs = load_ruleset_from_text("fuzz.rules", rules, diags);
    // RATEBOOK_FUZZ_DEBUG=1: show each generated rule set and why it did not compile.
    static const bool debug = std::getenv("RATEBOOK_FUZZ_DEBUG") != nullptr;
    if (debug) std::fprintf(stderr, "----\n%s%s", rules.c_str(), render(diags).c_str());
    if (diags.has_errors()) return 0;  // the generator aims for valid rules; errors are fine

    static const std::pair<const char*, T> columns[] = {
        {"ProviderName", T::text},      {"ServiceCategory", T::text},   {"ServiceName", T::text},
        {"SkuId", T::text},             {"SubAccountId", T::text},      {"PricingUnit", T::text},
        {"PricingQuantity", T::quantity}, {"ConsumedQuantity", T::quantity}, {"BilledCost", T::money},
        {"EffectiveCost", T::money},    {"ListCost", T::money},         {"ChargePeriodStart", T::date},
        {"Tags", T::boolean}};
    std::string feed;
    for (size_t i = 0; i < std::size(columns); ++i) feed += (i ? "," : "") + std::string(columns[i].first);
    feed += "\n";
    int nrows = p.ConsumeIntegralInRange(1, 8);
    for (int r = 0; r < nrows; ++r) {
        for (size_t i = 0; i < std::size(columns); ++i)
            feed += (i ? "," : "") + csv_cell(record_value(p, columns[i].second));
        feed += "\n";
    }
    const std::string& path = fuzz::scratch_path(".feed.csv");
    fuzz::write_file(path, feed);
    uint64_t rejects = 0;
    RateRun run;
    try {
        run = rate_feeds(*rs, {path}, [&](const RejectRow&) { ++rejects; });
    } catch (const FeedError&) {
        return 0;
    } catch (const DecimalError&) {
        // A line total beyond 38 digits (tests/bad_inputs/crashes/line_total_overflow.csv) is a
        // documented outcome: `ratebook rate` reports it and exits 2 with nothing written
        // (cli/cmd_rate.cpp; bad_input_test). Any other escape is a crash.
        return 0;
    }
    if (run.rows_in != run.charged + run.rejected || rejects != run.rejected) __builtin_trap();
    std::ostringstream out;
    try {
        write_charges_csv(out, *rs, run);
        write_summary_json(out, *rs, run);
    } catch (const DecimalError&) {
        // Rounding a line total near 10^36 to the rule set's places overflows
        // (tests/bad_inputs/crashes/charge_rounding_overflow.csv): the same documented exit 2.
    }
    return 0;
}
