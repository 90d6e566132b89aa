// Protocol benchmarks (extended by the performance work, see
// docs/performance.md).

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/rng/rng64.hpp"
#include "caf/consensus/text/tokenizer.hpp"

using namespace caf::consensus;

namespace {

std::vector<std::string> make_outputs(size_t count, size_t words,
                                      uint64_t seed) {
  static const char* vocab[] = {
    "alpha", "beta",  "gamma", "delta", "retry", "backoff", "cache", "queue",
    "shard", "index", "lock",  "latch", "tree",  "graph",   "node",  "edge",
    "fast",  "slow",  "safe",  "risky", "use",   "avoid",   "with",  "and",
    "the",   "a",     "of",    "to",    "in",    "on",      "for",   "by",
    "write", "read",  "batch", "flush", "scan",  "seek",    "merge", "split",
    "retry", "limit", "rate",  "token", "time",  "out",     "loop",  "stop"};
  rng::rng64 gen{seed};
  std::vector<std::string> out(count);
  for (auto& s : out)
    for (size_t w = 0; w < words; ++w) {
      if (w > 0)
        s += ' ';
      s += vocab[gen.below(48)];
    }
  return out;
}

void BM_tokenize(benchmark::State& st) {
  auto outputs = make_outputs(256, static_cast<size_t>(st.range(0)), 1);
  size_t i = 0;
  for (auto _ : st) {
    auto toks = text::tokenize(outputs[i++ % outputs.size()]);
    benchmark::DoNotOptimize(toks);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_tokenize)->Arg(50)->Arg(300);

void BM_inline_run(benchmark::State& st) {
  auto n = static_cast<size_t>(st.range(0));
  params ps;
  ps.rounds = static_cast<int32_t>(st.range(1));
  ps.beta_1 = 2.0;
  ps.policy = st.range(2) == 0 ? "hanzo" : "metastable";
  std::vector<std::string> ids;
  for (size_t i = 0; i < n; ++i)
    ids.push_back("p" + std::to_string(i));
  auto outputs = make_outputs(n * (ps.rounds + 1), 50, 7);
  for (auto _ : st) {
    auto eng = engine::make("q", ids, ps);
    auto out = run_inline(*eng, [&](const request& req) {
      return make_ok(req.participant,
                     outputs[req.round * n + req.index],
                     50 + static_cast<int64_t>(req.index * 37 % 2950));
    });
    benchmark::DoNotOptimize(out);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_inline_run)
  ->Args({5, 3, 0})
  ->Args({5, 3, 1})
  ->Args({50, 5, 0})
  ->Args({50, 5, 1});

} // namespace

BENCHMARK_MAIN();
