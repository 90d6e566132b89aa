// caf-consensus sim (private to advice/): the advisor behind `run_advice`.
// It runs the sweeps of every claim with shared run seeds and collects what
// they measured into an `advice_report`. Its members are defined by topic:
// advisor.cpp (running sweeps), claims.cpp (the published advice),
// baselines.cpp (beside `vote`) and rules.cpp (the parameter rules).

#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "caf/consensus/sim/advice/advice.hpp"
#include "caf/consensus/sim/advice/internal/cell_runs.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::sim {
class sweep_runtime;
} // namespace caf::consensus::sim

namespace caf::consensus::sim::advice_detail {

class advisor {
public:
  /// `pop` must outlive the advisor.
  advisor(const scenario& pop, const advice_options& opts);

  expected<advice_report> run();

  /// Returns the number of runs `run` plans (at most).
  uint64_t plan() const;

  void set_planned(uint64_t x) {
    planned_ = x;
  }

private:
  // -- building blocks (advisor.cpp) ------------------------------------------

  /// The population with policy `policy` and default parameters.
  scenario base(const std::string& policy) const;

  static run_point to_point(const run_metrics& m);

  void progress(const std::string& what);

  /// The threads of every sweep of the advice (started with the first).
  std::shared_ptr<sweep_runtime> runtime();

  /// Runs `s` with one axis `key` over `vals`, every cell with the same
  /// seeds.
  expected<sweep_runs> sweep(const scenario& s, const std::string& key,
                             const std::vector<std::string>& vals,
                             const std::vector<rng::seed>& seeds,
                             advice_sweep meta);

  /// Runs each scenario of `xs` (no sweep) with the same seeds as the cells
  /// of one pseudo-sweep.
  expected<sweep_runs>
  cells(const std::vector<std::pair<std::string, scenario>>& xs,
        const std::vector<rng::seed>& seeds, advice_sweep meta);

  /// Adds the summary of `x` to the report's sweeps.
  void keep(const sweep_runs& x);

  // -- the claims (claims.cpp) ------------------------------------------------

  error claims_rounds(const std::string& policy);

  /// The values of k swept (1, 2, 3, a majority, n - 1; those in [1, n - 1]).
  std::vector<std::string> k_values() const;

  error claims_k(const std::string& policy);

  error claims_beta_2(const std::string& policy);

  error claims_diversity(const std::string& policy);

  // -- baselines (baselines.cpp) ----------------------------------------------

  error baselines_vs_vote();

  // -- parameter rules (rules.cpp) --------------------------------------------

  /// Identical, instant, reliable answers: the best case for finality.
  scenario unanimous_population() const;

  error rule_hanzo();

  scenario snowball_population(uint32_t failing) const;

  error rule_snowball();

  // -- state ------------------------------------------------------------------

  const scenario& pop_;
  advice_options opts_;
  std::vector<rng::seed> seeds_;
  std::vector<rng::seed> rule_seeds_;
  /// The default-parameter cell (rounds 3) of each policy, for the baselines.
  std::map<std::string, cell_runs> defaults_;
  advice_report report_;
  uint64_t runs_ = 0;
  uint64_t planned_ = 0;
  /// See `runtime()`.
  std::shared_ptr<sweep_runtime> runtime_;
};

} // namespace caf::consensus::sim::advice_detail
