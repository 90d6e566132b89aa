# Shared by the CLI test scripts (sourced): a temporary folder removed on
# exit, pass/fail counters and the closing line.
#   . "$(dirname "$0")/lib.sh"   (after setting sim and repo)
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
pass=0
fail=0

# ok: count a passed check; bad MESSAGE: count a failed one and say why.
ok() { pass=$((pass + 1)); }
bad() {
  echo "FAIL: $*"
  fail=$((fail + 1))
}

# finish: print 'N passed, N failed' and exit 1 on any failure.
finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
  exit $?
}

# start_worker OUT: starts `consensus-sim worker --listen 127.0.0.1:0
# --threads 1` (needs $sim and CONSENSUS_SECRET) with its output in OUT;
# sets worker_pid, and worker_port once it listens (empty if it never did).
start_worker() {
  "$sim" worker --listen 127.0.0.1:0 --threads 1 >"$1" 2>&1 </dev/null &
  worker_pid=$!
  worker_port=
  for _ in $(seq 1 300); do
    worker_port=$(grep -oE "listening on 127.0.0.1:[0-9]+ " "$1" | grep -oE "[0-9]+ $" | tr -d ' ')
    [ -n "$worker_port" ] && break
    sleep 0.1
  done
}
