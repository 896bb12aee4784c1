#!/usr/bin/env bash
# Runs every libFuzzer target (fuzz/fuzz_*.cpp) for SECONDS each, JOBS at a time.
#   tools/fuzz.sh 60                 # each target for a minute (what CI does)
#   JOBS=2 tools/fuzz.sh 1200        # a long local run, two targets at a time
#   tools/fuzz.sh 300 fuzz_rules     # only the named targets
# Builds build-fuzz (clang, ASan+UBSan+libFuzzer) first if needed. The committed seeds in
# fuzz/corpus/TARGET are read, never written: new inputs go to build-fuzz/corpus/TARGET, so a
# long run resumes where the last one stopped. Crashes land in build-fuzz/artifacts/ and make
# the script exit 1; turn each into a regression test (see docs/hardening.md).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: tools/fuzz.sh SECONDS [TARGET...]}
shift
build=${FUZZ_BUILD_DIR:-build-fuzz}
jobs=${JOBS:-1}

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DRATEBOOK_FUZZ=ON >/dev/null
fi
cmake --build "$build" -j"$(nproc)" --target ratebook_fuzzers >/dev/null

targets=("$@")
if ((${#targets[@]} == 0)); then
  for src in fuzz/fuzz_*.cpp; do targets+=("$(basename "$src" .cpp)"); done
fi
mkdir -p "$build/artifacts" "$build/logs"

run_one() {
  local t=$1 name=${1#fuzz_}
  local corpus="$build/corpus/$name" seeds="fuzz/corpus/$name" dict=()
  mkdir -p "$corpus"
  [ -f "fuzz/$name.dict" ] && dict=(-dict="fuzz/$name.dict")
  local log="$build/logs/$t.log"
  set +e
  "$build/fuzz/$t" "$corpus" "$seeds" "${dict[@]}" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" \
    >"$log" 2>&1
  local rc=$?
  set -e
  local done_line execs
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' || true)
  if [ "$rc" -eq 0 ]; then
    echo "$t: ok, ${execs:-?} runs in ${seconds}s; ${done_line:-no DONE line}"
  else
    echo "$t: FAILED (exit $rc); see $log and $build/artifacts/"
    grep -E 'ERROR|SUMMARY|runtime error' "$log" | head -5
  fi
  return "$rc"
}

status=0
pids=()
names=()
for t in "${targets[@]}"; do
  run_one "$t" &
  pids+=($!)
  names+=("$t")
  if ((${#pids[@]} >= jobs)); then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || status=1; done
exit "$status"
