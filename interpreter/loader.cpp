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
#include "interpreter/rule_source.hpp"
#include "interpreter/sha256.hpp"
#include "interpreter/stdlib_use.hpp"
#include "interpreter/table_types.hpp"

namespace ratebook {
namespace {

namespace fs = std::filesystem;

constexpr size_t max_rule_file_bytes = 8u << 20;  // a rate card is text; 8 MiB is generous
constexpr size_t max_rule_files = 1000;            // per folder; with 20,000 rules at most (compiler.hpp)

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

std::unique_ptr<RuleSet> load_ruleset(const RuleSource& source, Diagnostics& diags, LoadStats* stats,
                                      const std::vector<ConstOverride>& overrides) {
    auto rules = std::make_unique<RuleSet>();
    if (auto* folder = dynamic_cast<const FolderRuleSource*>(&source)) rules->dir = folder->dir();
    rules->identity = source.identity();
    const std::string& where = source.display();
    auto shown = [&](const std::string& name) { return where + "/" + name; };

    SourceRead toml = source.read("ratebook.toml", max_rule_file_bytes);
    if (toml.status == SourceRead::Status::outside) {
        diags.error("E0307", {}, fmt::format("{} is a link to a file outside the rule set folder", shown("ratebook.toml")),
                    "copy the file into the folder instead of linking to it");
        return rules;
    }
    if (toml.status != SourceRead::Status::ok) {
        diags.error("E0310", {}, fmt::format("`{}` has no ratebook.toml", where),
                    "every rule set folder needs a ratebook.toml naming its fiscal year and currency");
        return rules;
    }
    read_config(make_source(shown("ratebook.toml"), std::move(toml.text)), rules->config, diags);
    load_tables(source, rules->config, rules->tables, diags);
    holiday_days(rules->config, rules->tables, rules->holidays, diags);
    build_account_master(*rules, diags);
    check_normalise_tables(*rules, diags);  // normalise_config.cpp

    std::vector<std::string> names;
    for (const auto& name : source.top_files())
        if (name.size() > 6 && name.compare(name.size() - 6, 6, ".rules") == 0) names.push_back(name);
    // top_files() is sorted: a fixed order, so the same inputs give the same bytes out.
    if (names.empty())
        diags.error("E0311", {}, fmt::format("`{}` has no .rules files", where),
                    "rule files end in .rules and sit directly in the rule set folder");
    if (names.size() > max_rule_files) {
        diags.error("E0312", {}, fmt::format("`{}` has {} .rules files; a rule set has at most {}", where, names.size(), max_rule_files),
                    "merge related rules into fewer files");
        return rules;
    }

    std::vector<std::shared_ptr<const SourceFile>> sources;
    for (const auto& name : names) {
        SourceRead file = source.read(name, max_rule_file_bytes);
        if (file.status == SourceRead::Status::too_large) {
            diags.error("E0312", {}, fmt::format("{} is larger than the 8 MiB limit for a rule file", shown(name)),
                        "split it into several files");
            continue;
        }
        if (file.status == SourceRead::Status::outside) {
            diags.error("E0307", {}, fmt::format("{} is a link to a file outside the rule set folder", shown(name)),
                        "copy the file into the folder instead of linking to it");
            continue;
        }
        if (file.status != SourceRead::Status::ok) {
            diags.error("E0310", {}, fmt::format("cannot read {}", shown(name)));
            continue;
        }
        sources.push_back(make_source(shown(name), std::move(file.text)));
    }
    return compile(std::move(rules), sources, diags, stats, overrides);
}

std::unique_ptr<RuleSet> load_ruleset(const std::string& dir, Diagnostics& diags, LoadStats* stats,
                                      std::string display_dir, const std::vector<ConstOverride>& overrides) {
    std::error_code ec;
    if (fs::is_directory(dir, ec))
        return load_ruleset(FolderRuleSource(dir, display_dir), diags, stats, overrides);
    RuleSourceError error;
    auto source = open_rule_source(dir, error);
    if (!source) {
        diags.error(error.code, {}, error.message, error.hint);
        auto rules = std::make_unique<RuleSet>();
        rules->dir = dir;
        return rules;
    }
    return load_ruleset(*source, diags, stats, overrides);
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
