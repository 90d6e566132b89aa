// Tests: policy metastable is deterministic given its seed (suite
// metastable).

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "caf/deep_to_string.hpp"

#include "caf/consensus/engine.hpp"
#include "caf/consensus/request.hpp"

#include "core/policy/metastable_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;

// -- determinism --------------------------------------------------------------

namespace {

state varied_run(int64_t seed) {
  params ps;
  ps.k = 3;
  ps.rounds = 3;
  ps.seed = seed;
  ps.beta_1 = 1.5;
  return run_script(ids_of(8), ps, [](const request& req) {
    // Half the agents answer alike, latencies vary, p7 fails in round 2.
    if (req.index == 7 && req.round == 2)
      return make_failure(req.participant, 2, "x");
    auto text = req.index % 2 == 0 ? std::string{"common answer here"}
                                   : disjoint(req);
    return make_ok(req.participant, text,
                   100 * (req.index + 1) + 10 * req.round);
  });
}

std::vector<std::vector<uint32_t>> all_samples(const state& st) {
  std::vector<std::vector<uint32_t>> out;
  for (auto& tr : st.trace)
    for (auto& s : tr.samples)
      out.push_back(s);
  return out;
}

} // namespace

TEST(metastable, the_same_seed_gives_the_same_state) {
  auto a = caf::deep_to_string(varied_run(17));
  auto b = caf::deep_to_string(varied_run(17));
  EXPECT_EQ(a, b);
  EXPECT_NE(a.find("common answer here"), std::string::npos);
}

TEST(metastable, different_seeds_give_different_samples) {
  auto base = all_samples(varied_run(0));
  size_t different = 0;
  for (int64_t seed = 1; seed <= 10; ++seed)
    if (all_samples(varied_run(seed)) != base)
      ++different;
  EXPECT_GT(different, 0u);
}
