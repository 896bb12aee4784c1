// The what-if comparison as text (for people), CSV (for spreadsheets) and JSON (for tools).
#pragma once
#include <ostream>

#include "engine/whatif.hpp"

namespace ratebook {

struct WhatIfReport {
    const RuleSet& current_rules;
    const RuleSet& proposed_rules;
    const WhatIfRun& run;
};

void write_whatif_text(std::ostream& out, const WhatIfReport& r);
void write_whatif_csv(std::ostream& out, const WhatIfReport& r);
void write_whatif_json(std::ostream& out, const WhatIfReport& r);

}  // namespace ratebook
