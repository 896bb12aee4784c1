#include "engine/outputs.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "engine/csv_reader.hpp"

namespace ratebook {

namespace fs = std::filesystem;

OutputFolder::OutputFolder(std::string dir) : dir_(std::move(dir)) {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec || !fs::is_directory(dir_))
        throw FeedError(fmt::format("cannot create output folder '{}': {}", dir_, ec.message()));
}

OutputFolder::~OutputFolder() {
    if (committed_) return;
    for (auto& e : entries_) {
        e.stream.reset();
        std::error_code ec;
        fs::remove(e.temp, ec);
    }
}

std::string OutputFolder::path_of(const std::string& name) const { return (fs::path(dir_) / name).string(); }

std::ofstream& OutputFolder::open(const std::string& name) {
    Entry e;
    e.name = name;
    e.temp = (fs::path(dir_) / fmt::format(".{}.tmp-{}", name, ::getpid())).string();
    e.stream = std::make_unique<std::ofstream>(e.temp, std::ios::binary | std::ios::trunc);
    if (!*e.stream) throw FeedError(fmt::format("cannot write '{}'", e.temp));
    entries_.push_back(std::move(e));
    return *entries_.back().stream;
}

void OutputFolder::commit() {
    for (auto& e : entries_) {
        e.stream->flush();
        if (!*e.stream) throw FeedError(fmt::format("writing '{}' failed (disk full?)", path_of(e.name)));
        e.stream->close();
    }
    for (auto& e : entries_) {
        std::error_code ec;
        fs::rename(e.temp, path_of(e.name), ec);
        if (ec) throw FeedError(fmt::format("cannot move '{}' into place: {}", path_of(e.name), ec.message()));
    }
    committed_ = true;
}

// A number as ratebook and the feeds write them: optional sign, digits, optional fraction
// ("-20.90", "+3", ".5", "12."). Such a cell is a value in a spreadsheet, never a formula.
static bool is_plain_number(std::string_view text) {
    size_t i = 0;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    bool digits = false, dot = false;
    for (; i < text.size(); ++i) {
        char c = text[i];
        if (c >= '0' && c <= '9') digits = true;
        else if (c == '.' && !dot) dot = true;
        else return false;
    }
    return digits;
}

// One CSV cell (RFC 4180 quoting), safe to open in a spreadsheet: text beginning with `=`, `+`,
// `-`, `@`, tab or carriage return would be read as a formula (CSV injection, OWASP), so it gets
// a leading single quote, which spreadsheets show as text. Numbers ("-20.90") are unchanged.
std::string csv_field(std::string_view text) {
    std::string cell;
    if (!text.empty() && std::string_view("=+-@\t\r").find(text[0]) != std::string_view::npos &&
        !is_plain_number(text)) {
        cell.reserve(text.size() + 1);
        cell += '\'';
    }
    cell += text;
    if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
    std::string out = "\"";
    for (char c : cell) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) out += fmt::format("\\u{:04x}", c);
                else out += static_cast<char>(c);
        }
    }
    out += '"';
    return out;
}

std::string group_thousands(const Decimal& d) {
    std::string s = d.to_string();
    bool negative = !s.empty() && s[0] == '-';
    if (negative) s.erase(0, 1);
    size_t dot = s.find('.');
    std::string whole = s.substr(0, dot), frac = dot == std::string::npos ? "" : s.substr(dot);
    std::string grouped;
    for (size_t i = 0; i < whole.size(); ++i) {
        if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
        grouped += whole[i];
    }
    return (negative ? "-" : "") + grouped + frac;
}

void write_charges_csv(std::ostream& out, const RuleSet& rules, const RateRun& run, bool header) {
    if (header)
        out << "account,account_source,ru,service,product,component,volume,unit,records,charge,"
           "rule,rule_location,ruleset_hash,ruleset_version\n";
    // The version on every line, not in a header comment: comment lines break CSV readers
    // (spreadsheets, pandas, SQL loaders), and a column survives when charge files of several
    // months or fiscal years are concatenated or filtered.
    const std::string version = csv_field(rules.identity.version());
    for (const ChargeLine& l : run.lines) {
        // A line is priced by a rate rule, or spread by an allocate rule (engine/allocate_rules.cpp).
        const std::string& rule = l.allocation >= 0 ? rules.allocations[l.allocation].name : rules.rates[l.rate].name;
        const Span& at = l.allocation >= 0 ? rules.allocations[l.allocation].kind_span : rules.rates[l.rate].kind_span;
        std::string loc = fmt::format("{}:{}", at.file->name, at.line);
        out << csv_field(l.account) << ',' << csv_field(l.account_source) << ',' << csv_field(l.ru)
            << ',' << csv_field(l.service) << ',' << csv_field(l.product) << ','
            << csv_field(l.component) << ',' << l.volume.to_plain_string() << ','
            << csv_field(l.unit) << ',' << l.records << ',' << billed_charge(rules, l).to_string()
            << ',' << csv_field(rule) << ',' << csv_field(loc) << ',' << rules.content_hash
            << ',' << version << '\n';
    }
}

