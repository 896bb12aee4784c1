#include "interpreter/columns.hpp"

namespace ratebook {

const std::vector<ColumnInfo>& focus_columns() {
    // FOCUS 1.0/1.1 columns. Kept in one list so the checker, the engine's header mapping and
    // the "did you mean" hints agree.
    static const std::vector<ColumnInfo> columns = {
        {"AvailabilityZone", Type::text},         {"BilledCost", Type::money},
        {"BillingAccountId", Type::text},         {"BillingAccountName", Type::text},
        {"BillingAccountType", Type::text},       {"BillingCurrency", Type::text},
        {"BillingPeriodEnd", Type::date},         {"BillingPeriodStart", Type::date},
        {"CapacityReservationId", Type::text},    {"CapacityReservationStatus", Type::text},
        {"ChargeCategory", Type::text},           {"ChargeClass", Type::text},
        {"ChargeDescription", Type::text},        {"ChargeFrequency", Type::text},
        {"ChargePeriodEnd", Type::date},          {"ChargePeriodStart", Type::date},
        {"CommitmentDiscountCategory", Type::text}, {"CommitmentDiscountId", Type::text},
        {"CommitmentDiscountName", Type::text},   {"CommitmentDiscountQuantity", Type::quantity},
        {"CommitmentDiscountStatus", Type::text}, {"CommitmentDiscountType", Type::text},
        {"CommitmentDiscountUnit", Type::text},   {"ConsumedQuantity", Type::quantity},
        {"ConsumedUnit", Type::text},             {"ContractedCost", Type::money},
        {"ContractedUnitPrice", Type::money},     {"EffectiveCost", Type::money},
        {"InvoiceIssuerName", Type::text},        {"ListCost", Type::money},
        {"ListUnitPrice", Type::money},           {"PricingCategory", Type::text},
        {"PricingQuantity", Type::quantity},      {"PricingUnit", Type::text},
        {"ProviderName", Type::text},             {"PublisherName", Type::text},
        {"RegionId", Type::text},                 {"RegionName", Type::text},
        {"ResourceId", Type::text},               {"ResourceName", Type::text},
        {"ResourceType", Type::text},             {"ServiceCategory", Type::text},
        {"ServiceName", Type::text},              {"ServiceSubcategory", Type::text},
        {"SkuId", Type::text},                    {"SkuMeter", Type::text},
        {"SkuPriceId", Type::text},               {"SubAccountId", Type::text},
        {"SubAccountName", Type::text},           {"SubAccountType", Type::text},
    };
    return columns;
}

std::optional<ColumnInfo> find_column(std::string_view name) {
    for (const auto& c : focus_columns())
        if (c.name == name) return c;
    return std::nullopt;
}

std::vector<std::string> focus_column_names() {
    std::vector<std::string> out;
    for (const auto& c : focus_columns()) out.emplace_back(c.name);
    return out;
}

}  // namespace ratebook
