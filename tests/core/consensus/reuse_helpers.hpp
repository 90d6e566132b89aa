// Tests: helpers of consensus_reuse_test: five participants with
// deterministic answers and the state the inline engine reaches with them.

#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "caf/deep_to_string.hpp"

#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/params.hpp"
#include "caf/consensus/request.hpp"
#include "caf/consensus/result.hpp"

namespace caf::consensus::test {

using strings = std::vector<std::string>;

inline const strings ids = {"a", "b", "c", "d", "e"};

/// A deterministic answer that depends on who is asked, the round and the
/// rendered prompt (hence on the peers the policy sampled with its seed).
inline result answer(const std::string& id, const request& req) {
  static const strings vocabulary = {"retry", "backoff", "jitter", "cap",
                                     "fixed", "delay",   "fail",   "fast",
                                     "queue", "drop"};
  auto h = std::hash<std::string>{}(id + "|" + std::to_string(req.round) + "|"
                                    + req.prompt);
  std::string out;
  for (size_t i = 0; i < vocabulary.size(); ++i)
    if ((h >> i) & 1) {
      if (!out.empty())
        out += ' ';
      out += vocabulary[i];
    }
  return make_ok(id, out, static_cast<int64_t>(h % 97), req.round);
}

inline params test_params(int64_t seed = 7) {
  params ps;
  ps.rounds = 3;
  ps.k = 2;
  ps.beta_1 = 2; // every round runs
  ps.seed = seed;
  ps.timeout_ms = 600000; // longer than any wait of these tests
  return ps;
}

/// The state of the inline engine for the same input.
inline std::string inline_state(const std::string& prompt, const params& ps) {
  auto eng = engine::make(prompt, ids, ps);
  if (!eng)
    return "error: " + render(eng.error());
  return caf::deep_to_string(run_inline(*eng, [](const request& req) {
    return answer(req.participant, req);
  }));
}

} // namespace caf::consensus::test
