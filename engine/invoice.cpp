#include "engine/invoice.hpp"

#include <fmt/format.h>

#include <map>

#include "engine/outputs.hpp"
#include "grammar/diagnostic.hpp"

namespace ratebook {
namespace {

const std::vector<std::pair<std::string, InvoiceKey>> key_names = {
    {"account", InvoiceKey::account}, {"ru", InvoiceKey::ru},           {"service", InvoiceKey::service},
    {"product", InvoiceKey::product}, {"component", InvoiceKey::component}};

const std::string& field(const ChargeLine& l, InvoiceKey k) {
    switch (k) {
        case InvoiceKey::account: return l.account;
        case InvoiceKey::ru: return l.ru;
        case InvoiceKey::service: return l.service;
        case InvoiceKey::product: return l.product;
        case InvoiceKey::component: return l.component;
    }
    return l.account;
}

struct Total {
    uint64_t records = 0;
    Decimal volume, charge;
};

}  // namespace

bool parse_invoice_keys(const std::string& spec, std::vector<InvoiceKey>& out, std::string& error) {
    out.clear();
    std::vector<std::string> names;
    for (const auto& [name, key] : key_names) names.push_back(name);
    size_t start = 0;
    while (start <= spec.size()) {
        size_t comma = spec.find(',', start);
        std::string word = spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        auto it = std::find_if(key_names.begin(), key_names.end(), [&](const auto& p) { return p.first == word; });
        if (it == key_names.end()) {
            std::string guess = closest_name(word, names);
            error = fmt::format("`{}` is not an invoice column; use account, ru, service, product or component{}",
                                word, guess.empty() ? "" : fmt::format(" (did you mean `{}`?)", guess));
            return false;
        }
        if (std::find(out.begin(), out.end(), it->second) != out.end()) {
            error = fmt::format("`{}` is given twice", word);
            return false;
        }
        out.push_back(it->second);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return true;
}

void write_invoice_csv(std::ostream& out, const RuleSet& rules, const RateRun& run,
                       const std::vector<InvoiceKey>& keys) {
    std::map<std::vector<std::string>, Total> lines;  // ordered by the key columns, then unit
    for (const ChargeLine& l : run.lines) {
        std::vector<std::string> key;
        for (InvoiceKey k : keys) key.push_back(field(l, k));
        key.push_back(l.unit);
        Total& t = lines[key];
        t.records += l.records;
        t.volume += l.volume;
        t.charge += billed_charge(rules, l);
    }
    for (InvoiceKey k : keys)
        for (const auto& [name, key] : key_names)
            if (key == k) out << name << ',';
    out << "unit,volume,records,charge\n";
    for (const auto& [key, t] : lines) {
        for (const std::string& v : key) out << csv_field(v) << ',';
        out << t.volume.to_plain_string() << ',' << t.records << ',' << t.charge.to_string() << '\n';
    }
}

}  // namespace ratebook
