// The validation pass: FeedValidator watches rating's pass over the feeds (validate_checks.hpp
// says how), or drives its own reader (validate_feeds, for `ratebook validate`). Every record is
// handed to each family of checks in turn; a record is parsed once (SchemaChecks fills the Row
// the others read), and the checks keep only what a month needs (days, totals, row
// fingerprints, first sightings), not the rows.
#include "engine/validate.hpp"

#include <date/date.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstring>
#include <filesystem>
#include <mutex>
#include <unordered_set>

#include "engine/normalise.hpp"
#include "engine/parsed_fields.hpp"
#include "engine/record_rater.hpp"
#include "engine/validate_checks.hpp"

#define XXH_INLINE_ALL
#include <xxhash.h>

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

// XXH3's 128-bit hash, seeded with what came before: one call per string, no state to carry.
void Print128::add(std::string_view s) {
    const XXH128_hash_t h = XXH3_128bits_withSeed(s.data(), s.size(), h1 ^ (h2 * 0x9E3779B97F4A7C15ull));
    h1 = h.low64;
    h2 = h.high64 ^ h2;
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

void Sink::add(std::string_view check, FindingSeverity s, uint64_t line, std::string message, const Decimal& amount) {
    if (!on(check)) return;
    part_->findings.push_back(Finding{std::string(check), s, files_[part_->file], line, std::move(message), amount});
}

namespace {

// The month billed: that of the first row (in file order) stating a readable billing period.
// Found before the pass, so that every chunk checks its rows against the same month.
Month find_month(const std::vector<std::string>& files) {
    CsvRecord rec;
    for (const auto& path : files) {
        CsvReader reader(path);
        int col = Columns(reader.header()).billing_start;
        if (col < 0) continue;
        while (reader.next(rec)) {
            if (!rec.error.empty() || is_null(rec.fields[col])) continue;
            if (auto t = parse_timestamp(rec.fields[col])) return month_of(t->days);
        }
    }
    return {};
}

}  // namespace

}  // namespace validation

using namespace validation;

struct FeedValidator::State {
    State(const RuleSet& r, const std::vector<std::string>& f, const ValidateOptions& o)
        : rules(r), files(f), options(o), feed(r, f, o, v) {}
    void add(std::string_view check, FindingSeverity s, uint32_t file, uint64_t line, std::string message,
             const Decimal& amount = {}) {
        if (rules.config.validate.skipped(check)) return;
        Finding f{std::string(check), s, files[file], line, std::move(message), amount};
        if (limit.keep(f)) v.findings.push_back(std::move(f));
    }

    const RuleSet& rules;
    const std::vector<std::string>& files;
    const ValidateOptions& options;
    Validation v;
    Month month;
    FeedChecks feed;
    DuplicateRows duplicates;
    FindingLimit limit;  // of each check's row findings in each feed
    std::vector<bool> copies;          // file -> a second copy of an earlier one
    std::vector<bool> same_size;       // file -> another feed has its size in bytes (a copy?)
    std::vector<std::string> id_names;  // file -> its identifying columns, for duplicate messages
    std::string path;                  // the file being read, and its header
    std::vector<std::string> header;
    // Units: folded spelling -> (the first spelling, where it was first seen); spellings reported.
    std::unordered_map<std::string, std::pair<std::string, std::string>> unit_spellings;
    std::unordered_set<std::string> unit_reported;
    std::vector<std::pair<uint32_t, ChunkPart::Currency>> currencies;  // per file and code, first line
    bool rated = false;        // watching a rating pass: the two below are this run's findings
    TextTable<UsageTotals> unmapped;  // from the rated records (RowValidator::rated); sorted at the end
    UsageByAccountResource inactive;
    // Untagged rows by file and resource ("file\x1fresource"), in order of first row.
    std::vector<std::pair<uint32_t, ChunkPart::Untagged>> untagged;
    std::vector<TextTable<size_t>> untagged_index;  // per file: resource -> its place in `untagged`
};

