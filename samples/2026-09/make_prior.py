#!/usr/bin/env python3
"""Makes samples/2026-09/charges.csv, the prior month for `ratebook variance`, from the sample
month's charges (samples/2026-10/charges.csv) by fixed, documented edits: no randomness, exact
decimals (Python's decimal module, half-even to the cent). See README.md in this folder.

usage: python3 samples/2026-09/make_prior.py   (from the repository root)
"""
import csv
from decimal import Decimal, ROUND_HALF_EVEN

CURRENT = "samples/2026-10/charges.csv"
PRIOR = "samples/2026-09/charges.csv"

CENT = Decimal("0.01")
MICRO = Decimal("0.000001")

NEW_SERVICE = "Amazon Redshift"          # billed in October only: a new service
RATE_CHANGE = ("10335-1", "DB-REL")      # October's rate is 20% above September's
VOLUME_SPIKE = ("10188-2", "STO-OBJ")    # October's volume is 2.5 x September's, same rate
LARGE_CUSTOMER = "10362-4"               # October is 7% above September (volume)
DROPPED_ACCOUNT = "10050-0"              # billed in September only (Office of the Governor)
DROPPED_FROM = [("10028-0", "CMP-PAAS"), ("10017-0", "DB-REL")]  # lines it is cloned from


def cents(d):
    return d.quantize(CENT, rounding=ROUND_HALF_EVEN)


def micros(d):
    return d.quantize(MICRO, rounding=ROUND_HALF_EVEN).normalize()


def plain(d):
    return format(d, "f")


def main():
    with open(CURRENT, newline="") as f:
        reader = csv.DictReader(f)
        columns = reader.fieldnames
        rows = list(reader)
    prior = []
    for i, row in enumerate(rows):
        key = (row["account"], row["ru"])
        q, a = Decimal(row["volume"]), Decimal(row["charge"])
        if row["service"] == NEW_SERVICE:
            continue
        if key == RATE_CHANGE:
            a = cents(a / Decimal("1.2"))
        elif key == VOLUME_SPIKE:
            # x 0.4 keeps the unit price exact (1094.75 x 0.4 = 437.90), so the whole change is
            # volume effect and the report says "rate unchanged".
            q, a = (q * Decimal("0.4")).normalize(), cents(a * Decimal("0.4"))
        elif row["account"] == LARGE_CUSTOMER:
            q, a = micros(q / Decimal("1.07")), cents(a / Decimal("1.07"))
        elif i % 5 == 0:
            # Ordinary month-to-month drift on every fifth line: 4% less volume, same list rate.
            q, a = micros(q * Decimal("0.96")), cents(a * Decimal("0.96"))
        out = dict(row, volume=plain(q), charge=plain(a))
        prior.append(out)
        if key in DROPPED_FROM:
            clone = dict(out, account=DROPPED_ACCOUNT, component=row["component"] + "-retired")
            prior.append(clone)
    prior.sort(key=lambda r: (r["account"], r["ru"], r["service"], r["product"], r["component"]))
    with open(PRIOR, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(prior)


if __name__ == "__main__":
    main()
