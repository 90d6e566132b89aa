// caf-consensus sim: the options of `tune`: budget, replicates, seeds,
// confidence, threads and engine.

#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/sweep/distributed.hpp"

namespace caf::consensus::sim {

/// Options of `run_tune`.
struct tune_options {
  /// Most runs in all, confirmation included (0: a fifth of the grid's runs,
  /// cells x max_replicates).
  uint64_t budget = 0;
  /// Most replicates of one cell (0: the scenario's `replicates`).
  uint64_t max_replicates = 0;
  /// Replicates of every cell in the first stage (doubled each stage).
  uint64_t first_replicates = 32;
  /// Runs of the confirmation (0: min(max_replicates, budget / 10)).
  uint64_t confirm = 0;
  /// Base seed: run i of every cell has seed derive(seed, {i}); the
  /// confirmation's run i derive(seed, {hash("confirm"), i}). Unset: the
  /// scenario's seed.
  std::optional<uint64_t> seed;
  /// Confidence of the reported intervals and, split over the race's
  /// comparisons (Bonferroni), of its decisions.
  double confidence = 0.95;
  /// Smallest difference of a rate that matters (ties); calls and latency:
  /// 2% of the better cell's mean.
  double delta = 0.02;
  size_t threads = 1;
  engine_kind engine = engine_kind::inline_calls;
  /// Remote workers that also run the race's batches (null: local only).
  /// Results do not depend on them; the confirmation runs locally.
  std::shared_ptr<remote_options> remote;
  /// Keep every run of the race in `store_dir/results.db` (SQLite, each
  /// batch committed as it finishes; empty: no store). `scenario_text` are
  /// the bytes of the scenario file (stored with the runs).
  std::string store_dir;
  std::string scenario_text;
  /// Continue the race stored in `store_dir`: stored runs are used instead
  /// of running them again (same scenario, seed and max_replicates).
  bool resume = false;
  /// Called after each stage with (what, runs spent, budget).
  std::function<void(const std::string&, uint64_t, uint64_t)> on_progress;
};

} // namespace caf::consensus::sim
