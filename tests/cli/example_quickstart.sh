#!/usr/bin/env bash
# examples/quickstart (the README's C++ quick start): it must exit 0 with
# nothing on stderr and print the outcome its scripted answers lead to: two
# of the three participants answer "use retries with exponential backoff" at
# first and refinements adopt a peer's wording, so that wording wins,
# finalized, with claude (the first participant) as the winner.
#   tests/cli/example_quickstart.sh path/to/quickstart
set -u
export LC_ALL=C
example=$1
. "$(dirname "$0")/lib.sh"

timeout 120 "$example" >"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
if [ "$rc" -eq 0 ]; then
  ok
else
  bad "exit $rc (want 0); stderr:"
  sed 's/^/    /' "$tmp/err" | head -10
fi
if [ -s "$tmp/err" ]; then
  bad "unexpected stderr:"
  sed 's/^/    /' "$tmp/err" | head -10
else
  ok
fi
printf '%s\n' 'Winner: claude' 'Finalized: True' \
  'Synthesis: use retries with exponential backoff' >"$tmp/want"
if diff "$tmp/want" "$tmp/out" >"$tmp/diff"; then
  ok
else
  bad "unexpected output (- wanted, + got):"
  sed 's/^/    /' "$tmp/diff"
fi

finish
