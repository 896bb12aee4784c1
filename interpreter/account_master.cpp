#include "interpreter/account_master.hpp"

#include <date/date.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "interpreter/disasm.hpp"
#include "interpreter/toml_span.hpp"

namespace ratebook {
namespace {


std::string describe(const AccountPeriod& p) {
    return fmt::format("{}..{}", p.from ? format_date(*p.from) : "", p.until ? format_date(*p.until) : "");
}

}  // namespace

void read_account_master_config(const std::shared_ptr<const SourceFile>& file, const toml::node& node,
                                RuleSetConfig& config, Diagnostics& diags) {
    const toml::table* t = node.as_table();
    if (!t) {
        diags.error("E0313", toml_span(file, node.source()), "`account_master` must be a section: [account_master]",
                    "with table = \"accounts\" naming a table of [tables.NAME]");
        return;
    }
    static const std::vector<std::string> keys = {"table", "account", "customer", "active_from", "active_to",
                                                  "customers"};
    AccountMasterSpec spec;
    spec.span = toml_span(file, node.source());
    bool ok = true;
    for (auto&& [key, value] : *t) {
        std::string k(key.str());
        Span at = toml_span(file, key.source());
        at.length = static_cast<uint32_t>(k.size());
        if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
            std::string guess = closest_name(k, keys);
            diags.error("E0301", at, fmt::format("unknown setting `account_master.{}`", k),
                        guess.empty() ? fmt::format("the settings here are: {}", fmt::join(keys, ", "))
                                      : fmt::format("did you mean `{}`?", guess));
            continue;  // reported; the rest of the section is still checked
        }
        auto v = value.value<std::string>();
        if (!v || v->empty()) {
            diags.error("E0313", toml_span(file, value.source()),
                        fmt::format("`account_master.{}` must be a name in quotes", k),
                        k == "table" || k == "customers" ? "the name of a table declared under [tables.NAME]"
                                                         : "the name of a column of the account table");
            ok = false;
            continue;
        }
        if (k == "table") spec.table = *v;
        else if (k == "account") spec.account = *v;
        else if (k == "customer") spec.customer = *v;
        else if (k == "active_from") spec.active_from = *v;
        else if (k == "active_to") spec.active_to = *v;
        else spec.customers = *v;
    }
    if (ok && spec.table.empty()) {
        diags.error("E0313", spec.span, "[account_master] has no `table`",
                    "add table = \"accounts\": the table of [tables.NAME] that lists the account codes");
        ok = false;
    }
    if (ok) config.account_master = std::move(spec);
}

std::optional<int32_t> parse_master_date(std::string_view text, bool& ok) {
    ok = true;
    if (text.empty()) return std::nullopt;
    auto digits = [&](size_t at, size_t n, int& out) {
        out = 0;
        for (size_t i = at; i < at + n; ++i) {
            if (text[i] < '0' || text[i] > '9') return false;
            out = out * 10 + (text[i] - '0');
        }
        return true;
    };
    int y = 0, m = 0, d = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(0, 4, y) || !digits(5, 2, m) ||
        !digits(8, 2, d)) {
        ok = false;
        return std::nullopt;
    }
    date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)}, date::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) {
        ok = false;
        return std::nullopt;
    }
    return date::sys_days{ymd}.time_since_epoch().count();
}

