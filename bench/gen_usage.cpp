// gen_usage: writes the reference workload of docs WORKLOAD.md, deterministically from a seed.
//
//   gen_usage --rows N --seed S --month 2026-10 --out DIR [--sample]
//             [--rules-out FILE [--rules-count K]]
//
// DIR/usage.csv         N rows of FOCUS usage (33 columns), one row per resource per day of the
//                       month, day by day; ceil(N / days) resources, the last day cut short so
//                       that there are exactly N rows (for N much smaller than the resources x
//                       days grid, e.g. 200 rows, the last days of the month may have no rows).
// DIR/accounts.csv      the account code table: CostCenter,AccountCode,CustomerName (500 rows).
// DIR/sku_catalogue.csv the 200 SKUs: ProviderName,ServiceCategory,ServiceName,SkuId,
//                       PricingUnit,ListUnitPrice,Model.
// DIR/PROBLEMS.md       with --sample: the deliberate problems injected and where they are.
// FILE                  with --rules-out: a rate card of K rules (default 200), one per SKU.
//
// Same arguments, same bytes, on any machine: integer arithmetic only (see catalogue.hpp).
// Money is exact: ListCost = PricingQuantity x ListUnitPrice and BilledCost = ListCost less the
// provider's negotiated discount, each computed exactly and rounded half-even to 10 places.
#include <date/date.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "bench/catalogue.hpp"

using namespace ratebook::bench;

namespace {

struct Options {
    uint64_t rows = 0;
    uint64_t seed = 1;
    int year = 0;
    unsigned month = 0;
    std::string out_dir;
    bool sample = false;
    std::string rules_out;
    size_t rules_count = 200;
};

[[noreturn]] void usage_error(const std::string& message) {
    fmt::print(stderr, "gen_usage: {}\n", message);
    fmt::print(stderr,
               "usage: gen_usage --rows N --seed S --month YYYY-MM --out DIR [--sample]\n"
               "                 [--rules-out FILE [--rules-count K]]\n");
    std::exit(2);
}

std::optional<uint64_t> to_number(std::string_view text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    uint64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + static_cast<uint64_t>(c - '0');
    }
    return value;
}

Options parse_options(int argc, char** argv) {
    Options o;
    bool have_rows = false, have_month = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        auto value = [&]() -> std::string_view {
            if (i + 1 >= argc) usage_error(fmt::format("{} needs a value", arg));
            return argv[++i];
        };
        auto number = [&]() {
            std::string_view v = value();
            auto n = to_number(v);
            if (!n) usage_error(fmt::format("{} expects a whole number, not '{}'", arg, v));
            return *n;
        };
        if (arg == "--rows") {
            o.rows = number();
            have_rows = true;
        } else if (arg == "--seed") {
            o.seed = number();
        } else if (arg == "--month") {
            std::string_view v = value();
            auto y = to_number(v.substr(0, 4));
            auto m = v.size() == 7 && v[4] == '-' ? to_number(v.substr(5)) : std::nullopt;
            if (!y || !m || *m < 1 || *m > 12) usage_error(fmt::format("--month expects YYYY-MM, not '{}'", v));
            o.year = static_cast<int>(*y);
            o.month = static_cast<unsigned>(*m);
            have_month = true;
        } else if (arg == "--out") {
            o.out_dir = value();
        } else if (arg == "--sample") {
            o.sample = true;
        } else if (arg == "--rules-out") {
            o.rules_out = value();
        } else if (arg == "--rules-count") {
            o.rules_count = number();
        } else {
            usage_error(fmt::format("unknown option '{}'", arg));
        }
    }
    if (!have_rows || !have_month || o.out_dir.empty()) usage_error("--rows, --month and --out are required");
    if (o.rows == 0) usage_error("--rows must be at least 1");
    if (o.sample && o.rows < 200) usage_error("--sample needs at least 200 rows to place its problems");
    if (o.rules_count == 0) usage_error("--rules-count must be at least 1");
    return o;
}

// ---- CSV text -----------------------------------------------------------------------------------

void append_field(std::string& out, std::string_view field) {
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
        out += field;
        return;
    }
    out += '"';
    for (char c : field) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

std::string csv_line(const std::vector<std::string>& fields) {
    std::string line;
    for (size_t i = 0; i < fields.size(); ++i) {
        if (i) line += ',';
        append_field(line, fields[i]);
    }
    return line;
}

// Splits one of our own lines (no line breaks inside fields) back into fields.
std::vector<std::string> split_line(std::string_view line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                fields.back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                fields.back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
        } else {
            fields.back() += c;
        }
    }
    return fields;
}

