// The validation report: report.txt for a reader (grouped by check, errors first, the first
// few examples with file and line), findings.csv (every finding) and findings.json.
#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "engine/outputs.hpp"
#include "engine/validate.hpp"

namespace ratebook {
namespace {

constexpr size_t examples_per_check = 5;

std::string where(const Finding& f) {
    if (f.file.empty()) return "(the month)";
    if (f.line == 0) return f.file;
    return fmt::format("{}:{}", f.file, f.line);
}

std::string plural(size_t n, const char* one, const char* many) {
    return fmt::format("{} {}", group_thousands(Decimal::from_int(static_cast<int64_t>(n))), n == 1 ? one : many);
}

// Feed text quoted in messages may hold control bytes (a NUL, a line break in a quoted field):
// shown as \xNN so that each finding stays one readable line.
std::string printable(std::string_view s) {
    std::string out;
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) out += fmt::format("\\x{:02X}", u);
        else out += c;
    }
    return out;
}

std::string count_text(size_t n) {
    std::string s = group_thousands(Decimal::from_int(static_cast<int64_t>(n)));
    return s;
}

}  // namespace

void order_findings(Validation& v, const std::vector<std::string>& files) {
    auto rank = [&](const Finding& f) {
        auto it = std::find(files.begin(), files.end(), f.file);
        return static_cast<size_t>(it - files.begin());  // month-wide findings (no file) last
    };
    std::stable_sort(v.findings.begin(), v.findings.end(), [&](const Finding& a, const Finding& b) {
        size_t ra = rank(a), rb = rank(b);
        if (ra != rb) return ra < rb;
        if (a.line != b.line) return a.line < b.line;
        return a.check < b.check;
    });
}

std::string validation_report(const Validation& v, const std::vector<std::string>& accepted) {
    std::ostringstream out;
    const size_t errors = v.count(FindingSeverity::error), warnings = v.count(FindingSeverity::warning),
                 infos = v.count(FindingSeverity::info);
    out << fmt::format("feed validation: {} rows{}\n", count_text(v.rows),
                       v.month.empty() ? std::string() : ", month billed " + v.month);
    out << fmt::format("findings: {} error{}, {} warning{}, {} info (`ratebook validate` exits {})\n", count_text(errors),
                       errors == 1 ? "" : "s", count_text(warnings), warnings == 1 ? "" : "s", count_text(infos),
                       v.exit_status());
    for (FindingSeverity s : {FindingSeverity::error, FindingSeverity::warning, FindingSeverity::info}) {
        std::vector<std::string> ids;
        for (const auto& f : v.findings)
            if (f.severity == s && std::find(ids.begin(), ids.end(), f.check) == ids.end()) ids.push_back(f.check);
        if (ids.empty()) continue;
        std::sort(ids.begin(), ids.end());
        out << fmt::format("\n{}\n", s == FindingSeverity::error     ? "ERRORS"
                                       : s == FindingSeverity::warning ? "WARNINGS"
                                                                       : "INFO");
        for (const auto& id : ids) {
            size_t n = 0;
            Decimal amount;
            std::vector<const Finding*> first;
            for (const auto& f : v.findings) {
                if (f.severity != s || f.check != id) continue;
                ++n;
                amount += f.amount.abs();  // a credit affects as many dollars as a charge
                if (first.size() < examples_per_check) first.push_back(&f);
            }
            bool is_accepted = std::find(accepted.begin(), accepted.end(), id) != accepted.end();
            out << fmt::format("\n  {}: {}, {} affected{}\n", id, plural(n, "finding", "findings"),
                               group_thousands(amount.rounded(2)), is_accepted ? " (accepted with --accept-errors)" : "");
            for (const Finding* f : first) out << fmt::format("    {}  {}\n", where(*f), printable(f->message));
            if (n > first.size()) out << fmt::format("    ... and {} more in findings.csv\n", count_text(n - first.size()));
        }
    }
    if (!v.normalised.empty()) {
        out << "\nNORMALISED (ratebook.toml [normalise], applied before rating)\n";
        for (const auto& [what, n] : v.normalised) out << fmt::format("  {:>9}  {}\n", count_text(n), what);
    }
    return out.str();
}

void write_validation(OutputFolder& folder, const Validation& v, const std::vector<std::string>& accepted) {
    folder.open("report.txt") << validation_report(v, accepted);
    std::ostream& csv = folder.open("findings.csv");
    csv << "check,severity,file,line,amount,message\n";
    for (const auto& f : v.findings)
        csv << csv_field(f.check) << ',' << severity_name(f.severity) << ',' << csv_field(f.file) << ','
            << (f.line ? std::to_string(f.line) : std::string()) << ',' << f.amount.rounded(2).to_string()
            << ',' << csv_field(f.message) << '\n';
    std::ostream& json = folder.open("findings.json");
    json << "{\n  \"month\": " << json_string(v.month) << ",\n  \"rows\": " << v.rows
         << ",\n  \"errors\": " << v.count(FindingSeverity::error)
         << ",\n  \"warnings\": " << v.count(FindingSeverity::warning)
         << ",\n  \"info\": " << v.count(FindingSeverity::info) << ",\n  \"exit_status\": " << v.exit_status()
         << ",\n  \"accepted_errors\": [";
    for (size_t i = 0; i < accepted.size(); ++i) json << (i ? ", " : "") << json_string(accepted[i]);
    json << "],\n  \"normalised\": {";
    size_t i = 0;
    for (const auto& [what, n] : v.normalised) json << (i++ ? "," : "") << "\n    " << json_string(what) << ": " << n;
    json << (v.normalised.empty() ? "" : "\n  ") << "},\n  \"findings\": [";
    i = 0;
    for (const auto& f : v.findings)
        json << (i++ ? "," : "") << "\n    {\"check\": " << json_string(f.check)
             << ", \"severity\": " << json_string(severity_name(f.severity)) << ", \"file\": " << json_string(f.file)
             << ", \"line\": " << f.line << ", \"amount\": " << json_string(f.amount.rounded(2).to_string())
             << ", \"message\": " << json_string(f.message) << "}";
    json << (v.findings.empty() ? "" : "\n  ") << "]\n}\n";
}

}  // namespace ratebook
