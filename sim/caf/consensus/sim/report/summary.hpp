// caf-consensus sim: per-cell summaries with 95% confidence intervals.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/report/calibration.hpp"
#include "caf/consensus/sim/report/intervals.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::sim {

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

  /// Equal-compute baseline: accuracy of plain majority vote over the calls
  /// each run spent (`run_metrics::equal_calls_correct`).
  rate equal_calls_accuracy() const;

  /// Accuracy minus the equal-compute baseline's, paired per run (mean of
  /// winner_correct - equal_calls_correct, with its t interval).
  mean_ci gain_over_equal_calls() const;

  /// Winner confidence against being right.
  calibration reliability() const;

  /// Runs per stop reason, in order of first appearance.
  const std::vector<std::pair<std::string, uint64_t>>& stop_reasons() const {
    return stop_reasons_;
  }

  mean_ci failures() const;
  mean_ci timeouts() const;
  /// Tokens per run (0 when no agent reports them).
  mean_ci tokens() const;

  /// Tokens per right answer: total tokens / runs with a right winner
  /// (infinite without one).
  double tokens_per_right_answer() const;

  /// Calls per right answer: total calls / runs with a right winner
  /// (infinite without one).
  double calls_per_right_answer() const;

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
  uint64_t equal_calls_correct_ = 0;
  mean_acc gain_;
  calibration_acc calibration_;
  std::vector<std::pair<std::string, uint64_t>> stop_reasons_;
  mean_acc failures_;
  mean_acc timeouts_;
  mean_acc tokens_;
  double total_calls_ = 0;
  double total_tokens_ = 0;
};

/// Returns the summary of one cell as JSON (one line of summary.jsonl).
nlohmann::json summary_json(const scenario& s, uint64_t cell,
                            const cell_summary& x);

} // namespace caf::consensus::sim
