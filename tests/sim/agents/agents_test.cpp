// caf-consensus: tests for the synthetic agents of the simulator.

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

using namespace caf::consensus;
using namespace caf::consensus::sim;

namespace {

// -- utilities ----------------------------------------------------------------

constexpr int draws = 20000;

/// A world with labels A, B, C (truth A) and their default templates.
agent_world make_world(std::vector<std::string> labels = {"A", "B", "C"},
                       std::string truth = "A") {
  agent_world w;
  w.labels = std::move(labels);
  for (auto& x : w.labels)
    w.templates.push_back(default_template(x));
  w.ground_truth = std::move(truth);
  w.timeout_ms = 60000;
  return w;
}

agent_group make_group(behaviour refine = behaviour::stubborn) {
  agent_group g;
  g.name = "g";
  g.labels = {"A", "B", "C"};
  g.weights = {1, 0, 0};
  g.refine = refine;
  return g;
}

agent make_agent(const agent_group& g, uint32_t index = 0) {
  return agent{g.name, &g, index};
}

request make_request(int32_t round, std::string own = {},
                     std::vector<std::string> peer_labels = {}) {
  request req;
  req.participant = "g";
  req.round = round;
  req.own_label = own;
  for (size_t i = 0; i < peer_labels.size(); ++i)
    req.peers.push_back(peer_view{"p" + std::to_string(i),
                                  "text of " + peer_labels[i], peer_labels[i]});
  return req;
}

/// Collects the latencies of `draws` ok calls with run seeds 0, 1, ...
std::vector<int64_t> latencies(const latency_model& m) {
  auto w = make_world();
  w.timeout_ms = 1000000000000;
  auto g = make_group();
  g.latency = m;
  auto a = make_agent(g);
  auto req = make_request(0);
  std::vector<int64_t> out;
  out.reserve(draws);
  for (uint64_t seed = 0; seed < draws; ++seed) {
    auto res = answer(w, a, seed, req);
    EXPECT_TRUE(res.ok);
    out.push_back(res.ms);
  }
  return out;
}

double mean(const std::vector<int64_t>& xs) {
  double sum = 0;
  for (auto x : xs)
    sum += static_cast<double>(x);
  return sum / static_cast<double>(xs.size());
}

/// Returns how often each label comes back over `draws` run seeds.
std::map<std::string, double> label_freq(const agent_world& w, const agent& a,
                                         const request& req, int n = draws) {
  std::map<std::string, int> counts;
  for (uint64_t seed = 0; seed < static_cast<uint64_t>(n); ++seed) {
    auto res = answer(w, a, seed, req);
    EXPECT_TRUE(res.ok);
    ++counts[res.label];
  }
  std::map<std::string, double> out;
  for (auto& [label, count] : counts)
    out[label] = static_cast<double>(count) / n;
  return out;
}

double jaccard_of(const std::string& x, const std::string& y) {
  return text::jaccard(text::tokenize(x), text::tokenize(y));
}

// -- names --------------------------------------------------------------------

TEST(agents, names_match_scenario_files) {
  using kind = latency_model::kind;
  EXPECT_EQ(to_string(kind::constant), "constant");
  EXPECT_EQ(to_string(kind::uniform), "uniform");
  EXPECT_EQ(to_string(kind::normal), "normal");
  EXPECT_EQ(to_string(kind::lognormal), "lognormal");
  EXPECT_EQ(to_string(kind::exponential), "exponential");
  EXPECT_EQ(to_string(kind::empirical), "empirical");
  EXPECT_EQ(to_string(behaviour::stubborn), "stubborn");
  EXPECT_EQ(to_string(behaviour::resample), "resample");
  EXPECT_EQ(to_string(behaviour::copy_peer), "copy-peer");
  EXPECT_EQ(to_string(behaviour::majority), "majority");
  EXPECT_EQ(to_string(behaviour::conform), "conform");
  EXPECT_EQ(to_string(behaviour::fixed_wrong), "fixed-wrong");
  EXPECT_EQ(to_string(behaviour::flip_flop), "flip-flop");
  EXPECT_EQ(to_string(behaviour::balancing), "balancing");
}

// -- latency ------------------------------------------------------------------

TEST(agents_latency, constant) {
  latency_model m;
  m.type = latency_model::kind::constant;
  m.a = 250;
  for (auto x : latencies(m))
    ASSERT_EQ(x, 250);
}

TEST(agents_latency, uniform) {
  latency_model m;
  m.type = latency_model::kind::uniform;
  m.a = 100;
  m.b = 300;
  auto xs = latencies(m);
  auto [lo, hi] = std::minmax_element(xs.begin(), xs.end());
  EXPECT_GE(*lo, 100);
  EXPECT_LE(*hi, 300);
  EXPECT_LT(*lo, 105); // The range is covered.
  EXPECT_GT(*hi, 295);
  EXPECT_NEAR(mean(xs), 200.0, 3.0); // Standard error: 0.41.
}

TEST(agents_latency, normal) {
  latency_model m;
  m.type = latency_model::kind::normal;
  m.a = 200;
  m.b = 50;
  auto xs = latencies(m);
  EXPECT_NEAR(mean(xs), 200.0, 2.0); // Standard error: 0.35.
  double var = 0;
  auto mu = mean(xs);
  for (auto x : xs)
    var += (x - mu) * (x - mu);
  EXPECT_NEAR(std::sqrt(var / xs.size()), 50.0, 2.0);
}

TEST(agents_latency, normal_is_truncated_at_zero) {
  // N(10, 20) truncated at 0 (by redrawing): mean 10 + 20 * phi(0.5) /
  // Phi(0.5) = 20.18; a clamp to 0 would give 13.9 and many zeros.
  latency_model m;
  m.type = latency_model::kind::normal;
  m.a = 10;
  m.b = 20;
  auto xs = latencies(m);
  EXPECT_GE(*std::min_element(xs.begin(), xs.end()), 0);
  EXPECT_NEAR(mean(xs), 20.2, 1.0);
  auto zeros = std::count(xs.begin(), xs.end(), 0);
  EXPECT_LT(zeros, draws / 50); // Only draws in [0, 0.5) round to 0.
}

TEST(agents_latency, lognormal) {
  latency_model m;
  m.type = latency_model::kind::lognormal;
  m.a = 100;
  m.b = 0.5;
  auto xs = latencies(m);
  // Mean: 100 * exp(0.5^2 / 2) = 113.3; median: 100.
  EXPECT_NEAR(mean(xs), 113.3, 2.5);
  std::sort(xs.begin(), xs.end());
  EXPECT_NEAR(static_cast<double>(xs[xs.size() / 2]), 100.0, 3.0);
  EXPECT_GT(xs.front(), 0);
}

TEST(agents_latency, exponential) {
  latency_model m;
  m.type = latency_model::kind::exponential;
  m.a = 150;
  auto xs = latencies(m);
  EXPECT_NEAR(mean(xs), 150.0, 4.0); // Standard error: 1.06.
  auto above = std::count_if(xs.begin(), xs.end(),
                             [](int64_t x) { return x > 150; });
  EXPECT_NEAR(static_cast<double>(above) / draws, std::exp(-1.0), 0.015);
}

TEST(agents_latency, empirical) {
  latency_model m;
  m.type = latency_model::kind::empirical;
  m.values = {10, 20, 70.4};
  std::map<int64_t, double> freq;
  for (auto x : latencies(m))
    freq[x] += 1.0 / draws;
  ASSERT_EQ(freq.size(), 3u);
  for (auto x : {10, 20, 70})
    EXPECT_NEAR(freq[x], 1.0 / 3, 0.015) << x;
}

TEST(agents_latency, latency_above_timeout_is_a_timeout) {
  auto w = make_world();
  w.timeout_ms = 50;
  auto g = make_group();
  g.latency.a = 100;
  auto res = answer(w, make_agent(g), 1, make_request(0));
  EXPECT_FALSE(res.ok);
  EXPECT_TRUE(res.timed_out);
  EXPECT_EQ(res.ms, 50);
  EXPECT_EQ(res.error, "timeout");
  EXPECT_EQ(res.id, "g");
  EXPECT_TRUE(res.label.empty());
  // A latency equal to the timeout is still in time.
  g.latency.a = 50;
  res = answer(w, make_agent(g), 1, make_request(0));
  EXPECT_TRUE(res.ok);
  EXPECT_EQ(res.ms, 50);
}

TEST(agents_latency, timeout_rate_follows_the_tail) {
  auto w = make_world();
  w.timeout_ms = 200;
  auto g = make_group();
  g.latency.type = latency_model::kind::exponential;
  g.latency.a = 100;
  auto a = make_agent(g);
  int timeouts = 0;
  for (uint64_t seed = 0; seed < draws; ++seed) {
    auto res = answer(w, a, seed, make_request(0));
    if (res.timed_out) {
      ++timeouts;
      EXPECT_EQ(res.ms, 200);
    } else {
      EXPECT_LE(res.ms, 200);
    }
  }
  // P(X > 200.5) = exp(-2.005) = 0.135.
  EXPECT_NEAR(static_cast<double>(timeouts) / draws, 0.135, 0.012);
}

// -- faults -------------------------------------------------------------------

TEST(agents_faults, failure_and_no_answer_rates) {
  auto w = make_world();
  auto g = make_group();
  g.latency.a = 120;
  g.fail = 0.2;
  g.no_answer = 0.1;
  auto a = make_agent(g);
  int failures = 0;
  int timeouts = 0;
  int oks = 0;
  for (uint64_t seed = 0; seed < draws; ++seed) {
    auto res = answer(w, a, seed, make_request(0));
    EXPECT_EQ(res.id, "g");
    if (res.ok) {
      ++oks;
      EXPECT_EQ(res.ms, 120);
      EXPECT_FALSE(res.timed_out);
    } else if (res.timed_out) {
      ++timeouts;
      EXPECT_EQ(res.ms, w.timeout_ms);
      EXPECT_EQ(res.error, "timeout");
    } else {
      ++failures;
      EXPECT_EQ(res.error, "simulated failure");
      EXPECT_EQ(res.ms, 120);
      EXPECT_TRUE(res.label.empty());
    }
  }
  EXPECT_NEAR(static_cast<double>(failures) / draws, 0.2, 0.015);
  EXPECT_NEAR(static_cast<double>(timeouts) / draws, 0.1, 0.012);
  EXPECT_NEAR(static_cast<double>(oks) / draws, 0.7, 0.015);
}

TEST(agents_faults, extreme_rates) {
  auto w = make_world();
  auto g = make_group();
  auto a = make_agent(g);
  g.fail = 1;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    auto res = answer(w, a, seed, make_request(0));
    EXPECT_FALSE(res.ok);
    EXPECT_FALSE(res.timed_out);
  }
  g.fail = 0;
  g.no_answer = 1;
  for (uint64_t seed = 0; seed < 200; ++seed)
    EXPECT_TRUE(answer(w, a, seed, make_request(0)).timed_out);
}

