// Tests: helpers of the synthetic agent tests (agents_test): a world, a
// group, an agent and a request, latencies and label frequencies over many
// run seeds, word overlap.

#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "caf/consensus/request.hpp"
#include "caf/consensus/result.hpp"
#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/text/similarity.hpp"
#include "caf/consensus/text/tokenizer.hpp"

namespace caf::consensus::sim::test {

inline constexpr int draws = 20000;

/// A world with labels A, B, C (truth A) and their default templates.
inline agent_world make_world(std::vector<std::string> labels = {"A", "B", "C"},
                              std::string truth = "A") {
  agent_world w;
  w.labels = std::move(labels);
  for (auto& x : w.labels)
    w.templates.push_back(default_template(x));
  w.ground_truth = std::move(truth);
  w.timeout_ms = 60000;
  return w;
}

inline agent_group make_group(behaviour refine = behaviour::stubborn) {
  agent_group g;
  g.name = "g";
  g.labels = {"A", "B", "C"};
  g.weights = {1, 0, 0};
  g.refine = refine;
  return g;
}

inline agent make_agent(const agent_group& g, uint32_t index = 0) {
  return agent{g.name, &g, index};
}

inline request make_request(int32_t round, std::string own = {},
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
inline std::vector<int64_t> latencies(const latency_model& m) {
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

inline double mean(const std::vector<int64_t>& xs) {
  double sum = 0;
  for (auto x : xs)
    sum += static_cast<double>(x);
  return sum / static_cast<double>(xs.size());
}

/// Returns how often each label comes back over `draws` run seeds.
inline std::map<std::string, double>
label_freq(const agent_world& w, const agent& a, const request& req,
           int n = draws) {
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

inline double jaccard_of(const std::string& x, const std::string& y) {
  return text::jaccard(text::tokenize(x), text::tokenize(y));
}

} // namespace caf::consensus::sim::test
