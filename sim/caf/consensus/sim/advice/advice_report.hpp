// caf-consensus sim: what `run_advice` measured and concluded: the sweeps it
// ran, each claim's verdict per condition with the effects behind it, and the
// baselines beside `vote`.

#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "caf/consensus/sim/advice/effect.hpp"
#include "caf/consensus/sim/report/report.hpp"
#include "caf/consensus/sim/report/summary.hpp"

namespace caf::consensus::sim {

/// One swept value of a claim's sweep: its summary plus the mean agreement.
struct advice_cell {
  std::string value;
  cell_result summary;
  mean_ci agreement;
};

/// One sweep run for the advice (a claim family, a policy, a condition).
struct advice_sweep {
  /// `rounds`, `k`, `beta_2`, `population`, `hanzo-bound`, `snowball-liveness`.
  std::string family;
  std::string policy;
  std::string condition;
  /// The swept key (`rounds`, `k`, `beta_2`, `population`, ...).
  std::string key;
  std::vector<advice_cell> cells;
};

/// The outcome of one claim under one condition.
struct condition_outcome {
  std::string condition;
  verdict v = verdict::not_testable;
  /// Measured effects behind the verdict (one, or two for "start with 3
  /// rounds"), with what they compare.
  std::vector<std::pair<std::string, effect>> effects;
  /// Why (e.g. "more rounds still add accuracy").
  std::string note;
};

/// The outcome of one claim for one policy.
struct claim_outcome {
  /// Stable id (`rounds.refinement`, `beta_2.fewer`, ...).
  std::string id;
  /// The advice as published, or the rule.
  std::string claim;
  /// The metric and comparison (`rounds executed, rounds 1 -> 5`).
  std::string measure;
  std::string policy;
  std::vector<condition_outcome> conditions;
  verdict v = verdict::not_testable;
  /// The verdict in words (`holds only when beta_1 = 1.01 (no early stop)`).
  std::string summary;
};

/// A policy beside `vote` at the same run seeds (default parameters).
struct baseline_row {
  std::string policy;
  mean_ci calls;
  rate accuracy;
  /// Majority after round 0.
  mean_ci vote0_calls;
  rate vote0_accuracy;
  effect vs_vote0;
  /// Debate-then-vote with the rounds closest to the policy's calls.
  int32_t budget_rounds = 0;
  mean_ci budget_calls;
  rate budget_accuracy;
  effect vs_budget;
};

/// Everything `run_advice` measured and concluded.
struct advice_report {
  std::string population_name;
  std::string population_file;
  size_t agents = 0;
  double mean_accuracy = 0;
  uint64_t replicates = 0;
  uint64_t seed = 0;
  std::vector<std::string> policies;
  std::vector<claim_outcome> claims;
  std::vector<advice_sweep> sweeps;
  std::vector<baseline_row> baselines;
  uint64_t runs = 0;
  double seconds = 0;
};

} // namespace caf::consensus::sim
