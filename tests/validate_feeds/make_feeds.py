#!/usr/bin/env python3
"""Writes the feed validation corpus: a clean month (clean.csv) and one broken copy per problem.
Run from this folder; the CSVs are committed, so this is only needed to change the corpus."""
import csv, io

COLS = ("BillingAccountId,SubAccountId,ProviderName,PublisherName,InvoiceIssuerName,ServiceCategory,"
        "ServiceName,SkuId,SkuPriceId,ResourceId,RegionId,ChargeCategory,ChargeClass,ChargeDescription,"
        "ChargeFrequency,ChargePeriodStart,ChargePeriodEnd,BillingPeriodStart,BillingPeriodEnd,PricingQuantity,"
        "PricingUnit,ConsumedQuantity,ConsumedUnit,ListCost,ContractedCost,BilledCost,EffectiveCost,"
        "BillingCurrency,Tags").split(",")

def row(provider, day, **kw):
    aws = provider == "AWS"
    r = {
        "BillingAccountId": "111111111111" if aws else "EA-2222",
        "SubAccountId": "SA-AWS-1" if aws else "SA-AZ-1",
        "ProviderName": provider, "PublisherName": provider, "InvoiceIssuerName": provider,
        "ServiceCategory": "Compute" if aws else "Storage",
        "ServiceName": "Amazon EC2" if aws else "Azure Disks",
        "SkuId": "EC2-M5" if aws else "DISK-P10", "SkuPriceId": "EC2-M5-OD" if aws else "DISK-P10-LRS",
        "ResourceId": "i-0001" if aws else "disk-01", "RegionId": "us-east-1" if aws else "eastus",
        "ChargeCategory": "Usage", "ChargeClass": "", "ChargeDescription": "m5.large" if aws else "P10 disk",
        "ChargeFrequency": "Usage-Based",
        "ChargePeriodStart": f"2026-10-{day:02}T00:00:00Z",
        "ChargePeriodEnd": (f"2026-10-{day + 1:02}T00:00:00Z" if day < 31 else "2026-11-01T00:00:00Z"),
        "BillingPeriodStart": "2026-10-01T00:00:00Z", "BillingPeriodEnd": "2026-11-01T00:00:00Z",
        "PricingQuantity": "24" if aws else "1", "PricingUnit": "Hours" if aws else "GB-Months",
        "ConsumedQuantity": "24" if aws else "1", "ConsumedUnit": "Hours" if aws else "GB-Months",
        "ListCost": "10.00" if aws else "2.50", "ContractedCost": "10.00" if aws else "2.50",
        "BilledCost": "10.00" if aws else "2.50", "EffectiveCost": "10.00" if aws else "2.50",
        "BillingCurrency": "USD",
        "Tags": '{"cost-center":"CC-0001"}' if aws else '{"cost-center":"CC-0002"}',
    }
    r.update(kw)
    return r

def month(skip=()):
    rows = []
    for day in range(1, 32):
        for p in ("AWS", "Azure"):
            if (p, day) not in skip:
                rows.append(row(p, day))
    return rows

def write(name, rows, cols=COLS, raw_lines=()):
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=cols, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow(r)
    text = out.getvalue()
    for line in raw_lines:
        text += line + "\n"
    open(name, "w").write(text)

clean = month()
write("clean.csv", clean)
write("duplicate_file.csv", clean)
write("control_total.csv", clean)
write("control_total_cent_off.csv", clean)
write("missing_column.csv", clean, [c for c in COLS if c not in ("BillingCurrency", "ChargePeriodEnd")])
# A row one field short (the Tags column lost).
buf = io.StringIO(); csv.writer(buf, lineterminator="").writerow([row("AWS", 9)[c] for c in COLS[:-1]])
write("malformed_row.csv", clean, raw_lines=[buf.getvalue()])
write("invalid_value.csv", clean + [row("AWS", 3, BilledCost="12.5O", ResourceId="i-0002")])
write("null_value.csv", clean + [row("Azure", 4, EffectiveCost="NULL", ResourceId="disk-02")])
write("billing_currency.csv", clean + [row("Azure", 5, BillingCurrency="EUR", ResourceId="disk-03"),
                                       row("Azure", 6, BillingCurrency="EUR", ResourceId="disk-03")])
