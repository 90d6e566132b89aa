// Tests: helpers of the trace tests (recording synthetic runs to a file).

#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/record.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::test {

/// Three synthetic agents of known accuracy, refining to the majority.
inline const char* recorded_scenario = R"(name: recorded
prompt: Which answer is right?
policy: metastable
params: {rounds: 3, k: 2, alpha: 0.6, beta_1: 0.5, beta_2: 0.8, timeout_ms: 3000}
labels: [right, wrong, other]
ground_truth: right
agents:
  - name: a
    answers: {right: 0.8, wrong: 0.1, other: 0.1}
    behaviour: majority
    latency: {dist: lognormal, median_ms: 400, sigma: 0.5}
  - name: b
    answers: {right: 0.6, wrong: 0.3, other: 0.1}
    behaviour: conform:0.7
    latency: {dist: uniform, min_ms: 100, max_ms: 900}
    faults: {fail: 0.1}
  - name: c
    answers: {right: 0.4, wrong: 0.5, other: 0.1}
    behaviour: stubborn
    latency: 250
replicates: 10
seed: 11
)";

/// Returns `name` in the test's temporary folder (without a double slash:
/// messages show trace paths normalized).
inline std::string temp_path(const std::string& name) {
  std::string dir = ::testing::TempDir();
  while (!dir.empty() && dir.back() == '/')
    dir.pop_back();
  return dir + "/" + name;
}

inline sim::scenario parse_or_throw(const std::string& text,
                                    const std::string& origin) {
  auto sc = sim::parse_scenario(text, origin);
  if (!sc)
    throw std::runtime_error(render(sc.error()));
  return *sc;
}

/// Records `replicates` runs of `text` to `path` and returns their states.
inline std::vector<state> record_to(const std::string& text,
                                    const std::string& path,
                                    uint64_t replicates) {
  auto sc = parse_or_throw(text, temp_path("recorded.yaml"));
  auto cell = sim::resolve_cell(sc, 0);
  if (!cell)
    throw std::runtime_error(render(cell.error()));
  std::ofstream out{path};
  connectors::trace_writer w{out, sim::trace_header_of(*cell)};
  auto sts = sim::record_runs(*cell, replicates, w);
  if (!sts)
    throw std::runtime_error(render(sts.error()));
  return *sts;
}

} // namespace caf::consensus::test
