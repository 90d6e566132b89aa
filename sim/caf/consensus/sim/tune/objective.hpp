// caf-consensus sim: what `tune` optimises: a goal (or a Pareto front) and
// constraints, parsed from text such as `accuracy, calls<=40`.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/expected.hpp"

namespace caf::consensus::sim {

/// A per-run quantity `tune` measures in every cell.
enum class tune_metric : uint8_t {
  /// The winner is the ground truth (a rate).
  accuracy,
  /// The run finalized (a rate).
  finalize,
  /// The run finalized on a wrong answer (a rate).
  wrong_final,
  /// Agent calls of the run (a mean).
  calls,
  /// Simulated latency of the run in seconds (a mean).
  latency,
  /// The 95th percentile of the runs' latency in seconds (constraints only).
  p95_latency,
};

/// The metric's name as written in objectives (`wrong_final`).
std::string to_string(tune_metric x);

/// Whether the metric is a rate (values 0 or 1 per run).
bool is_rate(tune_metric x);

/// What to optimise.
struct tune_goal {
  tune_metric metric = tune_metric::accuracy;
  bool maximize = true;
};

/// A bound a cell must meet: `metric >= bound` or `metric <= bound`.
struct tune_constraint {
  tune_metric metric = tune_metric::accuracy;
  bool at_least = true;
  /// In the metric's unit (seconds for latencies).
  double bound = 0;
  /// As written (`p95_latency<=2s`).
  std::string text;
};

/// A goal or a Pareto front, subject to constraints.
struct tune_objective {
  /// Search the front over accuracy (up), calls (down) and latency (down)
  /// instead of one goal.
  bool pareto = false;
  tune_goal goal;
  std::vector<tune_constraint> constraints;
  /// As given.
  std::string text;
};

/// Parses an objective: comma-separated terms, exactly one goal and any
/// number of constraints. Goals: `accuracy`, `finalize` (maximised),
/// `calls`, `latency`, `wrong_final` (minimised), `max:METRIC`,
/// `min:METRIC`, or `pareto`. Constraints: `METRIC>=X` or `METRIC<=X`, rates
/// in [0, 1], calls >= 0, latencies in seconds (`2`, `2s`) or milliseconds
/// (`1500ms`). Errors name the term and what is accepted.
expected<tune_objective> parse_objective(const std::string& text);

} // namespace caf::consensus::sim
