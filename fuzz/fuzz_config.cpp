// Fuzz target: ratebook.toml (toml++ and the config checker), then a tiny rule set compiled
// against whatever config was accepted. Never a crash; every refusal is an E03xx diagnostic.
#include <cstddef>
#include <cstdint>
#include <string>

#include "grammar/diagnostic.hpp"
#include "interpreter/config.hpp"
#include "interpreter/loader.hpp"

using namespace ratebook;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 16 * 1024) return 0;
    std::string text(reinterpret_cast<const char*>(data), size);
    {
        RuleSetConfig config;
        Diagnostics diags;
        read_config(make_source("ratebook.toml", text), config, diags);
        (void)render(diags);
        if (!diags.has_errors()) {
            if (config.rounding_places < 0 || config.rounding_places > 18) __builtin_trap();
        }
    }
    if (text.empty()) return 0;  // empty means "default config" to load_ruleset_from_text
    Diagnostics diags;
    auto rules = load_ruleset_from_text(
        "fuzz.rules",
        "const fee = 4.5%\n"
        "rate \"r\" {\n  match ServiceName == \"x\"\n  ru \"R\"\n  charge BilledCost * (1 + fee)\n}\n",
        diags, text);
    (void)render(diags);
    return 0;
}
