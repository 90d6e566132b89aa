#!/usr/bin/env bash
# Soak test: a sweep of >= 100,000 runs with faulty synthetic agents (failures,
# hangs, crashes) over a local pool and a remote worker, where the worker is
# killed (SIGKILL) and restarted and the coordinator is killed and resumed.
# It must finish with every run stored exactly once, and the results must
# equal an uninterrupted local sweep byte for byte.
#
#   tests/soak/soak.sh [CONSENSUS_SIM] [RUNS]
#
# Default binary: build-asan/sim/consensus-sim (cmake/build.sh sanitize
# builds it), so the whole soak runs under ASan + UBSan.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
sim=${1:-$here/build-asan/sim/consensus-sim}
runs=${2:-100000}
[ -x "$sim" ] || { echo "no binary at $sim (run cmake/build.sh sanitize)"; exit 2; }
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
cells=4
reps=$(( (runs + cells - 1) / cells ))
cat >"$tmp/soak.yaml" <<YAML
name: soak
description: faulty agents (failures, hangs, crashes) for the soak test
policy: metastable
params: {rounds: 3, timeout_ms: 2000}
labels: {right: the answer is right, wrong: the answer is wrong}
ground_truth: right
agents:
  - name: ok
    count: 3
    latency: {dist: lognormal, median_ms: 500, sigma: 0.8}
    answers: {right: 0.7, wrong: 0.3}
    behaviour: conform:0.7
    noise: 0.2
  - name: flaky
    latency: {dist: exponential, mean_ms: 800}
    answers: {right: 0.6, wrong: 0.4}
    behaviour: majority
    faults: {fail: 0.3, no_answer: 0.1}
  - name: crashy
    latency: 300
    answers: {right: 0.5, wrong: 0.5}
    behaviour: copy-peer
    faults: {fail: 0.05, crash_after: 1}
replicates: $reps
seed: 424242
sweep:
  policy: [metastable, snowball]
  beta_2: [0.6, 0.8]
YAML
total=$((cells * reps))
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$tmp/secret"
chmod 600 "$tmp/secret"

start_worker() { # PORT; sets $worker (pid) and $port; fails if it cannot listen
  "$sim" worker --listen "127.0.0.1:$1" --threads 1 --secret-file "$tmp/secret" \
    >"$tmp/worker.log" 2>&1 &
  worker=$!
  pids+=($worker)
  for _ in $(seq 1 300); do
    if grep -qE "listening on 127.0.0.1:[0-9]+ " "$tmp/worker.log"; then
      port=$(grep -oE "listening on 127.0.0.1:[0-9]+" "$tmp/worker.log" \
        | head -1 | grep -oE "[0-9]+$")
      return 0
    fi
    kill -0 "$worker" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

stored() {
  [ -f "$tmp/out/results.db" ] || { echo 0; return; }
  if command -v sqlite3 >/dev/null; then
    sqlite3 "file:$tmp/out/results.db?mode=ro" "SELECT count(*) FROM runs" \
      2>/dev/null || echo 0
  else
    "$sim" export "$tmp/out" --format csv 2>/dev/null | tail -n +2 | wc -l
  fi
}

echo "==> soak: $total runs, binary $sim"
start_worker 0 || { echo "FAIL: worker did not start:"; cat "$tmp/worker.log"; exit 1; }
run() {
  "$sim" run "$tmp/soak.yaml" --engine actors --threads 1 --quiet \
    --batch 32 --out "$tmp/out" --workers "127.0.0.1:$port" --secret-file "$tmp/secret" \
    --batch-timeout 5 --retry-interval 0.2 "$@" >"$tmp/run.log" 2>&1 &
  pids+=($!)
  coord=$!
}
wait_stored() { # N: wait until at least N runs are stored
  for _ in $(seq 1 3000); do
    [ "$(stored)" -ge "$1" ] && return 0
    kill -0 "$coord" 2>/dev/null || return 0
    sleep 0.2
  done
}

alive() {
  kill -0 "$coord" 2>/dev/null \
    || { echo "FAIL: the sweep ended before $1:"; tail -20 "$tmp/run.log"; exit 1; }
}
run
wait_stored $((total / 5))
alive "the worker was killed"
echo "    killing the worker (SIGKILL) at $(stored) stored runs"
kill -9 "$worker"
sleep 1
wait_stored $((total / 2))
alive "the coordinator was killed"
echo "    killing the coordinator (SIGKILL) at $(stored) stored runs"
kill -9 "$coord" || true
wait "$coord" 2>/dev/null || true
echo "    restarting the worker on port $port"
ok=0
for _ in $(seq 1 450); do
  # The port may take a moment to become free again after the kill.
  if start_worker "$port"; then ok=1; break; fi
  sleep 0.2
done
[ $ok -eq 1 ] || { echo "FAIL: worker did not restart:"; cat "$tmp/worker.log"; exit 1; }
run --resume
if ! wait "$coord"; then
  echo "FAIL: the resumed sweep failed:"; tail -30 "$tmp/run.log"; exit 1
fi
n=$(stored)
uniq=$("$sim" export "$tmp/out" --format csv | tail -n +2 | cut -d, -f1,2 | sort -u | wc -l)
echo "    stored $n runs, $uniq distinct (cell, replicate) keys, want $total"
[ "$n" -eq "$total" ] && [ "$uniq" -eq "$total" ] \
  || { echo "FAIL: runs lost or duplicated"; exit 1; }
grep -E "^(local|127)" "$tmp/run.log" | sed 's/^/    /' || true
echo "==> reference: the same sweep, uninterrupted, local only"
"$sim" run "$tmp/soak.yaml" --engine inline --threads 2 --quiet \
  --out "$tmp/ref" >/dev/null
if cmp -s "$tmp/out/runs.csv" "$tmp/ref/runs.csv"; then
  echo "soak: 1 passed, 0 failed ($total runs stored exactly once, identical to the reference)"
else
  echo "FAIL: results differ from the uninterrupted sweep"; exit 1
fi
