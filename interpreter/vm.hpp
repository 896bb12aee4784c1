// Pass 4: the VM. Runs one Chunk over one record. It sees only bytecode, the rule set's
// constants and a Record; it cannot read files, the clock or the environment. Every chunk is
// loop-free (jumps only go forward), and an instruction budget backs that up.
#pragma once
#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "interpreter/bytecode.hpp"
#include "interpreter/ruleset.hpp"
#include "interpreter/value.hpp"

namespace ratebook {

struct Tag {
    std::string_view key;
    std::string_view value;
};

// What the VM may know about a record: values by slot (RuleSet::slots), which slots were
// empty in the feed, and the tags.
struct Record {
    const Value* columns = nullptr;
    const uint8_t* missing = nullptr;
    const Tag* tags = nullptr;
    uint32_t tag_count = 0;
};

struct VmError {
    std::string code;     // E04xx
    std::string message;  // "division by zero", "BilledCost is empty on this record"
    Span span;            // the instruction's source
};

class Vm {
public:
    static constexpr uint32_t default_budget = 10'000;  // instructions per chunk run
    static constexpr uint32_t stack_size = 256;          // the compiler refuses deeper chunks

    explicit Vm(const RuleSet& rules, uint32_t budget = default_budget)
        : rules_(rules), budget_(budget) {}

    // Runs `chunk`; on success stores the result in `out` and returns true. On a runtime
    // error (division by zero, overflow, an empty column, budget spent) fills `err`.
    bool run(const Chunk& chunk, const Record& record, Value& out, VmError& err);

    // Texts joined with `+` (join_text) are held by the VM so that results can point at them;
    // they stay valid until this is called. The record rater calls it at each new record.
    void release_texts() { texts_used_ = 0; }
    static constexpr size_t max_text_length = 65'536;  // a joined text longer than this stops the record

private:
    std::string_view keep_text(std::string_view x, std::string_view y);
    std::deque<std::string> texts_;  // a deque: growing it never moves the texts already handed out
    size_t texts_used_ = 0;

    const RuleSet& rules_;
    uint32_t budget_;
    std::array<Value, stack_size> stack_;
};

}  // namespace ratebook