write("billing_period.csv", clean + [row("AWS", 30, ResourceId="i-0003", ChargePeriodStart="2026-09-30T00:00:00Z",
                                         ChargePeriodEnd="2026-10-01T00:00:00Z",
                                         BillingPeriodStart="2026-09-01T00:00:00Z",
                                         BillingPeriodEnd="2026-10-01T00:00:00Z")])
write("negative_usage.csv", clean + [row("AWS", 7, ResourceId="i-0004", PricingQuantity="-2", ConsumedQuantity="-2",
                                         BilledCost="-0.83", ListCost="-0.83", ContractedCost="-0.83",
                                         EffectiveCost="-0.83")])
write("cost_without_quantity.csv", clean + [row("AWS", 8, ResourceId="i-0005", PricingQuantity="NULL",
                                                ConsumedQuantity="", BilledCost="4.00")])
write("charge_period.csv", clean + [row("AWS", 31, ResourceId="i-0006", ChargePeriodEnd="2026-11-01T01:00:00Z")])
write("duplicate_row.csv", clean + [dict(clean[4])])
write("untagged_row.csv", clean + [row("AWS", 10, ResourceId="i-0007", Tags="")])
write("invalid_tags.csv", clean + [row("AWS", 11, ResourceId="i-0008", Tags='{"cost-center":')])
write("allowed_value.csv", clean + [row("AWS", 12, ResourceId="i-0009", ChargeFrequency="Usage-based")])
write("unit_spelling.csv", clean + [row("AWS", 13, ResourceId="i-0010", PricingUnit="Hour", ConsumedUnit="Hour")])
write("sku_not_priced.csv", clean + [row("AWS", 14, ResourceId="q-0001", ServiceCategory="Other",
                                         ServiceName="Amazon Quantum", SkuId="QPU-1", SkuPriceId="QPU-1-OD")])
write("no_account_mapping.csv", clean + [row("Azure", 15, ResourceId="disk-04", Tags='{"cost-center":"CC-9999"}')])
write("missing_day.csv", month(skip={("AWS", 15), ("AWS", 16)}))
write("large_charge.csv", clean + [row("AWS", 17, ResourceId="i-0011", BilledCost="1500.00")])
# Last month (September, 30 days) for the variance case: AWS cost half of October's, and an
# account SA-AWS-2 with rows on the 1st to 3rd that October lacks.
prior = []
for day in range(1, 31):
    for p in ("AWS", "Azure"):
        r = row(p, day, BilledCost="5.00" if p == "AWS" else "2.50")
        r["ChargePeriodStart"] = f"2026-09-{day:02}T00:00:00Z"
        r["ChargePeriodEnd"] = f"2026-09-{day + 1:02}T00:00:00Z" if day < 30 else "2026-10-01T00:00:00Z"
        r["BillingPeriodStart"], r["BillingPeriodEnd"] = "2026-09-01T00:00:00Z", "2026-10-01T00:00:00Z"
        prior.append(r)
for day in (1, 2, 3):
    r = row("AWS", day, SubAccountId="SA-AWS-2", ResourceId="i-0900")
    r["ChargePeriodStart"] = f"2026-09-{day:02}T00:00:00Z"
    r["ChargePeriodEnd"] = f"2026-09-{day + 1:02}T00:00:00Z"
    r["BillingPeriodStart"], r["BillingPeriodEnd"] = "2026-09-01T00:00:00Z", "2026-10-01T00:00:00Z"
    prior.append(r)
write("prior/september.csv", prior)
write("variance.csv", clean)
# Normalisation declared in rules_normalise: N/A null, a lower-case allowed value, a unit
# alias and tag keys with an alias and a stray space (which then map to accounts).
write("normalise.csv", clean + [
    row("AWS", 18, ResourceId="i-0012", ChargeFrequency="usage-based", PricingUnit="Hrs", ConsumedUnit="Hrs"),
    row("AWS", 19, ResourceId="i-0013", Tags='{"cc":"CC-0001"}', ChargeClass="N/A"),
    row("Azure", 20, ResourceId="disk-05", Tags='{" cost-center":"CC-0002"}'),
])
# Several problems in one feed.
several = month(skip={("Azure", 2)})
several.append(dict(several[10]))
several.append(row("AWS", 21, ResourceId="i-0014", BilledCost="NaN"))
several.append(row("Azure", 22, ResourceId="disk-06", BillingCurrency="CAD"))
several.append(row("AWS", 23, ResourceId="i-0015", Tags="{}", PricingQuantity="-1", BilledCost="-1.00"))
write("several.csv", several)
