// caf-consensus sim: running a whole sweep on local worker threads and remote
// workers.

#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "caf/error.hpp"

#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::sim {

struct remote_options;
struct worker_report;
class sweep_runtime;

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
  /// Runs per batch handed to a worker (0: guided by the runs left, 8 to
  /// 256; see `guided_batch_size`). Results do not depend on it.
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
  /// Threads kept from sweep to sweep (local sweeps only; `threads` must
  /// equal its number of threads); null: the sweep starts and stops threads
  /// of its own. See sweep_runtime.hpp.
  std::shared_ptr<sweep_runtime> runtime;
};

/// Runs every replicate of every cell on a pool of worker actors (one per
/// thread; see `spawn_pool`) and on
/// remote workers if `opts.remote` names any. Results reach `on_run` in
/// canonical order whatever the number of threads and workers; memory stays
/// bounded (a reorder window of batches, not the whole sweep). Returns the
/// first error (e.g. a cell whose sweep values are invalid) before running
/// anything.
error run_sweep(const scenario& s, const sweep_options& opts);

} // namespace caf::consensus::sim
