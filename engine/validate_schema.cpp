// Schema checks: the columns a feed must have, values of the right type, nulls where FOCUS
// forbids them, one billing currency (the rule set's), and every row's billing period equal to
// the month billed (the month of the first row that states one).
#include <date/date.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "engine/short_text.hpp"
#include "engine/validate_checks.hpp"

namespace ratebook::validation {
namespace {

using S = FindingSeverity;

// Columns every feed must have: what billing, the charge lines and these checks read.
const char* const required_columns[] = {"BilledCost",        "BillingCurrency", "BillingPeriodStart",
                                        "BillingPeriodEnd",  "ChargeCategory",  "ChargePeriodStart",
                                        "ChargePeriodEnd",   "ProviderName",    "ServiceName",
                                        "SkuId"};
const char* const number_columns[] = {"BilledCost",      "EffectiveCost",    "ListCost",      "ContractedCost",
                                      "PricingQuantity", "ConsumedQuantity", "ListUnitPrice", "ContractedUnitPrice"};
const char* const timestamp_columns[] = {"ChargePeriodStart", "ChargePeriodEnd", "BillingPeriodStart",
                                         "BillingPeriodEnd"};
// FOCUS 1.0 says these may not be null.
const char* const not_null_columns[] = {"BilledCost",        "BillingAccountId", "BillingCurrency",
                                        "BillingPeriodStart", "BillingPeriodEnd", "ChargeCategory",
                                        "ChargeFrequency",   "ChargePeriodStart", "ChargePeriodEnd",
                                        "ContractedCost",    "EffectiveCost",    "ListCost",
                                        "InvoiceIssuerName", "ProviderName",     "PublisherName",
                                        "ServiceCategory",   "ServiceName"};

}  // namespace

Month month_of(int32_t day) {
    date::year_month_day ymd{date::sys_days{date::days{day}}};
    date::year_month ym{ymd.year(), ymd.month()};
    date::year_month next = ym + date::months{1};
    Month m;
    m.first = date::sys_days{ym / 1}.time_since_epoch().count();
    m.end = date::sys_days{next / 1}.time_since_epoch().count();
    return m;
}

std::string show_day(int32_t days) {
    date::year_month_day ymd{date::sys_days{date::days{days}}};
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                       static_cast<unsigned>(ymd.day()));
}

std::string show_time(const Timestamp& t) {
    return fmt::format("{} {:02}:{:02}:{:02}", show_day(t.days), t.seconds / 3600, t.seconds / 60 % 60, t.seconds % 60);
}

std::vector<std::string> missing_columns(const RuleSet& rules, const std::vector<std::string>& header) {
    auto has = [&](std::string_view name) { return std::find(header.begin(), header.end(), name) != header.end(); };
    std::vector<std::string> missing;
    for (const char* c : required_columns)
        if (!has(c)) missing.emplace_back(c);
    for (const auto& slot : rules.slots)
        if (!has(slot.name) && std::find(missing.begin(), missing.end(), slot.name) == missing.end())
            missing.emplace_back(slot.name);
    return missing;
}

void SchemaChecks::begin_file(const std::vector<std::string>& header) {
    auto index = [&](std::string_view name) {
        for (size_t i = 0; i < header.size(); ++i)
            if (header[i] == name) return static_cast<int>(i);
        return -1;
    };
    numbers_.clear();
    timestamps_.clear();
    required_.clear();
    for (const char* c : number_columns)
        if (int i = index(c); i >= 0) numbers_.emplace_back(i, c);
    for (const char* c : timestamp_columns)
        if (int i = index(c); i >= 0) timestamps_.emplace_back(i, c);
    last_time_text_.assign(timestamps_.size(), {});
    last_time_.assign(timestamps_.size(), {});
    for (const char* c : not_null_columns)
        if (int i = index(c); i >= 0) required_.emplace_back(i, c);
    number_columns_.clear();
    for (const auto& n : numbers_) number_columns_.push_back(n.first);
    required_columns_.clear();
    for (const auto& r : required_) required_columns_.push_back(r.first);
}

