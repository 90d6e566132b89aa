// caf-consensus sim: many runs of one network configuration, their safety
// and speed statistics, and paired comparisons on common seeds.

#pragma once

#include <cstdint>
#include <vector>

#include "caf/consensus/sim/snow/network.hpp"

namespace caf::consensus::sim::snow {

/// A proportion with an exact (Clopper-Pearson) 95% interval: `low` and
/// `high` are the two-sided bounds (2.5% in each tail); `upper_one_sided`
/// is the exact one-sided 95% upper bound (for 0 events: 1 - 0.05^(1/n),
/// about 3/n, the rule of three).
struct proportion {
  uint64_t events = 0;
  uint64_t trials = 0;
  double rate = 0;
  double low = 0;
  double high = 1;
  double upper_one_sided = 1;
};

/// Computes the exact interval of `events` out of `trials`.
proportion exact_proportion(uint64_t events, uint64_t trials);

/// A mean with a 95% interval (normal approximation, z = 1.96; every use
/// here has hundreds of samples or more).
struct mean_ci {
  uint64_t n = 0;
  double mean = 0;
  double low = 0;
  double high = 0;
};

/// Mean and interval of `xs` (summed in order: deterministic).
mean_ci mean_interval(const std::vector<double>& xs);

/// The outcomes of `runs` runs of one configuration: run i has seed
/// `derive(seed, {i})`. Results do not depend on `threads`.
struct arm {
  config cfg;
  std::vector<outcome> runs;
};

/// Runs `runs` networks on `threads` threads (0: one per core).
arm run_arm(const config& cfg, uint64_t seed, uint64_t runs, unsigned threads);

/// Summary of an arm.
struct arm_summary {
  uint64_t runs = 0;
  /// Runs in which every honest node decided, with no disagreement.
  proportion finished;
  /// Runs stopped by the cap.
  proportion capped;
  /// Runs in which two honest nodes decided differently.
  proportion disagreement;
  /// Runs whose first decision was colour `wrong` (the adversaries' colour).
  proportion decided_wrong;
  /// Over finished runs: polls per honest node, and steps (`async`) or
  /// rounds (`sync`).
  mean_ci polls_per_node;
  mean_ci steps;
  /// Mean share of honest nodes decided after t polls per node, t = 1 ..
  /// checkpoints, over all runs.
  std::vector<double> decided_share;
};

arm_summary summarize(const arm& a);

/// Paired difference `b - a` of polls per honest node over the seeds where
/// both runs finished; `both` counts them.
mean_ci paired_polls_difference(const arm& a, const arm& b);

} // namespace caf::consensus::sim::snow
