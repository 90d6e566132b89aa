// caf-consensus sim: a store's runs written out as runs.csv, runs.jsonl and
// agents.csv.

#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "caf/expected.hpp"

#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/store/store.hpp"

namespace caf::consensus::sim {

/// Streams every run of `store` in canonical order to `each` (when set) and,
/// when `dir` is not empty, into dir/runs.csv, dir/runs.jsonl and (if the
/// store has agent rows) dir/agents.csv, each written atomically (see
/// `output_file`) and never onto the store itself. Returns the number of
/// runs.
expected<uint64_t>
export_runs(const results_store& store, const std::string& dir,
            const std::function<void(const run_metrics&)>& each = nullptr);

} // namespace caf::consensus::sim
