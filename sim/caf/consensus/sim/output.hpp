// caf-consensus sim: result files (CSV, JSON Lines, manifest).

#pragma once

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "caf/consensus/sim/runner.hpp"
#include "caf/consensus/sim/scenario.hpp"
#include "caf/consensus/sim/summary.hpp"

namespace caf::consensus::sim {

/// The program version written into manifests.
extern const char* program_version;

/// Returns the CSV header of runs.csv.
std::string runs_csv_header();

/// Returns one CSV line (no newline) for a run.
std::string to_csv(const run_metrics& m);

/// Returns the CSV header of agents.csv.
std::string agents_csv_header();

/// Returns the CSV lines (each ending in a newline) of a run's agent rows.
std::string agents_csv(const run_metrics& m);

/// Returns one JSON object for a run.
nlohmann::json to_json(const run_metrics& m);

/// Returns a short label of cell `cell` (`beta_2=0.7, k=3`; empty without a
/// sweep).
std::string cell_label(const scenario& s, uint64_t cell);

/// Returns the summary of one cell as JSON.
nlohmann::json summary_json(const scenario& s, uint64_t cell,
                            const cell_summary& x);

/// Returns the manifest: scenario file, name and hash, the full resolved
/// parameters of every cell, seed(s), replicates, engine, program version.
nlohmann::json manifest(const scenario& s, engine_kind engine,
                        const std::string& command_line);

/// Returns the resolved parameters of one cell as JSON.
nlohmann::json cell_json(const scenario& cell);

} // namespace caf::consensus::sim
