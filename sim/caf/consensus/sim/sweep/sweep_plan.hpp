// caf-consensus sim: a sweep resolved and ready to run, run by run.

#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "caf/expected.hpp"
#include "caf/fwd.hpp"

#include "caf/consensus/rng/seed.hpp"
#include "caf/consensus/sim/engine/actor_engine.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::sim {

/// A sweep with every cell resolved and checked. Runs are numbered in
/// canonical order: run `idx` is replicate `idx % replicates` of cell
/// `idx / replicates`. Immutable once made; shared by all workers of a node.
struct sweep_plan {
  /// The scenario as given (with its sweep axes).
  scenario base;
  /// Every cell with its sweep values applied.
  std::vector<scenario> cells;
  /// Replicates per cell and runs in total.
  uint64_t replicates = 0;
  uint64_t total = 0;
  /// The engine that executes the runs.
  engine_kind engine = engine_kind::actors;
  /// Whether runs carry per-agent rows.
  bool agent_rows = false;
};

/// Resolves and checks every cell of `s` (before any run: a cell whose sweep
/// values are invalid is an error naming the cell).
expected<std::shared_ptr<const sweep_plan>>
make_plan(const scenario& s, engine_kind engine, bool agent_rows);

/// Runs run `idx` of `p` and returns its metrics. `self` executes the actor
/// engine (it blocks while the run's coordinator works, on actors spawned for
/// this run only); it is unused by the inline engine.
expected<run_metrics> run_indexed(const sweep_plan& p, uint64_t idx,
                                  blocking_actor* self);

/// Runs the runs `idxs` of `p` and returns their metrics in that order (or
/// the first error). The actor engine runs on `*eng` (an error if null),
/// consecutive runs of one cell as one series on the same actors, which
/// `eng` keeps for the next runs of that cell; the inline engine ignores
/// `eng`.
expected<std::vector<run_metrics>>
run_indexed(const std::shared_ptr<const sweep_plan>& p,
            const std::vector<uint64_t>& idxs, actor_engine* eng);

/// Returns an error naming the first of `idxs` outside `p`, if any (what
/// `run_indexed` checks before it runs).
error check_runs(const sweep_plan& p, const std::vector<uint64_t>& idxs);

/// Returns the metrics of run `idx` of `p` (checked by the caller to be in
/// the sweep), run with `seed` (its `run_seed`), that ended in `st`;
/// `agents` are `make_agents` of its cell.
run_metrics measure_indexed(const sweep_plan& p, uint64_t idx,
                            const rng::seed& seed, const state& st,
                            const std::vector<agent>& agents);

/// Returns a digest (hex SHA-256) of everything that determines the results
/// of `p`: program version, scenario hash, seeds, replicates, the resolved
/// parameters of every cell and the agent-rows switch. Two nodes with equal
/// fingerprints compute byte-identical runs.
std::string fingerprint(const sweep_plan& p);

} // namespace caf::consensus::sim
