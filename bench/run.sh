#!/usr/bin/env bash
# The ratebook benchmark (issue 8). From the repository root, after a Release build:
#
#   bench/run.sh                      # everything: 100k, 1M, 10M rows; 20/200/2,000 rules
#   RUNS=3 SIZES="100000 1000000" bench/run.sh
#   RUNS=3 SIZES=10000000 RULES=0 bench/run.sh   # sizes only, no rule-count and compile rows
#
# Generated data goes to $DATA (default /tmp/ratebook-bench; the 10M feed is 5.8 GB); nothing is
# written in the repository. Every figure is the median of $RUNS runs (default 5) of wall time
# and peak resident memory (/usr/bin/time), for 1 and 2 threads: the read+split baseline, the
# workload (200 rules, lines by account x RU x SKU), the same without feed validation (issue 6:
# validation may add 30%), and the same with a charge line per resource.
set -euo pipefail

BUILD=${BUILD:-build}
DATA=${DATA:-/tmp/ratebook-bench}
RUNS=${RUNS:-5}
SIZES=${SIZES:-"100000 1000000 10000000"}
SEED=42
RB=$BUILD/ratebook
mkdir -p "$DATA"

for bin in "$RB" "$BUILD/gen_usage" "$BUILD/read_baseline"; do
    [[ -x $bin ]] || { echo "missing $bin: build first (cmake --build $BUILD -j2)" >&2; exit 2; }
done

# ---- workloads ------------------------------------------------------------------------------
for n in $SIZES; do
    [[ -f $DATA/u$n/usage.csv ]] || "$BUILD/gen_usage" --rows "$n" --seed $SEED --month 2026-10 --out "$DATA/u$n" >/dev/null
done
# Rule sets: the generated rate card (K rules) with FY2027's account rule, settings and table.
for k in 20 200 2000; do
    dir=$DATA/rules$k
    if [[ ! -f $dir/rates.rules ]]; then
        mkdir -p "$dir/tables"
        # The shipped rule set's account rule and table; a ratebook.toml of its own (FY2027's
        # also declares the fee, allocation and baseline tables that rules/FY2027 alone uses).
        cp rules/FY2027/accounts.rules "$dir/"
        cp rules/FY2027/tables/accounts.csv rules/FY2027/tables/resource_prefixes.csv "$dir/tables/"
        cat >"$dir/ratebook.toml" <<'TOML'
name = "benchmark rate card"
fiscal_year = 2027
fiscal_year_start = 2026-09-01
currency = "USD"
suspense_account = "99999-SUSPENSE"

[rounding]
mode = "half_even"
places = 2

[tables.accounts]
path = "tables/accounts.csv"

[tables.resource_prefixes]
path = "tables/resource_prefixes.csv"
key = "Prefix"
TOML
        "$BUILD/gen_usage" --rows 31 --seed $SEED --month 2026-10 --out "$DATA/cardtmp" \
            --rules-out "$dir/rates.rules" --rules-count $k >/dev/null
    fi
    # WORKLOAD.md's output: charge lines by account x RU x SKU, so no line per resource.
    printf '# The workload bills by account x RU x SKU (product = SkuId): no line per resource.\ndrilldown {\n  component none\n}\n' \
        >"$dir/drilldown.rules"
done
# The same 200-rule card with the default drill-down (a line per resource: 32,259 lines at 1M
# rows, 322,581 at 10M), to show what resource-level lines cost.
res=$DATA/rules200-resource
rm -rf "$res" && cp -r "$DATA/rules200" "$res" && rm "$res/drilldown.rules"

# ---- measuring ------------------------------------------------------------------------------
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# measure LABEL ROWS BYTES CMD...: prints one table row from RUNS runs.
measure() {
    local label=$1 rows=$2 bytes=$3; shift 3
    local walls=() rss=()
    for ((i = 0; i < RUNS; i++)); do
        /usr/bin/time -f "%e %M" -o "$DATA/time.txt" "$@" >/dev/null 2>"$DATA/err.txt" ||
            { echo "failed: $*" >&2; cat "$DATA/err.txt" >&2; exit 1; }
        read -r w m <"$DATA/time.txt"
        walls+=("$w"); rss+=("$m")
    done
    local w m
    w=$(printf '%s\n' "${walls[@]}" | median)
    m=$(printf '%s\n' "${rss[@]}" | median)
    awk -v l="$label" -v w="$w" -v m="$m" -v r="$rows" -v b="$bytes" -v all="${walls[*]}" 'BEGIN {
        printf "| %-40s | %7.3f | %10.0f | %7.1f | %7.1f | %s |\n", l, w, r / w, b / w / 1e6, m / 1024, all }'
}

echo "machine: $(nproc) cores, $(uptime | sed 's/.*load/load/')"
echo "| run | wall s (median) | rows/s | MB/s | peak RSS MB | all walls |"
echo "|---|---|---|---|---|---|"
for n in $SIZES; do
    feed=$DATA/u$n/usage.csv
    bytes=$(stat -c %s "$feed")
    for t in 1 2; do
        measure "read+split baseline, ${n} rows, ${t}T" "$n" "$bytes" "$BUILD/read_baseline" "$feed" --threads $t
        measure "rate ${n} rows, 200 rules, ${t}T" "$n" "$bytes" \
            "$RB" rate --rules "$DATA/rules200" --usage "$feed" --out "$DATA/out" --threads $t --quiet
        measure "  same, --skip-validation, ${t}T" "$n" "$bytes" \
            "$RB" rate --rules "$DATA/rules200" --usage "$feed" --out "$DATA/out" --threads $t --quiet --skip-validation
        measure "  same, a line per resource, ${t}T" "$n" "$bytes" \
            "$RB" rate --rules "$res" --usage "$feed" --out "$DATA/out" --threads $t --quiet
    done
done
[[ ${RULES:-1} == 1 ]] || exit 0  # RULES=0: sizes only
# How time changes with the number of rules, at 1M rows (or the largest size below 10M).
n=1000000; [[ -f $DATA/u$n/usage.csv ]] || n=$(echo $SIZES | awk '{print $1}')
feed=$DATA/u$n/usage.csv
bytes=$(stat -c %s "$feed")
for t in 1 2; do
    for k in 20 2000; do
        measure "rate ${n} rows, ${k} rules (generated), ${t}T" "$n" "$bytes" \
            "$RB" rate --rules "$DATA/rules$k" --usage "$feed" --out "$DATA/out" --threads $t --quiet
    done
    measure "rate ${n} rows, 20 rules (rules/FY2027), ${t}T" "$n" "$bytes" \
        "$RB" rate --rules rules/FY2027 --usage "$feed" --out "$DATA/out" --threads $t --quiet
done
# Compile time of the 2,000-rule rule set: `ratebook check` prints its own compile time.
times=()
for ((i = 0; i < RUNS; i++)); do
    times+=("$("$RB" check "$DATA/rules2000" | sed -n 's/.*, \([0-9.]*\) ms$/\1/p')")
done
echo "compile 2,000 rules (ratebook check): median $(printf '%s\n' "${times[@]}" | median) ms (all: ${times[*]})"
