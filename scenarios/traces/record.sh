#!/usr/bin/env bash
# Records the worked example of docs/traces.md: 40 questions "What is A plus
# B?" asked with `consensus-sim ask --record` of four MCP test agents with
# distinct, seeded behaviour (tests/connectors/node/tool_server.mjs, the
# server of the connector tests), concatenated into one trace; then fits it.
#
#   scenarios/traces/record.sh BUILD_DIR
#
# BUILD_DIR: a build tree whose connector tests ran once (ctest -R npm_ci),
# so that tests/connectors/node holds the MCP SDK.
set -euo pipefail
build=$(cd "$1" && pwd)
sim=$build/sim/consensus-sim
node_dir=$build/tests/connectors/node
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

persona() { # ID ACCURACY CONFORM LATENCY_MS SEED
  echo "$1=mcp+stdio:node tool_server.mjs --accuracy $2 --conform $3 --latency-ms $4 --seed $5"
}

# The servers start in the SDK's folder (the trace names them by script).
cd "$node_dir"
out=$here/example.jsonl
: >"$out"
for i in $(seq 1 40); do
  a=$(( (i * 37) % 50 + 3 ))
  b=$(( (i * 53) % 40 + 5 ))
  "$sim" ask "What is $a plus $b?" --quiet --json \
    --agent "$(persona careful 0.85 0.9 40 11)" \
    --agent "$(persona sloppy 0.55 0.6 20 12)" \
    --agent "$(persona stubborn 0.7 0 80 13)" \
    --agent "$(persona copycat 0.4 1 10 14)" \
    --rounds 3 --k 2 --seed "$i" --timeout-ms 20000 \
    --record "$tmp/q$i.jsonl" --run-id "q$i" --prompt-id "q$i" \
    --key "$((a + b))" >/dev/null || [ $? -eq 3 ]
  if [ "$i" -eq 1 ]; then
    head -n 1 "$tmp/q$i.jsonl" >"$out"
  fi
  tail -n +2 "$tmp/q$i.jsonl" >>"$out"
done
cd "$here"
"$sim" fit example.jsonl -o fitted.yaml --replay replay.yaml --holdout 0.3 \
  --seed 1 --replicates 400 | tee fit.txt
