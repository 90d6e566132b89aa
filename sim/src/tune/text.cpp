// caf-consensus sim: the terminal table of a `tune` result.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "caf/consensus/sim/tune/output.hpp"

namespace caf::consensus::sim {

namespace {

std::string tune_fmt(double x, const char* spec = "%.3f") {
  if (std::isinf(x))
    return x > 0 ? "inf" : "-inf";
  char buf[48];
  std::snprintf(buf, sizeof(buf), spec, x);
  return buf;
}

std::string with_interval(const tune_interval& i, const char* spec = "%.3f") {
  return tune_fmt(i.value, spec) + " [" + tune_fmt(i.lo, spec) + ", "
         + tune_fmt(i.hi, spec) + "]";
}

std::string tune_pad(std::string x, size_t w) {
  if (x.size() < w)
    x.append(w - x.size(), ' ');
  return x;
}

std::string estimates_line(const tune_estimates& e) {
  return "accuracy " + with_interval(e.accuracy) + ", finalize "
         + with_interval(e.finalize) + ", wrong_final "
         + with_interval(e.wrong_final) + ", calls "
         + with_interval(e.calls, "%.1f") + ", latency "
         + with_interval(e.latency, "%.2f") + " s, p95 latency "
         + with_interval(e.p95_latency, "%.2f") + " s";
}

/// Most rows of a table on the terminal (tune.json has every cell).
constexpr size_t max_rows = 20;

void cell_table(std::ostringstream& out, const tune_result& res,
                const std::vector<uint64_t>& all, bool vs) {
  std::vector<uint64_t> cells(
    all.begin(),
    all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), max_rows)));
  size_t w = 8;
  for (auto c : cells)
    w = std::max(w, res.cells[c].label.size());
  out << "  " << tune_pad("cell", 6) << tune_pad("settings", w + 2)
      << tune_pad("runs", 7) << tune_pad("accuracy", 23)
      << tune_pad("finalize", 23) << tune_pad("calls", 20)
      << tune_pad("latency s", 23) << (vs ? "winner - cell" : "") << '\n';
  for (auto c : cells) {
    auto& x = res.cells[c];
    auto mark = res.has_choice && c == res.chosen ? "* " : "  ";
    out << mark << tune_pad(std::to_string(c), 6) << tune_pad(x.label, w + 2)
        << tune_pad(std::to_string(x.runs), 7)
        << tune_pad(with_interval(x.est.accuracy), 23)
        << tune_pad(with_interval(x.est.finalize), 23)
        << tune_pad(with_interval(x.est.calls, "%.1f"), 20)
        << tune_pad(with_interval(x.est.latency, "%.2f"), 23);
    if (vs && c != res.best.front())
      out << with_interval(x.vs_winner) << (x.tied ? " tied" : "");
    out << '\n';
  }
  if (all.size() > cells.size())
    out << "  ... and " << all.size() - cells.size()
        << " more (every cell is in tune.json)\n";
}

std::string verdict_line(const tune_result& res) {
  switch (res.verdict) {
    case tune_verdict::separated:
      return "separated: the winner is better than every other cell with "
             "confidence";
    case tune_verdict::tied:
      return "tied: the cells left are equivalent (differences within +-"
             + tune_fmt(res.delta) + "); no single winner";
    case tune_verdict::budget:
      return "budget spent before the cells left were separated; the "
             "runners-up are not ruled out";
    case tune_verdict::cap:
      return "every cell left reached the most replicates per cell without "
             "being separated; the runners-up are not ruled out";
    case tune_verdict::infeasible:
      return "no cell meets the constraints";
  }
  return "?";
}

} // namespace

std::string tune_text(const tune_result& res) {
  std::ostringstream out;
  out << "tune: " << res.scenario_name << " (" << res.scenario_file
      << "), objective: " << res.objective.text << '\n';
  out << "  grid: " << res.cells.size() << " cells x " << res.max_replicates
      << " replicates = " << res.grid_runs << " runs; budget " << res.budget
      << "; seed " << res.seed << '\n';
  out << "  stages:";
  for (auto& st : res.stages)
    out << ' ' << st.replicates << " (" << st.alive_before << " -> "
        << st.alive_after << ')';
  out << "\n  decisions at level " << tune_fmt(res.decision_alpha, "%.2g")
      << " per comparison (" << tune_fmt(100 * res.confidence, "%.0f")
      << "% over the race); intervals below are "
      << tune_fmt(100 * res.confidence, "%.0f") << "%\n";
  out << "  verdict: " << verdict_line(res) << "\n\n";
  if (!res.best.empty()) {
    out << (res.objective.pareto ? "front of the cells left:\n"
                                 : "winner and runners-up:\n");
    cell_table(out, res, res.best, !res.objective.pareto);
    out << '\n';
  }
  if (res.has_choice) {
    out << "chosen: cell " << res.chosen << " (" << res.cells[res.chosen].label
        << ")\n";
    if (!res.objective.constraints.empty())
      out << "  in the race, the constraints were "
          << (res.chosen_feasibility == 2   ? "met with confidence"
              : res.chosen_feasibility == 1 ? "met by the estimates only"
                                            : "missed even by the estimates")
          << '\n';
    out << "confirmation on " << res.confirmation.runs
        << " fresh runs: " << estimates_line(res.confirmation.est) << '\n';
    for (size_t i = 0; i < res.objective.constraints.size(); ++i)
      out << "  " << res.objective.constraints[i].text << ": "
          << res.confirmation.constraints[i] << '\n';
    out << '\n';
  }
  out << "Pareto front of the feasible cells' estimates (accuracy up, calls "
         "down, latency down):\n";
  cell_table(out, res, res.front, false);
  auto total = res.runs_search + res.runs_confirm;
  out << "\nruns: " << res.runs_search << " search";
  if (res.runs_reused > 0)
    out << " (" << res.runs_reused << " of them from the store)";
  out << " + " << res.runs_confirm << " confirmation = " << total
      << " of a budget of " << res.budget << " ("
      << tune_fmt(100.0 * static_cast<double>(total)
                    / static_cast<double>(res.grid_runs),
                  "%.1f")
      << "% of the grid's " << res.grid_runs << "); "
      << tune_fmt(res.seconds, "%.1f") << " s\n";
  return out.str();
}

} // namespace caf::consensus::sim
