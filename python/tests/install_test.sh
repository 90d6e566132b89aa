#!/usr/bin/env bash
# `cmake --install BUILD --prefix TMP` installs caf_consensus into
# TMP/lib/python3.X/dist-packages (or site-packages), and python3 imports it
# from there and runs a consensus.
#
#   install_test.sh BUILD_DIR PYTHON
set -euo pipefail
build=$1
python=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
site=$(cd "$prefix" && ls -d lib/python3*/*-packages)
test -f "$prefix/$site/caf_consensus/hanzo.py"
test -f "$prefix/$site/caf_consensus/_core.pyi"
test -f "$prefix/$site/caf_consensus/py.typed"
ls "$prefix/$site"/caf_consensus/_core*.so >/dev/null
cd "$prefix"
PYTHONPATH="$prefix/$site" "$python" - "$prefix/$site" <<'PY'
import asyncio, random, sys
import caf_consensus, caf_consensus.hanzo as hc
assert caf_consensus.__file__.startswith(sys.argv[1]), caf_consensus.__file__

async def execute(p, prompt):
    return hc.Result(p, "use backoff", True, ms=100)

random.seed(1)
st = asyncio.run(hc.run("q", ["a", "b"], execute))
assert st.winner == "a" and st.synthesis == "use backoff", st
PY
echo "python install test: ok"
