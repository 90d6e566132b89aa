// Tests: synthetic agents: answer distributions and refinement behaviours
// (suite agents_answers).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <gtest/gtest.h>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "caf/consensus/request.hpp"
#include "caf/consensus/result.hpp"
#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/text/similarity.hpp"
#include "caf/consensus/text/tokenizer.hpp"
#include "sim/agents/agents_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::sim;
using namespace caf::consensus::sim::test;

namespace {

// -- answers ------------------------------------------------------------------

TEST(agents_answers, ok_results_carry_everything) {
  auto w = make_world();
  auto g = make_group();
  g.latency.a = 42;
  auto res = answer(w, agent{"g-3", &g, 2}, 5, make_request(4, "B"));
  EXPECT_TRUE(res.ok);
  EXPECT_EQ(res.id, "g-3");
  EXPECT_EQ(res.round, 4);
  EXPECT_EQ(res.ms, 42);
  EXPECT_EQ(res.label, "B");
  EXPECT_EQ(res.output, w.templates[1]);
  EXPECT_TRUE(res.error.empty());
  EXPECT_FALSE(res.timed_out);
}

TEST(agents_answers, tokens_are_drawn_for_ok_calls_only) {
  auto w = make_world();
  auto g = make_group();
  // Not modelled: 0, and no draw that could move the others.
  auto plain = answer(w, agent{"g-1", &g, 0}, 5, make_request(1, "B"));
  EXPECT_EQ(plain.tokens, 0u);
  g.tokens = latency_model{latency_model::kind::constant, 350, 0, {}};
  auto x = answer(w, agent{"g-1", &g, 0}, 5, make_request(1, "B"));
  EXPECT_EQ(x.tokens, 350u);
  EXPECT_EQ(x.label, plain.label);
  EXPECT_EQ(x.ms, plain.ms);
  EXPECT_EQ(x.output, plain.output);
  g.tokens = latency_model{latency_model::kind::uniform, 100, 200, {}};
  std::set<uint64_t> seen;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    auto y = answer(w, agent{"g-1", &g, 0}, seed, make_request(1, "B"));
    EXPECT_GE(y.tokens, 100u);
    EXPECT_LE(y.tokens, 200u);
    EXPECT_EQ(
      y.tokens,
      answer(w, agent{"g-1", &g, 0}, seed, make_request(1, "B")).tokens);
    seen.insert(y.tokens);
  }
  EXPECT_GT(seen.size(), 50u);
  g.fail = 1;
  EXPECT_EQ(answer(w, agent{"g-1", &g, 0}, 5, make_request(1, "B")).tokens, 0u);
}

TEST(agents_answers, categorical_frequencies) {
  auto w = make_world();
  auto g = make_group();
  g.weights = {0.7, 0.2, 0.1};
  auto freq = label_freq(w, make_agent(g), make_request(0));
  EXPECT_NEAR(freq["A"], 0.7, 0.015);
  EXPECT_NEAR(freq["B"], 0.2, 0.015);
  EXPECT_NEAR(freq["C"], 0.1, 0.012);
  EXPECT_EQ(freq.size(), 3u);
}

TEST(agents_answers, zero_weights_are_never_drawn) {
  auto w = make_world();
  auto g = make_group();
  g.weights = {0, 2, 6};
  auto freq = label_freq(w, make_agent(g), make_request(0), 4000);
  EXPECT_EQ(freq.count("A"), 0u);
  EXPECT_NEAR(freq["B"], 0.25, 0.03);
  EXPECT_NEAR(freq["C"], 0.75, 0.03);
}

TEST(agents_answers, stubborn_keeps_its_label) {
  auto w = make_world();
  auto g = make_group(behaviour::stubborn);
  g.weights = {0.5, 0.5, 0};
  auto freq = label_freq(w, make_agent(g), make_request(3, "C", {"A", "A"}),
                         2000);
  EXPECT_EQ(freq.size(), 1u);
  EXPECT_DOUBLE_EQ(freq["C"], 1.0);
}

TEST(agents_answers, missing_own_label_draws_from_the_distribution) {
  auto w = make_world();
  auto g = make_group(behaviour::stubborn);
  g.weights = {0.2, 0.8, 0};
  auto freq = label_freq(w, make_agent(g), make_request(2, "", {"A"}), 4000);
  EXPECT_NEAR(freq["A"], 0.2, 0.03);
  EXPECT_NEAR(freq["B"], 0.8, 0.03);
}

