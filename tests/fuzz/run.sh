#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (+ ASan/UBSan) and runs each for
# SECONDS (default 60) on a copy of its seed corpus. A finding is written to
# tests/fuzz/findings/<target>/; copy it to tests/fuzz/regressions/<target>/
# to make it a regression test, then fix the bug.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$here"
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(scenario conformance tokenizer mcp_jsonrpc openai_response trace)
dir=${FUZZ_BUILD_DIR:-build-fuzz}
# A build folder already configured for fuzzing (e.g. the sanitizer build of
# cmake/build.sh, which CI fuzzes) is used as it is.
if ! grep -qs '^CAF_CONSENSUS_FUZZ:BOOL=ON$' "$dir/CMakeCache.txt"; then
  CXX=clang++ cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCAF_CONSENSUS_FUZZ=ON -DCAF_CONSENSUS_ENABLE_TESTS=OFF \
    -DCAF_CONSENSUS_ENABLE_BENCH=OFF >/dev/null
fi
cmake --build "$dir" -j "${JOBS:-$(nproc)}" \
  --target $(printf 'fuzz_%s ' "${targets[@]}")
status=0
for t in "${targets[@]}"; do
  work=$(mktemp -d)
  cp -r "tests/fuzz/corpus/$t/." "$work/"
  mkdir -p "tests/fuzz/findings/$t"
  echo "==> fuzz_$t for ${secs}s"
  if ! "$dir/tests/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 \
       -rss_limit_mb=2048 -max_len=65536 \
       -artifact_prefix="tests/fuzz/findings/$t/" "$work" 2>"$work.log"; then
    echo "!! fuzz_$t found a problem; see tests/fuzz/findings/$t/ and $work.log"
    tail -30 "$work.log"
    status=1
  else
    grep -E "^(#[0-9]+\s+DONE|Done [0-9]+ runs)" "$work.log" | tail -1 || true
  fi
  rm -rf "$work"
done
exit $status