TEST(agents_faults, a_failure_after_the_deadline_is_a_timeout) {
  auto w = make_world();
  w.timeout_ms = 100;
  auto g = make_group();
  g.fail = 1;
  g.latency.a = 150;
  auto res = answer(w, make_agent(g), 3, make_request(0));
  EXPECT_TRUE(res.timed_out);
  EXPECT_EQ(res.ms, 100);
  g.latency.a = 80;
  res = answer(w, make_agent(g), 3, make_request(0));
  EXPECT_FALSE(res.timed_out);
  EXPECT_EQ(res.error, "simulated failure");
  EXPECT_EQ(res.ms, 80);
}

TEST(agents_faults, crash_after) {
  auto w = make_world();
  auto g = make_group();
  g.crash_after = 2;
  auto a = make_agent(g);
  for (int32_t r = 0; r <= 2; ++r)
    EXPECT_TRUE(answer(w, a, 7, make_request(r, "A")).ok) << r;
  for (int32_t r = 3; r < 10; ++r) {
    auto res = answer(w, a, 7, make_request(r, "A"));
    EXPECT_FALSE(res.ok) << r;
    EXPECT_TRUE(res.timed_out) << r;
    EXPECT_EQ(res.round, r);
  }
  g.crash_after = 0;
  EXPECT_TRUE(answer(w, a, 7, make_request(0)).ok);
  EXPECT_TRUE(answer(w, a, 7, make_request(1, "A")).timed_out);
  g.crash_after = -1;
  EXPECT_TRUE(answer(w, a, 7, make_request(1000, "A")).ok);
}

