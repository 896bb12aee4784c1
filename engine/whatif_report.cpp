#include "engine/whatif_report.hpp"

#include <fmt/format.h>

#include "engine/outputs.hpp"

namespace ratebook {
namespace {

constexpr size_t movers_shown = 10;

struct Sections {
    ChargeComparison total;
    std::vector<ChargeComparison> account, ru, service;
};

Sections sections(const WhatIfReport& r) {
    const RateRun& c = r.run.current;
    const RateRun& p = r.run.proposed;
    return Sections{compare_totals(r.current_rules, c, r.proposed_rules, p),
                    compare(r.current_rules, c, r.proposed_rules, p, CompareBy::account),
                    compare(r.current_rules, c, r.proposed_rules, p, CompareBy::ru),
                    compare(r.current_rules, c, r.proposed_rules, p, CompareBy::service)};
}

std::string signed_money(const Decimal& d) { return (d.sign() > 0 ? "+" : "") + group_thousands(d); }

std::string describe(const RuleSet& rules) {
    std::string s = fmt::format("{} (hash {})", rules.identity.version(), rules.content_hash.substr(0, 12));
    for (const auto& o : rules.overrides) s += " --set " + o;
    return s;
}

void text_table(std::ostream& out, const char* title, const std::vector<ChargeComparison>& rows) {
    out << fmt::format("\n{}\n  {:<40} {:>16} {:>16} {:>16} {:>9}\n", title, "", "current", "proposed", "change",
                       "change %");
    for (const ChargeComparison& c : rows) {
        std::string pct = c.change_pct();
        out << fmt::format("  {:<40} {:>16} {:>16} {:>16} {:>9}\n", c.key, group_thousands(c.current),
                           group_thousands(c.proposed), signed_money(c.change()),
                           !pct.empty() ? pct + "%" : c.proposed.is_zero() ? "" : "new");
    }
}

std::string json_comparison(const ChargeComparison& c) {
    std::string pct = c.change_pct();
    return fmt::format("{{\"key\": {}, \"current\": {}, \"proposed\": {}, \"change\": {}, \"change_pct\": {}}}",
                       json_string(c.key), json_string(c.current.to_string()), json_string(c.proposed.to_string()),
                       json_string(c.change().to_string()), pct.empty() ? "null" : json_string(pct));
}

void json_list(std::ostream& out, const char* name, const std::vector<ChargeComparison>& rows, bool last = false) {
    out << "  " << json_string(name) << ": [";
    for (size_t i = 0; i < rows.size(); ++i) out << (i ? ",\n    " : "\n    ") << json_comparison(rows[i]);
    out << (rows.empty() ? "]" : "\n  ]") << (last ? "\n" : ",\n");
}

std::string json_ruleset(const RuleSet& rules, const RateRun& run) {
    std::string overrides;
    for (size_t k = 0; k < rules.overrides.size(); ++k)
        overrides += (k ? ", " : "") + json_string(rules.overrides[k]);
    return fmt::format(
        "{{\"name\": {}, \"fiscal_year\": {}, \"content_hash\": {}, {}, \"what_if_overrides\": [{}], "
        "\"records\": {{\"charged\": {}, \"rejected\": {}}}}}",
        json_string(rules.config.name), rules.config.fiscal_year, json_string(rules.content_hash),
        ruleset_identity_json(rules.identity), overrides, run.charged, run.rejected);
}

}  // namespace

void write_whatif_text(std::ostream& out, const WhatIfReport& r) {
    Sections s = sections(r);
    const WhatIfRun& w = r.run;
    out << "what-if (dry run: nothing was billed)\n";
    out << "current:  " << describe(r.current_rules) << "\n";
    out << "proposed: " << describe(r.proposed_rules) << "\n";
    auto n = [](uint64_t v) { return group_thousands(Decimal::from_int(static_cast<int64_t>(v))); };
    out << fmt::format("records:  in {}; current charged {} rejected {}; proposed charged {} rejected {}\n",
                       n(w.current.rows_in), n(w.current.charged), n(w.current.rejected), n(w.proposed.charged),
                       n(w.proposed.rejected));
    std::string pct = s.total.change_pct();
    out << fmt::format("total:    current {} {}, proposed {} {}, change {}{}\n", group_thousands(s.total.current),
                       r.current_rules.config.currency, group_thousands(s.total.proposed),
                       r.proposed_rules.config.currency, signed_money(s.total.change()),
                       pct.empty() ? "" : " (" + pct + "%)");
    text_table(out, "biggest movers (accounts):", biggest_movers(s.account, movers_shown));
    text_table(out, "by account:", s.account);
    text_table(out, "by RU:", s.ru);
    text_table(out, "by service:", s.service);
    out << fmt::format("\nrecords rated differently: {} changed rule, {} changed account, {} newly rejected, "
                       "{} newly charged\n",
                       w.moved_rule, w.moved_account, w.newly_rejected, w.newly_charged);
    for (const RecordChange& c : w.changes)
        out << fmt::format("  {}:{}  {}\n    current:  {}\n    proposed: {}\n", c.file, c.line, c.kind, c.current,
                           c.proposed);
    uint64_t listed_of = w.moved_rule + w.moved_account + w.newly_rejected + w.newly_charged;
    if (w.changes.size() < listed_of)
        out << fmt::format("  (the first {} are listed; whatif.json has the same)\n", w.changes.size());
}

void write_whatif_csv(std::ostream& out, const WhatIfReport& r) {
    Sections s = sections(r);
    const std::string versions =
        csv_field(r.current_rules.identity.version()) + ',' + csv_field(r.proposed_rules.identity.version());
    out << "section,key,current,proposed,change,change_pct,current_ruleset,proposed_ruleset\n";
    auto row = [&](const char* section, const ChargeComparison& c) {
        out << section << ',' << csv_field(c.key) << ',' << c.current.to_string() << ',' << c.proposed.to_string()
            << ',' << c.change().to_string() << ',' << c.change_pct() << ',' << versions << '\n';
    };
    row("total", s.total);
    for (const ChargeComparison& c : s.account) row("account", c);
    for (const ChargeComparison& c : s.ru) row("ru", c);
    for (const ChargeComparison& c : s.service) row("service", c);
}

void write_whatif_json(std::ostream& out, const WhatIfReport& r) {
    Sections s = sections(r);
    const WhatIfRun& w = r.run;
    out << "{\n";
    out << "  \"current\": " << json_ruleset(r.current_rules, w.current) << ",\n";
    out << "  \"proposed\": " << json_ruleset(r.proposed_rules, w.proposed) << ",\n";
    out << "  \"records_in\": " << w.current.rows_in << ",\n";
    out << "  \"total\": " << json_comparison(s.total) << ",\n";
    json_list(out, "biggest_movers", biggest_movers(s.account, movers_shown));
    json_list(out, "by_account", s.account);
    json_list(out, "by_ru", s.ru);
    json_list(out, "by_service", s.service);
    out << fmt::format("  \"record_changes\": {{\"rule\": {}, \"account\": {}, \"newly_rejected\": {}, "
                       "\"newly_charged\": {}, \"listed\": [",
                       w.moved_rule, w.moved_account, w.newly_rejected, w.newly_charged);
    for (size_t i = 0; i < w.changes.size(); ++i) {
        const RecordChange& c = w.changes[i];
        out << (i ? ",\n    " : "\n    ")
            << fmt::format("{{\"file\": {}, \"line\": {}, \"kind\": {}, \"current\": {}, \"proposed\": {}}}",
                           json_string(c.file), c.line, json_string(c.kind), json_string(c.current),
                           json_string(c.proposed));
    }
    out << (w.changes.empty() ? "]}\n" : "\n  ]}\n") << "}\n";
}

}  // namespace ratebook
