// caf-consensus sim: the runs `tune` keeps of each cell, and the intervals it
// draws from them at any confidence level (per cell and paired).

#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/tune/objective.hpp"
#include "caf/consensus/sim/tune/tune_result.hpp"

namespace caf::consensus::sim::tune_internal {

/// What `tune` keeps of one run.
struct run_point {
  uint8_t correct = 0;
  uint8_t finalized = 0;
  float calls = 0;
  float latency_s = 0;
};

/// Returns what `tune` keeps of run `m`.
run_point point_of(const run_metrics& m);

/// The per-run values of one cell, in replicate order (replicate i of every
/// cell ran with the same run seed).
struct samples {
  std::vector<uint8_t> correct;
  std::vector<uint8_t> finalized;
  std::vector<float> calls;
  std::vector<float> latency_s;

  size_t size() const noexcept {
    return correct.size();
  }

  void add(const run_metrics& m);
  void add(const run_point& p);

  /// The value of `metric` in run `i` (p95_latency: the latency).
  double at(tune_metric metric, size_t i) const;
};

/// The metric over the first `n` runs with its two-sided interval at level
/// `1 - a`: Wilson for rates, Student-t for means, order statistics
/// (normal approximation of the binomial ranks) for p95_latency, whose
/// bounds are infinite when n is too small to bound the quantile.
tune_interval metric_interval(const samples& x, tune_metric metric, size_t n,
                              double a);

/// The mean of the paired differences `x - y` over the first `n` runs with
/// its Student-t interval at level `1 - a` (zero width when every
/// difference is the same).
tune_interval paired_interval(const samples& x, const samples& y,
                              tune_metric metric, size_t n, double a);

/// The mean of the metric over the first `n` runs.
double metric_mean(const samples& x, tune_metric metric, size_t n);

} // namespace caf::consensus::sim::tune_internal
