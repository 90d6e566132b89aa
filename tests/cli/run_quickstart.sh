#!/usr/bin/env bash
# The README's main job: `consensus-sim run scenarios/quickstart.yaml` (what
# `cmake/build.sh run` runs, from the repository root), once with each engine.
# Each run must exit 0 with nothing on stderr and print the header, the table
# docs/worked-scenarios.md shows for the default scenario and the legend; both
# engines must print the same table.
#   tests/cli/run_quickstart.sh path/to/consensus-sim REPO_DIR
set -u
export LC_ALL=C
sim=$(readlink -f "$1")
repo=$2
. "$(dirname "$0")/lib.sh"

# check FILE WHAT REGEX: one line of FILE matches REGEX.
check() {
  if grep -qE -- "$3" "$1"; then
    ok
  else
    bad "$2: no line matches /$3/; output:"
    sed 's/^/    /' "$1" | head -30
  fi
}

# The rows of docs/worked-scenarios.md: cell, beta_2, runs, finalized,
# accuracy, accuracy among finalized (95% intervals), mean rounds.
rows=(
  '^0 +0\.6 +400 +0\.880 \[0\.84,0\.91\] +0\.863 \[0\.83,0\.89\] +0\.901 \[0\.86,0\.93\] +1\.08 '
  '^1 +0\.7 +400 +0\.637 \[0\.59,0\.68\] +0\.873 \[0\.84,0\.90\] +0\.949 \[0\.91,0\.97\] +1\.07 '
  '^2 +0\.8 +400 +0\.615 \[0\.57,0\.66\] +0\.865 \[0\.83,0\.90\] +0\.935 \[0\.90,0\.96\] +1\.11 '
  '^3 +0\.9 +400 +0\.575 \[0\.53,0\.62\] +0\.860 \[0\.82,0\.89\] +0\.939 \[0\.90,0\.96\] +1\.09 '
)

for engine in actors inline; do
  out=$tmp/$engine.out
  err=$tmp/$engine.err
  (cd "$repo" && timeout 600 "$sim" run scenarios/quickstart.yaml \
    --engine "$engine") >"$out" 2>"$err" </dev/null
  rc=$?
  if [ "$rc" -ne 0 ]; then
    bad "--engine $engine: exit $rc (want 0); stderr:"
    sed 's/^/    /' "$err" | head -10
  else
    ok
  fi
  if [ -s "$err" ]; then
    bad "--engine $engine: unexpected stderr:"
    sed 's/^/    /' "$err" | head -10
  else
    ok
  fi
  what="--engine $engine"
  check "$out" "$what" '^scenario quickstart \(scenarios/quickstart\.yaml\)$'
  check "$out" "$what" "^  5 agents in 3 groups, policy metastable, ground truth 'backoff'$"
  check "$out" "$what" "^  4 cells × 400 replicates = 1600 runs, engine $engine, [0-9]+ threads?, seed 2026$"
  check "$out" "$what" '^cell +beta_2 +runs +finalized \[95% CI\] +accuracy \[95% CI\] +acc\|final \[95% CI\] +rounds .*sim\.latency ms +calls'
  for row in "${rows[@]}"; do
    check "$out" "$what" "$row"
  done
  n=$(grep -cE '^[0-9]+ +[0-9.]+ +[0-9]+ +[0-9]' "$out")
  if [ "$n" -eq 4 ]; then
    ok
  else
    bad "$what: $n table rows (want 4)"
  fi
  check "$out" "$what" '^How to read this:$'
  check "$out" "$what" '^1600 runs in [0-9.]+ s \([0-9]+ runs/s\)\.$'
done

# Either engine prints the same (but for its name and the timing line).
same() {
  sed -E -e 's/, engine [a-z]+, /, engine E, /' -e '/^1600 runs in /d' "$1"
}
if diff <(same "$tmp/actors.out") <(same "$tmp/inline.out") >"$tmp/diff"; then
  ok
else
  bad "the engines disagree:"
  sed 's/^/    /' "$tmp/diff" | head -20
fi

finish
