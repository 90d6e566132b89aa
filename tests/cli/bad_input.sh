#!/usr/bin/env bash
# Bad command lines and bad files given to consensus-sim: each must fail with
# the expected exit status and a message naming the problem (never a crash).
#   tests/cli/bad_input.sh path/to/consensus-sim REPO_DIR
set -u
sim=$1
repo=$2
. "$(dirname "$0")/lib.sh"

# expect STATUS REGEX ARGS...
expect() {
  local want=$1 regex=$2
  shift 2
  local out rc
  out=$(timeout 30 "$sim" "$@" 2>&1 </dev/null)
  rc=$?
  if [ "$rc" -ne "$want" ] || ! grep -qE -- "$regex" <<<"$out"; then
    echo "FAIL: consensus-sim $* -> exit $rc (want $want), output:"
    sed 's/^/    /' <<<"$out" | head -8
    echo "    expected /$regex/"
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
}

q=$repo/scenarios/quickstart.yaml
expect 2 "usage: consensus-sim <command>"
expect 2 "unknown command 'frobnicate'" frobnicate
expect 0 "run +run a scenario" --help
expect 2 "missing argument FILE" run
expect 1 "nope.yaml: cannot open: No such file or directory" run "$tmp/nope.yaml"
expect 2 "--threads 0 needs --workers" run "$q" --threads 0
expect 2 "argument \('x'\) for option '--threads' is invalid" run "$q" --threads x
expect 2 "--threads must be in \[0, 1024\], got 5000" run "$q" --threads 5000
expect 2 "--engine must be 'actors' or 'inline', got 'fast'" run "$q" --engine fast
expect 2 "unrecognised option '--bogus'" run "$q" --bogus
expect 2 "--replicates: expected an integer in \\[1, 1000000000\\], got '0'" run "$q" --replicates 0
expect 2 "--replicates: expected an integer in \\[1, 1000000000\\], got '-1'" run "$q" -r -1
expect 2 "--replicates: expected an integer in \\[1, 1000000000\\], got '99999999999'" run "$q" -r 99999999999
expect 2 "--replicates: expected an integer in \\[1, 1000000000\\], got '1e3'" run "$q" -r 1e3
expect 2 "--replicates: 4 cells x 1000000000 replicates = 4000000000 runs, more than the cap of 1000000000" run "$q" -r 1000000000
expect 2 "--replicates: .*seeds_range.yaml lists 5 seeds and runs one replicate per seed; to run more, list more seeds" run "$repo/tests/data/scenarios/good/seeds_range.yaml" -r 10
expect 2 "--out needs a value, got ''" run "$q" --out ''
expect 2 "--workers needs a value, got ''" run "$q" --workers ''
expect 2 "--agents needs --out DIR" run "$q" --agents
expect 2 "advice: --seed must be an integer \(decimal digits with an optional sign\), got '1.5'" advice --seed 1.5
expect 1 "ask: --seed must be an integer \(decimal digits with an optional sign, at most 10000 digits\), got 'x'" ask q --agent "a=mcp+stdio:true" --seed x
expect 2 "--progress must be auto, bar, plain or none, got 'fancy'" run "$q" --progress fancy
expect 2 "--progress must be auto, bar, plain or none, got 'fancy'" advice --progress fancy
expect 2 "missing argument FILE" validate
expect 2 "missing argument FILE" snow
expect 1 "nope.yaml: cannot open file" snow "$tmp/nope.yaml"
expect 2 "snow: --runs must be in \[1, 10\^8\], got 0" snow "$repo/scenarios/studies/dual-alpha-2.yaml" --runs 0
expect 2 "snow: --threads must be in \[0, 1024\], got 5000" snow "$repo/scenarios/studies/dual-alpha-2.yaml" --threads 5000
printf 'study: s\nnetwork:\n  nodes: 10\n  k: 20\n' >"$tmp/snow_k.yaml"
expect 1 "snow_k.yaml: key 'network': k = 20: must be in \[1, nodes\]" snow "$tmp/snow_k.yaml"
expect 2 "advice: --snow-runs must be in \[100, 10\^8\], got 5" advice --snow-only --snow-runs 5
expect 2 "missing argument FILE" conform
expect 1 "cannot open" conform "$tmp/nope.json"
expect 2 "unknown policy 'nope'" replay "$repo/tests/data/hanzo-0.1.0.json" --policy nope
expect 2 "--engine must be 'actors' or 'inline'" replay "$repo/tests/data/hanzo-0.1.0.json" --engine x

