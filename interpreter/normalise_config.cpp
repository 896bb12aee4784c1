// [normalise] and [validate] in ratebook.toml. Read in a second look at the file (it is small)
// so that config.cpp only needs to know the two section names.
#include "interpreter/normalise_config.hpp"
#include "interpreter/toml_span.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <toml++/toml.h>

#include "interpreter/columns.hpp"
#include "interpreter/ruleset.hpp"

namespace ratebook {
namespace {


class SectionReader {
public:
    SectionReader(const std::shared_ptr<const SourceFile>& file, Diagnostics& diags) : file_(file), diags_(diags) {}

    void error(const char* code, const toml::node& at, std::string message, std::string help) {
        diags_.error(code, toml_span(file_, at.source()), std::move(message), std::move(help));
    }

    bool known_keys(const toml::table& t, const std::vector<std::string>& allowed, const std::string& where) {
        bool ok = true;
        for (auto&& [key, node] : t) {
            std::string k(key.str());
            if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
            std::string guess = closest_name(k, allowed);
            error("E0340", node, fmt::format("unknown setting `{}.{}`", where, k),
                  guess.empty() ? fmt::format("the settings of [{}] are: {}", where, fmt::join(allowed, ", "))
                                : fmt::format("did you mean `{}`?", guess));
            ok = false;
        }
        return ok;
    }

    // A list of texts, e.g. nulls = ["NULL", "N/A"].
    bool texts(const toml::node& n, const std::string& what, std::vector<std::string>& out) {
        const toml::array* a = n.as_array();
        if (!a) {
            error("E0341", n, fmt::format("`{}` must be a list of texts", what), "write e.g. [\"NULL\", \"N/A\"]");
            return false;
        }
        for (const toml::node& item : *a) {
            auto v = item.value<std::string>();
            if (!v) {
                error("E0341", item, fmt::format("`{}` must hold texts in quotes", what), "write e.g. [\"NULL\"]");
                return false;
            }
            out.push_back(*v);
        }
        return true;
    }

    void percent(const toml::table& t, const char* key, Decimal& out) {
        const toml::node* n = t.get(key);
        if (!n) return;
        std::optional<Decimal> d;
        if (auto i = n->value_exact<int64_t>()) d = Decimal::from_int(*i);
        if (!d || d->sign() < 0) {
            error("E0341", *n, fmt::format("`validate.{}` must be a whole number of percent, 0 or more", key),
                  "e.g. 50 reports a provider's service whose cost moved more than 50% from last month");
            return;
        }
        out = *d;
    }

    void read_normalise(const toml::node& node, NormaliseConfig& out) {
        const toml::table* t = node.as_table();
        if (!t) {
            error("E0341", node, "`normalise` must be a section: [normalise]", "see docs/language.md, Normalisation");
            return;
        }
        known_keys(*t, {"nulls", "allowed_values", "unit_table", "tag_keys", "trim_tag_keys"}, "normalise");
        if (const toml::node* n = t->get("nulls")) {
            texts(*n, "normalise.nulls", out.nulls);
            for (const auto& s : out.nulls)
                if (s.empty())
                    error("E0342", *n, "the empty value is always a null and need not be listed",
                          "list only other spellings, such as \"NULL\"");
        }
        if (const toml::node* n = t->get("allowed_values")) {
            const toml::table* cols = n->as_table();
            if (!cols) {
                error("E0341", *n, "`normalise.allowed_values` must map columns to lists",
                      "write e.g. allowed_values.ChargeFrequency = [\"One-Time\", \"Recurring\", \"Usage-Based\"]");
            } else {
                for (auto&& [col, list] : *cols) {
                    std::string name(col.str());
                    if (!find_column(name)) {
                        std::string guess = closest_name(name, focus_column_names());
                        error("E0343", list, fmt::format("`{}` is not a FOCUS column ratebook reads", name),
                              guess.empty() ? "name a column such as ChargeFrequency or ChargeCategory"
                                            : fmt::format("did you mean `{}`?", guess));
                        continue;
                    }
                    texts(list, "normalise.allowed_values." + name, out.allowed_values[name]);
                }
            }
        }
        if (const toml::node* n = t->get("unit_table")) {
            if (auto v = n->value<std::string>()) {
                out.unit_table = *v;
                out.unit_table_span = toml_span(file_, n->source());
            }
            else
                error("E0341", *n, "`normalise.unit_table` must name a table in quotes",
                      "e.g. unit_table = \"units\", declared under [tables.units] with columns Spelling,Unit");
        }
        if (const toml::node* n = t->get("tag_keys")) {
            const toml::table* keys = n->as_table();
            if (!keys) {
                error("E0341", *n, "`normalise.tag_keys` must map keys to keys",
                      "write e.g. tag_keys = { env = \"environment\" }");
            } else {
                for (auto&& [from, to] : *keys) {
                    auto v = to.value<std::string>();
                    if (!v || v->empty()) {
                        error("E0341", to, fmt::format("tag key `{}` must map to a key in quotes", from.str()),
                              "write e.g. env = \"environment\"");
                        continue;
                    }
                    out.tag_keys[std::string(from.str())] = *v;
                }
            }
        }
        if (const toml::node* n = t->get("trim_tag_keys")) {
            if (auto v = n->value<bool>())
                out.trim_tag_keys = *v;
            else
                error("E0341", *n, "`normalise.trim_tag_keys` must be true or false", "write trim_tag_keys = true");
        }
    }

