// The validation pass: one reader per feed, every record handed to each family of checks in
// turn (see validate.hpp). A record is parsed once (SchemaChecks fills the Row the others read),
// and the checks keep only what a month needs (days, totals, duplicate hashes), not the rows.
#include "engine/validate.hpp"

#include <cstring>

#include "engine/normalise.hpp"
#include "engine/validate_checks.hpp"

namespace ratebook {

std::string_view severity_name(FindingSeverity s) {
    switch (s) {
        case FindingSeverity::error: return "error";
        case FindingSeverity::warning: return "warning";
        default: return "info";
    }
}

size_t Validation::count(FindingSeverity s) const {
    size_t n = 0;
    for (const auto& f : findings) n += f.severity == s;
    return n;
}

int Validation::exit_status() const {
    if (count(FindingSeverity::error)) return 2;
    if (count(FindingSeverity::warning)) return 1;
    return 0;
}

std::vector<std::string> error_checks(const Validation& v) {
    std::vector<std::string> ids;
    for (const auto& f : v.findings)
        if (f.severity == FindingSeverity::error && std::find(ids.begin(), ids.end(), f.check) == ids.end())
            ids.push_back(f.check);
    std::sort(ids.begin(), ids.end());
    return ids;
}

namespace validation {

uint64_t hash_text(std::string_view s, uint64_t h) {
    constexpr uint64_t k = 0x9E3779B97F4A7C15ull;
    const char* p = s.data();
    size_t n = s.size();
    while (n >= 8) {
        uint64_t w;
        std::memcpy(&w, p, 8);
        h = (h ^ w) * k;
        h ^= h >> 29;
        p += 8;
        n -= 8;
    }
    uint64_t w = 0;
    if (n) std::memcpy(&w, p, n);
    h = (h ^ w ^ (static_cast<uint64_t>(s.size()) << 56)) * k;
    return h ^ (h >> 31);
}

Columns::Columns(const std::vector<std::string>& header) {
    auto at = [&](std::string_view name) {
        for (size_t i = 0; i < header.size(); ++i)
            if (header[i] == name) return static_cast<int>(i);
        return -1;
    };
    billed = at("BilledCost");
    pricing_qty = at("PricingQuantity");
    consumed_qty = at("ConsumedQuantity");
    pricing_unit = at("PricingUnit");
    consumed_unit = at("ConsumedUnit");
    charge_start = at("ChargePeriodStart");
    charge_end = at("ChargePeriodEnd");
    billing_start = at("BillingPeriodStart");
    billing_end = at("BillingPeriodEnd");
    provider = at("ProviderName");
    service = at("ServiceName");
    category = at("ChargeCategory");
    currency = at("BillingCurrency");
    billing_account = at("BillingAccountId");
    sub_account = at("SubAccountId");
    resource = at("ResourceId");
    sku = at("SkuId");
    tags = at("Tags");
}

void Sink::add(std::string_view check, FindingSeverity s, uint32_t file, uint64_t line, std::string message,
               const Decimal& amount) {
    if (!on(check)) return;
    v_.findings.push_back(Finding{std::string(check), s, files_[file], line, std::move(message), amount});
}

void Sink::add_month(std::string_view check, FindingSeverity s, std::string message, const Decimal& amount) {
    if (!on(check)) return;
    v_.findings.push_back(Finding{std::string(check), s, {}, 0, std::move(message), amount});
}

}  // namespace validation

Validation validate_feeds(const RuleSet& rules, const std::vector<std::string>& usage,
                          const ValidateOptions& options) {
    using namespace validation;
    Validation v;
    Sink sink(rules, v, usage);
    SchemaChecks schema(sink);
    RowChecks rows(sink);
    FeedChecks feed(sink, options);
    RuleChecks custom(sink);
    feed.read_prior(options.prior);
    CsvRecord rec;
    Row row;
    for (uint32_t f = 0; f < usage.size(); ++f) {
        CsvReader reader(usage[f]);
        const auto& header = reader.header();
        Normaliser normaliser(rules, header);
        // Missing columns are reported; every check still runs with the columns there are.
        schema.begin_file(f, header);
        Columns cols(header);
        rows.begin_file(f, header);
        feed.begin_file(f, header);
        custom.begin_file(f, header, usage[f]);
        while (reader.next(rec)) {
            ++v.rows;
            if (rec.error.empty()) normaliser.apply(rec, v.normalised);
            if (!schema.record(rec, f, cols, row)) continue;
            rows.record(row);
            feed.record(row, schema.month());
            custom.record(row);
        }
        bool copy = feed.end_file(f);
        rows.end_file(copy);
    }
    schema.finish();
    feed.finish(schema.month());
    return v;
}

}  // namespace ratebook
