#include "interpreter/config.hpp"

#include <date/date.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

#include "engine/csv_reader.hpp"
#include "interpreter/table_types.hpp"
#include "interpreter/account_master.hpp"
#include "interpreter/normalise_config.hpp"
#include "interpreter/rule_source.hpp"
#include "interpreter/toml_span.hpp"

namespace ratebook {
namespace {

// A TOML integer, and only an integer: toml++'s value<int64_t>() also converts floats, and a
// float beyond int64's range (`fiscal_year = 20E27`) is undefined behaviour there (found by
// fuzz_config under UBSan; tests/bad_inputs/configs/float_fiscal_year.toml).
std::optional<int64_t> whole_number(const toml::node& n) {
    if (const auto* i = n.as_integer()) return i->get();
    return std::nullopt;
}

constexpr size_t max_table_rows = 1'000'000;  // account tables hold thousands; a million is a mistake


class ConfigReader {
public:
    ConfigReader(const std::shared_ptr<const SourceFile>& file, RuleSetConfig& config, Diagnostics& diags)
        : file_(file), config_(config), diags_(diags) {}

    void read(const toml::table& root) {
        static const std::vector<std::string> top_keys = {
            "name", "fiscal_year", "fiscal_year_start", "currency", "description",
            "suspense_account", "rounding", "tables", "holidays", "account_master", "normalise", "validate"};
        check_keys(root, top_keys, "");
        config_.name = text(root, "name", true);
        config_.description = text(root, "description", false);
        config_.suspense_account = text(root, "suspense_account", false);
        if (config_.suspense_account.empty()) config_.suspense_account = "99999-SUSPENSE";
        std::string currency = text(root, "currency", false);
        if (!currency.empty()) {
            bool ok = currency.size() == 3 &&
                      std::all_of(currency.begin(), currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
            if (!ok)
                error("E0303", *root.get("currency"), fmt::format("`{}` is not a currency code", currency),
                      "use a three-letter ISO 4217 code such as \"USD\"");
            else
                config_.currency = currency;
        }
        read_fiscal_year(root);
        if (auto* r = root.get("rounding")) read_rounding(*r);
        if (auto* t = root.get("tables")) read_tables(*t);
        if (const toml::node* h = root.get("holidays")) {
            config_.holiday_table = text(root, "holidays", false);
            config_.holiday_span = toml_span(file_, h->source());
        }
        if (auto* m = root.get("account_master")) read_account_master_config(file_, *m, config_, diags_);
    }

private:
    void error(const char* code, const toml::node& at, std::string message, std::string help = {}) {
        diags_.error(code, toml_span(file_, at.source()), std::move(message), std::move(help));
    }

    void check_keys(const toml::table& t, const std::vector<std::string>& allowed, const std::string& where) {
        for (auto&& [key, node] : t) {
            std::string k(key.str());
            if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
            std::string guess = closest_name(k, allowed);
            Span s = key.source().begin.line ? toml_span(file_, key.source(), static_cast<uint32_t>(k.size()))
                                  : toml_span(file_, node.source());
            diags_.error("E0301", s, fmt::format("unknown setting `{}{}`", where, k),
                         guess.empty() ? fmt::format("the settings here are: {}", fmt::join(allowed, ", "))
                                       : fmt::format("did you mean `{}`?", guess));
        }
    }

    std::string text(const toml::table& t, const char* key, bool required) {
        const toml::node* n = t.get(key);
        if (!n) {
            if (required)
                diags_.error("E0302", Span{file_, 1, 1, 0},
                             fmt::format("ratebook.toml has no `{}`", key),
                             fmt::format("add a line such as {} = \"...\"", key));
            return {};
        }
        if (auto v = n->value<std::string>()) return *v;
        error("E0303", *n, fmt::format("`{}` must be text in quotes", key));
        return {};
    }

    void read_fiscal_year(const toml::table& root) {
        const toml::node* fy = root.get("fiscal_year");
        if (!fy) {
            diags_.error("E0302", Span{file_, 1, 1, 0}, "ratebook.toml has no `fiscal_year`",
                         "add e.g. fiscal_year = 2027 (named for the year it ends in)");
        } else if (auto v = whole_number(*fy); v && *v >= 1900 && *v <= 2999) {
            config_.fiscal_year = static_cast<int>(*v);
        } else {
            error("E0303", *fy, "`fiscal_year` must be a year such as 2027");
        }
        const toml::node* start = root.get("fiscal_year_start");
        if (!start) {
            diags_.error("E0302", Span{file_, 1, 1, 0}, "ratebook.toml has no `fiscal_year_start`",
                         "add e.g. fiscal_year_start = 2026-09-01 (a date, no quotes)");
            return;
        }
        auto d = start->value<toml::date>();
        if (!d) {
            error("E0303", *start, "`fiscal_year_start` must be a date such as 2026-09-01, without quotes");
            return;
        }
        date::year_month_day ymd{date::year{d->year}, date::month{d->month}, date::day{d->day}};
        config_.fiscal_year_start = date::sys_days{ymd}.time_since_epoch().count();
        // A fiscal year is named for the year it ends in: FY2027 starts in 2026 (or on 1 Jan 2027).
        if (config_.fiscal_year && d->year != config_.fiscal_year && d->year != config_.fiscal_year - 1)
            error("E0304", *start,
                  fmt::format("fiscal year {} cannot start in {}", config_.fiscal_year, d->year),
                  "a fiscal year is named for the year it ends in: FY2027 starts on 2026-09-01");
    }

    void read_rounding(const toml::node& node) {
        const toml::table* t = node.as_table();
        if (!t) {
            error("E0303", node, "`rounding` must be a section: [rounding]");
            return;
        }
        check_keys(*t, {"mode", "places"}, "rounding.");
        if (const toml::node* m = t->get("mode")) {
            auto v = m->value<std::string>();
            auto mode = v ? rounding_mode_from_name(*v) : std::nullopt;
            if (!mode)
                error("E0305", *m, "unknown rounding mode",
                      "use one of \"half_even\", \"half_up\", \"half_down\", \"down\", \"up\", "
                      "\"ceiling\", \"floor\"");
            else
                config_.rounding = *mode;
        }
        if (const toml::node* p = t->get("places")) {
            auto v = whole_number(*p);
            if (!v || *v < 0 || *v > 6)
                error("E0303", *p, "`rounding.places` must be a whole number from 0 to 6", "cents are 2");
            else
                config_.rounding_places = static_cast<int>(*v);
        }
    }

    void read_tables(const toml::node& node) {
        const toml::table* t = node.as_table();
        if (!t) {
            error("E0303", node, "`tables` must be a section: [tables.NAME] with path = \"...\"");
            return;
        }
        for (auto&& [key, value] : *t) {
            const toml::table* spec = value.as_table();
            if (!spec) {
                error("E0303", value, fmt::format("table `{}` must be a section [tables.{}]", key.str(), key.str()));
                continue;
            }
            check_keys(*spec, {"path", "description", "key", "columns"}, fmt::format("tables.{}.", key.str()));
            TableSpec ts;
            ts.name = std::string(key.str());
            ts.span = toml_span(file_, value.source());
            ts.path = text(*spec, "path", false);
            if (ts.path.empty()) {
                error("E0302", value, fmt::format("table `{}` has no `path`", ts.name),
                      "add path = \"tables/NAME.csv\" (relative to the rule set folder)");
                continue;
            }
            read_table_columns(*spec, ts);
            config_.tables.push_back(std::move(ts));
        }
    }

    // `key = "CostCenter"` and `columns = { Heads = "quantity", Rate = "money" }`.
    void read_table_columns(const toml::table& spec, TableSpec& ts) {
        if (const toml::node* k = spec.get("key")) {
            ts.key = text(spec, "key", false);
            ts.key_span = toml_span(file_, k->source());
        }
        const toml::node* cols = spec.get("columns");
        if (!cols) return;
        const toml::table* t = cols->as_table();
        if (!t) {
            error("E0303", *cols, fmt::format("`tables.{}.columns` must map column names to types", ts.name),
                  "for example columns = { Heads = \"quantity\", Rate = \"money\" }");
            return;
        }
        for (auto&& [name, value] : *t) {
            auto word = value.value<std::string>();
            auto type = word ? column_type_from_name(*word) : std::nullopt;
            if (!type) {
                error("E0324", value,
                      fmt::format("column `{}` of table `{}` has an unknown type", name.str(), ts.name),
                      fmt::format("the types are: {}", column_type_names()));
                continue;
            }
            ts.column_types.push_back({std::string(name.str()), *type, toml_span(file_, value.source())});
        }
    }

    std::shared_ptr<const SourceFile> file_;
    RuleSetConfig& config_;
    Diagnostics& diags_;
};

}  // namespace

void read_config(const std::shared_ptr<const SourceFile>& file, RuleSetConfig& config, Diagnostics& diags) {
    try {
        toml::table root = toml::parse(file->text, file->name);
        ConfigReader(file, config, diags).read(root);
        read_normalise_config(file, config.normalise, config.validate, diags);  // normalise_config.cpp
    } catch (const toml::parse_error& e) {
        Span s = toml_span(file, e.source());
        diags.error("E0300", s, fmt::format("ratebook.toml is not valid TOML: {}", e.description()),
                    "check quotes, `=` signs and [section] headers on this line");
    }
}

void load_tables(const std::string& dir, const RuleSetConfig& config, std::vector<Table>& out,
                 Diagnostics& diags) {
    load_tables(FolderRuleSource(dir), config, out, diags);
}

void load_tables(const RuleSource& source, const RuleSetConfig& config, std::vector<Table>& out,
                 Diagnostics& diags) {
    namespace fs = std::filesystem;
    for (const TableSpec& spec : config.tables) {
        fs::path rel(spec.path);
        bool escapes = rel.is_absolute();
        for (const auto& part : rel)
            if (part == "..") escapes = true;
        if (escapes) {
            diags.error("E0307", spec.span, fmt::format("table path `{}` leaves the rule set folder", spec.path),
                        "keep tables inside the rule set, e.g. path = \"tables/accounts.csv\"");
            continue;
        }
        TempCopy copy;  // a table from git is read from a private copy, removed after loading
        SourceRead found = source.local_path(spec.path, copy);
        if (found.status == SourceRead::Status::outside) {
            diags.error("E0307", spec.span, fmt::format("table `{}` links outside the rule set folder", spec.name),
                        "copy the table into the rule set instead of linking to it");
            continue;
        }
        if (found.status != SourceRead::Status::ok) {
            diags.error("E0308", spec.span, fmt::format("cannot read table file `{}`", spec.path),
                        "check the path; it is relative to the rule set folder");
            continue;
        }
        const fs::path full = found.text;
        Table table;
        table.name = spec.name;
        table.path = spec.path;
        bool ok = true;
        try {
            // The same reader as usage feeds: quoting, BOM, CRLF and gzip all behave alike.
            CsvReader reader(full.string());
            table.columns = reader.header();
            CsvRecord rec;
            while (ok && reader.next(rec)) {
                if (!rec.error.empty()) {
                    diags.error("E0309", spec.span, fmt::format("{} line {}: {}", spec.path, rec.line, rec.error),
                                "every row needs one value per column of the header");
                    ok = false;
                } else if (table.rows.size() >= max_table_rows) {
                    diags.error("E0309", spec.span,
                                fmt::format("table `{}` has more than {} rows", spec.name, max_table_rows),
                                "split it, or keep only the rows the rules need");
                    ok = false;
                } else {
                    table.rows.emplace_back(rec.fields.begin(), rec.fields.end());
                    table.row_lines.push_back(static_cast<uint32_t>(rec.line));
                }
            }
        } catch (const FeedError& e) {
            std::string what = e.what();
            if (!copy.path().empty())  // name the table, not its temporary copy
                for (size_t at; (at = what.find(copy.path())) != std::string::npos;)
                    what.replace(at, copy.path().size(), spec.path);
            diags.error("E0309", spec.span, fmt::format("table `{}`: {}", spec.name, what),
                        "the file's first line must name the columns, each once");
            ok = false;
        }
        if (ok && !type_table(spec, table, diags)) ok = false;
        if (ok) out.push_back(std::move(table));
    }
}

}  // namespace ratebook
