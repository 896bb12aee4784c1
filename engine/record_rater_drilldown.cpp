// A rate rule's own service, product and component (interpreter/drilldown.hpp). Only called for
// rules that define one: the rest keep the feed's ServiceName, SkuId and ResourceId, read in
// RecordRater::rate without running anything.
//
// Lifetimes: a fixed text is a view into the rule set. A computed text is the VM's result, a
// view into the record's fields, the rule set's constants and tables, or the rater's own tag
// storage: all of them valid until the next record, like the RU, and the charge line's key is
// copied (engine/rating.cpp) before then.
#include "engine/record_rater.hpp"

namespace ratebook {

bool RecordRater::drill_down(const CompiledRate& rate, RatedRecord& out) {
    std::string_view* targets[] = {&out.service, &out.product, &out.component};
    const DrillDownField* fields[] = {&rate.drilldown.service, &rate.drilldown.product, &rate.drilldown.component};
    Value v;
    for (int i = 0; i < 3; ++i) {
        switch (fields[i]->source) {
            case DrillDownField::Source::feed: break;
            case DrillDownField::Source::fixed: *targets[i] = fields[i]->fixed; break;
            case DrillDownField::Source::computed:
                if (!run(fields[i]->chunk, v, out, &rate)) return false;
                *targets[i] = v.text.view();
                break;
        }
    }
    return true;
}

}  // namespace ratebook
