// `ratebook accounts --rules DIR`: the account master as the rule set sees it: every row (code,
// customer, active dates), the validation findings (duplicates, overlapping periods, codes
// missing from the customer list), and the rule-set lines that use the table.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>

#include "cli/command.hpp"
#include "grammar/diagnostic.hpp"
#include "interpreter/disasm.hpp"
#include "interpreter/loader.hpp"

namespace ratebook::cli {
namespace {

std::string date_or_open(const std::optional<int32_t>& d) { return d ? format_date(*d) : "-"; }

bool word_at(std::string_view line, size_t at, std::string_view word) {
    auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    return (at == 0 || !ident(line[at - 1])) && (at + word.size() >= line.size() || !ident(line[at + word.size()]));
}

// Where the rule files use the master: compiled references first (what they do), then any
// other line naming the table (a lookup written another way), without repeating a line.
std::vector<std::string> uses_of(const RuleSet& rules, const AccountMaster& master) {
    const std::string& name = rules.tables[master.table].name;
    std::map<std::pair<std::string, uint32_t>, std::string> found;  // file, line -> what
    if (rules.account) {
        for (const auto& s : rules.account->sources)
            if (s.lookup && s.lookup->table == master.table)
                found[{s.span.file->name, s.span.line}] =
                    fmt::format("account \"{}\": from {} (lookup {}.{} -> {})", rules.account->name, s.label, name,
                                s.lookup->key_column, s.lookup->value_column);
    }
    for (const auto& r : rules.rates)
        if (r.fee)
            found[{r.kind_span.file->name, r.kind_span.line}] =
                fmt::format("fee \"{}\": charged to every account active in the month{}", r.name,
                            r.fee->prorate ? ", prorated by days of service" : "");
    for (const auto& f : rules.files) {
        uint32_t n = 0;
        std::string_view text = f->text;
        size_t pos = 0;
        while (pos <= text.size()) {
            size_t end = text.find('\n', pos);
            if (end == std::string_view::npos) end = text.size();
            std::string_view line = text.substr(pos, end - pos);
            ++n;
            std::string_view code = line.substr(0, line.find('#'));  // comments do not use the table
            for (size_t at = code.find(name); at != std::string_view::npos; at = code.find(name, at + 1)) {
                if (!word_at(code, at, name)) continue;
                found.try_emplace({f->name, n}, fmt::format("names the table: {}", std::string(code.substr(code.find_first_not_of(" \t")))));
                break;
            }
            pos = end + 1;
        }
    }
    std::vector<std::string> out;
    for (const auto& [where, what] : found) out.push_back(fmt::format("{}:{}: {}", where.first, where.second, what));
    return out;
}

}  // namespace

int run_accounts(const Args& args) {
    auto dir = args.value("--rules");
    if (!dir) {
        fmt::print(stderr, "ratebook accounts: --rules DIR is required (see --help)\n");
        return exit_bad_input;
    }
    Diagnostics diags;
    auto rules = load_ruleset(*dir, diags);
    diags.sort();
    if (!rules->account_master) {
        fmt::print(stderr, "{}", render(diags));
        if (!rules->config.account_master && !diags.has_errors())
            fmt::print(stderr, "ratebook accounts: {} declares no account master: add [account_master] with "
                               "table = \"NAME\" to its ratebook.toml\n", *dir);
        return exit_errors;
    }
    const AccountMaster& master = *rules->account_master;
    const Table& table = rules->tables[master.table];
    fmt::print("account master: table {} ({}), {} rows, {} account codes\n", table.name, table.path,
               master.periods.size(), master.by_code.size());
    size_t width = 4;
    for (const auto& p : master.periods) width = std::max(width, p.code.size());
    fmt::print("  {:<{}}  {:<11}  {:<10}  {}\n", "code", width, "active from", "active to", "customer");
    for (const auto& p : master.periods)
        fmt::print("  {:<{}}  {:<11}  {:<10}  {}\n", p.code, width, date_or_open(p.from), date_or_open(p.until),
                   p.customer);
    fmt::print("used by:\n");
    for (const auto& u : uses_of(*rules, master)) fmt::print("  {}\n", u);
    if (rules->config.account_master && (!rules->config.account_master->active_from.empty() ||
                                         !rules->config.account_master->active_to.empty()))
        fmt::print("  every rate rule: usage of an account inactive on its ChargePeriodStart is routed to {}\n",
                   rules->config.suspense_account);
    fmt::print(stderr, "{}", render(diags));
    if (diags.has_errors()) {
        fmt::print("validation: {} error{} (above)\n", diags.error_count(), diags.error_count() == 1 ? "" : "s");
        return exit_errors;
    }
    fmt::print("validation: ok (no duplicates, no overlapping dates{})\n",
               rules->config.account_master->customers.empty() ? "" : ", every code in the customer list");
    return exit_ok;
}

}  // namespace ratebook::cli
