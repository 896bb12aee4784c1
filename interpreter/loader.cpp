#include "interpreter/loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "grammar/parser.hpp"
#include "interpreter/account_master.hpp"
#include "interpreter/compiler.hpp"
#include "interpreter/config.hpp"
#include "interpreter/disasm.hpp"
#include "interpreter/normalise_config.hpp"
#include "interpreter/sha256.hpp"
#include "interpreter/stdlib_use.hpp"
#include "interpreter/table_types.hpp"

namespace ratebook {
namespace {

namespace fs = std::filesystem;

constexpr size_t max_rule_file_bytes = 8u << 20;  // a rate card is text; 8 MiB is generous

bool read_file(const fs::path& p, std::string& out) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return true;
}

// The canonical form behind the content hash: config values, consts and bytecode without
// source positions, and table contents. Comments and layout do not change it.
std::string content_hash(const RuleSet& rules) {
    std::string canon = fmt::format("currency={} rounding={}/{} suspense={} fy={}@{}\n",
                                    rules.config.currency, rounding_mode_name(rules.config.rounding),
                                    rules.config.rounding_places, rules.config.suspense_account,
                                    rules.config.fiscal_year, rules.config.fiscal_year_start);
    if (const auto& m = rules.config.account_master)
        canon += fmt::format("account_master={}:{}:{}:{}:{}:{}\n", m->table, m->account, m->customer, m->active_from,
                             m->active_to, m->customers);
    canon += disassemble(rules, {}, false);
    for (const auto& s : rules.slas) canon += sla_canonical(s);  // not bytecode: their own canonical text
    for (const auto& t : rules.tables) {
        canon += "table " + t.name + " key " + t.key_column + "\n";
        for (size_t i = 0; i < t.columns.size(); ++i)
            canon += t.columns[i] + ":" + std::string(type_name(t.column_type(i))) + "\x1f";
        for (const auto& row : t.rows) {
            canon += "\n";
            for (const auto& v : row) canon += v + "\x1f";
        }
        canon += "\n";
    }
    canon += "holidays " + rules.config.holiday_table + "\n";
    return sha256_hex(canon);
}

std::unique_ptr<RuleSet> compile(std::unique_ptr<RuleSet> rules,
                                 const std::vector<std::shared_ptr<const SourceFile>>& sources,
                                 Diagnostics& diags, LoadStats* stats,
                                 const std::vector<ConstOverride>& overrides = {}) {
    std::vector<Module> modules;
    for (const auto& src : sources) {
        rules->files.push_back(src);
        modules.push_back(parse_rules(src, diags));
    }
    // Libraries named by `use` come first, so the folder's own rules may use their consts.
    std::vector<Module> libraries = load_used_libraries(modules, diags);
    for (const auto& lib : libraries) rules->files.push_back(lib.file);
    modules.insert(modules.begin(), std::make_move_iterator(libraries.begin()), std::make_move_iterator(libraries.end()));
    compile_modules(modules, *rules, diags, overrides);
    if (stats) {
        stats->files = sources.size();
        stats->rules = 0;
        for (const auto& m : modules) stats->rules += m.rules.size();
    }
    rules->content_hash = content_hash(*rules);
    return rules;
}

}  // namespace

std::unique_ptr<RuleSet> load_ruleset(const std::string& dir, Diagnostics& diags, LoadStats* stats,
                                      std::string display_dir, const std::vector<ConstOverride>& overrides) {
    auto rules = std::make_unique<RuleSet>();
    rules->dir = dir;
    if (display_dir.empty()) display_dir = dir;
    while (display_dir.size() > 1 && display_dir.back() == '/') display_dir.pop_back();
    auto shown = [&](const std::string& name) { return display_dir + "/" + name; };

    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        diags.error("E0310", {}, fmt::format("rule set folder `{}` does not exist", dir),
                    "pass the folder of one fiscal year, e.g. rules/FY2027");
        return rules;
    }
    std::string toml_text;
    if (!read_file(fs::path(dir) / "ratebook.toml", toml_text)) {
        diags.error("E0310", {}, fmt::format("`{}` has no ratebook.toml", dir),
                    "every rule set folder needs a ratebook.toml naming its fiscal year and currency");
        return rules;
    }
    read_config(make_source(shown("ratebook.toml"), std::move(toml_text)), rules->config, diags);
    load_tables(dir, rules->config, rules->tables, diags);
    holiday_days(rules->config, rules->tables, rules->holidays, diags);
    build_account_master(*rules, diags);
    check_normalise_tables(*rules, diags);  // normalise_config.cpp

    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.is_regular_file() && entry.path().extension() == ".rules")
            names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());  // a fixed order: same inputs, same bytes out
    if (names.empty())
        diags.error("E0311", {}, fmt::format("`{}` has no .rules files", dir),
                    "rule files end in .rules and sit directly in the rule set folder");

    std::vector<std::shared_ptr<const SourceFile>> sources;
    for (const auto& name : names) {
        std::string text;
        fs::path p = fs::path(dir) / name;
        if (fs::file_size(p, ec) > max_rule_file_bytes) {
            diags.error("E0312", {}, fmt::format("{} is larger than the 8 MiB limit for a rule file", shown(name)),
                        "split it into several files");
            continue;
        }
        if (!read_file(p, text)) {
            diags.error("E0310", {}, fmt::format("cannot read {}", shown(name)));
            continue;
        }
        sources.push_back(make_source(shown(name), std::move(text)));
    }
    return compile(std::move(rules), sources, diags, stats, overrides);
}

std::unique_ptr<RuleSet> load_ruleset_from_text(const std::string& name, const std::string& text,
                                                Diagnostics& diags, const std::string& toml) {
    auto rules = std::make_unique<RuleSet>();
    std::string config = toml.empty() ? "name = \"test\"\nfiscal_year = 2027\n"
                                        "fiscal_year_start = 2026-09-01\ncurrency = \"USD\"\n"
                                      : toml;
    read_config(make_source("ratebook.toml", config), rules->config, diags);
    return compile(std::move(rules), {make_source(name, text)}, diags, nullptr);
}

}  // namespace ratebook