# Bad files.
printf '{"cases": [{"name": "x", "input": {"prompt": 3}}]}' >"$tmp/bad.json"
expect 1 "case #1 'x': field 'input.prompt' must be a string, got number" conform "$tmp/bad.json"
printf '\xff\xfe\x00garbage' >"$tmp/garbage.json"
expect 1 "not valid JSON" conform "$tmp/garbage.json"
printf 'policy: [\n' >"$tmp/broken.yaml"
expect 1 "broken.yaml:[0-9]+: YAML syntax error" validate "$tmp/broken.yaml"
expect 1 "broken.yaml:[0-9]+: YAML syntax error" run "$tmp/broken.yaml"
head -c 100000 /dev/urandom >"$tmp/random.yaml"
expect 1 "random.yaml" validate "$tmp/random.yaml"
mkdir -p "$tmp/dir.yaml"
expect 1 "dir.yaml" validate "$tmp/dir.yaml"
# FIFOs are refused at once, never waited on (every expect runs under a
# timeout: a hang fails the test).
mkfifo "$tmp/fifo.yaml" "$tmp/fifo.secret"
expect 1 "fifo.yaml: cannot read: not a regular file" validate "$tmp/fifo.yaml"
expect 1 "fifo.yaml: cannot read: not a regular file" run "$tmp/fifo.yaml"
expect 2 "--handshake-timeout must be in \[0.01, 3600\] seconds, got 0" worker --listen 127.0.0.1:0 --handshake-timeout 0
expect 2 "--idle-timeout must be in \[0.01, 86400\] seconds, got -1" worker --listen 127.0.0.1:0 --idle-timeout -1
expect 2 "secret file '.*fifo.secret': not a regular file" worker --listen 127.0.0.1:0 --secret-file "$tmp/fifo.secret"

# What run rejects, validate rejects first, with the same message: bad
# files, and a sweep whose axes pass one by one but whose cell k = 200 with
# 100,000 agents exceeds the cap on peer texts.
printf 'ground_truth: a\nreplicates: 1\nagents:\n  - name: g\n    count: 100\n    answers: {a: 1}\nsweep:\n  k: [3, 200]\n  agents.g.count: [100, 100000]\n' >"$tmp/combo.yaml"
for f in invalid_utf8_name nul_byte regex_lookahead combo; do
  bad_file=$repo/tests/data/scenarios/bad/$f.yaml
  [ "$f" = combo ] && bad_file=$tmp/combo.yaml
  # validate prints the problem, then a count line.
  v=$("$sim" validate "$bad_file" 2>&1)
  count=$(tail -n 1 <<<"$v")
  v=$(sed '$d' <<<"$v")
  r=$("$sim" run "$bad_file" --out "$tmp/never" 2>&1)
  if [ -n "$v" ] && [ "$count" = "$bad_file: 1 problem" ] \
    && grep -qF -- "${v#*: }" <<<"$r" && [ ! -e "$tmp/never" ]; then
    pass=$((pass + 1))
  else
    echo "FAIL: validate and run disagree on $f.yaml: '$v' vs '$r'"
    fail=$((fail + 1))
  fi
done

# validate lists every problem of a file, one a line in file order, then how
# many (at most 20 lines; the count says how many were not shown); run's
# error holds the same lines.
f=$tmp/several.yaml
printf '%s\n' 'name: several' 'polcy: vote' 'params:' '  k: many' \
  'labels: [correct, wrong]' 'ground_truth: correct' 'agents:' '  - name: a' \
  '    speed: 3' '  - name: b' '    answers: {correct: 1, wrnog: 1}' 'sweep:' \
  '  beta_2: [0.5, x]' >"$f"
want="$f:2: key 'polcy': unknown key (accepted: name, description, prompt, policy, params, labels, ground_truth, agents, replicates, seed, seeds, sweep)
$f:4: key 'params.k': expected an integer in [0, 2147483647], got 'many'
$f:9: key 'agents[0].speed': unknown key (accepted: name, count, latency, answers, behaviour, wrong_label, noise, faults, tokens, kind, trace, participant)
$f:11: key 'agents[1].answers.wrnog': unknown label 'wrnog' (accepted: correct, wrong)
$f:13: key 'sweep.beta_2[1]': expected a finite number, got 'x'
$f: 5 problems"
out=$("$sim" validate "$f" 2>"$tmp/several.err")
rc=$?
got=$(cat "$tmp/several.err")
if [ "$rc" -eq 1 ] && [ -z "$out" ] && [ "$got" = "$want" ]; then
  ok
else
  bad "validate several.yaml -> exit $rc, stdout '$out', stderr:"
  diff <(echo "$want") <(echo "$got") | sed 's/^/    /'
fi
r=$("$sim" run "$f" --out "$tmp/never" 2>&1)
if [ "$(sed '$d' <<<"$want")" = "$(sed 's/^consensus-sim run: malformed_input: //' <<<"$r")" ]; then
  ok
else
  bad "run several.yaml does not print validate's lines: '$r'"
