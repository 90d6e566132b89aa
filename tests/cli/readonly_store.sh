#!/usr/bin/env bash
# A finished results store that the reader may not write (another user's
# store, a read-only folder) can still be read: export and summarize work
# and print what a writer-side read prints. Run as root, the readers run as
# the user nobody (root may write anything); otherwise the folder is made
# read-only.
#   tests/cli/readonly_store.sh path/to/consensus-sim REPO_DIR
set -u
sim=$(readlink -f "$1")
repo=$2
. "$(dirname "$0")/lib.sh"
chmod 755 "$tmp"
# The reader runs a copy in the open folder: the build tree may sit where
# nobody cannot reach it.
cp "$sim" "$tmp/consensus-sim" && chmod 755 "$tmp/consensus-sim"
sim=$tmp/consensus-sim

"$sim" run "$repo/scenarios/quickstart.yaml" --out "$tmp/res" -r 20 \
  --engine inline --quiet >/dev/null 2>&1 || { echo "FAIL: run"; exit 1; }
"$sim" export "$tmp/res" >"$tmp/expected.csv" || { echo "FAIL: export"; exit 1; }
"$sim" summarize "$tmp/res" --format jsonl >"$tmp/expected.jsonl" \
  || { echo "FAIL: summarize"; exit 1; }
chmod -R a-w "$tmp/res"
chmod a+rx "$tmp/res"

as_reader=()
if [ "$(id -u)" -eq 0 ]; then
  as_reader=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi

out=$("${as_reader[@]}" "$sim" export "$tmp/res" 2>"$tmp/err")
rc=$?
if [ "$rc" -eq 0 ] && [ "$out" = "$(cat "$tmp/expected.csv")" ]; then
  ok
else
  bad "export of a store the reader cannot write -> exit $rc: $(head -3 "$tmp/err")"
fi
out=$("${as_reader[@]}" "$sim" summarize "$tmp/res" --format jsonl 2>"$tmp/err")
rc=$?
if [ "$rc" -eq 0 ] && [ "$out" = "$(cat "$tmp/expected.jsonl")" ]; then
  ok
else
  bad "summarize of a store the reader cannot write -> exit $rc: $(head -3 "$tmp/err")"
fi
# Nothing was written next to the store.
if [ -z "$(find "$tmp/res" -newer "$tmp/expected.jsonl" -print -quit)" ]; then
  ok
else
  bad "a reader wrote into the store's folder"
fi

finish
