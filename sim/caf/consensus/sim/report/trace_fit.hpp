// caf-consensus sim: a synthetic scenario estimated from traces, its
// goodness of fit, and a check of its predictions on held-out prompts.

#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "caf/expected.hpp"

#include "caf/consensus/connectors/trace.hpp"
#include "caf/consensus/params.hpp"
#include "caf/consensus/sim/report/intervals.hpp"

namespace caf::consensus::sim {

/// A log-normal fit of latencies (ms; a latency of 0 counts as 0.5 ms) with
/// 95% intervals, and how well it fits.
struct latency_fit {
  uint64_t n = 0;
  /// exp(mean of ln ms), with a Student-t interval.
  double median = 0, median_lo = 0, median_hi = 0;
  /// Standard deviation of ln ms, with a chi-square interval.
  double sigma = 0, sigma_lo = 0, sigma_hi = 0;
  /// Observed and fitted quantiles (50%, 90%, 99%).
  double q[3] = {0, 0, 0};
  double fitted_q[3] = {0, 0, 0};
  /// Kolmogorov-Smirnov distance between the sample and the fit.
  double ks = 0;
};

/// What `fit_traces` estimated for one participant.
struct participant_fit {
  std::string id;
  std::string model;
  uint64_t calls = 0;
  /// Share of each answer cluster among its ok round-0 answers (aligned with
  /// `trace_fit::labels`).
  std::vector<double> weights;
  /// Round-0 answers in the key's cluster, of the ok round-0 answers of runs
  /// with a key.
  rate accuracy;
  /// Calls that failed / timed out, of all calls.
  rate fail;
  rate timeout;
  /// Refinement: of the ok refinement answers whose shown peers had a unique
  /// plurality answer other than the participant's own previous answer, how
  /// many moved to it (the `conform:P` of the fitted scenario).
  rate refine;
  latency_fit latency;
};

/// Correlation (phi) of two participants' round-0 correctness over the
/// runs where both answered and the key is known, with a Fisher-z interval.
struct pair_correlation {
  size_t a = 0;
  size_t b = 0;
  uint64_t n = 0;
  bool defined = false;
  double r = 0, lo = 0, hi = 0;
};

/// A synthetic scenario estimated from traces.
struct trace_fit {
  params ps;
  std::string prompt;
  /// Answer clusters (`right`, `wrong-1` ... or the calls' own labels).
  std::vector<std::string> labels;
  /// The key's cluster (empty: no run has a key in a cluster).
  std::string truth;
  std::vector<participant_fit> participants;
  std::vector<pair_correlation> correlations;
  /// Runs the estimates use.
  uint64_t runs = 0;
};

/// One trace and the file it came from.
struct named_trace {
  std::string file;
  connectors::trace data;
};

/// Merged runs of several traces with every ok answer in a cluster.
struct trace_runs;

/// Returns the runs of `xs` (which must outlive the result: it points into
/// them) with their answers clustered: a call's own label when it is a
/// scenario name; else, per run, as the policy compares answers: choice-based
/// policies (`snowball`, `vote`, `sequential`) by the extractor's choice key,
/// the others by a Jaccard similarity >= `params::alpha` with the first text
/// of a cluster (the metastable agreement); clusters are named by their role
/// in the run: the key's cluster
/// `right`, the others `wrong-1`, `wrong-2` ... by decreasing size
/// (`answer-1` ... in runs without a key). Traces must have the same
/// participants and parameters (the seed aside).
expected<std::shared_ptr<const trace_runs>>
merge_traces(const std::vector<named_trace>& xs);

/// Returns the number of runs of `x`.
size_t run_count(const trace_runs& x);

/// Estimates a scenario from the runs whose index `use` flags (all when
/// `use` is empty).
trace_fit fit_traces(const trace_runs& x, const std::vector<bool>& use = {});

/// Returns the goodness-of-fit table of `x` (plain text).
std::string fit_table(const trace_fit& x);

/// Returns `x` as a scenario file (YAML) with `replicates` and `seed`.
std::string fit_scenario_text(const trace_fit& x, uint64_t replicates,
                              uint64_t seed);

/// Predicted and observed outcomes on held-out runs.
struct holdout_check {
  uint64_t fit_runs = 0;
  uint64_t held_out = 0;
  rate predicted_finalize, observed_finalize;
  rate predicted_accuracy, observed_accuracy;
  mean_ci predicted_rounds, observed_rounds;
};

/// Fits on a seeded random share `1 - holdout` of the runs, simulates the
/// fitted scenario `replicates` times and compares its finalize rate, winner
/// accuracy and rounds with the held-out runs' outcomes. Errors: a holdout
/// outside (0, 1), fewer than one run on either side, held-out runs without
/// an outcome, a fitted scenario that does not load.
expected<holdout_check> check_holdout(const trace_runs& x, double holdout,
                                      uint64_t seed, uint64_t replicates,
                                      trace_fit* fitted = nullptr);

/// Returns the comparison table of `x` (plain text).
std::string holdout_table(const holdout_check& x);

} // namespace caf::consensus::sim
