// caf-consensus sim: checking the published tuning advice against sweeps.
//
// The advice published for this protocol (hanzo-consensus's README and the
// design it documents) says: more rounds give more refinement and better
// consensus but are slower; a larger k gives broader agreement; a higher
// beta_2 gives stricter finality (fewer finalizations, more accurate ones)
// and a lower beta_2 faster consensus; diverse participants give better
// consensus; start with 3 rounds. `run_advice` runs, for each policy, the
// sweeps that test each claim on an agent population, measures the effect
// with its 95% interval and turns it into a verdict with the rules of
// effect.hpp. It also checks two parameter rules that follow from the
// formulas (hanzo's finalization bound, snowball's liveness bound) and puts
// `vote` beside every policy at the same run seeds.
//
// Every verdict comes from the measurements: nothing here knows the answer.

#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "caf/expected.hpp"

#include "caf/consensus/sim/advice/effect.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/report/plot.hpp"
#include "caf/consensus/sim/report/report.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::sim {

// -- populations --------------------------------------------------------------

/// Returns the text of scenarios/advice/population.yaml (compiled in).
const std::string& default_population_text();

/// Returns the default population (scenarios/advice/population.yaml).
expected<scenario> default_population();

/// Loads a user population: the labels, ground truth and agents of a
/// scenario file (its parameters, sweep and replicates are not used).
/// Errors: the file's own errors, or a population `run_advice` cannot use
/// (fewer than 2 or more than 200 agents).
expected<scenario> load_population(const std::string& path);

/// Which population a diversity comparison uses.
enum class population_kind : uint8_t {
  /// Every agent answers with the population's mean answer distribution.
  homogeneous,
  /// Competence spread around the same mean: agent accuracies evenly spaced
  /// in [p - s, p + s] (s = min(0.25, p - 0.05, 0.95 - p)), assigned low,
  /// high, low, ... in agent order; mistakes split like the mean
  /// distribution's.
  diverse_competence,
  /// Accuracy p for all; every mistake goes to the most common wrong answer.
  shared_errors,
  /// Accuracy p for all; agent i's mistakes go to wrong answer i mod W (W
  /// wrong answers): their errors are diverse.
  diverse_errors,
};

/// Returns the population `kind` derived from `pop` (one group per agent,
/// named by the agent's id; latency, faults and behaviour kept). Equal mean
/// accuracy (probability of the ground truth) as `pop`.
scenario derive_population(const scenario& pop, population_kind kind);

/// Returns the mean probability that an agent of `pop` answers the ground
/// truth first.
double mean_accuracy(const scenario& pop);

// -- results ------------------------------------------------------------------

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

/// Options of `run_advice`.
struct advice_options {
  /// Runs per sweep cell (all cells share the same run seeds).
  uint64_t replicates = 4000;
  /// Base seed: run i of every cell has seed derive(seed, {i}).
  uint64_t seed = 2026;
  size_t threads = 1;
  engine_kind engine = engine_kind::inline_calls;
  /// Policies to test (default: all four).
  std::vector<std::string> policies{"metastable", "hanzo", "snowball", "vote"};
  /// Also check the parameter rules (hanzo bound, snowball liveness).
  bool rules = true;
  /// Called after each sweep with (what, runs done so far, runs planned).
  std::function<void(const std::string&, uint64_t, uint64_t)> on_progress;
};

/// Runs every sweep and returns the verdicts. Errors: invalid options or a
/// population a sweep cannot run (named).
expected<advice_report> run_advice(const scenario& population,
                                   const advice_options& opts);

// -- output -------------------------------------------------------------------

/// Returns the verdicts as a plain-text table (what the CLI prints).
std::string advice_text(const advice_report& rep);

/// Returns the verdicts as Markdown (`command` is shown as the command that
/// produced them).
std::string advice_markdown(const advice_report& rep,
                            const std::string& command);

/// Returns everything as JSON (claims, effects, sweeps, baselines).
nlohmann::json advice_json(const advice_report& rep,
                           const std::string& command);

/// Returns the charts of the advice sweeps (one per claim family).
std::vector<std::pair<std::string, line_chart>>
advice_charts(const advice_report& rep);

/// Writes `advice.md`, `advice.json`, `index.html` (verdicts + charts,
/// self-contained) and `charts/*.svg` (+ `.png`) into `dir`.
error write_advice(const advice_report& rep, const std::string& dir,
                   const std::string& command, bool png,
                   const gnuplot_options& gnuplot);

} // namespace caf::consensus::sim
