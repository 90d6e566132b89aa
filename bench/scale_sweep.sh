#!/usr/bin/env bash
# Times `consensus-sim run` on scenarios/quickstart.yaml (shape S: 5 agents,
# 3 rounds, 4 cells) scaled to 10^4, 10^5 and 10^6 runs, with the results
# store (--out), and prints wall time, sweep time and peak RSS of each
# (docs/performance.md, "A sweep of a million runs").
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/scale_sweep.sh [BUILD_DIR] [OUT_DIR]

For each N in $SIZES (default: 10000 100000 1000000) runs
  BUILD_DIR/sim/consensus-sim run SCENARIO --out OUT_DIR/N --threads $THREADS
where SCENARIO is scenarios/quickstart.yaml with N/4 replicates per cell,
under /usr/bin/time, and prints one table row per N: wall seconds of the
whole command, seconds and runs/s of the sweep itself (the command's own
"N runs in S s" line; the rest is writing runs.csv, runs.jsonl and the
summaries), peak resident set size and the size of the results directory.

  BUILD_DIR  a Release build holding sim/consensus-sim (default: build)
  OUT_DIR    where the results go (default: a new temporary directory; the
             1,000,000-run directory takes about 0.9 GB)

Environment: SIZES, THREADS (default 2), ENGINE (default: the CLI's default).
EOF
}

case "${1:-}" in
  -h | --help)
    usage
    exit 0
    ;;
  -*)
    echo "bench/scale_sweep.sh: unknown option '$1' (see --help)" >&2
    exit 2
    ;;
esac

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$here/build}" 2>/dev/null && pwd) || {
  echo "bench/scale_sweep.sh: build directory '${1:-$here/build}' not found" >&2
  exit 2
}
sim=$build/sim/consensus-sim
if [ ! -x "$sim" ]; then
  echo "bench/scale_sweep.sh: $sim not found (build the target consensus-sim)" >&2
  exit 2
fi
if [ ! -x /usr/bin/time ]; then
  echo "bench/scale_sweep.sh: /usr/bin/time not found (apt-get install time)" >&2
  exit 2
fi
out=${2:-$(mktemp -d)}
mkdir -p "$out"
threads=${THREADS:-2}
engine=()
[ -n "${ENGINE:-}" ] && engine=(--engine "$ENGINE")

echo "machine: $(nproc) CPUs, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit: $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
echo "| runs | wall s | sweep s | sweep runs/s | peak RSS MiB | results dir |"
echo "|---|---|---|---|---|---|"
for n in ${SIZES:-10000 100000 1000000}; do
  reps=$((n / 4))
  scenario=$out/quickstart-$n.yaml
  sed "s/^replicates: .*/replicates: $reps/" "$here/scenarios/quickstart.yaml" > "$scenario"
  rm -rf "$out/$n"
  /usr/bin/time -f "%e %M" -o "$out/$n.time" \
    "$sim" run "$scenario" --out "$out/$n" --threads "$threads" "${engine[@]}" \
    > "$out/$n.log" 2>&1
  read -r wall kib < "$out/$n.time"
  line=$(grep -E '^[0-9]+ runs in [0-9.]+ s' "$out/$n.log" | tail -1)
  sweep_s=$(echo "$line" | sed -E 's/^[0-9]+ runs in ([0-9.]+) s.*/\1/')
  rate=$(echo "$line" | sed -E 's/.*\(([0-9]+) runs\/s\).*/\1/')
  size=$(du -sh "$out/$n" | cut -f1)
  echo "| $n | $wall | $sweep_s | $rate | $((kib / 1024)) | $size |"
done
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg); output in $out"