// Buffered output file; failures end the program with a message.
class Output {
public:
    explicit Output(const std::filesystem::path& path) : path_(path.string()) {
        file_ = std::fopen(path_.c_str(), "wb");
        if (!file_) {
            fmt::print(stderr, "gen_usage: cannot write '{}'\n", path_);
            std::exit(1);
        }
        buffer_.reserve(capacity + 4096);
    }
    ~Output() { close(); }
    Output(const Output&) = delete;
    Output& operator=(const Output&) = delete;

    std::string& buffer() { return buffer_; }
    void maybe_flush() {
        if (buffer_.size() >= capacity) flush();
    }
    uint64_t close() {
        if (!file_) return written_;
        flush();
        if (std::fclose(file_) != 0) fail();
        file_ = nullptr;
        return written_;
    }

private:
    static constexpr size_t capacity = size_t{4} << 20;
    void flush() {
        if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) fail();
        written_ += buffer_.size();
        buffer_.clear();
    }
    [[noreturn]] void fail() const {
        fmt::print(stderr, "gen_usage: error writing '{}'\n", path_);
        std::exit(1);
    }
    std::string path_;
    std::FILE* file_ = nullptr;
    std::string buffer_;
    uint64_t written_ = 0;
};

// ---- the usage feed -----------------------------------------------------------------------------

constexpr const char* usage_columns[] = {
    "BillingAccountId", "BillingAccountName", "SubAccountId",      "SubAccountName",     "ProviderName",
    "PublisherName",    "InvoiceIssuerName",  "ServiceCategory",   "ServiceName",        "SkuId",
    "SkuPriceId",       "ResourceId",         "ResourceName",      "RegionId",           "ChargeCategory",
    "ChargeClass",      "ChargeDescription",  "ChargeFrequency",   "ChargePeriodStart",  "ChargePeriodEnd",
    "BillingPeriodStart", "BillingPeriodEnd", "PricingQuantity",   "PricingUnit",        "ConsumedQuantity",
    "ConsumedUnit",     "ListUnitPrice",      "ListCost",          "ContractedCost",     "BilledCost",
    "EffectiveCost",    "BillingCurrency",    "Tags",
};
static_assert(std::size(usage_columns) == 33);
constexpr size_t col_provider = 4, col_service_category = 7, col_service_name = 8;
constexpr size_t col_sku_id = 9, col_sku_price_id = 10, col_charge_class = 15, col_billed_cost = 29, col_tags = 32;

// Log-normal shape of a day's quantity per pricing unit: the median (in 10^-6 units) and the
// spread (sigma x 1000) across resources; each day then varies by sigma 0.3 around the resource.
struct QuantityShape {
    int64_t median_micro;
    int64_t sigma_milli;
};

