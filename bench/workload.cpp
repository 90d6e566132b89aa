// caf-consensus benchmarks: the benchmark shapes.

#include "workload.hpp"

#include <sys/resource.h>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/rng/rng64.hpp"

namespace caf::consensus::bench {

const char* const vocabulary[48]
  = {"alpha",  "beta",  "gamma", "delta", "retry", "backoff", "cache", "queue",
     "shard",  "index", "lock",  "latch", "tree",  "graph",   "node",  "edge",
     "fast",   "slow",  "safe",  "risky", "use",   "avoid",   "with",  "and",
     "the",    "a",     "of",    "to",    "in",    "on",      "for",   "by",
     "write",  "read",  "batch", "flush", "scan",  "seek",    "merge", "split",
     "jitter", "limit", "rate",  "token", "time",  "out",     "loop",  "stop"};

const char* const choices[4] = {"A", "B", "C", "D"};

const char* const prompt = "Which retry strategy should the client use?";

workload::workload(size_t n, int32_t rounds, size_t words, uint64_t seed)
  : rounds_(rounds), words_(words) {
  ids_.reserve(n);
  for (size_t i = 0; i < n; ++i)
    ids_.push_back("p" + std::to_string(i));
  auto total = n * static_cast<size_t>(rounds + 1);
  rng::rng64 gen{seed};
  outputs_.resize(total);
  ms_.resize(total);
  choice_.resize(total);
  for (size_t x = 0; x < total; ++x) {
    std::string s;
    for (size_t w = 0; w < words; ++w) {
      if (w > 0)
        s += ' ';
      s += vocabulary[gen.below(48)];
    }
    outputs_[x] = std::move(s);
    ms_[x] = 50 + static_cast<int64_t>(gen.below(2951));
  }
  rng::rng64 choice_gen{seed + 1};
  for (auto& c : choice_)
    c = static_cast<uint8_t>(choice_gen.below(4));
}

params workload::parameters(const std::string& policy, double beta_1) const {
  params ps;
  ps.rounds = rounds_;
  ps.k = 3;
  ps.beta_1 = beta_1;
  ps.policy = policy;
  ps.seed = 42;
  return ps;
}

result workload::answer(const request& req, bool labelled) const {
  auto x = static_cast<size_t>(req.round) * ids_.size() + req.index;
  auto r = make_ok(req.participant, outputs_[x], ms_[x]);
  if (labelled)
    r.label = choices[choice_[x]];
  return r;
}

expected<state> workload::run_inline(const params& ps, bool labelled) const {
  auto eng = engine::make(prompt, ids_, ps);
  if (!eng)
    return std::move(eng.error());
  return consensus::run_inline(*eng, [this, labelled](const request& req) {
    return answer(req, labelled);
  });
}

size_t workload::fixture_bytes() const {
  size_t total = 0;
  for (auto& s : outputs_)
    total += sizeof(shared_text) + sizeof(std::string) + s.str().capacity();
  return total + ms_.size() * sizeof(int64_t) + choice_.size();
}

size_t peak_rss_bytes() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<size_t>(ru.ru_maxrss) * 1024; // Linux: KiB
}

} // namespace caf::consensus::bench
