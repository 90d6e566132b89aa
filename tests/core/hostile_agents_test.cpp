// Agents that send hostile output: invalid UTF-8, megabytes of text, NUL
// bytes, a wrong id. A run must complete with sane, bounded prompts.

#include <gtest/gtest.h>

#include <string>

#include "caf/consensus/consensus.hpp"
#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"

using namespace caf::consensus;

namespace {

const std::string invalid_utf8 = "caf\xff\xfe \xc3\x28 be \xe2\x82 ok \xf0\x9f";

std::string megabytes(size_t mb) {
  std::string out;
  out.reserve(mb << 20);
  while (out.size() < (mb << 20))
    out += "lorem ipsum dolor sit amet ";
  return out;
}

state run_with(const std::string& policy,
               const std::function<std::string(const request&)>& text) {
  params ps;
  ps.policy = policy;
  ps.rounds = 2;
  ps.beta_1 = 2.0; // run every round
  auto eng = engine::make("q", {"a", "b", "c"}, ps);
  EXPECT_TRUE(eng) << render(eng.error());
  return run_inline(*eng, [&](const request& req) {
    return make_ok(req.participant, text(req), 10);
  });
}

} // namespace

TEST(hostile_agents, invalid_utf8_is_scored_and_shown_without_harm) {
  for (auto* policy : {"hanzo", "metastable", "snowball", "vote"}) {
    auto st = run_with(policy, [](const request&) { return invalid_utf8; });
    EXPECT_EQ(st.rounds_executed, 2) << policy;
    EXPECT_EQ(st.failures, 0u) << policy;
    // The invalid bytes are kept verbatim in the responses ...
    EXPECT_EQ(st.responses[0].back().text, invalid_utf8) << policy;
  }
  // ... and identical invalid outputs still agree with each other.
  auto st = run_with("metastable", [](const request&) { return invalid_utf8; });
  EXPECT_EQ(st.confidence[0], 1.0);
}

TEST(hostile_agents, megabyte_outputs_are_cut_in_prompts) {
  auto big = megabytes(2);
  size_t longest_prompt = 0;
  params ps;
  ps.rounds = 2;
  ps.beta_1 = 2.0;
  for (auto* policy : {"hanzo", "metastable"}) {
    ps.policy = policy;
    auto eng = engine::make("q", {"a", "b", "c"}, ps);
    ASSERT_TRUE(eng);
    auto st = run_inline(*eng, [&](const request& req) {
      longest_prompt = std::max(longest_prompt, req.prompt.size());
      return make_ok(req.participant, big, 10);
    });
    EXPECT_EQ(st.rounds_executed, 2);
    EXPECT_EQ(st.synthesis.size(), big.size());
  }
  // Peer lines are cut to 1000 code points: 3 peers at most.
  EXPECT_LT(longest_prompt, 3 * 1100u + 100u);
}

TEST(hostile_agents, nul_bytes_and_wrong_ids_are_contained) {
  std::string with_nul("x\0y z", 5);
  params ps;
  ps.rounds = 1;
  auto eng = engine::make("q", {"a", "b"}, ps);
  ASSERT_TRUE(eng);
  auto st = run_inline(*eng, [&](const request&) {
    return make_ok("impostor", with_nul, 1);
  });
  EXPECT_EQ(st.responses[0].back().text, with_nul);
  EXPECT_EQ(st.participants, (std::vector<std::string>{"a", "b"}));
}

TEST(hostile_agents, through_the_actors) {
  auto big = megabytes(2);
  params ps;
  ps.rounds = 1;
  consensus c{{"a", "b", "c"},
              [&](const std::string& id, const request& req) {
                if (id == "a")
                  return make_ok(id, big, 5);
                if (id == "b")
                  return make_ok(id, invalid_utf8, 5);
                throw std::runtime_error("c explodes in round "
                                         + std::to_string(req.round));
              },
              ps};
  auto st = c.run("q");
  ASSERT_TRUE(st) << render(st.error());
  EXPECT_EQ(st->calls, 6u);
  EXPECT_EQ(st->failures, 2u);
  EXPECT_EQ(st->responses[2].back().error,
            "exception in execute: c explodes in round 1");
}