void write_reject_header(std::ostream& out) { out << "file,line,category,reason,raw\n"; }

void write_reject(std::ostream& out, const RejectRow& r) {
    out << csv_field(r.file) << ',' << r.line << ',' << csv_field(r.category) << ','
        << csv_field(r.reason) << ',' << csv_field(r.raw) << '\n';
}

std::vector<std::pair<std::string, Decimal>> account_totals(const RuleSet& rules, const RateRun& run) {
    std::map<std::string, Decimal> totals;
    for (const ChargeLine& l : run.lines) totals[l.account] += billed_charge(rules, l);
    std::vector<std::pair<std::string, Decimal>> out(totals.begin(), totals.end());
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    return out;
}

Decimal total_billed(const RuleSet& rules, const RateRun& run) {
    Decimal total = Decimal().rounded(rules.config.rounding_places);
    for (const ChargeLine& l : run.lines) total += billed_charge(rules, l);
    return total;
}

std::string ruleset_identity_json(const RuleSetIdentity& id) {
    return fmt::format("\"path\": {}, \"revision\": {}, \"commit\": {}, \"dirty\": {}", json_string(id.path),
                       id.revision.empty() ? "null" : json_string(id.revision),
                       id.commit.empty() ? "null" : json_string(id.commit), id.dirty ? "true" : "false");
}

static void write_ruleset_json(std::ostream& out, const RuleSet& rules) {
    out << "{\"name\": " << json_string(rules.config.name)
        << ", \"fiscal_year\": " << rules.config.fiscal_year
        << ", \"currency\": " << json_string(rules.config.currency)
        << ", \"content_hash\": " << json_string(rules.content_hash) << ", "
        << ruleset_identity_json(rules.identity);
    if (!rules.overrides.empty()) {
        out << ", \"what_if_overrides\": [";
        for (size_t k = 0; k < rules.overrides.size(); ++k) out << (k ? ", " : "") << json_string(rules.overrides[k]);
        out << "]";
    }
    out << "}";
}

void write_summary_json(std::ostream& out, const RuleSet& rules, const RateRun& run,
                        const std::vector<const RuleSet*>& years) {
    auto totals = account_totals(rules, run);
    out << "{\n";
    if (years.empty()) {
        out << "  \"ruleset\": ";
        write_ruleset_json(out, rules);
        out << ",\n";
    } else {
        out << "  \"rulesets\": [";
        for (size_t k = 0; k < years.size(); ++k) {
            out << (k ? ",\n    " : "\n    ");
            write_ruleset_json(out, *years[k]);
        }
        out << "\n  ],\n";
    }
    out << "  \"inputs\": [";
    for (size_t i = 0; i < run.feeds.size(); ++i) {
        const FeedCount& f = run.feeds[i];
        out << (i ? ",\n    " : "\n    ") << "{\"file\": " << json_string(f.path) << ", \"rows\": " << f.rows
            << ", \"charged\": " << f.charged << ", \"rejected\": " << f.rejected << "}";
    }
    out << "\n  ],\n";
    out << "  \"records\": {\"in\": " << run.rows_in << ", \"charged\": " << run.charged
        << ", \"rejected\": " << run.rejected << ", \"identity_holds\": "
        << (run.rows_in == run.charged + run.rejected ? "true" : "false") << "},\n";
    out << "  \"rejects_by_reason\": {";
    size_t i = 0;
    for (const auto& [cat, n] : run.rejects_by_category)
        out << (i++ ? ", " : "") << json_string(cat) << ": " << n;
    out << "},\n";
    if (!run.notes.empty()) {  // (only when there are: summaries of ordinary runs keep their shape)
        out << "  \"notes\": [";
        for (size_t k = 0; k < run.notes.size(); ++k) out << (k ? ", " : "") << json_string(run.notes[k]);
        out << "],\n";
    }
    out << "  \"charges\": {\"lines\": " << run.lines.size() << ", \"accounts\": " << totals.size()
        << ", \"total\": " << json_string(total_billed(rules, run).to_string()) << "},\n";
    out << "  \"top_accounts\": [";
    for (size_t k = 0; k < totals.size() && k < 10; ++k)
        out << (k ? ",\n    " : "\n    ") << "{\"account\": " << json_string(totals[k].first)
            << ", \"charge\": " << json_string(totals[k].second.to_string()) << "}";
    out << "\n  ]\n}\n";
}

}  // namespace ratebook
