// Tests: policies that rewrite the previous round's requests in place
// (`policy_base::plan_into`) give exactly the requests and the state of a run
// whose agent keeps every request, and a request an agent kept never changes
// (suite request_reuse).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "caf/deep_to_string.hpp"

#include "caf/consensus/engine.hpp"
#include "caf/consensus/request.hpp"

#include "core/engine/engine_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;

namespace {

struct observed_run {
  /// Every request as the agent saw it, in call order.
  strings seen;
  /// The prompt's first byte per call (where its storage was).
  std::vector<const char*> prompt_data;
  std::string final_state;
};

/// Four participants, three refinement rounds; every output has the same
/// length, so every refinement prompt of a policy has the same length too.
observed_run run_policy(const std::string& policy, bool keep_requests) {
  params ps;
  ps.policy = policy;
  ps.rounds = 3;
  ps.k = 2;
  ps.beta_1 = 2.0; // every round runs
  ps.seed = 11;
  observed_run out;
  std::vector<request> kept;
  auto st = run_script({"a", "b", "c", "d"}, ps, [&](const request& req) {
    out.seen.push_back(caf::deep_to_string(req));
    out.prompt_data.push_back(req.prompt.data());
    if (keep_requests)
      kept.push_back(req);
    auto text = "x " + req.participant + std::to_string(req.round % 10);
    if (req.index % 2 == 0)
      text += " common";
    else
      text += " shared";
    return make_ok(req.participant, text, 100 + 10 * req.index);
  });
  out.final_state = caf::deep_to_string(st);
  // A kept request is a snapshot: later rounds never rewrote it.
  for (size_t i = 0; i < kept.size(); ++i)
    EXPECT_EQ(caf::deep_to_string(kept[i]), out.seen[i])
      << policy << ": kept request #" << i << " changed";
  return out;
}

} // namespace

TEST(request_reuse, gives_the_same_requests_and_state) {
  for (auto policy : {"metastable", "hanzo", "snowball", "vote"}) {
    auto reused = run_policy(policy, false);
    auto kept = run_policy(policy, true);
    ASSERT_EQ(reused.seen.size(), 16u) << policy;
    EXPECT_EQ(reused.seen, kept.seen) << policy;
    EXPECT_EQ(reused.final_state, kept.final_state) << policy;
  }
}

TEST(request_reuse, rewrites_a_prompt_no_agent_kept) {
  for (auto policy : {"metastable", "hanzo"}) {
    auto reused = run_policy(policy, false);
    auto kept = run_policy(policy, true);
    // Calls 4..7 are round 1 (fresh prompts: round 0's prompt is the user
    // prompt, which the state shares); rounds 2 and 3 reuse round 1's
    // buffers when nobody kept them, and never when the agent kept them.
    for (size_t i = 8; i < 16; ++i) {
      EXPECT_EQ(reused.prompt_data[i], reused.prompt_data[i - 4])
        << policy << ", call " << i;
      EXPECT_NE(kept.prompt_data[i], kept.prompt_data[i - 4])
        << policy << ", call " << i;
    }
  }
}
