// caf-consensus sim: how a synthetic agent picks its label: the answer
// distribution in round 0, then its behaviour in refinement rounds (stubborn,
// resample, copy-peer, majority, conform, and the adversaries).

#include "caf/consensus/sim/agents/internal/behaviour.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "caf/consensus/sim/agents/internal/streams.hpp"

namespace caf::consensus::sim {

namespace {

/// Draws from the group's categorical distribution. Negative, NaN or missing
/// weights count as 0; if no weight is positive the labels are equally
/// likely. Without labels, falls back to the ground truth (or the first
/// scenario label).
std::string draw_label(const agent_world& world, const agent_group& g,
                       rng::rng64& gen) {
  if (g.labels.empty())
    return !world.ground_truth.empty() || world.labels.empty()
             ? world.ground_truth
             : world.labels.front();
  auto weight = [&](size_t i) {
    auto w = i < g.weights.size() ? g.weights[i] : 0.0;
    return w > 0 && std::isfinite(w) ? w : 0.0;
  };
  double total = 0;
  for (size_t i = 0; i < g.labels.size(); ++i)
    total += weight(i);
  if (!(total > 0))
    return g.labels[gen.below(g.labels.size())];
  auto x = gen.uniform() * total;
  size_t last = 0;
  for (size_t i = 0; i < g.labels.size(); ++i) {
    auto w = weight(i);
    if (w <= 0)
      continue;
    last = i;
    if (x < w)
      return g.labels[i];
    x -= w;
  }
  return g.labels[last]; // Rounding: x landed just past the last weight.
}

std::string wrong_label(const agent_world& world, const agent_group& g) {
  if (!g.wrong_label.empty())
    return g.wrong_label;
  for (auto& x : world.labels)
    if (x != world.ground_truth)
      return x;
  return world.ground_truth;
}

/// The plurality label among `peers` (first-appearance order for equal
/// counts), or an empty string if no peer has a label or the top count is
/// shared by several labels.
std::string unique_plurality(const std::vector<peer_view>& peers) {
  // Labels in order of first appearance with their counts. The labels stay
  // in `peers`; a sample of up to 8 peers needs no heap block.
  struct count {
    const std::string* label;
    size_t n;
  };
  std::array<count, 8> local;
  std::vector<count> heap;
  auto* counts = local.data();
  if (peers.size() > local.size()) {
    heap.resize(peers.size());
    counts = heap.data();
  }
  size_t distinct = 0;
  for (auto& p : peers) {
    if (p.label.empty())
      continue;
    auto i = std::find_if(counts, counts + distinct,
                          [&](const count& x) { return *x.label == p.label; });
    if (i == counts + distinct)
      counts[distinct++] = count{&p.label, 1};
    else
      ++i->n;
  }
  const std::string* best = nullptr;
  size_t top = 0;
  bool shared = false;
  for (size_t i = 0; i < distinct; ++i) {
    if (counts[i].n > top) {
      best = counts[i].label;
      top = counts[i].n;
      shared = false;
    } else if (counts[i].n == top) {
      shared = true;
    }
  }
  return shared || best == nullptr ? std::string{} : *best;
}

std::string majority_label(const request& req, const std::string& own) {
  auto x = unique_plurality(req.peers);
  return x.empty() ? own : x;
}

std::string copy_peer_label(const request& req, const std::string& own,
                            rng::rng64& gen) {
  std::vector<const std::string*> shown;
  for (auto& p : req.peers)
    if (!p.label.empty())
      shown.push_back(&p.label);
  if (shown.empty())
    return own;
  return *shown[gen.below(shown.size())];
}

/// Candidates are the scenario's labels (or, without any, the distinct shown
/// labels). Answers the candidate with the fewest shown votes, zero included;
/// among several with the fewest, the first in candidate order. When every
/// candidate has the same count (a perfectly balanced sample) it keeps its
/// own label if that is a candidate.
std::string balancing_label(const agent_world& world, const request& req,
                            const std::string& own) {
  std::vector<std::string> candidates = world.labels;
  if (candidates.empty())
    for (auto& p : req.peers)
      if (!p.label.empty()
          && std::find(candidates.begin(), candidates.end(), p.label)
               == candidates.end())
        candidates.push_back(p.label);
  if (candidates.empty())
    return own;
  std::vector<size_t> votes(candidates.size(), 0);
  for (auto& p : req.peers) {
    auto i = std::find(candidates.begin(), candidates.end(), p.label);
    if (i != candidates.end())
      ++votes[static_cast<size_t>(i - candidates.begin())];
  }
  auto [lo, hi] = std::minmax_element(votes.begin(), votes.end());
  if (*lo == *hi
      && std::find(candidates.begin(), candidates.end(), own)
           != candidates.end())
    return own;
  return candidates[static_cast<size_t>(lo - votes.begin())];
}

} // namespace

namespace agents_internal {

std::string choose_label(const agent_world& world, const agent& a,
                         uint64_t run_seed, const request& req) {
  auto& g = *a.group;
  auto& ps = purpose();
  auto draw = [&] {
    auto gen = stream(run_seed, a, req.round, ps.label);
    return draw_label(world, g, gen);
  };
  // Adversaries ignore their distribution.
  switch (g.refine) {
    case behaviour::fixed_wrong:
      return wrong_label(world, g);
    case behaviour::flip_flop:
      return req.round % 2 == 0 ? world.ground_truth : wrong_label(world, g);
    default:
      break;
  }
  if (req.round <= 0)
    return draw();
  if (g.refine == behaviour::repeat) {
    auto gen = stream(run_seed, a, 0, ps.label);
    return draw_label(world, g, gen);
  }
  auto own = req.own_label.empty() ? draw() : req.own_label;
  switch (g.refine) {
    case behaviour::stubborn:
      return own;
    case behaviour::resample:
      return draw();
    case behaviour::copy_peer: {
      auto gen = stream(run_seed, a, req.round, ps.refine);
      return copy_peer_label(req, own, gen);
    }
    case behaviour::majority:
      return majority_label(req, own);
    case behaviour::conform: {
      auto gen = stream(run_seed, a, req.round, ps.refine);
      return gen.bernoulli(g.conform_p) ? majority_label(req, own) : own;
    }
    case behaviour::balancing:
      return balancing_label(world, req, own);
    case behaviour::follow_policy:
      return req.preference.empty() ? own : req.preference;
    default:
      return own;
  }
}

} // namespace agents_internal

std::string to_string(behaviour x) {
  switch (x) {
    case behaviour::stubborn:
      return "stubborn";
    case behaviour::resample:
      return "resample";
    case behaviour::copy_peer:
      return "copy-peer";
    case behaviour::majority:
      return "majority";
    case behaviour::conform:
      return "conform";
    case behaviour::fixed_wrong:
      return "fixed-wrong";
    case behaviour::flip_flop:
      return "flip-flop";
    case behaviour::balancing:
      return "balancing";
    case behaviour::repeat:
      return "repeat";
    case behaviour::follow_policy:
      return "follow-policy";
  }
  return "???";
}

} // namespace caf::consensus::sim