void build_account_master(RuleSet& rules, Diagnostics& diags) {
    if (!rules.config.account_master) return;
    const AccountMasterSpec& spec = *rules.config.account_master;
    auto table_index = [&](const std::string& name) -> std::optional<uint32_t> {
        for (uint32_t i = 0; i < rules.tables.size(); ++i)
            if (rules.tables[i].name == name) return i;
        return std::nullopt;
    };
    auto missing_table = [&](const std::string& name) {
        bool declared = std::any_of(rules.config.tables.begin(), rules.config.tables.end(),
                                    [&](const TableSpec& t) { return t.name == name; });
        if (declared) return;  // declared but unreadable: already reported by load_tables
        diags.error("E0313", spec.span, fmt::format("[account_master] names table `{}`, which is not declared", name),
                    fmt::format("declare it: [tables.{}] path = \"tables/{}.csv\"", name, name));
    };
    auto t = table_index(spec.table);
    if (!t) return missing_table(spec.table);
    const Table& table = rules.tables[*t];
    auto column = [&](const std::string& name, const char* key) -> std::optional<size_t> {
        if (name.empty()) return std::nullopt;
        if (auto c = table.column_index(name)) return c;
        std::string guess = closest_name(name, table.columns);
        diags.error("E0313", spec.span,
                    fmt::format("account_master.{} = \"{}\": table `{}` has no such column", key, name, table.name),
                    guess.empty() ? fmt::format("its columns are: {}", fmt::join(table.columns, ", "))
                                  : fmt::format("did you mean `{}`?", guess));
        return std::nullopt;
    };
    auto code_col = column(spec.account, "account");
    auto customer_col = column(spec.customer, "customer");
    auto from_col = column(spec.active_from, "active_from");
    auto to_col = column(spec.active_to, "active_to");
    if (!code_col || !customer_col || (!spec.active_from.empty() && !from_col) ||
        (!spec.active_to.empty() && !to_col))
        return;
    // A table with active-date columns the settings do not name would bill every account every
    // day, and prorate no fee: almost always a forgotten setting, so say so.
    for (auto [setting, key] : {std::pair{&spec.active_from, "active_from"}, std::pair{&spec.active_to, "active_to"}}) {
        if (!setting->empty()) continue;
        for (const std::string& c : table.columns) {
            std::string folded;
            for (char ch : c)
                if (std::isalnum(static_cast<unsigned char>(ch))) folded += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            std::string wanted = key == std::string("active_from") ? "activefrom" : "activeto";
            if (folded == wanted)
                diags.warning("W0319", spec.span,
                              fmt::format("table `{}` has a column `{}`, but [account_master] has no `{}`: its dates "
                                          "are not used (every account is active every day)", table.name, c, key),
                              fmt::format("add `{} = \"{}\"` under [account_master]", key, c));
        }
    }
    AccountMaster master;
    master.table = *t;
    auto where = [&](uint32_t line) { return fmt::format("{} line {}", table.path, line); };
    for (size_t r = 0; r < table.rows.size(); ++r) {
        const auto& row = table.rows[r];
        AccountPeriod p;
        p.code = row[*code_col];
        p.customer = row[*customer_col];
        p.line = table.row_lines[r];
        if (p.code.empty()) {
            diags.error("E0318", spec.span, fmt::format("{}: the account code is empty", where(p.line)),
                        "every row of the account master names an account code");
            continue;
        }
        bool dates_ok = true;
        for (auto [col, key, out] : {std::tuple{from_col, "active_from", &p.from}, std::tuple{to_col, "active_to", &p.until}}) {
            if (!col) continue;
            bool good = true;
            *out = parse_master_date(row[*col], good);
            if (good) continue;
            diags.error("E0314", spec.span,
                        fmt::format("{}: {} \"{}\" of account {} is not a date", where(p.line), table.columns[*col],
                                    row[*col], p.code),
                        "write dates as YYYY-MM-DD, e.g. 2026-10-15, or leave the cell empty for an open end");
            dates_ok = false;
        }
        if (!dates_ok) {
            continue;
        }
        if (p.from && p.until && *p.until < *p.from) {
            diags.error("E0315", spec.span,
                        fmt::format("{}: account {} is active to {}, before it is active from {}", where(p.line),
                                    p.code, format_date(*p.until), format_date(*p.from)),
                        "swap the dates, or correct the one that is wrong");
            continue;
        }
        auto& seen = master.by_code[p.code];
        for (uint32_t other : seen) {
            const AccountPeriod& q = master.periods[other];
            bool overlap = (!p.from || !q.until || *p.from <= *q.until) && (!q.from || !p.until || *q.from <= *p.until);
            if (!overlap) continue;
            bool same = p.from == q.from && p.until == q.until;
            diags.error("E0316", spec.span,
                        same ? fmt::format("account {} is listed twice: {} and {} ({})", p.code, where(q.line), where(p.line),
                                           describe(p))
                             : fmt::format("account {} has overlapping active dates: {} ({}) and {} ({})", p.code,
                                           where(q.line), describe(q), where(p.line), describe(p)),
                        same ? "delete one of the two rows"
                             : "a code's periods must not overlap: end one the day before the next begins");
        }
        seen.push_back(static_cast<uint32_t>(master.periods.size()));
        master.periods.push_back(std::move(p));
    }
    if (!spec.customers.empty()) {
        auto c = table_index(spec.customers);
        if (!c) {
            missing_table(spec.customers);
        } else {
            const Table& list = rules.tables[*c];
            auto col = list.column_index(spec.account);
            if (!col) {
                diags.error("E0313", spec.span,
                            fmt::format("the customer list `{}` has no column {}", list.name, spec.account),
                            "the customer list names its account codes in a column of the same name as the master's");
                } else {
                std::unordered_set<std::string> known;
                for (const auto& row : list.rows) known.insert(row[*col]);
                for (const auto& p : master.periods) {
                    if (known.count(p.code)) continue;
                    diags.error("E0317", spec.span,
                                fmt::format("{}: account {} ({}) is not in the customer list `{}` ({})", where(p.line),
                                            p.code, p.customer, list.name, list.path),
                                "add the customer to the list, or correct the code");
                        }
            }
        }
    }
    // Kept even when a row is wrong (the errors stop rating): `ratebook accounts` lists it.
    rules.account_master = std::move(master);
}

}  // namespace ratebook
