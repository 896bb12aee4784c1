#include "tests/support/evaluate.hpp"

#include "grammar/parser.hpp"
#include "interpreter/compiler.hpp"
#include "interpreter/disasm.hpp"
#include "interpreter/loader.hpp"
#include "interpreter/vm.hpp"

namespace ratebook::testing {

Evaluation evaluate(const std::string& expression, const std::string& prelude) {
    Evaluation result;
    Diagnostics diags;
    auto rules = load_ruleset_from_text("prelude.rules", prelude, diags);
    auto fail = [&] {
        for (const auto& d : diags.items())
            if (d.severity == Severity::error) {
                result.code = d.code;
                result.message = d.message;
                break;
            }
        return result;
    };
    if (diags.has_errors()) return fail();
    ExprPtr e = parse_expression(make_source("expr", expression), diags);
    if (!e || diags.has_errors()) return fail();
    Chunk chunk = compile_expression(*e, *rules, diags);
    if (diags.has_errors()) return fail();

    std::vector<Value> values(rules->slots.size());
    std::vector<uint8_t> missing(rules->slots.size(), 0);
    for (size_t i = 0; i < rules->slots.size(); ++i) {
        std::string_view name = rules->slots[i].name;
        if (name == "BilledCost") values[i] = Value::of(*Decimal::parse("12.00"));
        else if (name == "PricingQuantity") values[i] = Value::of(Decimal::from_int(1000));
        else if (name == "ServiceName") values[i] = Value::of_text("Compute");
        else if (name == "ChargePeriodStart") values[i] = Value::of_days(20731);  // 2026-10-05
        else missing[i] = 1;
    }
    Tag tags[] = {{"cost-center", "CC-0001"}};
    Record record{values.data(), missing.data(), tags, 1};
    Vm vm(*rules);
    Value out;
    VmError err;
    if (!vm.run(chunk, record, out, err)) {
        result.code = err.code;
        result.message = err.message;
        return result;
    }
    result.type = std::string(type_name(chunk.result));
    if (chunk.result == Type::percent || chunk.result == Type::money || chunk.result == Type::decimal ||
        chunk.result == Type::quantity) {
        // Exact value without trailing zeros, so tests state values, not scales.
        Value plain = Value::of(out.num.normalized());
        result.value = format_constant(chunk.result, plain, "USD");
    } else {
        result.value = format_constant(chunk.result, out, "USD");
    }
    return result;
}

}  // namespace ratebook::testing
