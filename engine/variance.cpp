#include "engine/variance.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "interpreter/vm.hpp"

namespace ratebook {

VarianceInputError::VarianceInputError(std::string code_, std::string where_, std::string message_, std::string help_)
    : FeedError(fmt::format("{}: error[{}]: {}{}", where_, code_, message_, help_.empty() ? "" : "\n   = help: " + help_)),
      code(std::move(code_)), where(std::move(where_)), message(std::move(message_)), help(std::move(help_)) {}

MonthCharges read_charges(const std::string& path) {
    static const std::array<const char*, variance_key_count + 2> wanted = {
        "account", "ru", "service", "product", "component", "unit", "volume", "charge"};
    std::unique_ptr<CsvReader> opened;
    try {
        opened = std::make_unique<CsvReader>(path);
    } catch (const FeedError& e) {
        // The reader speaks of usage feeds; say which file this is.
        std::string why = e.what();
        if (auto at = why.find(": "); why.rfind("cannot open", 0) == 0 && at != std::string::npos) why = why.substr(at + 2);
        throw VarianceInputError("E0444", path, fmt::format("cannot read this charges file: {}", why),
                                 "pass the charges.csv that `ratebook rate` wrote for each month");
    }
    CsvReader& reader = *opened;
    std::array<size_t, wanted.size()> at{};
    for (size_t i = 0; i < wanted.size(); ++i) {
        const auto& h = reader.header();
        auto it = std::find(h.begin(), h.end(), wanted[i]);
        if (it == h.end())
            throw VarianceInputError("E0440", path + ":1", fmt::format("the header has no `{}` column", wanted[i]),
                                     "compare the charges.csv files written by `ratebook rate` (columns account, "
                                     "ru, service, product, component, unit, volume, charge, ...)");
        at[i] = static_cast<size_t>(it - h.begin());
    }
    MonthCharges month;
    month.path = path;
    CsvRecord rec;
    while (reader.next(rec)) {
        std::string where = fmt::format("{}:{}", path, rec.line);
        if (!rec.error.empty())
            throw VarianceInputError("E0442", where, rec.error,
                                     "the file must be a charges.csv as `ratebook rate` writes it; re-run the rating");
        BilledLine line;
        line.line = rec.line;
        for (size_t i = 0; i < variance_key_count; ++i) line.keys[i] = std::string(rec.fields[at[i]]);
        auto number = [&](size_t i, Decimal& out) {
            std::string why;
            auto d = Decimal::parse(rec.fields[at[i]], &why);
            if (!d)
                throw VarianceInputError("E0441", where,
                                         fmt::format("`{}` is `{}`: {}", wanted[i], rec.fields[at[i]], why),
                                         fmt::format("write the {} as a plain decimal number, e.g. 1250.00", wanted[i]));
            out = *d;
        };
        number(variance_key_count, line.volume);
        number(variance_key_count + 1, line.charge);
        month.lines.push_back(std::move(line));
    }
    return month;
}

Decomposition& Decomposition::operator+=(const Decomposition& o) {
    volume_effect += o.volume_effect;
    rate_effect += o.rate_effect;
    new_lines += o.new_lines;
    dropped_lines += o.dropped_lines;
    return *this;
}

Decomposition decompose_line(const std::optional<Amounts>& prior, const std::optional<Amounts>& current,
                             int places, RoundingMode mode) {
    Decomposition d;
    const Decimal zero = Decimal().rounded(places, mode);  // 0.00: every part prints in cents
    d.volume_effect = d.rate_effect = d.new_lines = d.dropped_lines = zero;
    if (!prior && !current) return d;
    if (!prior) {
        d.new_lines = current->charge;
        return d;
    }
    if (!current) {
        d.dropped_lines = prior->charge;
        return d;
    }
    Decimal change = current->charge - prior->charge;
    if (!prior->volume.is_zero()) {
        // (AQ - BQ) x BA / BQ: one division, after the exact product, then one rounding to the cent.
        d.volume_effect = ((current->volume - prior->volume) * prior->charge / prior->volume).rounded(places, mode);
    }
    d.rate_effect = change - d.volume_effect;
    return d;
}

Decimal percent_change(const Decimal& base, const Decimal& now) {
    Decimal change = now - base;
    if (base.is_zero()) return Decimal::from_int(change.sign());
    return change / base.abs();
}

namespace {

using LineKey = std::array<std::string, variance_key_count>;

struct LinePair {
    std::optional<Amounts> prior, current;
};

// Lines with the same key in one file (two runs' charges concatenated, say) are summed: every
// line counts, none is dropped.
void add_month(std::map<LineKey, LinePair>& lines, const MonthCharges& month, bool is_current) {
    for (const BilledLine& l : month.lines) {
        auto& slot = is_current ? lines[l.keys].current : lines[l.keys].prior;
        if (!slot) slot = Amounts{};
        slot->volume += l.volume;
        slot->charge += l.charge;
    }
}

std::string group_label(const CompiledVariance& rule, const GroupVariance& g) {
    std::string out;
    for (size_t i = 0; i < rule.keys.size(); ++i)
        out += fmt::format("{}{}={}", i ? ", " : "", variance_names()[rule.keys[i]].name, g.key_values[i]);
    return out;
}

class RuleRunner {
public:
    explicit RuleRunner(const RuleSet& rules) : rules_(rules), vm_(rules) {
        values_.resize(variance_names().size());
        missing_.assign(variance_names().size(), 0);
    }

