// The rule set's `check` rules: each record's fields are read the way rating reads them, then
// every check's condition runs on the VM; where it holds, the message is filled in with the
// record's values.
#include <fmt/format.h>

#include "engine/record_rater.hpp"
#include "engine/validate_checks.hpp"

namespace ratebook::validation {

struct RuleChecks::State {
    explicit State(const RuleSet& rules) : rater(rules) {}
    RecordRater rater;
    std::optional<FeedLayout> layout;
    RatedRecord scratch;
    std::string message;
};

RuleChecks::RuleChecks(Sink& sink) : sink_(sink) {
    if (!sink.rules().checks.empty()) state_ = std::make_unique<State>(sink.rules());
}

RuleChecks::~RuleChecks() = default;

bool RuleChecks::active() const { return state_ != nullptr; }

void RuleChecks::begin_file(const std::vector<std::string>& header, const std::string& path) {
    if (!state_) return;
    state_->layout.reset();
    try {
        state_->layout = make_layout(sink_.rules(), header, path);
    } catch (const FeedError&) {
        // FeedValidator::begin_file reports what the rules lack, once for the file.
    }
}

void RuleChecks::record(const Row& row) {
    if (!state_ || !state_->layout) return;
    State& s = *state_;
    const CsvRecord& rec = *row.rec;
    if (!s.rater.load(rec, *s.layout, s.scratch)) return;  // the schema checks report unreadable values
    for (const CompiledCheck& check : sink_.rules().checks) {
        if (!sink_.on(check.name)) continue;
        Value v;
        if (!s.rater.evaluate(check.when, v, s.scratch)) {
            sink_.add("rule-error", FindingSeverity::error, rec.line,
                      fmt::format("check \"{}\": {}", check.name, s.scratch.reason), row.billed);
            continue;
        }
        if (!v.flag) continue;
        s.message.clear();
        for (size_t i = 0; i < check.values.size(); ++i) {
            s.message += check.text[i];
            Value x;
            if (!s.rater.evaluate(check.values[i], x, s.scratch)) {
                s.message += "(empty)";
                continue;
            }
            switch (check.value_types[i]) {
                case Type::text: s.message += x.text.view(); break;
                case Type::date: s.message += show_day(x.days); break;
                case Type::boolean: s.message += x.flag ? "true" : "false"; break;
                default: s.message += x.num.to_plain_string(); break;
            }
        }
        s.message += check.text.back();
        auto severity = check.severity == CompiledCheck::Severity::error     ? FindingSeverity::error
                        : check.severity == CompiledCheck::Severity::warning ? FindingSeverity::warning
                                                                             : FindingSeverity::info;
        sink_.add(check.name, severity, rec.line, s.message, row.billed);
    }
}

}  // namespace ratebook::validation
