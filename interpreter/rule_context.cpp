#include "interpreter/rule_context.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace ratebook {

std::map<std::string, const Clause*> RuleContext::sort_clauses(const RuleDecl& r,
                                                               const std::vector<ClauseSpec>& specs) {
    std::map<std::string, const Clause*> found;
    std::set<std::string> misspelt;
    std::vector<std::string> names;
    for (const auto& s : specs) names.emplace_back(s.keyword);
    for (const Clause& c : r.clauses) {
        bool known = std::any_of(specs.begin(), specs.end(),
                                 [&](const ClauseSpec& s) { return s.keyword == c.keyword; });
        if (!known) {
            std::string guess = closest_name(c.keyword, names);
            misspelt.insert(guess);
            diags.error("E0215", c.keyword_span, fmt::format("a {} rule has no `{}` clause", r.kind, c.keyword),
                        guess.empty() ? fmt::format("its clauses are: {}", fmt::join(names, ", "))
                                      : fmt::format("did you mean `{}`?", guess));
            continue;
        }
        const ClauseSpec& spec = *std::find_if(specs.begin(), specs.end(),
                                               [&](const ClauseSpec& s) { return s.keyword == c.keyword; });
        if (c.price && !spec.priced) {
            diags.error("E0215", c.price_span, fmt::format("`{}` takes no price: `at` belongs to tier lines", c.keyword),
                        "tier lines read `first 50,000 at $0.023`, `next ...`, `over at ...`");
            continue;
        }
        if (!c.value && !spec.priced) {
            diags.error("E0104", c.keyword_span, fmt::format("expected a value after `{}`", c.keyword));
            continue;
        }
        if (found.count(c.keyword) && spec.repeatable) continue;
        if (found.count(c.keyword)) {
            diags.add(Diagnostic{Severity::error, "E0216",
                                 fmt::format("`{}` is given twice in this {} rule", c.keyword, r.kind),
                                 c.keyword_span, "keep one of them",
                                 {fmt::format("first given at {}", found[c.keyword]->keyword_span.where())}});
            continue;
        }
        found[c.keyword] = &c;
    }
    for (const auto& s : specs) {
        std::string key(s.keyword);
        if (s.required && !found.count(key) && !misspelt.count(key))
            diags.error("E0217", r.name_span.valid() ? r.name_span : r.kind_span,
                        fmt::format("this {} rule has no `{}` clause", r.kind, s.keyword),
                        fmt::format("add a line `{} ...` inside the braces", s.keyword));
    }
    return found;
}

bool RuleContext::check_unique_name(const RuleDecl& r) {
    auto [it, inserted] = rule_names_.emplace(r.kind + "\x1f" + r.name, r.name_span);
    if (inserted) return true;
    diags.add(Diagnostic{Severity::error, "E0219",
                         fmt::format("there is already a {} rule named \"{}\"", r.kind, r.name), r.name_span,
                         "rule names identify charges on invoices; make each one unique",
                         {fmt::format("first defined at {}", it->second.where())}});
    return false;
}

std::string RuleContext::source_text(const Span& s) {
    return std::string(s.file->line_text(s.line).substr(s.column - 1, s.length));
}

}  // namespace ratebook
