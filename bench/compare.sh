#!/usr/bin/env bash
# Times the C++ benchmarks and the Python reference's perf.py side by side,
# interleaved, and prints one table of ratios (docs/performance.md, "Side by
# side with the reference").
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/compare.sh [BUILD_DIR] [OUT_DIR]

Runs, ROUNDS times in turn (C++, then Python, then C++ again, ... so that a
change of machine load hits both sides alike):
  BUILD_DIR/bench/consensus-bench        run/{S,M}/w{50,300}/{hanzo,metastable}/[beta_1=0.5/]{inline,actors,actors_polling,actors_async}
                                         floor/tokenize_ids/{S,M}/w{50,300} and
                                         floor/parallel/S/w50/metastable (1 and 2 threads),
                                         floor/round_trip_blocking/{sharing,polling}
  BUILD_DIR/bench/consensus-bench-sweep  sweep/quickstart/{inline,actors}/threads={1,2},
                                         sweep/warm/quickstart/... (threads kept),
                                         sweep/quickstart_x10/... (16,000 runs),
                                         sweep/batch=25/quickstart/... (fixed batches),
                                         floor/parallel/sweep_runs/quickstart (1 and 2 threads),
                                         floor/parallel/sweep_runs_actors/quickstart (the same)
  REFERENCE_DIR/perf.py --quick          the Python reference, all its shapes
and prints one table from the best runs/s of each side: C++ runs/s ÷ Python
runs/s per shape (S = 5 agents x 3 rounds, M = 50 x 5, k = 3; beta_1 2.0 =
every round runs, 0.5 = the default, may stop early; 50 and 300 words), the
C++ inline run ÷ its tokenization floor, and 2 sweep threads ÷ 1 (beside
2 threads ÷ 1 of independent inline runs: the machine's ceiling), also per
run and sweep by sweep (the median and the fastest sweeps); then the
targets of issue 25, met or missed.

  BUILD_DIR  a Release build (default: build); needs the targets
             consensus-bench and consensus-bench-sweep
  OUT_DIR    where the JSON of every round and compare.md go
             (default: a new temporary directory, printed at the end)

Environment:
  ROUNDS=8          interleaving rounds
  REPS=2            C++ repetitions per benchmark and round
  MIN_TIME=0.2      C++ seconds per repetition (--benchmark_min_time)
  PY_QUICK=1        pass --quick to perf.py (0: its full 1 s calibration)
  REFERENCE_DIR=REPO/../shared/reference   the folder holding perf.py; when it
                    is absent the C++ side is printed alone
  PYTHON=python3

A full run with the defaults takes about 5 minutes on 2 cores.
EOF
}

case "${1:-}" in
  -h | --help)
    usage
    exit 0
    ;;
  -*)
    echo "bench/compare.sh: unknown option '$1' (see --help)" >&2
    exit 2
    ;;
esac
if [ $# -gt 2 ]; then
  echo "bench/compare.sh: too many arguments (see --help)" >&2
  exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$here/build}" 2>/dev/null && pwd) || {
  echo "bench/compare.sh: build directory '${1:-$here/build}' not found" >&2
  exit 2
}
rounds=${ROUNDS:-8}
reps=${REPS:-2}
min_time=${MIN_TIME:-0.2}
py_quick=${PY_QUICK:-1}
reference=${REFERENCE_DIR:-$here/../shared/reference}
python=${PYTHON:-python3}
for v in "$rounds" "$reps"; do
  if ! [[ $v =~ ^[1-9][0-9]*$ ]]; then
    echo "bench/compare.sh: ROUNDS and REPS must be positive integers (got '$v')" >&2
    exit 2
  fi
done

bench=$build/bench/consensus-bench
sweep=$build/bench/consensus-bench-sweep
for x in "$bench" "$sweep"; do
  if [ ! -x "$x" ]; then
    echo "bench/compare.sh: $x is missing; build it first (Release):" >&2
    echo "  cmake --build $build --target consensus-bench consensus-bench-sweep" >&2
    exit 2
  fi
done
if ! command -v "$python" >/dev/null; then
  echo "bench/compare.sh: '$python' not found (set PYTHON)" >&2
  exit 2
fi

