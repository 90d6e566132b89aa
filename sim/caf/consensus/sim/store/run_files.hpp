// caf-consensus sim: one run as a CSV line or a JSON object (runs.csv,
// agents.csv, runs.jsonl) and its rounds (rounds.csv, rounds.jsonl).

#pragma once

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "caf/consensus/sim/engine/run_metrics.hpp"

namespace caf::consensus::sim {

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

/// Returns the CSV header of rounds.csv (one line per round of a run).
std::string rounds_csv_header();

/// Returns the CSV lines (each ending in a newline) of a run's rounds.
std::string rounds_csv(const run_metrics& m);

/// Returns the JSON Lines (each ending in a newline) of a run's rounds.
std::string rounds_jsonl(const run_metrics& m);

} // namespace caf::consensus::sim
