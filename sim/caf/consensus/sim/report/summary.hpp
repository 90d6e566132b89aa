// caf-consensus sim: per-cell summaries with 95% confidence intervals.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::sim {

/// A proportion with its 95% Wilson score interval.
struct rate {
  uint64_t hits = 0;
  uint64_t n = 0;
  double value = 0;
  double lo = 0;
  double hi = 0;
};

/// Returns the Wilson score interval of `hits` out of `n` (z = 1.959964).
rate wilson(uint64_t hits, uint64_t n);

/// A mean with its 95% Student-t interval.
struct mean_ci {
  uint64_t n = 0;
  double value = 0;
  double lo = 0;
  double hi = 0;
};

/// Streams values and returns their mean with a t interval.
class mean_acc {
public:
  void add(double x);
  mean_ci get() const;

private:
  uint64_t n_ = 0;
  double mean_ = 0;
  double m2_ = 0; // Welford
};

/// Accumulates the runs of one sweep cell.
class cell_summary {
public:
  void add(const run_metrics& m);

  uint64_t runs() const {
    return runs_;
  }

  rate finalize_rate() const;
  rate accuracy() const;
  /// Accuracy among finalized runs (safety).
  rate safety() const;
  mean_ci rounds() const;
  mean_ci latency() const;
  mean_ci calls() const;

  /// Share of runs that stopped sampling before `rounds` rounds.
  rate stopped_early() const;

  /// Rounds and polls until the decision, over the runs that decided (its
  /// `n` is their number).
  mean_ci rounds_to_decide() const;
  mean_ci polls_to_decide() const;

private:
  uint64_t runs_ = 0;
  uint64_t finalized_ = 0;
  uint64_t correct_ = 0;
  uint64_t finalized_correct_ = 0;
  uint64_t stopped_early_ = 0;
  mean_acc rounds_;
  mean_acc latency_;
  mean_acc calls_;
  mean_acc rounds_to_decide_;
  mean_acc polls_to_decide_;
};

/// Returns the summary of one cell as JSON (one line of summary.jsonl).
nlohmann::json summary_json(const scenario& s, uint64_t cell,
                            const cell_summary& x);

} // namespace caf::consensus::sim
