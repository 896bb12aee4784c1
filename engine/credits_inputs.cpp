// Reading the inputs of `ratebook credits`: charges.csv, the SLA metrics file and the claims
// file. They are small (a month's charge lines, a few measurements and claims), so each is also
// kept as text: a bad row is shown with its line, as a rule file's error is.
#include <date/date.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <fstream>
#include <set>
#include <sstream>

#include "engine/credits.hpp"
#include "engine/csv_reader.hpp"

namespace ratebook {
namespace {

constexpr size_t max_input_bytes = 256u << 20;

class InputFile {
public:
    explicit InputFile(std::string path) : path_(std::move(path)) {
        std::ifstream in(path_, std::ios::binary);
        if (!in) fail_whole(fmt::format("cannot read {}", path_), "check the path");
        std::ostringstream ss;
        ss << in.rdbuf();
        if (ss.str().size() > max_input_bytes)
            fail_whole(fmt::format("{} is larger than 256 MiB", path_), "a month's charge lines, metrics and claims are small; is this the usage feed?");
        source_ = make_source(path_, ss.str());
        try {
            reader_ = std::make_unique<CsvReader>(path_);
        } catch (const FeedError& e) {
            fail_whole(e.what(), "the file must be CSV with a header line");
        }
    }

    // The index of the first of `names` in the header; throws when none is there.
    size_t column(std::initializer_list<std::string_view> names, std::string_view what) const {
        if (auto c = optional_column(names)) return *c;
        std::vector<std::string> list(names.begin(), names.end());
        fail(1, "E0450", fmt::format("{} has no {} column", path_, what),
             fmt::format("name the column {} in the header line", fmt::join(list, " or ")));
    }
    std::optional<size_t> optional_column(std::initializer_list<std::string_view> names) const {
        const auto& h = reader_->header();
        for (std::string_view n : names)
            for (size_t i = 0; i < h.size(); ++i)
                if (h[i] == n) return i;
        return std::nullopt;
    }
    bool next(CsvRecord& rec) {
        if (!reader_->next(rec)) return false;
        if (!rec.error.empty())
            fail(rec.line, "E0450", fmt::format("line {} of {} cannot be read: {}", rec.line, path_, rec.error),
                 "every row has as many values as the header; quote values that hold commas");
        return true;
    }
    [[noreturn]] void fail(uint64_t line, std::string code, std::string message, std::string help) const {
        Span span{source_, static_cast<uint32_t>(line), 1, static_cast<uint32_t>(source_->line_text(static_cast<uint32_t>(line)).size())};
        throw CreditsInputError{Diagnostic{Severity::error, std::move(code), std::move(message), span, std::move(help), {}}};
    }
    [[noreturn]] void fail_whole(std::string message, std::string help) const {
        throw CreditsInputError{Diagnostic{Severity::error, "E0450", std::move(message), {}, std::move(help), {}}};
    }
    const std::string& path() const { return path_; }

private:
    std::string path_;
    std::shared_ptr<const SourceFile> source_;
    std::unique_ptr<CsvReader> reader_;
};

bool valid_month(std::string_view m) {
    if (m.size() != 7 || m[4] != '-') return false;
    for (size_t i : {0, 1, 2, 3, 5, 6})
        if (m[i] < '0' || m[i] > '9') return false;
    int month = (m[5] - '0') * 10 + (m[6] - '0');
    return month >= 1 && month <= 12;
}

// "99.95%" or "99.95" -> 0.9995; nullopt when not a percentage from 0 to 100.
std::optional<Decimal> parse_level(std::string_view text) {
    if (!text.empty() && text.back() == '%') text.remove_suffix(1);
    auto d = Decimal::parse(text);
    if (!d || d->sign() < 0 || *d > Decimal::from_int(100)) return std::nullopt;
    return *d / Decimal::from_int(100);
}

std::optional<int32_t> parse_date(std::string_view t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    for (size_t i = 0; i < 10; ++i)
        if (i != 4 && i != 7 && (t[i] < '0' || t[i] > '9')) return std::nullopt;
    int y = std::stoi(std::string(t.substr(0, 4)));
    unsigned m = std::stoul(std::string(t.substr(5, 2))), d = std::stoul(std::string(t.substr(8, 2)));
    date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
    if (!ymd.ok()) return std::nullopt;
    return date::sys_days{ymd}.time_since_epoch().count();
}

int days_in_month(std::string_view month) {
    date::year_month ym{date::year{std::stoi(std::string(month.substr(0, 4)))},
                        date::month{static_cast<unsigned>(std::stoi(std::string(month.substr(5, 2))))}};
    return static_cast<int>(static_cast<unsigned>(date::year_month_day_last{ym.year(), date::month_day_last{ym.month()}}.day()));
}

std::vector<CreditBaseLine> read_charges(const std::string& path) {
    InputFile f(path);
    const auto& names = sla_charge_fields();
    std::vector<std::optional<size_t>> cols;
    for (const auto& n : names) cols.push_back(f.optional_column({n}));
    if (!cols[0]) f.column({"account"}, "account");
    if (!cols[3]) f.column({"service"}, "service");
    size_t charge_col = f.column({"charge"}, "charge");
    std::vector<CreditBaseLine> out;
    CsvRecord rec;
    while (f.next(rec)) {
        CreditBaseLine c;
        c.line = rec.line;
        for (const auto& col : cols) c.fields.emplace_back(col ? std::string(rec.fields[*col]) : std::string());
        auto d = Decimal::parse(rec.fields[charge_col]);
        if (!d)
            f.fail(rec.line, "E0451", fmt::format("`{}` is not an amount (line {} of {}, column charge)", rec.fields[charge_col], rec.line, path),
                   "charges.csv is written by `ratebook rate`; amounts are plain decimals such as 165.07");
        c.charge = *d;
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<Measurement> read_metrics(const std::string& path) {
    InputFile f(path);
    size_t provider = f.column({"provider", "service_provider"}, "provider (or service_provider)");
    size_t service = f.column({"service"}, "service");
    size_t month = f.column({"month"}, "month");
    size_t metric = f.column({"metric"}, "metric");
    size_t value = f.column({"value", "measured_value", "measured"}, "measured value (value)");
    auto evidence = f.optional_column({"evidence", "evidence_ref", "evidence_reference"});
    std::vector<Measurement> out;
    CsvRecord rec;
    while (f.next(rec)) {
        Measurement m;
        m.line = rec.line;
        m.provider = rec.fields[provider];
        m.service = rec.fields[service];
        m.month = rec.fields[month];
        m.metric = rec.fields[metric];
        m.value_text = rec.fields[value];
        if (evidence) m.evidence = rec.fields[*evidence];
        if (!valid_month(m.month))
            f.fail(rec.line, "E0451", fmt::format("`{}` is not a month (line {} of {})", m.month, rec.line, path),
                   "write months as year-month, as in 2026-10");
        auto level = parse_level(m.value_text);
        if (!level)
            f.fail(rec.line, "E0451",
                   fmt::format("`{}` is not a measured level (line {} of {})", m.value_text, rec.line, path),
                   "write the level as a percentage from 0 to 100, as in 99.95% or 99.95");
        m.level = *level;
        out.push_back(std::move(m));
    }
    return out;
}

std::vector<Claim> read_claims(const std::string& path) {
    InputFile f(path);
    size_t id = f.column({"claim_id", "claim"}, "claim id (claim_id)");
    size_t account = f.column({"account"}, "account");
    size_t service = f.column({"service"}, "service");
    size_t period = f.column({"period", "month"}, "period");
    size_t claimed = f.column({"claimed", "claimed_metric", "claimed_outage"}, "claimed outage or metric (claimed)");
    auto evidence = f.optional_column({"evidence", "evidence_ref"});
    size_t filed = f.column({"filed", "filed_date"}, "filed date (filed)");
    std::vector<Claim> out;
    std::map<std::string, uint64_t> ids;
    CsvRecord rec;
    while (f.next(rec)) {
        Claim c;
        c.line = rec.line;
        c.id = rec.fields[id];
        c.account = rec.fields[account];
        c.service = rec.fields[service];
        c.period = rec.fields[period];
        c.claimed = rec.fields[claimed];
        if (evidence) c.evidence = rec.fields[*evidence];
        c.filed = rec.fields[filed];
        if (c.id.empty()) f.fail(rec.line, "E0451", fmt::format("the claim on line {} of {} has no claim id", rec.line, path), "give every claim an id");
        if (auto [it, inserted] = ids.emplace(c.id, rec.line); !inserted)
            f.fail(rec.line, "E0454", fmt::format("claim id `{}` is used twice (lines {} and {} of {})", c.id, it->second, rec.line, path),
                   "each claim has its own id; remove the repeated row or correct its id");
        if (!valid_month(c.period))
            f.fail(rec.line, "E0451", fmt::format("`{}` is not a period (line {} of {})", c.period, rec.line, path),
                   "write the billing month as year-month, as in 2026-10");
        auto day = parse_date(c.filed);
        if (!day)
            f.fail(rec.line, "E0451", fmt::format("`{}` is not a date (line {} of {}, column filed)", c.filed, rec.line, path),
                   "write the date the claim was filed as year-month-day, as in 2026-11-15");
        c.filed_days = *day;
        // An outage in minutes becomes the month's uptime: (minutes in the month - outage) / minutes.
        std::string_view t = c.claimed;
        std::optional<Decimal> level;
        for (std::string_view unit : {" minutes", " min", "min"})
            if (t.ends_with(unit)) {
                auto minutes = Decimal::parse(t.substr(0, t.size() - unit.size()));
                Decimal total = Decimal::from_int(int64_t{days_in_month(c.period)} * 24 * 60);
                if (minutes && minutes->sign() >= 0 && *minutes <= total) level = (total - *minutes) / total;
                t = {};
                break;
            }
        if (!t.empty() && t.back() == '%') level = parse_level(t);
        if (!level)
            f.fail(rec.line, "E0451", fmt::format("`{}` is neither a level nor an outage (line {} of {})", c.claimed, rec.line, path),
                   "write the claimed level as a percentage (99.5%) or the outage in minutes within the month (43.2 min)");
        c.level = *level;
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace

CreditInputs read_credit_inputs(const std::string& charges_path, const std::string& metrics_path,
                                const std::string& claims_path) {
    CreditInputs in;
    in.charges_path = charges_path;
    in.metrics_path = metrics_path;
    in.claims_path = claims_path;
    in.charges = read_charges(charges_path);
    in.metrics = read_metrics(metrics_path);
    if (!claims_path.empty()) in.claims = read_claims(claims_path);
    return in;
}

std::string credit_period(const CreditInputs& in, const std::optional<std::string>& month) {
    if (month) {
        if (!valid_month(*month))
            throw CreditsInputError{Diagnostic{Severity::error, "E0453", fmt::format("--month `{}` is not a month", *month), {},
                                               "write it as year-month, as in --month 2026-10", {}}};
        return *month;
    }
    std::set<std::string> months;
    for (const auto& m : in.metrics) months.insert(m.month);
    if (months.size() == 1) return *months.begin();
    throw CreditsInputError{Diagnostic{
        Severity::error, "E0453",
        months.empty() ? fmt::format("{} has no measurements, so the month of the charges is unknown", in.metrics_path)
                       : fmt::format("{} holds {} months ({}), so the month of the charges is unknown", in.metrics_path,
                                     months.size(), fmt::join(months, ", ")),
        {}, "pass the month the charges are for, as in --month 2026-10", {}}};
}

}  // namespace ratebook
