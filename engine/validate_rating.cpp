// What only rating knows: records no rate rule prices, rules failing on a record, and cost that
// lands in the suspense account because the account rule found no account for a resource.
#include <fmt/format.h>

#include "engine/outputs.hpp"
#include "engine/validate.hpp"

namespace ratebook {

void RatingFindings::on_reject(const RejectRow& r) {
    // Malformed rows, unreadable values and tags are found by the feed pass, with their column.
    std::string_view check;
    if (r.category == "no rate rule matches") check = "sku-not-priced";
    else if (r.category == "rule error" || r.category == "more than one rate rule matches") check = "rule-error";
    if (check.empty() || rules_.config.validate.skipped(check)) return;
    into_.findings.push_back(Finding{std::string(check), FindingSeverity::error, r.file, r.line,
                                     check == "sku-not-priced" ? r.reason + ": the record is rejected, not billed"
                                                               : r.reason,
                                     {}});
}

void RatingFindings::on_run(const RateRun& run) {
    if (!rules_.account || rules_.config.validate.skipped("no-account-mapping")) return;
    const std::string fallback = !rules_.account->fallback.empty() ? rules_.account->fallback_label
                                                                   : std::string("suspense_account in ratebook.toml");
    struct Unmapped {
        uint64_t records = 0;
        Decimal charge;
        std::string account;
    };
    std::map<std::string, Unmapped> by_resource;
    for (const ChargeLine& l : run.lines) {
        if (l.account_source != fallback) continue;
        Unmapped& u = by_resource[l.component];
        u.records += l.records;
        u.charge += l.charge;
        u.account = l.account;
    }
    for (const auto& [resource, u] : by_resource)
        into_.findings.push_back(Finding{
            "no-account-mapping", FindingSeverity::warning, {}, 0,
            fmt::format("{}: {} record{} charged {} to {} ({}): no account source gave an account",
                        resource.empty() ? std::string("(no ResourceId)") : resource, u.records,
                        u.records == 1 ? "" : "s", group_thousands(u.charge.rounded(2)), u.account, fallback),
            u.charge});
}

}  // namespace ratebook
