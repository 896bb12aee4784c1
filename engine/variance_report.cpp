// The variance outputs: variance.csv (every group), variance.json (the same plus totals and the
// customer ranking) and variance.txt (what a reviewer reads: the reconciliation, the flagged
// groups with their explanations, and the customers by size of change).
#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "engine/outputs.hpp"
#include "engine/variance.hpp"
#include "interpreter/disasm.hpp"

namespace ratebook {
namespace {

std::string money(const RuleSet& rules, const Decimal& d) {
    Decimal r = d.rounded(rules.config.rounding_places, rules.config.rounding);
    std::string digits = group_thousands(r.abs());
    if (rules.config.currency == "USD") return (r.sign() < 0 ? "-$" : "$") + digits;
    return (r.sign() < 0 ? "-" : "") + digits + " " + rules.config.currency;
}

// A money cell of the CSV and JSON: plain digits at the rule set's places ("0.00", "-12.50").
std::string cents(const RuleSet& rules, const Decimal& d) {
    return d.rounded(rules.config.rounding_places, rules.config.rounding).to_string();
}

// A volume cell: exact, without trailing zeros ("1615.776791", "0").
std::string qty(const Decimal& d) { return d.normalized().to_string(); }

std::string signed_money(const RuleSet& rules, const Decimal& d) {
    return (d.sign() > 0 ? "+" : "") + money(rules, d);
}

// Volumes as a reader wants them: grouped, at most two decimals, no trailing zeros.
std::string volume_text(const Decimal& d) {
    Decimal r = d.rounded(2).normalized();
    if (r.scale() == 1) r = r.rounded(2);
    return group_thousands(r);
}

// A unit price: four decimals, or as many as it takes (up to 8) to show a small one.
std::string price_text(const RuleSet& rules, const Decimal& p) {
    int places = 4;
    while (places < 8 && !p.is_zero() && p.rounded(places).is_zero()) ++places;
    Decimal r = p.rounded(places);
    return rules.config.currency == "USD" ? (r.sign() < 0 ? "-$" : "$") + r.abs().to_string()
                                          : r.to_string() + " " + rules.config.currency;
}

// A fraction as a percentage rounded to 0.1: 0.2215 -> "22.2%", 0.22 -> "22%".
std::string pct_text(const Decimal& fraction) { return percent_text(fraction.rounded(3).abs()); }

// The percent a CSV cell shows, as a number of percent with two decimals; empty from a zero base
// (a rule sees +-100% there, but a reader should not).
std::string pct_cell(const Decimal& base, const Decimal& now) {
    if (base.is_zero()) return "";
    return (percent_change(base, now) * Decimal::from_int(100)).rounded(2).to_string();
}

std::string effect_words(const RuleSet& rules, const Decimal& d) {
    return d.sign() >= 0 ? "added " + money(rules, d) : "took off " + money(rules, d.abs());
}

// The group's units, "; "-separated when its lines have several (its volumes are then sums of
// unlike things, shown for completeness only).
std::string unit_text(const GroupVariance& g) {
    std::string out;
    for (size_t i = 0; i < g.units.size(); ++i) out += (i ? "; " : "") + g.units[i];
    return out;
}

std::string key_text(const GroupVariance& g) {
    std::string out;
    for (size_t i = 0; i < g.key_values.size(); ++i) out += (i ? " / " : "") + g.key_values[i];
    return out;
}

std::string location(const CompiledVariance* v) {
    if (!v || !v->kind_span.valid()) return "";
    return fmt::format("{}:{}", v->kind_span.file->name, v->kind_span.line);
}

const char* status(const GroupVariance& g) {
    if (g.is_new()) return "new";
    if (g.is_dropped()) return "dropped";
    return g.change().is_zero() ? "unchanged" : "changed";
}

}  // namespace

std::string explain_group(const RuleSet& rules, const GroupVariance& g) {
    const bool one_unit = g.units.size() == 1;
    const std::string unit = one_unit ? " " + g.units[0] : "";
    if (g.is_new())
        return fmt::format("New this month: {} for {}{}; nothing billed last month", money(rules, g.current.charge),
                           volume_text(g.current.volume), unit);
    if (g.is_dropped())
        return fmt::format("Not billed this month; last month {} for {}{}", money(rules, g.prior.charge),
                           volume_text(g.prior.volume), unit);
    std::vector<std::string> parts;
    const Decimal& v = g.parts.volume_effect;
    const Decimal& rate = g.parts.rate_effect;
    Decimal dq = g.current.volume - g.prior.volume;
    if (one_unit && !dq.is_zero()) {
        std::string how = g.prior.volume.is_zero()
                              ? "up from nothing"
                              : fmt::format("{} {}", dq.sign() > 0 ? "up" : "down",
                                            pct_text(percent_change(g.prior.volume, g.current.volume)));
        parts.push_back(fmt::format("Volume {} ({} -> {}{}) {}", how, volume_text(g.prior.volume),
                                    volume_text(g.current.volume), unit, effect_words(rules, v)));
    } else if (!one_unit && !v.is_zero()) {
        parts.push_back(fmt::format("Volume changes {}", effect_words(rules, v)));
    } else {
        parts.push_back(one_unit ? fmt::format("Volume unchanged ({}{})", volume_text(g.current.volume), unit)
                                 : std::string("Volume effect nil"));
    }
    if (rate.is_zero()) {
        parts.push_back("rate unchanged");
    } else if (one_unit && !g.prior.volume.is_zero() && !g.current.volume.is_zero() && g.parts.new_lines.is_zero() &&
               g.parts.dropped_lines.is_zero()) {
        Decimal bp = g.prior.charge / g.prior.volume, ap = g.current.charge / g.current.volume;
        parts.push_back(fmt::format("rate {} {} ({} -> {} per {}) {}", ap >= bp ? "up" : "down",
                                    pct_text(percent_change(bp, ap)), price_text(rules, bp), price_text(rules, ap),
                                    g.units[0], effect_words(rules, rate)));
    } else {
        parts.push_back(fmt::format("rate changes {}", effect_words(rules, rate)));
    }
    if (!g.parts.new_lines.is_zero()) parts.push_back(fmt::format("new lines {}", effect_words(rules, g.parts.new_lines)));
    if (!g.parts.dropped_lines.is_zero())
        parts.push_back(fmt::format("lines no longer billed {}", effect_words(rules, -g.parts.dropped_lines)));
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
    return out;
}

void write_variance_csv(std::ostream& out, const RuleSet& rules, const VarianceReport& r) {
    for (size_t k : r.default_rule->keys) out << variance_names()[k].name << ',';
    out << "units,status,prior_volume,current_volume,volume_change,volume_change_pct,prior_charge,current_charge,"
           "charge_change,charge_change_pct,volume_effect,rate_effect,new_lines,dropped_lines,flagged,rule,"
           "rule_location,explanation\n";
    for (const auto& g : r.groups) {
        for (const auto& v : g.key_values) out << csv_field(v) << ',';
        out << csv_field(unit_text(g)) << ',' << status(g) << ',' << qty(g.prior.volume) << ','
            << qty(g.current.volume) << ',' << qty(g.current.volume - g.prior.volume) << ','
            << pct_cell(g.prior.volume, g.current.volume) << ',' << cents(rules, g.prior.charge) << ','
            << cents(rules, g.current.charge) << ',' << cents(rules, g.change()) << ','
            << pct_cell(g.prior.charge, g.current.charge) << ',' << cents(rules, g.parts.volume_effect) << ','
            << cents(rules, g.parts.rate_effect) << ',' << cents(rules, g.parts.new_lines) << ','
            << cents(rules, g.parts.dropped_lines) << ',' << (g.flagged ? "yes" : "no") << ','
            << csv_field(g.rule->name) << ',' << csv_field(location(g.rule)) << ','
            << csv_field(explain_group(rules, g)) << '\n';
    }
}

void write_variance_json(std::ostream& out, const RuleSet& rules, const VarianceReport& r) {
    auto parts = [&](const Decomposition& d) {
        return fmt::format("{{\"volume_effect\": \"{}\", \"rate_effect\": \"{}\", \"new_lines\": \"{}\", "
                           "\"dropped_lines\": \"{}\"}}",
                           cents(rules, d.volume_effect), cents(rules, d.rate_effect), cents(rules, d.new_lines),
                           cents(rules, d.dropped_lines));
    };
    out << "{\n";
    out << "  \"ruleset\": {\"name\": " << json_string(rules.config.name) << ", \"hash\": \"" << rules.content_hash
        << "\", \"currency\": " << json_string(rules.config.currency) << "},\n";
    out << "  \"prior\": {\"file\": " << json_string(r.prior_path) << ", \"lines\": " << r.prior_lines
        << ", \"total\": \"" << cents(rules, r.prior_total) << "\"},\n";
    out << "  \"current\": {\"file\": " << json_string(r.current_path) << ", \"lines\": " << r.current_lines
        << ", \"total\": \"" << cents(rules, r.current_total) << "\"},\n";
    out << "  \"lines_compared\": " << r.lines_compared << ",\n";
    out << "  \"by\": [";
    for (size_t i = 0; i < r.default_rule->keys.size(); ++i)
        out << (i ? ", " : "") << json_string(variance_names()[r.default_rule->keys[i]].name);
    out << "],\n";
    out << "  \"change\": \"" << cents(rules, r.current_total - r.prior_total) << "\",\n";
    out << "  \"decomposition\": " << parts(r.total) << ",\n";
    out << "  \"reconciles\": " << (r.total.total() == r.current_total - r.prior_total ? "true" : "false") << ",\n";
    out << "  \"groups_flagged\": " << r.flagged << ",\n";
    out << "  \"groups\": [";
    for (size_t i = 0; i < r.groups.size(); ++i) {
        const auto& g = r.groups[i];
        out << (i ? ",\n" : "\n") << "    {\"keys\": {";
        for (size_t k = 0; k < g.key_values.size(); ++k)
            out << (k ? ", " : "") << json_string(variance_names()[r.default_rule->keys[k]].name) << ": "
                << json_string(g.key_values[k]);
        out << "}, \"units\": [";
        for (size_t u = 0; u < g.units.size(); ++u) out << (u ? ", " : "") << json_string(g.units[u]);
        out << "], \"status\": \"" << status(g) << "\", \"prior\": {\"volume\": \"" << qty(g.prior.volume)
            << "\", \"charge\": \"" << cents(rules, g.prior.charge) << "\", \"lines\": " << g.prior_lines
            << "}, \"current\": {\"volume\": \"" << qty(g.current.volume) << "\", \"charge\": \""
            << cents(rules, g.current.charge) << "\", \"lines\": " << g.current_lines << "}, \"change\": \""
            << cents(rules, g.change()) << "\", \"decomposition\": " << parts(g.parts)
            << ", \"flagged\": " << (g.flagged ? "true" : "false") << ", \"rule\": " << json_string(g.rule->name)
            << ", \"rule_location\": " << json_string(location(g.rule))
            << ", \"explanation\": " << json_string(explain_group(rules, g)) << "}";
    }
    out << "\n  ],\n  \"customers\": [";
    for (size_t i = 0; i < r.customers.size(); ++i) {
        const auto& c = r.customers[i];
        out << (i ? ",\n" : "\n") << "    {\"rank\": " << i + 1 << ", \"account\": " << json_string(c.account)
            << ", \"prior\": \"" << cents(rules, c.prior) << "\", \"current\": \"" << cents(rules, c.current)
            << "\", \"change\": \"" << cents(rules, c.change()) << "\"}";
    }
    out << "\n  ]\n}\n";
}

void write_variance_text(std::ostream& out, const RuleSet& rules, const VarianceReport& r) {
    const Decimal change = r.current_total - r.prior_total;
    const CompiledVariance& by = *r.default_rule;
    std::string keys;
    for (size_t i = 0; i < by.keys.size(); ++i) keys += (i ? " and " : "") + std::string(variance_names()[by.keys[i]].name);
    out << "Variance report\n===============\n";
    out << fmt::format("current month: {}  ({} lines, {})\n", r.current_path, r.current_lines,
                       money(rules, r.current_total));
    out << fmt::format("prior month:   {}  ({} lines, {})\n", r.prior_path, r.prior_lines, money(rules, r.prior_total));
    out << fmt::format("rule set:      {} (hash {})\n", rules.config.name, rules.content_hash.substr(0, 12));
    out << fmt::format("grouped by:    {}  (variance \"{}\", {})\n", keys, by.name, location(&by));
    for (const auto& v : rules.variances)
        if (!v.is_default()) out << fmt::format("override:      variance \"{}\" ({})\n", v.name, location(&v));
    out << "\nChange in charges\n-----------------\n";
    auto row = [&](std::string_view label, const Decimal& d) {
        out << fmt::format("  {:<24}{:>18}\n", label, signed_money(rules, d));
    };
    row("volume effect", r.total.volume_effect);
    row("rate effect", r.total.rate_effect);
    row("new lines", r.total.new_lines);
    row("dropped lines", -r.total.dropped_lines);
    out << fmt::format("  {:<24}{:>18}\n", "", "------------");
    row("total change", r.total.total());
    bool reconciles = r.total.total() == change;
    out << fmt::format("  {} -> {} is {}  [{}]\n", money(rules, r.prior_total), money(rules, r.current_total),
                       signed_money(rules, change), reconciles ? "reconciles" : "DOES NOT RECONCILE");

    std::vector<const GroupVariance*> flagged;
    for (const auto& g : r.groups)
        if (g.flagged) flagged.push_back(&g);
    std::stable_sort(flagged.begin(), flagged.end(), [](const GroupVariance* a, const GroupVariance* b) {
        return a->change().abs() > b->change().abs();
    });
    std::string heading = fmt::format("Flagged for explanation: {} of {} groups", flagged.size(), r.groups.size());
    out << "\n" << heading << "\n" << std::string(heading.size(), '-') << "\n";
    for (size_t i = 0; i < flagged.size(); ++i) {
        const GroupVariance& g = *flagged[i];
        out << fmt::format("{:>3}. {}  [{}]\n", i + 1, key_text(g), status(g));
        std::string pct = g.prior.charge.is_zero() ? "" : fmt::format(", {}{}", g.change().sign() >= 0 ? "+" : "-",
                                                                      pct_text(percent_change(g.prior.charge, g.current.charge)));
        out << fmt::format("     {} -> {}  ({}{})  by variance \"{}\"\n", money(rules, g.prior.charge),
                           money(rules, g.current.charge), signed_money(rules, g.change()), pct, g.rule->name);
        out << fmt::format("     volume effect {}, rate effect {}, new lines {}, dropped lines {}\n",
                           signed_money(rules, g.parts.volume_effect), signed_money(rules, g.parts.rate_effect),
                           signed_money(rules, g.parts.new_lines), signed_money(rules, -g.parts.dropped_lines));
        out << "     " << explain_group(rules, g) << "\n";
    }
    out << "\nCustomers by size of change\n---------------------------\n";
    out << fmt::format("{:>4}  {:<20}{:>18}{:>18}{:>18}\n", "rank", "account", "prior", "current", "change");
    for (size_t i = 0; i < r.customers.size(); ++i) {
        const auto& c = r.customers[i];
        out << fmt::format("{:>4}  {:<20}{:>18}{:>18}{:>18}\n", i + 1, c.account, money(rules, c.prior),
                           money(rules, c.current), signed_money(rules, c.change()));
    }
}

}  // namespace ratebook
