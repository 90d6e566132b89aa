// caf-consensus benchmarks: the entry point (see docs/performance.md and
// bench/run.sh).

#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
