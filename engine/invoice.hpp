// The invoice view: charge lines rolled up to the level the analyst asks for (`--by
// account,ru` by default; any of account, ru, service, product, component, in order). Each
// invoice line is the sum of its billed charge lines, so the invoice adds up to exactly the
// charges; volumes are summed per unit, so different units are never added together.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "engine/rating.hpp"
#include "interpreter/ruleset.hpp"

namespace ratebook {

enum class InvoiceKey { account, ru, service, product, component };

// Parses "account,ru,service"; false with a message naming the bad word.
bool parse_invoice_keys(const std::string& spec, std::vector<InvoiceKey>& out, std::string& error);

void write_invoice_csv(std::ostream& out, const RuleSet& rules, const RateRun& run,
                       const std::vector<InvoiceKey>& keys);

}  // namespace ratebook
