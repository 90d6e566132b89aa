#!/usr/bin/env bash
# Installs the build into a temporary prefix, then configures, builds and
# runs tests/install/downstream against it with find_package(caf_consensus).
#   tests/install/install_test.sh BUILD_DIR SOURCE_DIR [EXTRA CMAKE ARGS...]
set -euo pipefail
build=$1
src=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log"
# Nothing private is installed.
if find "$tmp/prefix" -path '*/internal/*' | grep -q .; then
  echo "FAIL: private headers were installed:"
  find "$tmp/prefix" -path '*/internal/*' | head
  exit 1
fi
# The CLI runs from the prefix, with its version, per-command help and (when
# the build had help2man) its manual page.
"$tmp/prefix/bin/consensus-sim" --version | grep -qE '^consensus-sim \(caf-consensus [0-9.]+, commit [0-9a-f]+|unknown, CAF 0\.17\.[0-9]+\)$' \
  || { echo "FAIL: consensus-sim --version:"; "$tmp/prefix/bin/consensus-sim" --version; exit 1; }
"$tmp/prefix/bin/consensus-sim" help run | grep -q -- '--replicates' \
  || { echo "FAIL: consensus-sim help run"; exit 1; }
if grep -qs '^HELP2MAN:FILEPATH=/' "$build/CMakeCache.txt"; then
  man -l "$tmp/prefix/share/man/man1/consensus-sim.1" 2>/dev/null | grep -q 'consensus-sim' \
    || [ -s "$tmp/prefix/share/man/man1/consensus-sim.1" ] \
    || { echo "FAIL: no manual page installed"; exit 1; }
fi
cmake -S "$src/tests/install/downstream" -B "$tmp/build" \
  -DCMAKE_PREFIX_PATH="$tmp/prefix" "$@" >"$tmp/configure.log" \
  || { cat "$tmp/configure.log"; exit 1; }
cmake --build "$tmp/build" -j 2 >"$tmp/build.log" \
  || { tail -40 "$tmp/build.log"; exit 1; }
out=$("$tmp/build/downstream")
echo "$out"
[ "$out" = "winner a, finalized yes, agent x" ] || {
  echo "FAIL: unexpected output"
  exit 1
}
echo "install test: ok"
