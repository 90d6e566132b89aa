// caf-consensus sim: running scenarios, one run or a whole sweep.

#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/expected.hpp"
#include "caf/fwd.hpp"

#include "caf/consensus/sim/scenario.hpp"
#include "caf/consensus/state.hpp"

namespace caf::consensus::sim {

struct remote_options;
struct worker_report;

/// Which engine executes the runs. Both give byte-identical results.
enum class engine_kind : uint8_t {
  /// Participants are CAF actors driven by the coordinator actor.
  actors,
  /// The same policy code and agent models called directly.
  inline_calls,
};

std::string to_string(engine_kind x);

/// Per-agent outcome of one run (one row of agents.csv, optional).
struct agent_row {
  std::string agent;
  /// Label of the agent's latest ok response (empty: never answered ok).
  std::string final_label;
  double confidence = 0;
  uint64_t calls = 0;
  uint64_t failures = 0;
  /// Snowball: round in which it decided (-1: never), its decided label, and
  /// the polls (rounds it answered ok in) until then.
  int32_t decided_round = -1;
  std::string decided_label;
  int32_t decided_polls = -1;
};

/// The metrics of one run (one row of runs.csv / runs.jsonl).
struct run_metrics {
  uint64_t cell = 0;
  uint64_t replicate = 0;
  uint64_t seed = 0;
  std::string policy;
  int32_t rounds = 0;
  int32_t k = 0;
  double alpha = 0;
  double beta_1 = 0;
  double beta_2 = 0;
  int32_t rounds_executed = 0;
  std::string stop_reason;
  bool finalized = false;
  std::string winner;
  std::string winner_label;
  bool winner_correct = false;
  double winner_confidence = 0;
  double winner_score = 0;
  /// Fraction of agents whose final label equals the winner's label.
  double agreement = 0;
  int32_t unanimity_round = -1;
  std::string unanimity_label;
  uint64_t calls = 0;
  uint64_t failures = 0;
  uint64_t timeouts = 0;
  int64_t latency_ms = 0;
  /// Snowball: refinement rounds until every participant decided (-1: not
  /// all decided).
  int32_t polls_to_decide = -1;
  /// Per-agent rows (filled when `sweep_options::agent_rows` is set).
  std::vector<agent_row> agents;
};

/// Returns the run seed of (cell, replicate): `seeds[replicate]` when the
/// scenario lists seeds, else `rng::derive(seed, {cell, replicate})`.
uint64_t run_seed(const scenario& s, uint64_t cell, uint64_t replicate);

/// Runs one replicate of a resolved cell and returns the final state. The
/// run's `params::seed` is the run seed; the agents draw from
/// `rng::derive(run_seed, {hash_name("agents")})`. `sys` is required for
/// `engine_kind::actors`.
expected<state> run_state(const scenario& cell, uint64_t cell_index,
                          uint64_t replicate, engine_kind engine,
                          actor_system* sys);

/// Runs replicates on the actor engine and keeps its actors between runs: a
/// coordinator, one participant per agent of the cell it ran last and a
/// driver that sends the coordinator one run after another. The
/// participants read the run's agent seed from a context that the driver
/// sets before each run, and the coordinator gets every run's parameters
/// (with its seed) with the run message, so all replicates of a cell run on
/// the same actors; a run of another cell stops them and spawns new ones.
/// Results are the same as with fresh actors per run (and as the inline
/// engine's). Not thread-safe: one engine per blocking actor. The destructor
/// stops the actors.
class actor_engine {
public:
  /// Runs on `self`, which sends the run messages and blocks for the replies
  /// (its actor system hosts the engine's actors).
  explicit actor_engine(blocking_actor* self);

  ~actor_engine();

  actor_engine(const actor_engine&) = delete;
  actor_engine& operator=(const actor_engine&) = delete;

  /// Runs `cell` with run seed `seed` (as `run_state` does). `owner` owns
  /// `cell` (e.g. its sweep plan; may be null when `cell` outlives the
  /// engine): the engine holds it while its actors serve `cell`, so another
  /// cell allocated at the same address later is never taken for it.
  expected<state> run(const scenario& cell, uint64_t seed,
                      std::shared_ptr<const void> owner = nullptr);

  /// Runs `cell` once per seed in `seeds`, one run after another, and
  /// returns the states in that order (or the first error). The caller
  /// blocks once for the whole series.
  expected<std::vector<state>>
  run_many(const scenario& cell, const std::vector<uint64_t>& seeds,
           std::shared_ptr<const void> owner = nullptr);

  /// Stops the actors (the next run spawns new ones).
  void reset();

  /// Returns how many times the engine spawned actors.
  uint64_t spawns() const noexcept;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Computes the metrics of a finished run.
run_metrics measure(const scenario& cell, uint64_t cell_index,
                    uint64_t replicate, uint64_t seed, const state& st,
                    bool agent_rows = false);

/// Options of a sweep.
struct sweep_options {
  engine_kind engine = engine_kind::actors;
  /// Local worker threads (>= 1; 0 only with remote workers, which then run
  /// every batch).
  size_t threads = 1;
  /// Called for every run in canonical order (cell, replicate).
  std::function<void(const run_metrics&)> on_run;
  /// Called now and then with (runs done, runs total).
  std::function<void(uint64_t, uint64_t)> on_progress;
  /// Fill `run_metrics::agents`.
  bool agent_rows = false;
  /// Runs to skip (already stored): called with (cell, replicate).
  std::function<bool(uint64_t, uint64_t)> skip;
  /// Runs per batch handed to a worker (0: automatic). Results do not
  /// depend on it.
  size_t batch_size = 0;
  /// Called with every finished batch as soon as it arrives, in any order;
  /// every run reaches it exactly once (duplicates of a reassigned batch are
  /// dropped before). A non-empty error stops the sweep with that error.
  std::function<error(const std::vector<run_metrics>&)> on_batch;
  /// Remote workers and their security settings (see distributed.hpp);
  /// null: local workers only.
  std::shared_ptr<const remote_options> remote;
  /// Called with one line of text when a remote worker joins, fails, is
  /// refused or gets its batches reassigned.
  std::function<void(const std::string&)> on_event;
  /// Called once at the end with one report per worker (local pool first).
  std::function<void(const std::vector<worker_report>&)> on_report;
};

/// Runs every replicate of every cell on a pool of worker actors (one per
/// thread, each pulling batches of runs) and on remote workers if
/// `opts.remote` names any. Results reach `on_run` in canonical order
/// whatever the number of threads and workers; memory stays bounded (a
/// reorder window of batches, not the whole sweep). Returns the first error
/// (e.g. a cell whose sweep values are invalid) before running anything.
error run_sweep(const scenario& s, const sweep_options& opts);

} // namespace caf::consensus::sim
