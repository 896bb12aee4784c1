// The drill-down fields of a rate rule in the disassembly (and so in the content hash): only
// the fields that do not read the feed's own column, so rule sets without drill-down clauses
// disassemble (and hash) exactly as before.
#include <fmt/format.h>

#include "interpreter/disasm.hpp"

namespace ratebook {

std::string describe_drilldown(const CompiledRate& r, const RuleSet& rules, bool with_lines) {
    std::string out;
    const std::pair<const char*, const DrillDownField*> fields[] = {
        {"service", &r.drilldown.service}, {"product", &r.drilldown.product}, {"component", &r.drilldown.component}};
    for (const auto& [name, f] : fields) {
        switch (f->source) {
            case DrillDownField::Source::feed: break;
            case DrillDownField::Source::fixed:
                out += f->fixed.empty() ? fmt::format("  {} none\n", name)
                                        : fmt::format("  {} \"{}\"\n", name, f->fixed);
                break;
            case DrillDownField::Source::computed:
                out += fmt::format("  {}:\n", name);
                out += disassemble_chunk(f->chunk, rules, with_lines);
                break;
        }
    }
    return out;
}

}  // namespace ratebook