if [ $# -ge 2 ]; then
  out=$2
  mkdir -p "$out"
  out=$(cd "$out" && pwd)
  rm -f "$out"/cpp-*.json "$out"/sweep-*.json "$out"/py-*.json "$out"/py-*.log
else
  out=$(mktemp -d "${TMPDIR:-/tmp}/consensus-compare.XXXXXX")
fi

have_py=0
if [ -f "$reference/perf.py" ]; then
  have_py=1
  reference=$(cd "$reference" && pwd)
fi
py_args=()
if [ "$py_quick" != 0 ]; then
  py_args=(--quick)
fi

load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"; }
cpu_model() {
  local m
  m=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)
  if [ -z "$m" ]; then
    m=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
  fi
  echo "${m:-?}"
}

header=$out/header.md
{
  echo "## Side by side: caf-consensus vs the Python reference"
  echo
  printf -- '- command: `ROUNDS=%s REPS=%s MIN_TIME=%s PY_QUICK=%s' \
    "$rounds" "$reps" "$min_time" "$py_quick"
  printf ' REFERENCE_DIR=%q' "$reference"
  printf ' %q' "$0" "$@"
  echo '`'
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- commit: $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?')$(
    git -C "$here" diff --quiet HEAD 2>/dev/null || echo ' (with local changes)')"
  echo "- machine: $(nproc) CPUs, $(cpu_model)"
  echo "- load average at the start: $(load)"
  if [ "$have_py" = 1 ]; then
    echo "- reference: $reference/perf.py ${py_args[*]}, $("$python" --version 2>&1)"
  else
    echo "- reference: **not found** at $reference/perf.py (set REFERENCE_DIR):" \
      "the C++ side alone, no ratios to Python"
  fi
} >"$header"
cat "$header"
echo

filter='^(run/(S|M)/w(50|300)/(hanzo|metastable)/(beta_1=0.5/)?(inline|actors|actors_polling|actors_async)|floor/tokenize_ids/(S|M)/w(50|300)|floor/parallel/S/w50/metastable|floor/round_trip_blocking/(sharing|polling))/'
gb=(--benchmark_repetitions="$reps" --benchmark_min_time="$min_time"
    --benchmark_out_format=json)

cpp_round() {
  "$bench" --benchmark_filter="$filter" "${gb[@]}" \
    --benchmark_out="$out/cpp-$1.json" >"$out/cpp-$1.log" 2>&1 || {
    echo "bench/compare.sh: consensus-bench failed, see $out/cpp-$1.log" >&2
    exit 1
  }
  "$sweep" --benchmark_filter='^(sweep/(batch=25/|warm/)?quickstart(_x10)?/|floor/parallel/sweep_runs(_actors)?/)' "${gb[@]}" \
    --benchmark_out="$out/sweep-$1.json" >"$out/sweep-$1.log" 2>&1 || {
    echo "bench/compare.sh: consensus-bench-sweep failed, see $out/sweep-$1.log" >&2
    exit 1
  }
}
py_round() {
  # PYTHONDONTWRITEBYTECODE: leave the reference folder as it is.
  PYTHONDONTWRITEBYTECODE=1 "$python" "$reference/perf.py" "${py_args[@]}" \
    --json "$out/py-$1.json" >"$out/py-$1.log" 2>&1 || {
    echo "bench/compare.sh: $reference/perf.py failed, see $out/py-$1.log" >&2
    exit 1
  }
}

start=$SECONDS
for ((r = 1; r <= rounds; r++)); do
  echo "round $r/$rounds: C++ ($(load))" >&2
  cpp_round "$r"
  if [ "$have_py" = 1 ]; then
    echo "round $r/$rounds: Python ($(load))" >&2
    py_round "$r"
  fi
done
echo "- load average at the end: $(load) (${rounds} round(s) in $((SECONDS - start)) s)" \
  | tee -a "$header"
echo

status=0
"$python" "$here/bench/compare_table.py" "$out" >"$out/table.md" || status=$?
cat "$out/table.md"
{
  cat "$header"
  echo
  cat "$out/table.md"
} >"$out/compare.md"
echo "==> $out/compare.md (the JSON and logs of every round beside it)"
exit "$status"