    // Picks the group's rule (the first override, in source order, whose `for` holds; else the
    // default) and runs its `flag`.
    void decide(const CompiledVariance& by_rule, GroupVariance& g) {
        for (size_t i = 0; i < variance_key_count; ++i) values_[i] = Value::of_text("");
        for (size_t i = 0; i < by_rule.keys.size(); ++i) values_[by_rule.keys[i]] = Value::of_text(g.key_values[i]);
        set(VarianceMeasure::current_charge, Value::of(g.current.charge));
        set(VarianceMeasure::prior_charge, Value::of(g.prior.charge));
        set(VarianceMeasure::charge_change, Value::of(g.change()));
        set(VarianceMeasure::charge_change_pct, Value::of(percent_change(g.prior.charge, g.current.charge)));
        set(VarianceMeasure::current_volume, Value::of(g.current.volume));
        set(VarianceMeasure::prior_volume, Value::of(g.prior.volume));
        set(VarianceMeasure::volume_change, Value::of(g.current.volume - g.prior.volume));
        set(VarianceMeasure::volume_change_pct, Value::of(percent_change(g.prior.volume, g.current.volume)));
        set(VarianceMeasure::is_new, Value::of_bool(g.is_new()));
        set(VarianceMeasure::is_dropped, Value::of_bool(g.is_dropped()));
        g.rule = &by_rule;
        for (const auto& v : rules_.variances)
            if (!v.is_default() && run(v, v.selects, by_rule, g)) {
                g.rule = &v;
                break;
            }
        g.flagged = run(*g.rule, g.rule->flag, by_rule, g);
    }

private:
    void set(VarianceMeasure m, const Value& v) { values_[static_cast<size_t>(m)] = v; }

    bool run(const CompiledVariance& rule, const Chunk& chunk, const CompiledVariance& by_rule, const GroupVariance& g) {
        Record record;
        record.columns = values_.data();
        record.missing = missing_.data();
        Value out;
        VmError err;
        vm_.release_texts();  // a condition's result is true/false: no joined text outlives the run
        if (!vm_.run(chunk, record, out, err))
            throw VarianceInputError("E0443", err.span.valid() ? err.span.where() : rule.name_span.where(),
                                     fmt::format("variance \"{}\" fails on the group {}: {}", rule.name,
                                                 group_label(by_rule, g), err.message),
                                     "guard the condition, e.g. test prior_volume > 0 before dividing by it");
        return out.flag;
    }

    const RuleSet& rules_;
    Vm vm_;
    std::vector<Value> values_;
    std::vector<uint8_t> missing_;
};

}  // namespace

VarianceReport compare_months(const RuleSet& rules, const MonthCharges& prior, const MonthCharges& current) {
    VarianceReport r;
    for (const auto& v : rules.variances)
        if (v.is_default()) r.default_rule = &v;
    if (!r.default_rule)
        throw VarianceInputError("E0360", rules.dir.empty() ? "the rule set" : rules.dir,
                                 rules.variances.empty() ? "the rule set has no variance rule"
                                                         : "the rule set's variance rules are all overrides (`for`)",
                                 "add a rule such as: variance \"Month-over-month\" { by account and ru  "
                                 "flag abs(charge_change) >= $500 }");
    const CompiledVariance& by_rule = *r.default_rule;
    r.prior_path = prior.path;
    r.current_path = current.path;
    r.prior_lines = prior.lines.size();
    r.current_lines = current.lines.size();

    std::map<LineKey, LinePair> lines;
    add_month(lines, prior, false);
    add_month(lines, current, true);
    r.lines_compared = lines.size();

    std::map<std::vector<std::string>, GroupVariance> groups;
    std::map<std::string, CustomerChange> customers;
    const int places = rules.config.rounding_places;
    for (const auto& [key, pair] : lines) {
        std::vector<std::string> values;
        for (size_t k : by_rule.keys) values.push_back(key[k]);
        GroupVariance& g = groups[values];
        g.key_values = values;
        Decomposition d = decompose_line(pair.prior, pair.current, places, rules.config.rounding);
        g.parts += d;
        r.total += d;
        const std::string& unit = key[variance_key_count - 1];
        if (std::find(g.units.begin(), g.units.end(), unit) == g.units.end()) g.units.push_back(unit);
        CustomerChange& c = customers[key[0]];
        c.account = key[0];
        if (pair.prior) {
            g.prior.volume += pair.prior->volume;
            g.prior.charge += pair.prior->charge;
            ++g.prior_lines;
            c.prior += pair.prior->charge;
            r.prior_total += pair.prior->charge;
        }
        if (pair.current) {
            g.current.volume += pair.current->volume;
            g.current.charge += pair.current->charge;
            ++g.current_lines;
            c.current += pair.current->charge;
            r.current_total += pair.current->charge;
        }
    }
    RuleRunner runner(rules);
    for (auto& [values, g] : groups) {
        std::sort(g.units.begin(), g.units.end());
        runner.decide(by_rule, g);
        if (g.flagged) ++r.flagged;
        r.groups.push_back(std::move(g));
    }
    for (auto& [account, c] : customers) r.customers.push_back(std::move(c));
    std::stable_sort(r.customers.begin(), r.customers.end(), [](const CustomerChange& a, const CustomerChange& b) {
        return a.change().abs() > b.change().abs();  // the map gave account order: ties stay so
    });
    return r;
}

}  // namespace ratebook