fi
{
  cat "$q"
  for i in $(seq 1 23); do echo "extra$i: 1"; done
} >"$tmp/many.yaml"
out=$("$sim" validate "$tmp/many.yaml" "$q" 2>"$tmp/many.err")
rc=$?
if [ "$rc" -eq 1 ] && [ "$(wc -l <"$tmp/many.err")" -eq 21 ] \
  && [ "$(tail -n 1 "$tmp/many.err")" = "$tmp/many.yaml: 23 problems (the first 20 shown)" ] \
  && [ "$(grep -c "^$tmp/many.yaml:[0-9]*: key 'extra[0-9]*': unknown key" "$tmp/many.err")" -eq 20 ] \
  && grep -q "^$q: ok" <<<"$out"; then
  ok
else
  bad "validate many.yaml quickstart.yaml -> exit $rc, stdout '$out', stderr:"
  sed 's/^/    /' "$tmp/many.err" | head -30
fi
expect 1 "^$tmp/broken.yaml: 1 problem$" validate "$tmp/broken.yaml"

# A run that fails before it stores any run leaves nothing behind: the rerun
# needs no --resume.
# Traces: fit and record (docs/traces.md).
expect 2 "no trace: give TRACE" fit
expect 1 "cannot open the trace file '$tmp/none.jsonl'" fit "$tmp/none.jsonl"
printf '{"format": "caf-consensus-trace", "version": 9}\n' >"$tmp/v9.jsonl"
expect 1 "v9.jsonl:1: key 'version': unsupported version \(accepted: 1\) \(value 9\)" fit "$tmp/v9.jsonl"
printf 'name: one\nlabels: [a, b]\nground_truth: a\nagents:\n  - name: x\n' >"$tmp/one.yaml"
"$sim" record "$tmp/one.yaml" -o "$tmp/one.jsonl" --replicates 3 >/dev/null 2>&1
expect 2 "--holdout must be in \(0, 1\), got 1.5" fit "$tmp/one.jsonl" --holdout 1.5
"$sim" record "$tmp/one.yaml" -o "$tmp/single.jsonl" --replicates 1 >/dev/null 2>&1
expect 1 "a holdout needs at least 2 recorded runs, got 1" fit "$tmp/single.jsonl" --holdout 0.5 --replicates 3
expect 2 "--replicates must be in \[1, 1000000\], got 0" fit "$tmp/one.jsonl" --replicates 0
# fit --replay names the trace relative to the written scenario's folder.
mkdir -p "$tmp/replays"
(cd "$tmp" && "$sim" fit one.jsonl --replay replays/r.yaml >/dev/null 2>&1)
expect 0 "replays/r.yaml: ok" validate "$tmp/replays/r.yaml"
"$sim" fit "$tmp/one.jsonl" --replay "$tmp/replays/abs.yaml" >/dev/null 2>&1
if grep -qx '    trace: "../one.jsonl"' "$tmp/replays/abs.yaml"; then
  pass=$((pass + 1))
else
  echo "FAIL: fit --replay did not name ../one.jsonl in $tmp/replays/abs.yaml"
  fail=$((fail + 1))
fi
expect 2 "has a sweep; record one cell" record "$q" -o "$tmp/q.jsonl"
expect 2 "missing argument OUT" record "$tmp/one.yaml"
expect 1 "cannot write the trace file '/nonexistent-dir/t.jsonl'" record "$tmp/one.yaml" -o /nonexistent-dir/t.jsonl

export CONSENSUS_SECRET=0123456789abcdef-bad-input-secret
expect 1 "no run was stored; removed the new results store" run "$q" --out "$tmp/empty" --threads 0 --workers 127.0.0.1:1 --stall-timeout 0.2 --retry-interval 0.05
if [ -e "$tmp/empty" ]; then
  echo "FAIL: a failed run left $tmp/empty"
  fail=$((fail + 1))
else
  pass=$((pass + 1))
fi
unset CONSENSUS_SECRET
expect 0 "Results: $tmp/empty/" run "$q" --out "$tmp/empty" -r 2 --quiet

# The header counts agents per cell (singular when one), and the Results line
# lists agents.csv when it is written.
printf 'ground_truth: correct\nagents:\n  - name: a\n    count: 1\nreplicates: 2\nsweep:\n  agents.a.count: [1, 3, 9]\n' >"$tmp/count.yaml"
expect 0 "^  1-9 agents per cell in 1 group, policy metastable" run "$tmp/count.yaml" --quiet
printf 'ground_truth: correct\nagents:\n  - name: a\nreplicates: 2\n' >"$tmp/one.yaml"
expect 0 "^  1 agent in 1 group, policy metastable" run "$tmp/one.yaml" --quiet
expect 0 "^Results: $tmp/withagents/\{results.db,runs.csv,runs.jsonl,agents.csv,summary.csv" run "$tmp/one.yaml" --quiet --out "$tmp/withagents" --agents