TEST(agents_faults, fault_draws_leave_latency_and_labels_alone) {
  // Streams are per purpose: raising the failure rate only turns some ok
  // results into failures, the others keep their latency and label.
  auto w = make_world();
  auto g = make_group(behaviour::resample);
  g.weights = {0.5, 0.3, 0.2};
  g.latency.type = latency_model::kind::uniform;
  g.latency.b = 500;
  auto flaky = g;
  flaky.fail = 0.3;
  int both = 0;
  for (uint64_t seed = 0; seed < 2000; ++seed) {
    auto x = answer(w, make_agent(g), seed, make_request(1, "A"));
    auto y = answer(w, make_agent(flaky), seed, make_request(1, "A"));
    ASSERT_TRUE(x.ok);
    if (y.ok) {
      ++both;
      EXPECT_EQ(x, y);
    } else {
      EXPECT_EQ(x.ms, y.ms);
    }
  }
  EXPECT_GT(both, 1200);
}

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

// -- text ---------------------------------------------------------------------

TEST(agents_text, noise_zero_renders_the_template_verbatim) {
  auto w = make_world();
  w.templates[0] = "  The answer is\tParis,  clearly!\n";
  auto g = make_group();
  auto a = make_agent(g);
  for (uint64_t seed = 0; seed < 50; ++seed)
    EXPECT_EQ(answer(w, a, seed, make_request(0)).output, w.templates[0]);
  // Labels without a template use their default template.
  w.templates.resize(1);
  EXPECT_EQ(answer(w, a, 1, make_request(1, "C")).output,
            default_template("C"));
  EXPECT_EQ(answer(w, a, 1, make_request(1, "Z")).output,
            default_template("Z"));
}

