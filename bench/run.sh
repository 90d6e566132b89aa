#!/usr/bin/env bash
# Runs the whole benchmark suite and prints the report of docs/performance.md.
#
#   bench/run.sh [BUILD_DIR] [OUT_DIR]
#
# BUILD_DIR (default: build) must hold a Release build of the targets
# consensus-bench, consensus-bench-sweep, consensus-bench-distributed and
# consensus-bench-report (the normal build makes them). OUT_DIR (default: BUILD_DIR/bench-results) gets
# the JSON output of every part and report.md.
#
# Environment: REPS (repetitions, default 5), MIN_TIME (seconds per
# repetition, default 0.3). Run it on an otherwise idle machine: the times
# are wall-clock medians.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$here/build}" 2>/dev/null && pwd) || {
  echo "bench/run.sh: build directory '${1:-$here/build}' not found" >&2
  exit 2
}
out=${2:-$build/bench-results}
reps=${REPS:-5}
min_time=${MIN_TIME:-0.3}

bench=$build/bench/consensus-bench
sweep=$build/bench/consensus-bench-sweep
distributed=$build/bench/consensus-bench-distributed
report=$build/bench/consensus-bench-report
for x in "$bench" "$sweep" "$distributed" "$report"; do
  if [ ! -x "$x" ]; then
    echo "bench/run.sh: $x is missing; build it first:" >&2
    echo "  cmake --build $build --target consensus-bench consensus-bench-sweep consensus-bench-distributed consensus-bench-report" >&2
    exit 2
  fi
done
mkdir -p "$out"

common=(--benchmark_repetitions="$reps" --benchmark_min_time="$min_time"
        --benchmark_out_format=json)

# 1. Shape L, one process per policy: the peak resident set is that run's
#    (plus its prepared answers). /usr/bin/time cross-checks the counter.
for policy in metastable hanzo; do
  echo "==> shape L ($policy)"
  timer=()
  if [ -x /usr/bin/time ]; then
    timer=(/usr/bin/time -v -o "$out/memory-$policy.time")
  fi
  "${timer[@]}" "$bench" --benchmark_filter="^memory/L/$policy/" \
    --benchmark_out="$out/memory-$policy.json" --benchmark_out_format=json
  if [ -f "$out/memory-$policy.time" ]; then
    grep "Maximum resident" "$out/memory-$policy.time" | sed 's/^\s*/    /'
  fi
done

# 2. Floors, whole runs and scaling.
echo "==> floors, whole runs, scaling"
"$bench" --benchmark_filter='^(floor|run|scaling)/' "${common[@]}" \
  --benchmark_report_aggregates_only=true \
  --benchmark_out="$out/protocol.json"

# 3. Sweep throughput.
echo "==> sweeps"
"$sweep" "${common[@]}" --benchmark_report_aggregates_only=true \
  --benchmark_out="$out/sweep.json"

# 4. Parallel and distributed sweeps (local pools, loopback worker nodes, the
#    SQLite store); every variant checks its results against a local sweep.
echo "==> parallel and distributed sweeps"
"$distributed" "${common[@]}" --benchmark_report_aggregates_only=true \
  --benchmark_out="$out/distributed.json"

"$report" "$out"/memory-*.json "$out/protocol.json" "$out/sweep.json" \
  > "$out/report.md"
echo "==> report: $out/report.md"
cat "$out/report.md"
