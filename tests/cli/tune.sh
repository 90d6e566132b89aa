#!/usr/bin/env bash
# consensus-sim tune through the CLI: the same seed gives the same tune.json
# for any thread count and either engine, and the tuned scenario is one that
# `validate` accepts and `run` runs as the chosen cell.
#   tests/cli/tune.sh path/to/consensus-sim REPO_DIR
set -u
sim=$1
repo=$2
. "$(dirname "$0")/lib.sh"

s=$repo/scenarios/tune/advice-population.yaml
args=(--objective 'accuracy, calls<=20' --budget 20000 --max-replicates 400 -q)
"$sim" tune "$s" "${args[@]}" --threads 1 --out "$tmp/t1" >"$tmp/t1.out" 2>&1 \
  && ok || bad "tune --threads 1 failed: $(head -5 "$tmp/t1.out")"
"$sim" tune "$s" "${args[@]}" --threads 3 --out "$tmp/t3" >"$tmp/t3.out" 2>&1 \
  && ok || bad "tune --threads 3 failed: $(head -5 "$tmp/t3.out")"

# tune.json without the timing and the command line.
strip() {
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("seconds"); d.pop("command"); print(json.dumps(d, sort_keys=True))' "$1"
}
if [ "$(strip "$tmp/t1/tune.json")" = "$(strip "$tmp/t3/tune.json")" ]; then
  ok
else
  bad "tune.json differs between --threads 1 and --threads 3"
fi
cmp -s "$tmp/t1/tuned.yaml" "$tmp/t3/tuned.yaml" && ok \
  || bad "tuned.yaml differs between --threads 1 and --threads 3"

# The table names the chosen cell and the runs spent within the budget.
grep -qE '^chosen: cell [0-9]+ \(policy=' "$tmp/t1.out" && ok \
  || bad "no 'chosen:' line in the table: $(head -20 "$tmp/t1.out")"
total=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["runs"]["total"])' "$tmp/t1/tune.json")
[ "$total" -le 20000 ] && ok || bad "spent $total runs, budget 20000"

# The page and its charts: the front and one per swept parameter.
for f in index.html charts/front.svg charts/effect-1-policy.svg charts/effect-4-beta_2.svg; do
  [ -s "$tmp/t1/$f" ] && ok || bad "no $f in --out"
done
grep -q "<svg" "$tmp/t1/index.html" && ok || bad "index.html has no inline chart"

# The tuned scenario: validate accepts it, run runs its one cell.
"$sim" validate "$tmp/t1/tuned.yaml" >"$tmp/v.out" 2>&1 \
  && grep -q "1 cell" "$tmp/v.out" && ok \
  || bad "validate tuned.yaml: $(cat "$tmp/v.out")"
"$sim" run "$tmp/t1/tuned.yaml" -r 50 --progress none >"$tmp/r.out" 2>&1 \
  && ok || bad "run tuned.yaml: $(head -5 "$tmp/r.out")"
label=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["chosen"]["settings"]["policy"])' "$tmp/t1/tune.json")
grep -q "$label" "$tmp/r.out" && ok || bad "run of tuned.yaml does not show policy $label"

# The actor engine walks the same path (a smaller race).
small=(--objective accuracy --budget 5000 --first 4 --max-replicates 16 -q --no-charts)
"$sim" tune "$s" "${small[@]}" --out "$tmp/i" >/dev/null 2>&1 && ok || bad "tune inline failed"
"$sim" tune "$s" "${small[@]}" --engine actors --threads 2 --out "$tmp/a" >/dev/null 2>&1 \
  && ok || bad "tune --engine actors failed"
if [ "$(strip "$tmp/i/tune.json")" = "$(strip "$tmp/a/tune.json")" ]; then
  ok
else
  bad "tune.json differs between the inline and the actor engine"
fi

# With a remote worker (another process) running batches beside one local
# thread: the same race.
export CONSENSUS_SECRET=0123456789abcdef-tune-cli-secret
start_worker "$tmp/w.out"
wpid=$worker_pid
wport=$worker_port
if [ -z "$wport" ]; then
  bad "the worker did not start: $(cat "$tmp/w.out")"
else
  "$sim" tune "$s" "${small[@]}" --threads 1 --workers "127.0.0.1:$wport" --out "$tmp/w" \
    >"$tmp/w.tune" 2>&1 && ok || bad "tune --workers failed: $(head -5 "$tmp/w.tune")"
  if [ -f "$tmp/w/tune.json" ] && [ "$(strip "$tmp/i/tune.json")" = "$(strip "$tmp/w/tune.json")" ]; then
    ok
  else
    bad "tune.json differs with a remote worker"
  fi
  grep -q "session started" "$tmp/w.out" && ! grep -q "cannot run" "$tmp/w.out" && ok \
    || bad "the worker did not serve the race: $(tail -5 "$tmp/w.out")"
fi
kill "$wpid" 2>/dev/null
wait "$wpid" 2>/dev/null
unset CONSENSUS_SECRET
# Killed (SIGKILL) mid-race, then --resume: the same tune.json as a race run
# in one go, and the stored runs are not run again.
race=(--objective accuracy --budget 30000 --max-replicates 400 -q --threads 2 --no-charts)
"$sim" tune "$s" "${race[@]}" --out "$tmp/whole" >/dev/null 2>&1 && ok || bad "tune (whole) failed"
"$sim" tune "$s" "${race[@]}" --out "$tmp/killed" >/dev/null 2>&1 &
pid=$!
sleep 0.7
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
if [ -f "$tmp/killed/results.db" ]; then
  "$sim" tune "$s" "${race[@]}" --out "$tmp/killed" >"$tmp/k.out" 2>&1 \
    && bad "a second tune into the same --out was not refused" \
    || { grep -q "exists already; resume it with --resume" "$tmp/k.out" && ok \
         || bad "no clear refusal: $(cat "$tmp/k.out")"; }
  "$sim" tune "$s" "${race[@]}" --out "$tmp/killed" --resume >"$tmp/r.out" 2>&1 \
    && ok || bad "tune --resume failed: $(head -5 "$tmp/r.out")"
  strip2() {
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); [d.pop(k) for k in ("seconds","command")]; d["runs"].pop("reused"); print(json.dumps(d, sort_keys=True))' "$1"
  }
  if [ "$(strip2 "$tmp/whole/tune.json")" = "$(strip2 "$tmp/killed/tune.json")" ]; then
    ok
  else
    bad "tune.json after a kill and --resume differs from one run in one go"
  fi
else
  ok # killed before the store was created: nothing to resume
fi
finish
