// caf-consensus sim: the outputs of an advice report: the plain-text table
// the CLI prints, Markdown, JSON, the charts and the folder `--out` writes
// (with its self-contained HTML page).

#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "caf/error.hpp"

#include "caf/consensus/sim/advice/advice_report.hpp"
#include "caf/consensus/sim/report/plot.hpp"

namespace caf::consensus::sim {

/// Returns the verdicts as a plain-text table (what the CLI prints).
std::string advice_text(const advice_report& rep);

/// Returns the verdicts as Markdown (`command` is shown as the command that
/// produced them).
std::string advice_markdown(const advice_report& rep,
                            const std::string& command);

/// Returns everything as JSON (claims, effects, sweeps, baselines).
nlohmann::json advice_json(const advice_report& rep,
                           const std::string& command);

/// Returns the charts of the advice sweeps (one per claim family).
std::vector<std::pair<std::string, line_chart>>
advice_charts(const advice_report& rep);

/// Writes `advice.md`, `advice.json`, `index.html` (verdicts + charts,
/// self-contained) and `charts/*.svg` (+ `.png`) into `dir`.
error write_advice(const advice_report& rep, const std::string& dir,
                   const std::string& command, bool png,
                   const gnuplot_options& gnuplot);

} // namespace caf::consensus::sim
