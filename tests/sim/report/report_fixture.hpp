// Test helper: temporary folders, whole-file reads and writes, and results
// directories written as `consensus-sim run --out` does (the quickstart's
// once per test binary), shared by the report tests.

#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "caf/consensus/sim/scenario/scenario.hpp"

namespace report_test {

/// A fresh temporary folder, removed at the end of the test.
struct temp_dir {
  std::filesystem::path path;
  temp_dir();
  ~temp_dir();
};

/// Returns the bytes of file `p`.
std::string slurp(const std::filesystem::path& p);

/// Replaces the contents of file `p` with `text`.
void spit(const std::filesystem::path& p, const std::string& text);

/// Returns how often `needle` occurs in `hay` (without overlaps).
size_t count_of(const std::string& hay, const std::string& needle);

/// Loads `scenarios/NAME` with `replicates` replicates.
caf::consensus::sim::scenario load(const std::string& name,
                                   uint64_t replicates);

/// Runs `sc` and writes a results directory as `consensus-sim run --out`
/// does (manifest.json, summary.jsonl, runs.jsonl).
void write_results(const caf::consensus::sim::scenario& sc,
                   const std::filesystem::path& dir);

/// The quickstart results (100 replicates), written once per test binary.
const std::filesystem::path& quickstart_dir();

} // namespace report_test
