// caf-consensus sim: a network of Snow-family nodes under avalanchego's
// asynchronous schedule or synchronous rounds, with adversaries.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/snow/node.hpp"

namespace caf::consensus::sim::snow {

/// Who polls when.
enum class schedule : uint8_t {
  /// avalanchego's network test: each step one undecided honest node, drawn
  /// uniformly, polls `k` nodes drawn uniformly without replacement from all
  /// nodes (itself and the adversaries included) and records the poll.
  async,
  /// Rounds: every undecided honest node polls `k` nodes (drawn as above)
  /// against the answers all nodes gave at the start of the round; all
  /// record their polls at once.
  sync,
};

/// What the adversaries answer when polled. They never poll or decide.
enum class adversary : uint8_t {
  /// Always the same colour (`config::wrong`), as avalanchego's `byzantine`
  /// node, whose preference is fixed.
  fixed,
  /// Keeps the network split: answers whichever of the two colours most
  /// preferred by honest nodes is preferred by fewer of them (with two
  /// colours, the minority; equal counts: the higher index), at the moment
  /// of the poll (`sync`: at the start of the round).
  balancing,
  /// Equivocates: answers each querier its own current preference, so that
  /// every camp hears its own colour (the attack on safety: two honest
  /// nodes deciding differently).
  equivocating,
};

std::string to_string(schedule x);
std::string to_string(adversary x);
bool from_string(const std::string& str, schedule& x);
bool from_string(const std::string& str, adversary& x);

/// One network.
struct config {
  /// All nodes, adversaries included.
  uint32_t nodes = 100;
  uint32_t colours = 2;
  quorum q;
  semantics sem = semantics::snowball;
  schedule sched = schedule::async;
  /// The last `adversaries` nodes are adversaries.
  uint32_t adversaries = 0;
  adversary attack = adversary::fixed;
  /// The colour `fixed` adversaries answer.
  uint32_t wrong = 1;
  /// A run stops unfinished ("capped") after this many polls per honest node
  /// (`async`: steps / honest nodes; `sync`: rounds).
  int64_t max_polls_per_node = 1000;
  /// Checkpoints of the decided share, one per poll per honest node.
  uint32_t checkpoints = 100;
};

/// Checks `x`; the error names the field and its value.
error validate(const config& x);

/// One run's outcome.
struct outcome {
  /// Steps (`async`) or rounds (`sync`) executed.
  int64_t steps = 0;
  /// Polls made by honest nodes.
  int64_t polls = 0;
  /// Every honest node decided.
  bool finished = false;
  /// Two honest nodes decided different colours.
  bool disagreement = false;
  /// Stopped by `max_polls_per_node`.
  bool capped = false;
  /// The colour of the first decision (-1: nobody decided).
  int32_t decided_colour = -1;
  /// Honest nodes decided at checkpoint t = 1 .. checkpoints (after t polls
  /// per honest node); a run that stopped earlier keeps its last count.
  std::vector<uint32_t> decided;
};

/// Runs one network from `run_seed`. Initial colours come from
/// `derive(run_seed, {1})` (each honest node draws uniformly), every later
/// draw from `derive(run_seed, {2})`, so two configurations run on the same
/// seed start from the same preferences (paired comparisons). `x` must be
/// valid.
outcome run_network(const config& x, uint64_t run_seed);

} // namespace caf::consensus::sim::snow
