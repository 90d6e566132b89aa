#!/usr/bin/env bash
# Long commands off a terminal: `run` prints plain progress lines on stderr
# when stderr is a pipe, and an interrupt (SIGINT, SIGTERM) says how many runs
# are stored and the exact command that resumes, with status 130 / 143.
#   tests/cli/interrupt.sh path/to/consensus-sim REPO_DIR
set -u
sim=$1
repo=$2
. "$(dirname "$0")/lib.sh"

q=$repo/scenarios/quickstart.yaml
# start ARGS...: runs consensus-sim in the background, stdout and stderr to
# files (pipes, not a terminal); sets $pid.
start() {
  "$sim" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null &
  pid=$!
}
# wait_for REGEX FILE: until a line of FILE matches (at most 60 s).
wait_for() {
  for _ in $(seq 1 600); do
    grep -qE -- "$1" "$2" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
expect_line() { # WHAT REGEX FILE
  if grep -qE -- "$2" "$3"; then ok; else
    bad "$1: no line matches /$2/ in:"
    sed 's/^/    /' "$3" | head -10
  fi
}

# 1. A plain progress line, then Ctrl-C: what is stored and how to go on.
start run "$q" -r 300000 --out "$tmp/o"
if wait_for '^consensus-sim run: runs [0-9]+/1200000 \([0-9]+%\), [0-9]+ runs/s' "$tmp/err"; then
  ok
else
  bad "no plain progress line on a pipe:"; sed 's/^/    /' "$tmp/err" | head
fi
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] && ok || bad "SIGINT: exit $rc (want 130)"
expect_line "SIGINT" "^consensus-sim run: interrupted \(SIGINT\): [0-9]+ of 1200000 runs are stored in $tmp/o/results.db; continue with:$" "$tmp/err"
resume="consensus-sim run $q -r 300000 --out $tmp/o --resume"
expect_line "SIGINT" "^  $resume$" "$tmp/err"
n=$(grep -oE 'interrupted \(SIGINT\): [0-9]+' "$tmp/err" | grep -oE '[0-9]+$')
m=$("$sim" export "$tmp/o" --format csv 2>/dev/null | tail -n +2 | wc -l)
[ -n "$n" ] && [ "$n" -eq "$m" ] && ok || bad "said $n runs are stored, the store has $m"

# 2. The printed command resumes; its first line says so off a terminal too;
#    SIGTERM then reports again.
start run "$q" -r 300000 --out "$tmp/o" --resume
if wait_for "^resuming $tmp/o: $m of 1200000 runs stored" "$tmp/out"; then ok; else
  bad "no 'resuming' line:"; sed 's/^/    /' "$tmp/out" | head -5
fi
kill -TERM "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 143 ] && ok || bad "SIGTERM: exit $rc (want 143)"
expect_line "SIGTERM" "^consensus-sim run: interrupted \(SIGTERM\): [0-9]+ of 1200000 runs are stored" "$tmp/err"
expect_line "SIGTERM" "^  $resume$" "$tmp/err"

# 3. Without --out nothing is kept, and it says so; --progress none is quiet.
start run "$q" -r 300000 --progress none
if wait_for '^scenario quickstart' "$tmp/out"; then ok; else bad "no header"; fi
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] && ok || bad "SIGINT without --out: exit $rc (want 130)"
expect_line "no --out" "^consensus-sim run: interrupted \(SIGINT\) after [0-9]+ of 1200000 runs; nothing was stored \(give --out DIR to keep runs\)$" "$tmp/err"
if grep -q "runs/s" "$tmp/err"; then bad "--progress none printed progress"; else ok; fi
finish