namespace {

// One rating thread's checks for one file: each record through the check families, into the
// chunk's part.
class RowValidator final : public FeedObserver::Worker {
public:
    RowValidator(const FeedValidator::State& s, uint32_t file)
        : sink_(s.rules, s.files),
          schema_(sink_, s.month),
          rows_(sink_),
          tally_(sink_, s.month, !s.options.prior.empty(), s.same_size[file]),
          custom_(sink_),
          cols_(s.header),
          file_(file),
          count_unmapped_(s.rules.account.has_value()),
          fallback_source_(s.rules.account ? static_cast<uint32_t>(s.rules.account->sources.size()) : 0) {
        schema_.begin_file(s.header);
        rows_.begin_file(s.header);
        custom_.begin_file(s.header, s.path);
    }
    void begin_chunk(uint64_t reader_start) override {
        part_ = std::make_unique<ChunkPart>();
        part_->file = file_;
        part_->reader_start = reader_start;
        part_->prints.emplace_back().reserve(16384);  // about a chunk's rows: no regrowth for most chunks
        sink_.begin(part_.get());
        tally_.begin_chunk();
        rows_.begin_chunk();
    }
    NormaliseCounts* normalise_counts() override { return &part_->normalised; }
    void record(const CsvRecord& rec, ParsedFields& numbers) override {
        ++part_->rows;
        if (!schema_.record(rec, file_, cols_, numbers, row_)) return;
        rows_.record(row_);
        tally_.record(row_);
        custom_.record(row_);
    }
    void rated(const CsvRecord& rec, ParsedFields& fields, const RatedRecord& out) override {
        if (!out.charged) return;
        const bool unmapped = count_unmapped_ && out.account_source == fallback_source_;
        if (!unmapped && out.inactive_account.empty()) return;  // the usual record: nothing to count
        // (A charged record is well formed: its fields are there.)
        std::string_view resource = cols_.resource >= 0 ? rec.fields[cols_.resource] : std::string_view();
        // The cost at stake is the record's BilledCost (parsed once: record() reads it from
        // `fields` after this).
        Decimal billed;
        if (cols_.billed >= 0 && !is_null(rec.fields[cols_.billed]))
            billed = fields.number(cols_.billed, rec.fields[cols_.billed]).value_or(Decimal());
        if (unmapped) {
            bool added = false;
            UsageTotals& u = part_->unmapped.at(resource, added);
            ++u.records;
            u.charge += billed;
            if (u.account != out.account) u.account.assign(out.account);
        }
        if (!out.inactive_account.empty()) {
            UsageTotals& i = part_->inactive[{std::string(out.inactive_account), std::string(resource)}];
            ++i.records;
            i.charge += billed;
        }
    }
    std::unique_ptr<FeedObserver::Part> end_chunk() override {
        for (RowPrints& p : part_->prints) p.group();  // here, on a rating thread, not on the merging thread
        return std::move(part_);
    }

private:
    Sink sink_;
    SchemaChecks schema_;
    RowChecks rows_;
    FeedTally tally_;
    RuleChecks custom_;
    Columns cols_;
    uint32_t file_;
    bool count_unmapped_;        // the rule set has an account rule
    uint32_t fallback_source_;   // RatedRecord::account_source of its fallback
    Row row_;
    std::unique_ptr<ChunkPart> part_;
};

}  // namespace

FeedValidator::FeedValidator(const RuleSet& rules, const std::vector<std::string>& usage,
                             const ValidateOptions& options)
    : s_(std::make_unique<State>(rules, usage, options)) {
    s_->month = find_month(usage);
    s_->feed.read_prior(options.prior);
    s_->copies.assign(usage.size(), false);
    // A second copy of a file has its size: only such files have their records fingerprinted.
    std::vector<int64_t> sizes;
    for (const auto& path : usage) {
        std::error_code ec;
        auto size = std::filesystem::file_size(path, ec);
        sizes.push_back(ec ? -1 : static_cast<int64_t>(size));
    }
    s_->same_size.assign(usage.size(), false);
    for (size_t a = 0; a < sizes.size(); ++a)
        for (size_t b = 0; b < sizes.size(); ++b)
            if (a != b && (sizes[a] < 0 || sizes[a] == sizes[b])) s_->same_size[a] = true;
    s_->id_names.assign(usage.size(), {});
}