bool SchemaChecks::record(const CsvRecord& rec, uint32_t file, const Columns& cols, ParsedFields& numbers, Row& row) {
    row.rec = &rec;
    row.fields = &numbers;
    row.file = file;
    if (!rec.error.empty()) {
        sink_.add("malformed-row", S::error, rec.line, rec.error);
        return false;
    }
    const auto& f = rec.fields;
    bool some_null = false;
    for (int col : required_columns_) some_null |= is_null(f[col]);
    if (some_null) [[unlikely]]
        null_values(rec);
    // Each value is parsed once: the checks below and the Row read these.
    bool ok = true;
    if (times_by_column_.size() < f.size()) {
        times_by_column_.resize(f.size());
        signs_by_column_.resize(f.size());
    }
    for (size_t k = 0; k < number_columns_.size(); ++k) {
        const int col = number_columns_[k];
        const std::string_view v = f[col];
        int8_t sign = no_sign;
        if (!is_null(v)) {
            // A column rating has parsed for this record is known; the others are checked by
            // their form first (a third of the cost of parsing), and parsed only when it is unusual.
            const std::optional<Decimal>* known = numbers.parsed(col);
            int s = 0;
            if (known && known->has_value()) sign = static_cast<int8_t>((*known)->sign());
            else if (!known && plain_number_sign(v, s)) sign = static_cast<int8_t>(s);
            else if (!unusual_number(rec, k, numbers, sign)) ok = false;
        }
        signs_by_column_[col] = sign;
    }
    for (size_t t = 0; t < timestamps_.size(); ++t) {
        const auto& [col, name] = timestamps_[t];
        auto& v = times_by_column_[col];
        // Rows of a day share their periods: a value equal to the last one read is not re-parsed.
        if (!f[col].empty() && same_text(f[col], last_time_text_[t])) {
            v = last_time_[t];
            continue;
        }
        v.reset();
        if (is_null(f[col])) continue;
        if (!new_timestamp(rec, t)) ok = false;
    }
    auto text = [&](int c) { return c >= 0 && !is_null(f[c]) ? f[c] : std::string_view(); };
    // Every column the Row reads is among numbers_ / timestamps_ (parsed above) when present.
    auto number = [&](int c) -> std::optional<Decimal> {
        if (c < 0 || is_null(f[c])) return std::nullopt;
        return numbers.number(c, f[c]);
    };
    auto time = [&](int c) { return c >= 0 ? times_by_column_[c] : MaybeTime{}; };
    // A quantity's sign needs no Decimal (the number loop above found it).
    auto quantity = [&](int c) -> Quantity {
        if (c < 0 || signs_by_column_[c] == no_sign) return {};
        return Quantity{true, signs_by_column_[c], f[c]};
    };
    row.billed = number(cols.billed).value_or(Decimal());
    row.pricing_qty = quantity(cols.pricing_qty);
    row.consumed_qty = quantity(cols.consumed_qty);
    row.charge_start = time(cols.charge_start);
    row.charge_end = time(cols.charge_end);
    row.billing_start = time(cols.billing_start);
    row.billing_end = time(cols.billing_end);
    row.provider = text(cols.provider);
    row.service = text(cols.service);
    row.category = text(cols.category);
    row.currency = text(cols.currency);
    row.account = text(cols.sub_account);
    if (row.account.empty()) row.account = text(cols.billing_account);
    row.resource = text(cols.resource);
    row.sku = text(cols.sku);
    row.tags = cols.tags >= 0 ? f[cols.tags] : std::string_view();
    row.malformed = false;

    if (!row.currency.empty() && !same_text(row.currency, sink_.rules().config.currency)) [[unlikely]]
        other_currency(row);
    if (row.billing_start && month_.known()) {  // (known whenever a row states a billing period)
        bool start_ok = row.billing_start->days == month_.first && row.billing_start->seconds == 0;
        bool end_ok = !row.billing_end || (row.billing_end->days == month_.end && row.billing_end->seconds == 0);
        if (!start_ok || !end_ok) [[unlikely]]
            billing_period(row);
    }
    return ok;
}

// What record() does past the usual row, out of its way (as RowChecks, validate_rows.cpp).
void SchemaChecks::null_values(const CsvRecord& rec) {
    for (const auto& [col, name] : required_)
        if (is_null(rec.fields[col])) sink_.add("null-value", S::warning, rec.line, fmt::format("{} is null", name));
}

// A number column's value that rating did not parse and that is not a plain decimal (or that
// rating found unreadable): parsed, or reported.
bool SchemaChecks::unusual_number(const CsvRecord& rec, size_t k, ParsedFields& numbers, int8_t& sign) {
    const auto& [col, name] = numbers_[k];
    const std::optional<Decimal>* known = numbers.parsed(col);
    const std::optional<Decimal>& d = known ? *known : numbers.number(col, rec.fields[col]);
    if (d) {
        sign = static_cast<int8_t>(d->sign());
        return true;
    }
    not_a_number(rec, col, name);
    return false;
}

void SchemaChecks::not_a_number(const CsvRecord& rec, int col, std::string_view name) {
    (void)parse_number(rec.fields[col], &why_);
    sink_.add("invalid-value", S::error, rec.line,
              fmt::format("{} is not a number: \"{}\" ({})", name, rec.fields[col], why_));
}

// A timestamp unlike the last row's in its column: parsed (and remembered), or a finding.
bool SchemaChecks::new_timestamp(const CsvRecord& rec, size_t t) {
    const auto& [col, name] = timestamps_[t];
    std::string_view text = rec.fields[col];
    auto& v = times_by_column_[col];
    if ((v = parse_timestamp(text, &why_))) {
        last_time_text_[t].assign(text);
        last_time_[t] = v;
        return true;
    }
    sink_.add("invalid-value", S::error, rec.line, fmt::format("{} is not a timestamp: \"{}\" ({})", name, text, why_));
    return false;
}

void SchemaChecks::other_currency(const Row& row) {
    auto& seen = sink_.part().currencies;
    auto it = std::find_if(seen.begin(), seen.end(), [&](const ChunkPart::Currency& c) { return c.code == row.currency; });
    if (it == seen.end()) {
        seen.push_back(ChunkPart::Currency{std::string(row.currency), 0, row.rec->line, {}});
        it = seen.end() - 1;
    }
    ++it->rows;
    it->cost += row.billed;
}

void SchemaChecks::billing_period(const Row& row) {
    sink_.add("billing-period", S::error, row.rec->line,
              fmt::format("billing period {} to {} is not the month billed ({} to {})", show_time(*row.billing_start),
                          row.billing_end ? show_time(*row.billing_end) : std::string("(none)"),
                          show_day(month_.first), show_day(month_.end)),
              row.billed);
}

}  // namespace ratebook::validation
