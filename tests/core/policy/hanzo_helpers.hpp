// Tests: helpers of the hanzo policy tests (hanzo_test): parameters, an inline
// script runner, luminance and runs of identical instant answers.

#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/request.hpp"

namespace caf::consensus::test {

using strings = std::vector<std::string>;

inline params hanzo_params() {
  params ps;
  ps.policy = "hanzo";
  return ps;
}

inline state run_script(strings ids, params ps,
                        const std::function<result(const request&)>& fn,
                        std::vector<request>* log = nullptr) {
  auto eng = engine::make("q", std::move(ids), std::move(ps));
  if (!eng) {
    ADD_FAILURE() << "engine::make failed: " << render(eng.error());
    return {};
  }
  return run_inline(*eng, [&](const request& req) {
    if (log != nullptr)
      log->push_back(req);
    return fn(req);
  });
}

inline double lum_of(double ms) {
  return 1.0 / (1.0 + ms / 1000.0);
}

/// Runs identical instant answers and returns the final state.
inline state identical_instant(double beta_1, double beta_2, int32_t rounds,
                               size_t n = 3) {
  auto ps = hanzo_params();
  ps.beta_1 = beta_1;
  ps.beta_2 = beta_2;
  ps.rounds = rounds;
  strings ids;
  for (size_t i = 0; i < n; ++i)
    ids.push_back("agent" + std::to_string(i));
  return run_script(ids, ps, [](const request& req) {
    return make_ok(req.participant, "the very same answer", 0);
  });
}

} // namespace caf::consensus::test