FeedValidator::~FeedValidator() = default;

void FeedValidator::watch_rating() { s_->rated = true; }

void FeedValidator::begin_file(uint32_t file, const std::string& path, const std::vector<std::string>& header) {
    State& s = *s_;
    s.path = path;
    s.header = header;
    // Missing columns are reported; every check still runs with the columns there are.
    std::vector<std::string> missing = missing_columns(s.rules, header);
    if (!missing.empty())
        s.add("missing-column", FindingSeverity::error, file, 1,
              fmt::format("missing required column{} {}", missing.size() == 1 ? "" : "s", fmt::join(missing, ", ")));
    if (!s.rules.checks.empty()) {
        try {
            (void)make_layout(s.rules, header, path);
        } catch (const FeedError& e) {
            // What the rules themselves need to run their `check` rules on this file.
            std::string what = e.what();
            if (what.rfind(path + ": ", 0) == 0) what = what.substr(path.size() + 2);
            s.add("missing-column", FindingSeverity::error, file, 1, what);
        }
    }
    s.id_names[file] = identifying_column_names(header);
    s.feed.begin_file(header, s.same_size[file]);
}

std::unique_ptr<FeedObserver::Worker> FeedValidator::worker(uint32_t file) {
    return std::make_unique<RowValidator>(*s_, file);
}

void FeedValidator::merge(Part& part_base, uint64_t base) {
    State& s = *s_;
    auto& part = static_cast<ChunkPart&>(part_base);
    s.v.rows += part.rows;
    for (auto& f : part.findings) {
        f.line += base;
        if (s.limit.keep(f)) s.v.findings.push_back(std::move(f));
    }
    for (RowPrints& p : part.prints) s.duplicates.add_chunk(std::move(p), part.file, base, part.reader_start);
    for (const auto& u : part.units) {
        auto it = s.unit_spellings.find(u.folded);
        if (it == s.unit_spellings.end()) {
            s.unit_spellings.emplace(u.folded, std::make_pair(u.spelling, fmt::format("{}:{}", s.files[part.file],
                                                                                      base + u.line)));
            continue;
        }
        if (it->second.first == u.spelling) continue;
        if (!s.unit_reported.insert(u.folded + '\x1f' + u.spelling).second) continue;
        s.add("unit-spelling", FindingSeverity::warning, part.file, base + u.line,
              fmt::format("{} `{}` is the unit `{}` (first at {}) spelled another way; declare the spellings "
                          "in [normalise] unit_table",
                          u.column, u.spelling, it->second.first, it->second.second),
              u.billed);
    }
    if (s.untagged_index.size() <= part.file) s.untagged_index.resize(part.file + 1);
    TextTable<size_t>& untagged_index = s.untagged_index[part.file];
    for (size_t n = 0; n < part.untagged.size(); ++n) {
        const ChunkPart::Untagged& u = part.untagged.value(n);
        const std::string_view resource = part.untagged.key(n);
        bool added = false;
        size_t& at = untagged_index.at(resource, part.untagged.hash(n), added);
        if (added) {
            at = s.untagged.size();
            s.untagged.emplace_back(part.file, ChunkPart::Untagged{std::string(resource), u.first + base, u.last + base,
                                                                   u.rows, u.cost});
            continue;
        }
        ChunkPart::Untagged& t = s.untagged[at].second;
        t.last = u.last + base;
        t.rows += u.rows;
        t.cost += u.cost;
    }
    for (const auto& c : part.currencies) {
        auto it = std::find_if(s.currencies.begin(), s.currencies.end(),
                               [&](const auto& e) { return e.first == part.file && e.second.code == c.code; });
        if (it == s.currencies.end()) {
            s.currencies.emplace_back(part.file, c);
            s.currencies.back().second.line = base + c.line;
        } else {
            it->second.rows += c.rows;
            it->second.cost += c.cost;
        }
    }
    for (const auto& [what, n] : part.normalised) s.v.normalised[what] += n;
    for (size_t n = 0; n < part.unmapped.size(); ++n) {
        UsageTotals& u = part.unmapped.value(n);
        bool added = false;
        UsageTotals& t = s.unmapped.at(part.unmapped.key(n), part.unmapped.hash(n), added);
        if (added) {
            t = std::move(u);
            continue;
        }
        t.records += u.records;
        t.charge += u.charge;
        t.account = u.account;
    }
    for (const auto& [key, u] : part.inactive) {
        UsageTotals& t = s.inactive[key];
        t.records += u.records;
        t.charge += u.charge;
    }
    s.feed.merge(part);
}

