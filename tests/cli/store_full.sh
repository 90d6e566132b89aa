#!/usr/bin/env bash
# A results store that cannot grow (a file-size limit stands in for a full
# disk): `run --out` stops with a message naming the store and the failed
# write, keeps what it stored, and `--resume` without the limit completes the
# sweep, identical to an uninterrupted one.
#   tests/cli/store_full.sh path/to/consensus-sim REPO_DIR
set -u
sim=$1
repo=$2
. "$(dirname "$0")/lib.sh"

q=$repo/scenarios/quickstart.yaml
# SIGXFSZ ignored: a write past the limit fails with EFBIG instead of killing
# the process (as a full disk fails with ENOSPC).
out=$( (trap '' XFSZ; ulimit -f 200; "$sim" run "$q" -r 2000 --out "$tmp/full" --quiet) 2>&1)
rc=$?
if [ "$rc" -eq 1 ]; then ok; else bad "run with a full store: exit $rc (want 1)"; fi
for want in "results.db: cannot commit: disk I/O error \(a write failed: the disk may be full or the file over a size limit\)" \
            "new runs are stored in .*/full/results.db; continue with --resume"; do
  if grep -qE -- "$want" <<<"$out"; then ok; else bad "no /$want/ in: $out"; fi
done
"$sim" run "$q" -r 2000 --out "$tmp/full" --resume --quiet >/dev/null 2>"$tmp/resume.err"
rc=$?
if [ "$rc" -eq 0 ]; then ok; else bad "resume: exit $rc: $(cat "$tmp/resume.err")"; fi
"$sim" run "$q" -r 2000 --out "$tmp/ref" --quiet >/dev/null 2>&1
if cmp -s "$tmp/full/runs.csv" "$tmp/ref/runs.csv"; then
  ok
else
  bad "the resumed sweep differs from an uninterrupted one"
fi
finish
