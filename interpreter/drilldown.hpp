// Drill-down: the service, product and component of a rate rule's charge lines (issue 4).
// By default they are the feed's ServiceName, SkuId and ResourceId; a rate rule (or the rule
// set's `drilldown` block) may define any of them as a Text expression over the record.
// Compiled by interpreter/compile_drilldown.cpp, applied by engine/record_rater_drilldown.cpp.
#pragma once
#include <cstdint>
#include <string_view>

#include "grammar/source.hpp"
#include "interpreter/bytecode.hpp"

namespace ratebook {

struct DrillDownField {
    // feed: the feed's own column, read straight from the record (no VM, the common case);
    // fixed: one text for every record, a view into the rule set's interned texts;
    // computed: a Text chunk run per record.
    enum class Source : uint8_t { feed, fixed, computed } source = Source::feed;
    std::string_view fixed;
    Chunk chunk;
    bool from_rule = false;  // written in the rate rule itself (the `drilldown` block yields to it)
    Span span;               // the clause, for messages
};

struct DrillDown {
    DrillDownField service, product, component;
    // Any field not read from the feed: the engine's only extra test per record.
    bool custom = false;

    void update() {
        custom = service.source != DrillDownField::Source::feed ||
                 product.source != DrillDownField::Source::feed ||
                 component.source != DrillDownField::Source::feed;
    }
    template <typename F>
    void for_each_chunk(F f) const {
        for (const DrillDownField* d : {&service, &product, &component})
            if (d->source == DrillDownField::Source::computed) f(d->chunk);
    }
};

}  // namespace ratebook