void FeedValidator::end_file(uint32_t file) { s_->copies[file] = s_->feed.end_file(file); }

Validation FeedValidator::finish() {
    State& s = *s_;
    // Duplicate rows: every later row equal to an earlier one. A file found to be a copy of an
    // earlier one is reported once (duplicate-file), not row by row.
    if (!s.rules.config.validate.skipped("duplicate-row")) {
        for (const auto& d : confirm_duplicates(s.rules, s.files, s.duplicates.candidates())) {
            if (s.copies[d.again_file]) continue;
            std::string at = d.first_file == d.again_file ? fmt::format("line {}", d.first_line)
                                                          : fmt::format("{}:{}", s.files[d.first_file], d.first_line);
            s.add("duplicate-row", FindingSeverity::error, d.again_file, d.again_line,
                  fmt::format("same charge as {} (equal {})", at, s.id_names[d.again_file]), d.again_cost);
        }
    }
    for (const auto& [file, u] : s.untagged)
        s.add("untagged-row", FindingSeverity::warning, file, u.first,
              u.rows == 1 ? fmt::format("{} has no tags", u.resource.empty() ? std::string("the row") : u.resource)
                          : fmt::format("{} has no tags on {} rows (the first at this line, the last at line {})",
                                        u.resource.empty() ? std::string("(no ResourceId)") : u.resource,
                                        u.rows, u.last),
              u.cost);
    const std::string& code = s.rules.config.currency;
    for (const auto& [file, c] : s.currencies)
        s.add("billing-currency", FindingSeverity::error, file, c.line,
              fmt::format("{} row{} billed in {}, not the rule set's currency {} (the first at this line); "
                          "ratebook does not convert currencies",
                          c.rows, c.rows == 1 ? " is" : "s are", c.code, code),
              c.cost);
    if (s.month.known()) {
        date::year_month_day ymd{date::sys_days{date::days{s.month.first}}};
        s.v.month = fmt::format("{:04}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()));
    }
    s.feed.finish(s.month);
    for (auto& f : s.limit.closing()) s.v.findings.push_back(std::move(f));
    if (s.rated) {
        add_inactive_findings(s.rules, s.inactive, s.v.findings);
        UsageByResource unmapped;
        for (size_t n = 0; n < s.unmapped.size(); ++n)
            unmapped.emplace(s.unmapped.key(n), std::move(s.unmapped.value(n)));
        add_unmapped_findings(s.rules, unmapped, s.v.findings);
    }
    order_findings(s.v, s.files);
    return std::move(s.v);
}

Validation validate_feeds(const RuleSet& rules, const std::vector<std::string>& usage,
                          const ValidateOptions& options) {
    FeedValidator validator(rules, usage, options);
    CsvRecord rec;
    std::string scratch;
    ParsedFields numbers;
    // Chunks of this many records keep memory bounded on a long feed, as rating's chunks do.
    constexpr uint64_t chunk_records = 1 << 16;
    for (uint32_t f = 0; f < usage.size(); ++f) {
        CsvReader reader(usage[f]);
        validator.begin_file(f, usage[f], reader.header());
        Normaliser normaliser(rules, reader.header());
        auto worker = validator.worker(f);
        worker->begin_chunk(0);
        for (uint64_t n = 1; reader.next(rec); ++n) {
            normaliser.apply(rec, scratch, worker->normalise_counts());
            numbers.next_record();
            worker->record(rec, numbers);
            if (n % chunk_records == 0) {
                validator.merge(*worker->end_chunk(), 0);
                worker->begin_chunk(0);
            }
        }
        validator.merge(*worker->end_chunk(), 0);
        validator.end_file(f);
    }
    return validator.finish();
}

}  // namespace ratebook