TEST(agents_text, noise_lowers_word_overlap) {
  auto w = make_world();
  auto g = make_group();
  auto a = make_agent(g);
  double prev = 1.1;
  for (auto rate : {0.0, 0.1, 0.3, 0.6}) {
    g.noise = rate;
    double sum = 0;
    double to_template = 0;
    constexpr int n = 500;
    for (uint64_t seed = 0; seed < n; ++seed) {
      auto x = answer(w, a, 2 * seed, make_request(0)).output;
      auto y = answer(w, a, 2 * seed + 1, make_request(0)).output;
      sum += jaccard_of(x, y);
      to_template += jaccard_of(x, w.templates[0]);
    }
    auto avg = sum / n;
    if (rate == 0.0) {
      EXPECT_DOUBLE_EQ(avg, 1.0);
    } else {
      EXPECT_LT(avg, prev - 0.05) << rate;
      EXPECT_LT(to_template / n, 1.0) << rate;
    }
    if (rate == 0.1) {
      EXPECT_GT(avg, 0.75);
      EXPECT_LT(avg, 0.95);
    }
    prev = avg;
  }
}

TEST(agents_text, noisy_renderings_stay_close_to_their_label) {
  // Same label with noise 0.1: high overlap; different labels: low.
  auto w = make_world();
  auto g = make_group();
  g.noise = 0.1;
  auto a = make_agent(g);
  int close = 0;
  constexpr int n = 300;
  for (uint64_t seed = 0; seed < n; ++seed) {
    auto x = answer(w, a, seed, make_request(1, "A")).output;
    auto y = answer(w, a, seed + n, make_request(1, "A")).output;
    auto z = answer(w, a, seed + n, make_request(1, "B")).output;
    if (jaccard_of(x, y) > 0.6)
      ++close;
    EXPECT_LT(jaccard_of(x, z), 0.3);
  }
  EXPECT_GT(close, n * 9 / 10);
}

