// caf-consensus sim: the durable results store of a sweep (SQLite, WAL).

#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/run_set.hpp"
#include "caf/consensus/sim/sweep/manifest.hpp"

struct sqlite3;

namespace caf::consensus::sim {

/// What a resumed sweep must share with the sweep that created a store.
struct store_identity {
  /// `scenario::hash` (FNV-1a of the scenario file's bytes).
  std::string scenario_hash;
  /// Cells of the sweep grid and replicates per cell.
  uint64_t cells = 0;
  uint64_t replicates = 0;
  /// The scenario seed (`scenario::seed`).
  rng::seed seed;
  /// Whether per-agent rows are stored.
  bool agent_rows = false;
  /// The program version that wrote the first run (`program_version`).
  std::string program;
};

/// The results of one sweep in `DIR/results.db`: one row per finished run,
/// keyed by (cell, replicate), per-agent rows keyed by (cell, replicate,
/// agent index), and the sweep's identity, scenario text and manifest.
///
/// The database runs in WAL mode with `synchronous=NORMAL`: a committed batch
/// survives the process being killed at any moment (SIGKILL included).
/// Inserting a run that is already stored is a no-op, so every run is stored
/// exactly once however often it is computed. A writer (`create`, `resume`)
/// holds an exclusive lock on `DIR/results.db.lock` for its lifetime; the
/// operating system releases it when the process dies.
class results_store {
public:
  // -- constants --------------------------------------------------------------

  /// The database's file name inside the results directory.
  static constexpr const char* file_name = "results.db";

  /// The schema version this program writes and reads.
  static constexpr int schema_version = 4;

  // -- constructors, destructors, and assignment operators --------------------

  results_store(results_store&& other) noexcept;

  results_store& operator=(results_store&& other) noexcept;

  results_store(const results_store&) = delete;

  results_store& operator=(const results_store&) = delete;

  ~results_store();

  // -- factories --------------------------------------------------------------

  /// Returns whether `dir` holds a results database (complete or not).
  static bool exists(const std::string& dir);

  /// Deletes the results database in `dir` (with its WAL, shared-memory and
  /// lock files) and `dir` itself when that leaves it empty. For a sweep that
  /// failed before it stored any run, so that nothing blocks a rerun.
  static void discard(const std::string& dir);

  /// Creates the store of a new sweep in `dir` (created if missing). Fails if
  /// `dir` already holds one. `scenario_text` are the scenario file's bytes
  /// (their hash must equal `s.hash`); `manifest` is stored for reference.
  static expected<results_store>
  create(const std::string& dir, const scenario& s,
         const std::string& scenario_text, bool agent_rows,
         const nlohmann::json& manifest);

  /// Opens the store in `dir` to resume the sweep `s`. Refuses a store made
  /// from a different scenario (hash), another number of cells or replicates,
  /// another seed, another `agent_rows` setting or another program version,
  /// naming what differs.
  static expected<results_store> resume(const std::string& dir,
                                        const scenario& s, bool agent_rows);

  /// Opens the store in `dir` for reading (export, summarize). Works while a
  /// sweep is still writing into it.
  static expected<results_store> open(const std::string& dir);

  // -- observers --------------------------------------------------------------

  /// Returns the path of the database file.
  const std::string& path() const {
    return path_;
  }

  /// Returns the identity of the stored sweep.
  const store_identity& identity() const {
    return id_;
  }

  /// Returns the stored scenario file bytes.
  const std::string& scenario_text() const {
    return scenario_text_;
  }

  /// Returns the scenario file name as given when the store was created.
  const std::string& scenario_file() const {
    return scenario_file_;
  }

  /// Returns the manifest stored when the store was created.
  nlohmann::json manifest() const;

  /// Returns the stored scenario, parsed again from its stored text, with
  /// the stored replicates and seed applied.
  expected<scenario> load_scenario() const;

  /// Returns the number of stored runs.
  expected<uint64_t> count() const;

  /// Returns the canonical indices of all stored runs (streamed from the
  /// primary key; memory grows with the number of gaps only).
  expected<run_set> stored() const;

  /// Calls `f` with every stored run in canonical order (cell, replicate),
  /// with its agent rows when the store has them. Streams: memory does not
  /// grow with the number of runs. Stops at the first error.
  error for_each(const std::function<void(const run_metrics&)>& f) const;

  // -- modifiers --------------------------------------------------------------

  /// Stores a batch of runs in one transaction. Runs already stored are
  /// ignored; `added` (optional) receives the number of new rows.
  error insert(const std::vector<run_metrics>& batch,
               uint64_t* added = nullptr);

private:
  /// Returns an error when run (cell, rep) lies outside the sweep's grid.
  error check_in_grid(uint64_t cell, uint64_t rep) const;

  results_store() = default;

  static expected<results_store> open_db(const std::string& dir, bool write);

  error read_meta();

  error prepare_insert();

  sqlite3* db_ = nullptr;
  struct statements;
  std::unique_ptr<statements> st_;
  int lock_fd_ = -1;
  std::string path_;
  store_identity id_;
  std::string scenario_text_;
  std::string scenario_file_;
  std::string manifest_;
};

} // namespace caf::consensus::sim