# report --baseline from another folder, after the scenario file is gone:
# the results store keeps the scenario's text.
mkdir -p "$tmp/ra"
cp "$q" "$tmp/ra/quickstart.yaml"
(cd "$tmp/ra" && "$sim" run quickstart.yaml -r 20 --out res --quiet >/dev/null 2>&1)
rm "$tmp/ra/quickstart.yaml"
expect 0 "^report: $tmp/ra/res/report/index.html" report "$tmp/ra/res" --baseline --no-png
if grep -q 'id="baselines"' "$tmp/ra/res/report/index.html"; then
  pass=$((pass + 1))
else
  echo "FAIL: report --baseline wrote no baselines"
  fail=$((fail + 1))
fi

# Scenario files are read up to 8 MiB unless more is asked for.
{ printf '# '; head -c 9000000 /dev/zero | tr '\0' x; printf '\n'; cat "$q"; } >"$tmp/big.yaml"
expect 1 "big.yaml: cannot read: larger than 8 MiB \(the limit for scenario files; ask for more with --max-scenario-mib, at most 64\)" validate "$tmp/big.yaml"
expect 0 "big.yaml: ok" validate "$tmp/big.yaml" --max-scenario-mib 16
expect 2 "--max-scenario-mib must be in \[1, 64\], got 65" run "$q" --max-scenario-mib 65

# A worker whose port is taken says so, with the port.
export CONSENSUS_SECRET=0123456789abcdef-bad-input-secret
start_worker "$tmp/w1.out"
w1=$worker_pid
port=$worker_port
expect 1 "cannot listen on 127.0.0.1:$port: Address already in use \(another process listens on port $port; stop it or choose another port with --listen HOST:PORT\)" worker --listen "127.0.0.1:$port"
kill "$w1" 2>/dev/null
wait "$w1" 2>/dev/null
unset CONSENSUS_SECRET


# tune: flags and objectives
expect 2 "tune: missing argument SCENARIO" tune
expect 1 "nope.yaml: cannot open: No such file or directory" tune "$tmp/nope.yaml"
expect 2 "tune: --objective: .*objective term 'speed': unknown goal" tune "$q" --objective speed
expect 2 "tune: --objective: .*objective 'accuracy>=0.9' has no goal" tune "$q" --objective 'accuracy>=0.9'
expect 2 "tune: --objective: .*objective term 'accuracy>=2': a rate bound must be in \[0, 1\]" tune "$q" -O 'accuracy, accuracy>=2'
expect 2 "tune: --objective: .*objective term 'calls<=x': expected a number after '<='" tune "$q" -O 'accuracy, calls<=x'
expect 2 "tune: --objective: .*'p95_latency': p95_latency can only be a constraint" tune "$q" -O p95_latency
expect 2 "tune: --objective: .*empty term" tune "$q" -O 'accuracy,,calls<=3'
expect 1 "tune: .*a budget of 10 runs is too small: a first look at the 4 cells takes 128 runs" tune "$q" --budget 10
expect 2 "tune: --first: expected an integer in \[2, 10000000\], got '1'" tune "$q" --first 1
expect 2 "tune: --first: expected an integer in \[2, 10000000\], got '-5'" tune "$q" --first -5
expect 2 "tune: --budget: expected an integer in \[0, 1000000000000\], got '-1'" tune "$q" --budget -1
expect 2 "tune: --budget: expected an integer in \[0, 1000000000000\], got '1e5'" tune "$q" --budget 1e5
expect 2 "tune: --confirm: expected an integer in \[0, 10000000\], got '18446744073709551615'" tune "$q" --confirm 18446744073709551615
expect 2 "tune: --max-replicates: expected an integer in \[0, 10000000\], got '20000000'" tune "$q" --max-replicates 20000000
expect 2 "tune: --max-replicates must be in \[2, 10\^7\] \(or 0\), got 1" tune "$q" --max-replicates 1
expect 2 "tune: --confidence must be in \[0.5, 1\)" tune "$q" --confidence 1
expect 2 "tune: --delta must be in \[0, 1\)" tune "$q" --delta 2
expect 2 "tune: --seed must be an integer" tune "$q" --seed x
expect 2 "tune: --engine must be 'actors' or 'inline', got 'fast'" tune "$q" --engine fast
expect 2 "tune: --threads must be in \[1, 1024\], got 0" tune "$q" --threads 0
expect 2 "tune: --progress must be auto, bar, plain or none, got 'fancy'" tune "$q" --progress fancy
expect 2 "tune: unrecognised option '--bogus'" tune "$q" --bogus

finish