    void read_validate(const toml::node& node, ValidateConfig& out) {
        const toml::table* t = node.as_table();
        if (!t) {
            error("E0341", node, "`validate` must be a section: [validate]", "see docs/validation.md");
            return;
        }
        known_keys(*t, {"skip", "cost_change_pct", "volume_change_pct"}, "validate");
        if (const toml::node* n = t->get("skip")) {
            std::vector<std::string> ids;
            if (texts(*n, "validate.skip", ids)) {
                for (const auto& id : ids) {
                    const auto& known = validation_check_ids();
                    if (std::find(known.begin(), known.end(), id) == known.end()) {
                        std::string guess = closest_name(id, known);
                        error("E0344", *n, fmt::format("`{}` is not a check ratebook runs", id),
                              guess.empty() ? "docs/validation.md lists every check id"
                                            : fmt::format("did you mean `{}`?", guess));
                        continue;
                    }
                    out.skip.push_back(id);
                }
            }
        }
        percent(*t, "cost_change_pct", out.cost_change_pct);
        percent(*t, "volume_change_pct", out.volume_change_pct);
    }

private:
    std::shared_ptr<const SourceFile> file_;
    Diagnostics& diags_;
};

}  // namespace

const std::vector<std::string>& validation_check_ids() {
    static const std::vector<std::string> ids = {
        // schema
        "missing-column", "malformed-row", "invalid-value", "null-value", "billing-currency", "billing-period",
        // rows
        "negative-usage", "cost-without-quantity", "charge-period", "duplicate-row", "untagged-row",
        "invalid-tags", "allowed-value", "unit-spelling",
        // rating
        "sku-not-priced", "rule-error", "no-account-mapping", "inactive-account",
        // feed
        "missing-day", "missing-account-day", "cost-change", "volume-change", "control-total", "duplicate-file"};
    return ids;
}

void check_normalise_tables(const RuleSet& rules, Diagnostics& diags) {
    const NormaliseConfig& n = rules.config.normalise;
    if (n.unit_table.empty()) return;
    bool declared = std::any_of(rules.config.tables.begin(), rules.config.tables.end(),
                                [&](const TableSpec& t) { return t.name == n.unit_table; });
    if (!declared) {
        diags.error("E0345", n.unit_table_span, fmt::format("there is no table named `{}`", n.unit_table),
                    fmt::format("declare it: [tables.{}] with path = \"tables/{}.csv\" (columns Spelling,Unit)",
                                n.unit_table, n.unit_table));
        return;
    }
    const Table* t = rules.table(n.unit_table);
    if (!t) return;  // declared but unreadable: load_tables has said why
    if (!t->column_index("Spelling") || !t->column_index("Unit"))
        diags.error("E0345", n.unit_table_span,
                    fmt::format("table `{}` must have columns Spelling and Unit", n.unit_table),
                    fmt::format("its columns are: {}", fmt::join(t->columns, ", ")));
}

void read_normalise_config(const std::shared_ptr<const SourceFile>& file, NormaliseConfig& normalise,
                           ValidateConfig& validate, Diagnostics& diags) {
    toml::table root;
    try {
        root = toml::parse(file->text, file->name);
    } catch (const toml::parse_error&) {
        return;  // config.cpp has reported it
    }
    SectionReader reader(file, diags);
    if (const toml::node* n = root.get("normalise")) reader.read_normalise(*n, normalise);
    if (const toml::node* n = root.get("validate")) reader.read_validate(*n, validate);
}

}  // namespace ratebook
