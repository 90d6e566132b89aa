#!/usr/bin/env bash
# One entry point for a fresh Debian machine.
#
#   cmake/build.sh run [ARGS...]  install missing Debian packages, build the CLI
#                                 and its libraries only (Release), run
#                                 `consensus-sim run scenarios/quickstart.yaml`
#                                 (or `consensus-sim ARGS...` when ARGS are given)
#   cmake/build.sh test           install missing packages, build everything
#                                 (tests, benchmarks), run every test (ctest)
#   cmake/build.sh sanitize       the whole test suite again, built with clang,
#                                 AddressSanitizer + UBSan (dir build-asan),
#                                 then each libFuzzer target for FUZZ_SECONDS
#                                 (default 30; 0 skips fuzzing)
#   cmake/build.sh build          install missing packages and build only
#
# Environment: BUILD_DIR (default: build), JOBS (default: nproc),
#              BUILD_TYPE (default: Release), CMAKE_ARGS (extra configure flags).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
mode=${1:-run}
[ $# -gt 0 ] && shift

packages=(
  build-essential cmake pkg-config python3 clang help2man
  # bench/scale_sweep.sh: wall time and peak RSS
  time
  libcaf-dev libboost-program-options-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libicu-dev libre2-dev nlohmann-json3-dev libyaml-cpp-dev libsqlite3-dev
  # reports: charts (gnuplot), the headless-browser test (chromium, libpng)
  gnuplot-nox chromium libpng-dev
  libssl-dev openssl
  # the Python package (python/): build, pip install, tests
  pybind11-dev python3-dev python3-setuptools python3-wheel python3-pytest
  python3-pandas
  # connectors (MCP, OpenAI-compatible APIs) and the MCP integration tests;
  # npm only when no npm is there (NodeSource's nodejs ships its own).
  libcurl4-openssl-dev libcpp-httplib-dev nodejs
  $(command -v npm >/dev/null 2>&1 || echo npm)
)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> installing missing Debian packages: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}"
}

# build [TARGET...]: configure and build TARGETs (default: everything).
build() {
  local dir=${BUILD_DIR:-build}
  local targets=()
  [ $# -gt 0 ] && targets=(--target "$@")
  echo "==> configuring and building ${*:-everything} in $dir"
  # shellcheck disable=SC2086
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" ${CMAKE_ARGS:-} >/dev/null
  cmake --build "$dir" -j "${JOBS:-$(nproc)}" "${targets[@]}"
}

case "$mode" in
  run)
    install_missing
    build consensus-sim
    dir=${BUILD_DIR:-build}
    if [ $# -eq 0 ]; then
      set -- run scenarios/quickstart.yaml
    fi
    echo "==> $dir/sim/consensus-sim $*"
    exec "$dir/sim/consensus-sim" "$@"
    ;;
  test)
    install_missing
    build
    dir=${BUILD_DIR:-build}
    echo "==> running the test suite"
    cd "$dir" && exec ctest --output-on-failure -j "${JOBS:-$(nproc)}"
    ;;
  sanitize)
    install_missing
    export BUILD_DIR=${BUILD_DIR:-build-asan}
    export BUILD_TYPE=${BUILD_TYPE:-Debug}
    # clang, so that the same build also makes the libFuzzer targets
    # (CAF_CONSENSUS_FUZZ implies ASan + UBSan).
    export CXX=${CXX:-clang++}
    export CMAKE_ARGS="${CMAKE_ARGS:-} -DCAF_CONSENSUS_FUZZ=ON -DCAF_CONSENSUS_ENABLE_BENCH=OFF"
    build
    echo "==> running the test suite under ASan + UBSan"
    status=0
    (cd "$BUILD_DIR" &&
      ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --output-on-failure -j "${JOBS:-$(nproc)}") || status=$?
    if [ "${FUZZ_SECONDS:-30}" != 0 ]; then
      echo "==> fuzzing each target for ${FUZZ_SECONDS:-30} s (findings: tests/fuzz/findings/)"
      FUZZ_BUILD_DIR=$BUILD_DIR tests/fuzz/run.sh "${FUZZ_SECONDS:-30}" || status=1
    fi
    exit $status
    ;;
  build)
    install_missing
    build
    ;;
  *)
    echo "usage: cmake/build.sh run [consensus-sim args] | test | sanitize | build" >&2
    exit 2
    ;;
esac