TEST(agents_text, noise_inserts_fillers_and_drops_words) {
  auto w = make_world();
  auto g = make_group();
  g.noise = 1;
  auto a = make_agent(g);
  auto tmpl = text::tokenize(w.templates[0]);
  bool saw_insert = false;
  bool saw_drop = false;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    auto out = text::tokenize(answer(w, a, seed, make_request(0)).output);
    for (auto& x : out)
      if (!std::binary_search(tmpl.begin(), tmpl.end(), x))
        saw_insert = true;
    for (auto& x : tmpl)
      if (!std::binary_search(out.begin(), out.end(), x))
        saw_drop = true;
  }
  EXPECT_TRUE(saw_insert);
  EXPECT_TRUE(saw_drop);
}

TEST(agents_text, default_templates) {
  std::set<std::string> all;
  std::vector<text::token_set> sets;
  for (int i = 0; i < 60; ++i) {
    auto label = "Label " + std::to_string(i);
    auto t = default_template(label);
    EXPECT_EQ(t, default_template(label));
    auto words = text::python_split(t);
    EXPECT_EQ(words.size(), 12u) << t;
    auto toks = text::tokenize(t);
    EXPECT_EQ(toks.size(), 12u) << t;    // Distinct words.
    EXPECT_EQ(text::python_lower(t), t); // Lower-case.
    EXPECT_EQ(words.front(), "label_" + std::to_string(i));
    all.insert(t);
    sets.push_back(std::move(toks));
  }
  EXPECT_EQ(all.size(), 60u);
  // 11 vocabulary words of 256 each: about 0.5 shared words per pair.
  double worst = 0;
  double sum = 0;
  int high = 0;
  int pairs = 0;
  for (size_t i = 0; i < sets.size(); ++i) {
    for (size_t j = i + 1; j < sets.size(); ++j) {
      auto x = text::jaccard(sets[i], sets[j]);
      worst = std::max(worst, x);
      sum += x;
      high += x >= 0.2 ? 1 : 0;
      ++pairs;
    }
  }
  EXPECT_LT(sum / pairs, 0.05);
  EXPECT_LT(high, pairs / 100);
  EXPECT_LE(worst, 0.35);
  EXPECT_EQ(text::python_split(default_template("")).size(), 12u);
}

// -- determinism --------------------------------------------------------------

TEST(agents_determinism, same_inputs_same_result) {
  auto w = make_world();
  auto g = make_group(behaviour::copy_peer);
  g.weights = {0.4, 0.3, 0.3};
  g.latency.type = latency_model::kind::lognormal;
  g.latency.b = 1;
  g.noise = 0.2;
  g.fail = 0.1;
  auto req = make_request(2, "B", {"A", "C", "B"});
  std::vector<result> first;
  for (uint32_t i = 0; i < 20; ++i)
    first.push_back(answer(w, agent{"x", &g, i}, 99, req));
  // Any call order gives the same results.
  for (uint32_t i = 20; i-- > 0;)
    EXPECT_EQ(answer(w, agent{"x", &g, i}, 99, req), first[i]) << i;
  // Another seed, another run.
  int same = 0;
  for (uint32_t i = 0; i < 20; ++i)
    if (answer(w, agent{"x", &g, i}, 100, req) == first[i])
      ++same;
  EXPECT_LT(same, 3);
  // Agents of one run differ from each other (streams keyed by index).
  std::set<std::string> outputs;
  for (auto& x : first)
    outputs.insert(x.output + std::to_string(x.ms));
  EXPECT_GT(outputs.size(), 15u);
}

TEST(agents_determinism, rounds_use_fresh_streams) {
  auto w = make_world();
  auto g = make_group();
  g.latency.type = latency_model::kind::uniform;
  g.latency.b = 1000000;
  w.timeout_ms = 2000000;
  auto a = make_agent(g);
  std::set<int64_t> ms;
  for (int32_t r = 0; r < 20; ++r)
    ms.insert(answer(w, a, 5, make_request(r, "A")).ms);
  EXPECT_EQ(ms.size(), 20u);
}

} // namespace
