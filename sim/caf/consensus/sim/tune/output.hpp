// caf-consensus sim: the outputs of `tune`: the terminal table, tune.json and
// a scenario file with the chosen settings, and the folder `--out` writes.

#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/tune/tune_result.hpp"

namespace caf::consensus::sim {

/// Returns the result as the plain-text table the CLI prints.
std::string tune_text(const tune_result& res);

/// Returns everything as JSON (`command` is recorded as given).
nlohmann::json tune_json(const tune_result& res, const std::string& command);

/// Returns scenario `text` (the file `s` was parsed from) with its `sweep`
/// replaced by the chosen cell's values, one value per axis: a scenario
/// `validate` accepts and `run` runs as that one cell. Errors: no chosen
/// cell, or text that does not parse back to the chosen settings.
expected<std::string> tuned_scenario_text(const scenario& s,
                                          const std::string& text,
                                          const tune_result& res);

/// Writes `tune.json`, `tune.txt` and (when a cell was chosen)
/// `tuned.yaml` into `dir` (created if missing), each atomically.
error write_tune(const tune_result& res, const scenario& s,
                 const std::string& scenario_text, const std::string& dir,
                 const std::string& command);

} // namespace caf::consensus::sim
