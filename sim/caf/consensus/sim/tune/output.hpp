// caf-consensus sim: the outputs of `tune`: the terminal table, tune.json, a
// scenario file with the chosen settings, the charts and the HTML page, and
// the folder `--out` writes.

#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "caf/consensus/sim/report/html.hpp"
#include "caf/consensus/sim/report/plot.hpp"
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

/// Returns the charts of a result: `front` (accuracy and latency against
/// calls, the front and the other cells left) and, around the chosen cell,
/// one `effect-N-KEY` per sweep axis with two or more values (the cells that
/// differ from the chosen one in that axis only). `s` is the scenario the
/// result came from.
std::vector<std::pair<std::string, line_chart>>
tune_charts(const tune_result& res, const scenario& s);

/// Returns the self-contained HTML page of a result with `charts` inlined.
std::string tune_page(const tune_result& res, const std::string& command,
                      const std::vector<chart_file>& charts);

/// Writes `tune.json`, `tune.txt` and (when a cell was chosen)
/// `tuned.yaml` into `dir` (created if missing), each atomically; with
/// `gnuplot` (not null) also `charts/*.svg` and `index.html`.
error write_tune(const tune_result& res, const scenario& s,
                 const std::string& scenario_text, const std::string& dir,
                 const std::string& command,
                 const gnuplot_options* gnuplot = nullptr);

} // namespace caf::consensus::sim