TEST(agents_answers, resample_redraws_every_round) {
  auto w = make_world();
  auto g = make_group(behaviour::resample);
  g.weights = {0.6, 0.4, 0};
  auto a = make_agent(g);
  auto freq = label_freq(w, a, make_request(1, "C", {"C", "C"}));
  EXPECT_EQ(freq.count("C"), 0u);
  EXPECT_NEAR(freq["A"], 0.6, 0.015);
  // Redrawn independently per round: rounds 1 and 2 often differ.
  int changes = 0;
  for (uint64_t seed = 0; seed < 2000; ++seed)
    if (answer(w, a, seed, make_request(1, "A")).label
        != answer(w, a, seed, make_request(2, "A")).label)
      ++changes;
  EXPECT_NEAR(changes / 2000.0, 2 * 0.6 * 0.4, 0.04);
}

TEST(agents_answers, copy_peer_picks_a_shown_label_uniformly) {
  auto w = make_world({"A", "B", "C", "D"});
  auto g = make_group(behaviour::copy_peer);
  auto a = make_agent(g);
  // Peer positions are equally likely; peers without label are skipped.
  auto freq = label_freq(w, a, make_request(1, "D", {"A", "", "B", "C", "A"}));
  EXPECT_EQ(freq.count("D"), 0u);
  EXPECT_NEAR(freq["A"], 0.5, 0.015);
  EXPECT_NEAR(freq["B"], 0.25, 0.015);
  EXPECT_NEAR(freq["C"], 0.25, 0.015);
  // Nothing to copy: keeps its own.
  freq = label_freq(w, a, make_request(1, "D", {"", ""}), 200);
  EXPECT_DOUBLE_EQ(freq["D"], 1.0);
  freq = label_freq(w, a, make_request(1, "B"), 200);
  EXPECT_DOUBLE_EQ(freq["B"], 1.0);
}

TEST(agents_answers, majority_adopts_a_unique_plurality) {
  auto w = make_world();
  auto g = make_group(behaviour::majority);
  auto a = make_agent(g);
  auto label = [&](std::string own, std::vector<std::string> peers) {
    return answer(w, a, 1, make_request(1, own, peers)).label;
  };
  EXPECT_EQ(label("A", {"B", "B", "C"}), "B");
  EXPECT_EQ(label("A", {"C", "B", "C", "", "", ""}), "C");
  EXPECT_EQ(label("A", {"B"}), "B");
  // The agent's own label does not count as a vote.
  EXPECT_EQ(label("A", {"A", "B", "B"}), "B");
  // Ties keep the own label, whether or not it is among the tied ones.
  EXPECT_EQ(label("A", {"B", "C"}), "A");
  EXPECT_EQ(label("B", {"B", "C"}), "B");
  EXPECT_EQ(label("A", {"B", "B", "C", "C", "A"}), "A");
  // No labeled peer: keeps its own.
  EXPECT_EQ(label("C", {}), "C");
  EXPECT_EQ(label("C", {"", ""}), "C");
  // Samples of more than 8 peers (counted beyond the 8 kept in place).
  EXPECT_EQ(label("A", {"B", "C", "D", "E", "F", "G", "H", "I", "J", "J"}),
            "J");
  EXPECT_EQ(label("A", {"B", "C", "D", "E", "F", "G", "H", "I", "J", "K"}),
            "A");
  EXPECT_EQ(label("A", {"K", "C", "K", "E", "F", "G", "H", "I", "J", "K"}),
            "K");
}

TEST(agents_answers, conform_follows_the_majority_at_rate_p) {
  auto w = make_world();
  auto g = make_group(behaviour::conform);
  g.conform_p = 0.3;
  auto freq = label_freq(w, make_agent(g), make_request(1, "A", {"B", "B"}));
  EXPECT_NEAR(freq["B"], 0.3, 0.015);
  EXPECT_NEAR(freq["A"], 0.7, 0.015);
  // Conforming to a tie keeps the own label as well.
  freq = label_freq(w, make_agent(g), make_request(1, "A", {"B", "C"}), 500);
  EXPECT_DOUBLE_EQ(freq["A"], 1.0);
  g.conform_p = 1;
  freq = label_freq(w, make_agent(g), make_request(1, "A", {"B", "B"}), 500);
  EXPECT_DOUBLE_EQ(freq["B"], 1.0);
}

