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
