#include "engine/account_activity.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "engine/focus_values.hpp"

namespace ratebook {
namespace {

int find_column(const std::vector<std::string>& header, std::string_view name) {
    for (size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) return static_cast<int>(i);
    return -1;
}

void need(std::vector<std::string>& missing, const char* name) {
    if (std::find(missing.begin(), missing.end(), name) == missing.end()) missing.emplace_back(name);
}

}  // namespace

void add_activity_columns(const RuleSet& rules, const std::vector<std::string>& header, FeedLayout& layout,
                          std::vector<std::string>& missing) {
    const auto& spec = rules.config.account_master;
    bool dated_master = rules.account_master && spec && (!spec->active_from.empty() || !spec->active_to.empty());
    bool fees = std::any_of(rules.rates.begin(), rules.rates.end(), [](const CompiledRate& r) { return r.fee; });
    if (dated_master) {
        layout.charge_period_start = find_column(header, "ChargePeriodStart");
        if (layout.charge_period_start < 0) need(missing, "ChargePeriodStart");
    }
    if (fees) {
        // The month a fee is for is the invoice's: BillingPeriodStart; feeds without it give the
        // day of use instead.
        layout.billing_period_start = find_column(header, "BillingPeriodStart");
        if (layout.billing_period_start < 0) {
            layout.billing_period_start = find_column(header, "ChargePeriodStart");
            layout.billing_column = "ChargePeriodStart";
        }
        if (layout.billing_period_start < 0) need(missing, "BillingPeriodStart");
    }
}

// An account inactive on the record's day (outside every period of the account master) is not
// billed: the charge goes to the suspense account, marked with the account it mapped to, for
// the billing team to research. Codes the master does not list are left as mapped.
bool RecordRater::check_account_active(const CsvRecord& rec, const FeedLayout& layout, RatedRecord& out) {
    out.inactive_account = {};
    out.billing_day = INT32_MIN;
    std::string why;
    auto day_of = [&](int col, std::string_view name, const char* purpose, int32_t& day) {
        std::string_view v = rec.fields[col];
        if (is_null(v)) {
            out.category = "missing value";
            out.reason = fmt::format("{} is empty ({})", name, purpose);
            return false;
        }
        auto ts = parse_timestamp(v, &why);
        if (!ts) {
            out.category = "invalid date";
            out.reason = fmt::format("{} is not a valid timestamp: \"{}\" ({})", name, v, why);
            return false;
        }
        day = ts->days;
        return true;
    };
    // An empty billing period only means the record does not say which month it is billed in;
    // the other records do. A value that is not a date is an error, as for any date column.
    if (layout.billing_period_start >= 0 && !is_null(rec.fields[layout.billing_period_start]) &&
        !day_of(layout.billing_period_start, layout.billing_column, "needed for the month of the monthly fees", out.billing_day))
        return false;
    if (layout.charge_period_start < 0 || !rules_.account_master) return true;
    int32_t day = 0;
    if (!day_of(layout.charge_period_start, "ChargePeriodStart", "needed to check the account is active that day", day)) return false;
    auto active = rules_.account_master->active_on(out.account, day);
    if (!active || *active) return true;
    inactive_text_.assign(out.account);
    out.inactive_account = inactive_text_;
    out.account = rules_.config.suspense_account;
    return true;
}

}  // namespace ratebook

namespace ratebook {

std::string inactive_account_label(std::string_view account, std::string_view source) {
    return fmt::format("INACTIVE ACCOUNT {}: routed to suspense (found by {})", account, source);
}

}  // namespace ratebook