TEST(agents_answers, fixed_wrong_always_answers_the_wrong_label) {
  auto w = make_world({"A", "B", "C"}, "B");
  auto g = make_group(behaviour::fixed_wrong);
  g.weights = {0, 1, 0};
  auto a = make_agent(g);
  // Default: the first scenario label that is not the ground truth.
  for (int32_t r = 0; r < 6; ++r)
    for (uint64_t seed = 0; seed < 50; ++seed)
      ASSERT_EQ(answer(w, a, seed, make_request(r, "B", {"B", "B"})).label,
                "A");
  g.wrong_label = "C";
  for (int32_t r = 0; r < 6; ++r)
    EXPECT_EQ(answer(w, a, 3, make_request(r, "B", {"B"})).label, "C");
  // A one-label scenario has no wrong label: the ground truth it is.
  auto solo = make_world({"B"}, "B");
  g.wrong_label.clear();
  EXPECT_EQ(answer(solo, a, 3, make_request(0)).label, "B");
}

TEST(agents_answers, flip_flop_alternates) {
  auto w = make_world();
  auto g = make_group(behaviour::flip_flop);
  auto a = make_agent(g);
  for (int32_t r = 0; r < 8; ++r) {
    auto res = answer(w, a, 11, make_request(r, r > 0 ? "A" : "", {"C"}));
    EXPECT_EQ(res.label, r % 2 == 0 ? "A" : "B") << r;
    EXPECT_EQ(res.output, w.templates[r % 2 == 0 ? 0 : 1]);
  }
  g.wrong_label = "C";
  EXPECT_EQ(answer(w, a, 11, make_request(3, "A")).label, "C");
}

TEST(agents_answers, balancing_answers_the_minority) {
  auto g = make_group(behaviour::balancing);
  auto a = make_agent(g);
  auto two = make_world({"A", "B"});
  auto three = make_world({"A", "B", "C"});
  auto label = [&](const agent_world& w, std::string own,
                   std::vector<std::string> peers) {
    return answer(w, a, 1, make_request(1, own, peers)).label;
  };
  // Two labels: the one with fewer shown votes, even when none shows it.
  EXPECT_EQ(label(two, "A", {"A", "A", "B"}), "B");
  EXPECT_EQ(label(two, "B", {"A", "B", "B"}), "A");
  EXPECT_EQ(label(two, "A", {"A", "A"}), "B");
  EXPECT_EQ(label(two, "B", {"B"}), "A");
  // A perfectly balanced sample: keeps its own.
  EXPECT_EQ(label(two, "A", {"A", "B"}), "A");
  EXPECT_EQ(label(two, "B", {"A", "B"}), "B");
  EXPECT_EQ(label(two, "B", {}), "B");
  // Three labels: the fewest votes, zero included; ties: scenario order.
  EXPECT_EQ(label(three, "A", {"A", "A", "B"}), "C");
  EXPECT_EQ(label(three, "A", {"A", "C", "C", "B", "B"}), "A");
  EXPECT_EQ(label(three, "C", {"C", "C", "A", "B", "B"}), "A");
  EXPECT_EQ(label(three, "A", {"A", "A"}), "B");
  EXPECT_EQ(label(three, "C", {"A", "B", "C"}), "C");
  // Round 0 draws from its distribution.
  g.weights = {0, 0, 1};
  EXPECT_EQ(answer(three, a, 1, make_request(0)).label, "C");
}

TEST(agents_answers, follow_policy_answers_the_protocol_preference) {
  auto g = make_group(behaviour::follow_policy);
  auto a = make_agent(g);
  auto w = make_world({"A", "B", "C"});
  auto req = make_request(2, "A", {"A", "A", "A"});
  // No preference (other policies): keeps its own label, whatever it sees.
  EXPECT_EQ(answer(w, a, 1, req).label, "A");
  // The preference wins over its own label and over the peers.
  req.preference = "B";
  EXPECT_EQ(answer(w, a, 1, req).label, "B");
  EXPECT_EQ(answer(w, a, 1, req).output, w.templates[1]);
  // Round 0 draws from its distribution.
  g.weights = {0, 0, 1};
  auto first = make_request(0);
  first.preference = "A";
  EXPECT_EQ(answer(w, a, 1, first).label, "C");
}

} // namespace
