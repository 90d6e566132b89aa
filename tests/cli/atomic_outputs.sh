#!/usr/bin/env bash
# Result files are written atomically and never onto their own input:
# `export -o FILE` killed (SIGKILL) at many moments leaves FILE either as it
# was or complete; `export -o DIR/results.db` refuses to destroy the store; a
# symlink planted at an output is replaced, never written through; a FIFO
# given as the output is refused at once.
#   tests/cli/atomic_outputs.sh path/to/consensus-sim REPO_DIR
set -u
sim=$1
repo=$2
. "$(dirname "$0")/lib.sh"

# A store of 24,000 runs; its runs.csv is a few MiB.
"$sim" run "$repo/scenarios/quickstart.yaml" --out "$tmp/res" -r 1500 \
  --threads 2 --engine inline --quiet >/dev/null 2>&1 \
  || { echo "FAIL: could not create the store"; exit 1; }
"$sim" export "$tmp/res" -o "$tmp/full.csv" || { echo "FAIL: export"; exit 1; }
cmp -s "$tmp/full.csv" "$tmp/res/runs.csv" && ok \
  || bad "export -o differs from the runs.csv that run --out wrote"

# Kill the export at 30 moments spread over its run time.
printf 'the old file\n' >"$tmp/old.csv"
start=$(date +%s%N)
"$sim" export "$tmp/res" -o "$tmp/timed.csv"
took_us=$((($(date +%s%N) - start) / 1000))
kept_old=0
got_new=0
for i in $(seq 1 30); do
  cp "$tmp/old.csv" "$tmp/out.csv"
  "$sim" export "$tmp/res" -o "$tmp/out.csv" &
  pid=$!
  # the i-th of 30 points in [0, 1.2 x the run time]
  delay_us=$((took_us * i * 12 / 300))
  sleep "$(awk -v us="$delay_us" 'BEGIN { printf "%.6f", us / 1000000 }')"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if cmp -s "$tmp/out.csv" "$tmp/old.csv"; then
    kept_old=$((kept_old + 1))
  elif cmp -s "$tmp/out.csv" "$tmp/full.csv"; then
    got_new=$((got_new + 1))
  else
    bad "kill after ${delay_us} us left a file that is neither the old nor the new one ($(wc -c <"$tmp/out.csv") bytes)"
  fi
done
[ "$kept_old" -gt 0 ] && ok || bad "no kill landed before the export finished (export took ${took_us} us)"
echo "30 kills: $kept_old left the old file, $got_new the new one"
rm -f "$tmp"/.out.csv.tmp-*

# An output onto the store it reads is refused; the store stays whole.
out=$("$sim" export "$tmp/res" -o "$tmp/res/results.db" 2>&1)
rc=$?
if [ "$rc" -eq 1 ] && grep -q "refusing to write '$tmp/res/results.db': it is the input" <<<"$out"; then
  ok
else
  bad "export -o DIR/results.db -> exit $rc: $out"
fi
"$sim" export "$tmp/res" -o "$tmp/again.csv" && cmp -s "$tmp/again.csv" "$tmp/full.csv" && ok \
  || bad "the store changed after export -o DIR/results.db"

# A symlink planted at the output is replaced, not written through.
printf 'precious\n' >"$tmp/victim"
ln -s "$tmp/victim" "$tmp/link.csv"
"$sim" export "$tmp/res" -o "$tmp/link.csv" >/dev/null 2>&1
if [ "$(cat "$tmp/victim")" = "precious" ] && [ ! -L "$tmp/link.csv" ] \
  && cmp -s "$tmp/link.csv" "$tmp/full.csv"; then
  ok
else
  bad "export -o through a planted symlink wrote its target"
fi

# A FIFO as the output is refused at once (no reader is ever waited for).
mkfifo "$tmp/fifo"
out=$(timeout 10 "$sim" export "$tmp/res" -o "$tmp/fifo" 2>&1)
rc=$?
if [ "$rc" -eq 1 ] && grep -q "is not a regular file" <<<"$out"; then
  ok
else
  bad "export -o FIFO -> exit $rc: $out"
fi

# An empty output name is an error.
out=$("$sim" export "$tmp/res" -o '' 2>&1)
rc=$?
if [ "$rc" -ne 0 ] && grep -q "needs a name" <<<"$out"; then ok; else bad "export -o '' -> exit $rc: $out"; fi

finish