QuantityShape shape_of(std::string_view unit) {
    if (unit == "Hours") return {24'000'000, 900};             // about one instance all day
    if (unit == "GB-Mo") return {12'000'000, 1600};            // ~370 GB stored, a day's share
    if (unit == "Requests") return {150'000'000'000, 1800};    // 150k requests a day
    if (unit == "1K tokens") return {2'500'000'000, 1600};     // 2.5M tokens a day
    return {40'000'000, 1500};                                 // GB transferred or scanned
}

struct Resource {
    size_t sku;
    size_t sub_account;
    bool tagged;
    bool shared;
    std::string id;
    std::string prefix;  // the row's first 18 fields and their commas: the same every day
    std::string tags;    // the Tags field, CSV-quoted
    QuantityShape shape;
    int64_t z_q32;       // this resource's place in the log-normal spread
};

std::string fill_pattern(std::string_view pattern, const std::string& acct, const std::string& region,
                         const std::string& name, const std::string& hex, const std::string& rg) {
    std::string out;
    for (size_t i = 0; i < pattern.size();) {
        if (pattern[i] == '{') {
            size_t close = pattern.find('}', i);
            std::string_view key = pattern.substr(i + 1, close - i - 1);
            out += key == "acct" ? acct : key == "region" ? region : key == "name" ? name : key == "hex" ? hex : rg;
            i = close + 1;
        } else {
            out += pattern[i++];
        }
    }
    return out;
}

const char* env_tag(std::string_view environment) {
    if (environment == "Production") return "prod";
    if (environment == "Staging") return "stage";
    if (environment == "Development") return "dev";
    return "test";
}

const char* resource_kind(std::string_view category) {
    if (category == "Compute") return "app";
    if (category == "Storage") return "data";
    if (category == "Databases") return "db";
    if (category == "Networking") return "net";
    if (category == "AI and Machine Learning") return "ai";
    return "etl";
}

struct World {
    std::vector<Sku> skus;
    std::vector<CostCenter> centers;
    std::vector<SubAccount> subs;
    std::vector<std::vector<size_t>> subs_by_provider;
};

// One resource: its SKU (by popularity), a sub-account of that provider, its tags (95% carry a
// cost center, mostly the owner's; 1% also shared=network) and its size.
Resource make_resource(const World& w, const std::vector<uint64_t>& sku_cumulative, uint64_t seed, size_t r) {
    Rng rng(seed, 0x4E5, r);
    Resource res;
    res.sku = pick_weighted(sku_cumulative, rng);
    const Sku& sku = w.skus[res.sku];
    const auto& candidates = w.subs_by_provider[static_cast<size_t>(sku.provider)];
    res.sub_account = candidates[rng.below(candidates.size())];
    const SubAccount& sub = w.subs[res.sub_account];
    const Agency& agency = agencies[w.centers[sub.cost_center].agency];
    res.tagged = rng.below(100) >= 5;
    res.shared = res.tagged && rng.below(100) == 0;
    const size_t center = rng.below(10) == 0 ? rng.below(w.centers.size()) : sub.cost_center;

    const std::string name =
        fmt::format("{}-{}-{:04}", lower_dashed(agency.abbreviation), resource_kind(sku.tmpl->category), r);  // unique: two resources never share an id
    const std::string hex = random_chars(rng, "0123456789abcdef", 17);
    const std::string rg = "rg-" + lower_dashed(agency.abbreviation);
    res.id = fill_pattern(sku.tmpl->resource, sub.id, sku.region, name, hex, rg);

    const Provider& p = providers[sku.provider];
    std::string& pre = res.prefix;
    for (std::string_view field :
         {std::string_view(p.billing_account_id), std::string_view(p.billing_account_name), std::string_view(sub.id),
          std::string_view(sub.name), std::string_view(p.name), std::string_view(p.publisher),
          std::string_view(p.publisher), std::string_view(sku.tmpl->category), std::string_view(sku.tmpl->service),
          std::string_view(sku.sku_id), std::string_view(sku.sku_price_id), std::string_view(res.id),
          std::string_view(name), std::string_view(sku.region), std::string_view("Usage"), std::string_view(""),
          std::string_view(sku.description), std::string_view("Usage-Based")}) {
        append_field(pre, field);
        pre += ',';
    }
    if (res.tagged) {
        std::string json =
            fmt::format(R"({{"cost-center":"{}","env":"{}")", w.centers[center].code, env_tag(sub.environment));
        if (res.shared) json += R"(,"shared":"network")";
        json += '}';
        append_field(res.tags, json);
    }
    res.shape = shape_of(sku.tmpl->unit);
    res.z_q32 = rng.normal_q32();
    return res;
}

// A day's pricing quantity in 10^-6 units (at least 0.000001).
int64_t quantity_micro(const Resource& res, uint64_t seed, size_t r, unsigned day) {
    Rng rng(seed, 0xDA7, r, day);
    const int64_t x = res.z_q32 / 1000 * res.shape.sigma_milli + rng.normal_q32() / 1000 * 300;
    const unsigned __int128 q = (static_cast<unsigned __int128>(res.shape.median_micro) * exp_q32(x)) >> 32;
    return q == 0 ? 1 : static_cast<int64_t>(q);
}

struct Month {
    int year;
    unsigned month;
    unsigned days;
    std::vector<std::string> day_starts;  // ChargePeriodStart of each day, plus the next month's first
};

Month make_month(int year, unsigned month) {
    using namespace date;
    Month m{year, month, 0, {}};
    const year_month ym{date::year{year}, date::month{month}};
    m.days = static_cast<unsigned>((ym / last).day());
    const sys_days first = sys_days(ym / 1);
    for (unsigned d = 0; d <= m.days; ++d) {
        const year_month_day ymd{first + days{d}};
        m.day_starts.push_back(fmt::format("{:04}-{:02}-{:02}T00:00:00Z", static_cast<int>(ymd.year()),
                                           static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day())));
    }
    return m;
}

// The row for resource r on day d (0-based), without its line ending.
void append_row(std::string& out, const World& w, const Resource& res, size_t r, unsigned d, const Month& m,
                uint64_t seed) {
    const Sku& sku = w.skus[res.sku];
    const int64_t q = quantity_micro(res, seed, r, d);
    const auto exact = static_cast<unsigned __int128>(q) * static_cast<unsigned __int128>(sku.price);  // 10^-16
    const auto list_cost = divide_half_even(exact, quantity_scale);                                     // 10^-10
    const int discount = providers[sku.provider].discount_basis_points;
    const auto billed = divide_half_even(exact * static_cast<unsigned>(10000 - discount), 10000ull * quantity_scale);
    const std::string billed_text = fixed_text(billed, 10);
    const bool tokens = std::string_view(sku.tmpl->unit) == "1K tokens";

    out += res.prefix;
    out += m.day_starts[d];
    out += ',';
    out += m.day_starts[d + 1];
    out += ',';
    out += m.day_starts[0];
    out += ',';
    out += m.day_starts[m.days];
    out += ',';
    out += fixed_text(static_cast<unsigned __int128>(q), 6);
    out += ',';
    out += sku.tmpl->unit;
    out += ',';
    out += fixed_text(static_cast<unsigned __int128>(q) * (tokens ? 1000 : 1), 6);
    out += ',';
    out += tokens ? "Tokens" : sku.tmpl->unit;
    out += ',';
    out += price_text(sku.price);
    out += ',';
    out += fixed_text(list_cost, 10);
    for (int k = 0; k < 3; ++k) {  // ContractedCost, BilledCost, EffectiveCost: the negotiated price
        out += ',';
        out += billed_text;
    }
    out += ",USD,";
    out += res.tags;
}

// ---- deliberate problems (--sample) -------------------------------------------------------------

enum class Problem { unknown_sku, malformed, nan_cost, unknown_cost_center };

struct Placed {
    uint64_t row;
    Problem problem;
};

void apply_problem(std::string& line, Problem problem) {
    std::vector<std::string> fields = split_line(line);
    switch (problem) {
        case Problem::unknown_sku:
            // A service the provider launched after the rate card was set: no rule prices it,
            // whatever the category-level rules say.
            fields[col_service_category] = "Other";
            fields[col_service_name] = fields[col_provider] == "AWS"         ? "Amazon Braket"
                                       : fields[col_provider] == "Microsoft" ? "Azure Quantum"
                                                                             : "Cloud Quantum Engine";
            fields[col_sku_id] = "ZZRETIREDSKU0001";
            fields[col_sku_price_id] = "ZZRETIREDSKU0001.JRTCKXETXF.6YS6EN2CT7";
            break;
        case Problem::malformed:
            fields.erase(fields.begin() + static_cast<std::ptrdiff_t>(col_charge_class));
            break;
        case Problem::nan_cost:
            fields[col_billed_cost] = "NaN";
            break;
        case Problem::unknown_cost_center: {
            std::string& tags = fields[col_tags];
            const size_t at = tags.find("CC-");
            tags.replace(at, 7, "CC-9999");
            break;
        }
    }
    line = csv_line(fields);
}

// ---- output files -------------------------------------------------------------------------------

uint64_t write_accounts(const std::filesystem::path& path, const World& w) {
    Output out(path);
    out.buffer() += "CostCenter,AccountCode,CustomerName\n";
    for (const CostCenter& c : w.centers)
        out.buffer() += csv_line({c.code, c.account_code, agencies[c.agency].name}) + "\n";
    return out.close();
}

uint64_t write_catalogue(const std::filesystem::path& path, const World& w) {
    Output out(path);
    out.buffer() += "ProviderName,ServiceCategory,ServiceName,SkuId,PricingUnit,ListUnitPrice,Model\n";
    for (const Sku& s : w.skus)
        out.buffer() += csv_line({providers[s.provider].name, s.tmpl->category, s.tmpl->service, s.sku_id, s.tmpl->unit,
                                  price_text(s.price), s.model}) +
                        "\n";
    return out.close();
}

void append_rule(std::string& out, const std::string& name, const std::string& sku_id, const std::string& ru,
                 const std::string& model, int64_t price, size_t index) {
    // Markups vary a little by SKU, as negotiated admin fees do.
    static const char* const markups[] = {"1.045", "1.03", "1.0165", "1.05"};
    const char* comment = model == "markup" ? "  # cost-plus markup" : model == "tiered" ? "  # tiered later" : "";
    out += fmt::format("rate \"{}\" {{{}\n  match SkuId == \"{}\"\n  ru \"{}\"\n  volume PricingQuantity\n", name,
                       comment, sku_id, ru);
    if (model == "markup")
        out += fmt::format("  charge BilledCost * {}\n}}\n", markups[index % std::size(markups)]);
    else
        out += fmt::format("  charge PricingQuantity * ${}\n}}\n", fixed_text(static_cast<unsigned __int128>(price), 10));
}

// K rules: for K <= 200 the K most popular SKUs (so 20 rules still price most rows); beyond 200,
// every SKU plus rules for SKU ids that never occur in the feed (a rate card's retired lines).
uint64_t write_rules(const std::filesystem::path& path, const World& w, size_t count, uint64_t seed) {
    std::vector<size_t> by_popularity(w.skus.size());
    for (size_t i = 0; i < by_popularity.size(); ++i) by_popularity[i] = i;
    std::stable_sort(by_popularity.begin(), by_popularity.end(),
                     [&](size_t a, size_t b) { return w.skus[a].weight > w.skus[b].weight; });
    std::vector<bool> chosen(w.skus.size(), false);
    for (size_t k = 0; k < std::min(count, w.skus.size()); ++k) chosen[by_popularity[k]] = true;

    Output out(path);
    std::string& text = out.buffer();
    text += fmt::format("# generated rate card: {} rules\n", count);
    for (size_t i = 0; i < w.skus.size(); ++i) {
        if (!chosen[i]) continue;
        const Sku& s = w.skus[i];
        text += '\n';
        append_rule(text, s.rule_name, s.sku_id, s.ru, s.model, s.price, i);
    }
    std::set<std::string> ids;
    for (const Sku& s : w.skus) ids.insert(s.sku_id);
    Rng rng(seed, 0x01D);
    constexpr size_t template_count = std::size(sku_templates);
    for (size_t j = 0; j + w.skus.size() < count; ++j) {
        const SkuTemplate& t = sku_templates[j % template_count];
        std::string id;
        do {
            id = make_sku_id(t.provider, rng);
        } while (!ids.insert(id).second);
        const std::string name = fmt::format("{} {} {} legacy {:04}", providers[t.provider].short_name,
                                             t.provider == 0 ? t.code : t.service, t.usage, j + 1);
        text += '\n';
        append_rule(text, name, id, fmt::format("{}-{:04}", ru_prefix(t.category), 1000 + j), "per-unit",
                    parse_price(t.price), j);
        out.maybe_flush();
    }
    return out.close();
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse_options(argc, argv);
    const Month month = make_month(o.year, o.month);
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(o.out_dir, ec);
    if (ec) {
        fmt::print(stderr, "gen_usage: cannot create '{}': {}\n", o.out_dir, ec.message());
        return 1;
    }

    // The world (SKU catalogue, cost centers, sub-accounts) is the same for every seed, so one
    // rate card and one account code table (rules/FY2027) price any generated month; the seed
    // varies only the usage.
    constexpr uint64_t world_seed = 2027;
    World w;
    w.skus = make_catalogue(world_seed);
    w.centers = make_cost_centers(world_seed);
    w.subs = make_sub_accounts(world_seed, w.centers);
    w.subs_by_provider.resize(std::size(providers));
    for (size_t i = 0; i < w.subs.size(); ++i) w.subs_by_provider[static_cast<size_t>(w.subs[i].provider)].push_back(i);
    std::set<std::string> rule_names;
    for (const Sku& s : w.skus)
        if (!rule_names.insert(s.rule_name).second) throw std::logic_error("duplicate rule name " + s.rule_name);
    std::vector<uint64_t> sku_cumulative;
    uint64_t total = 0;
    for (const Sku& s : w.skus) sku_cumulative.push_back(total += s.weight);

    const uint64_t resource_count = (o.rows + month.days - 1) / month.days;
    std::vector<Resource> resources;
    resources.reserve(resource_count);
    for (size_t r = 0; r < resource_count; ++r) resources.push_back(make_resource(w, sku_cumulative, o.seed, r));

    // Problems sit at fixed fractions of the file, each on a tagged row (so that it is the row's
    // only problem) and away from the untagged resource listed as the natural example.
    std::vector<Placed> placed;
    size_t untagged = resource_count;
    if (o.sample) {
        for (size_t r = 0; r < resource_count && untagged == resource_count; ++r)
            if (!resources[r].tagged) untagged = r;
        if (untagged == resource_count) {  // a small feed may have drawn none: make one
            untagged = resource_count / 2;
            resources[untagged].tagged = resources[untagged].shared = false;
            resources[untagged].tags.clear();
        }
        const Problem order[] = {Problem::unknown_sku, Problem::malformed, Problem::nan_cost,
                                 Problem::unknown_cost_center};
        std::set<uint64_t> used;
        for (size_t k = 0; k < std::size(order); ++k) {
            uint64_t row = o.rows * (k + 1) / 5;
            while (row < o.rows && (!resources[row % resource_count].tagged || row % resource_count == untagged ||
                                    used.count(row)))
                ++row;
            if (row < o.rows) {
                used.insert(row);
                placed.push_back({row, order[k]});
            }
        }
    }

    Output usage(fs::path(o.out_dir) / "usage.csv");
    std::string& text = usage.buffer();
    for (size_t c = 0; c < std::size(usage_columns); ++c) {
        if (c) text += ',';
        text += usage_columns[c];
    }
    text += '\n';
    std::string line;
    for (uint64_t row = 0; row < o.rows; ++row) {
        const unsigned day = static_cast<unsigned>(row / resource_count);
        const size_t r = static_cast<size_t>(row % resource_count);
        auto problem = std::find_if(placed.begin(), placed.end(), [&](const Placed& p) { return p.row == row; });
        if (problem == placed.end()) {
            append_row(text, w, resources[r], r, day, month, o.seed);
        } else {
            line.clear();
            append_row(line, w, resources[r], r, day, month, o.seed);
            apply_problem(line, problem->problem);
            text += line;
        }
        text += '\n';
        usage.maybe_flush();
    }
    const uint64_t usage_bytes = usage.close();
    const uint64_t accounts_bytes = write_accounts(fs::path(o.out_dir) / "accounts.csv", w);
    const uint64_t catalogue_bytes = write_catalogue(fs::path(o.out_dir) / "sku_catalogue.csv", w);

    if (o.sample) {
        Output md(fs::path(o.out_dir) / "PROBLEMS.md");
        std::string& t = md.buffer();
        t += fmt::format("# Deliberate problems in usage.csv\n\n"
                         "Generated with `--rows {} --seed {} --month {:04}-{:02} --sample`. Line numbers count the "
                         "header as line 1.\n\n| line | problem | what ratebook should do |\n|---|---|---|\n",
                         o.rows, o.seed, o.year, o.month);
        for (const Placed& p : placed) {
            const uint64_t line_no = p.row + 2;
            switch (p.problem) {
                case Problem::unknown_sku:
                    t += fmt::format("| {} | a new service (category Other, SkuId `ZZRETIREDSKU0001`) that no rate rule prices | reject: no rate matches |\n",
                                     line_no);
                    break;
                case Problem::malformed:
                    t += fmt::format("| {} | ChargeClass column missing: 32 fields instead of 33 | reject: "
                                     "\"expected 33 fields, found 32\" |\n",
                                     line_no);
                    break;
                case Problem::nan_cost:
                    t += fmt::format("| {} | BilledCost is `NaN` | reject: not a number |\n", line_no);
                    break;
                case Problem::unknown_cost_center:
                    t += fmt::format("| {} | tag cost-center `CC-9999` is not in accounts.csv | map to the suspense "
                                     "account, visibly |\n",
                                     line_no);
                    break;
            }
        }
        if (untagged < resource_count) {
            std::vector<std::string> lines;
            for (uint64_t row = untagged; row < o.rows; row += resource_count) lines.push_back(fmt::format("{}", row + 2));
            t += fmt::format("| {} | resource `{}` has no tags on any of its {} days (a natural case: about 5% of "
                             "resources) | map to the suspense account, visibly |\n",
                             fmt::format("{}", fmt::join(lines, ", ")), resources[untagged].id, lines.size());
        }
        md.close();
    }

    uint64_t rules_bytes = 0;
    if (!o.rules_out.empty()) rules_bytes = write_rules(o.rules_out, w, o.rules_count, o.seed);

    fmt::print("gen_usage: {} rows ({} resources x {} days), usage.csv {} bytes ({} bytes a row), "
               "accounts.csv {} bytes, sku_catalogue.csv {} bytes",
               o.rows, resource_count, month.days, usage_bytes, usage_bytes / (o.rows + 1), accounts_bytes,
               catalogue_bytes);
    if (!o.rules_out.empty()) fmt::print(", {} rules in {} ({} bytes)", o.rules_count, o.rules_out, rules_bytes);
    if (o.sample) fmt::print(", {} problems listed in PROBLEMS.md", placed.size() + (untagged < resource_count));
    fmt::print("\n");
    return 0;
}
