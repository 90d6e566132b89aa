#include "cli/sweep_table.hpp"

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>

#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/report/summary.hpp"
#include "caf/consensus/sim/scenario/describe.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/store/store.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"

namespace caf::consensus::cli {

namespace fs = std::filesystem;

std::string fmt(double x, int prec) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(prec) << x;
  return os.str();
}

namespace {

std::string rate_cell(const sim::rate& r) {
  if (r.n == 0)
    return "-";
  return fmt(r.value, 3) + " [" + fmt(r.lo, 2) + "," + fmt(r.hi, 2) + "]";
}

/// A paired difference with its interval: +0.012 [-0.003,+0.027].
std::string gain_cell(const sim::mean_ci& m) {
  if (m.n == 0)
    return "-";
  auto sgn = [](double x) { return (x >= 0 ? "+" : "") + fmt(x, 3); };
  return sgn(m.value) + " [" + sgn(m.lo) + "," + sgn(m.hi) + "]";
}

std::string mean_cell(const sim::mean_ci& m, int prec) {
  if (m.n == 0)
    return "-";
  return fmt(m.value, prec) + " ±" + fmt(m.hi - m.value, prec);
}

/// Returns the number of code points of `x` (the ± sign is two bytes).
size_t code_points(const std::string& x) {
  size_t n = 0;
  for (auto c : x)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
      ++n;
  return n;
}

std::string pad(const std::string& x, size_t width) {
  auto cps = code_points(x);
  return cps >= width ? x + " " : x + std::string(width - cps, ' ');
}

void print_rows(std::ostream& out, const std::vector<std::string>& head,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(head.size());
  for (size_t i = 0; i < head.size(); ++i) {
    width[i] = code_points(head[i]) + 2;
    for (auto& r : rows)
      width[i] = std::max(width[i], code_points(r[i]) + 2);
  }
  for (size_t i = 0; i < head.size(); ++i)
    out << pad(head[i], width[i]);
  out << '\n';
  for (auto& r : rows) {
    for (size_t i = 0; i < r.size(); ++i)
      out << pad(r[i], width[i]);
    out << '\n';
  }
}

} // namespace

void print_table(std::ostream& out, const sim::scenario& s,
                 const std::vector<sim::cell_summary>& cells) {
  std::vector<std::string> head{"cell"};
  for (auto& a : s.sweep)
    head.push_back(a.key);
  for (auto* h :
       {"runs", "finalized [95% CI]", "accuracy [95% CI]", "acc|final [95% CI]",
        "rounds", "early [95% CI]", "sim.latency ms", "calls"})
    head.push_back(h);
  bool truth = !s.world.ground_truth.empty();
  if (truth)
    for (auto* h : {"vote@calls [95% CI]", "gain [95% CI]", "ECE"})
      head.push_back(h);
  std::vector<std::vector<std::string>> rows;
  for (uint64_t c = 0; c < cells.size(); ++c) {
    std::vector<std::string> row{std::to_string(c)};
    // A parameter the cell's policy does not read shows as `-`.
    for (size_t i = 0; i < s.sweep.size(); ++i)
      row.push_back(sim::cell_value(s, c, i));
    auto& x = cells[c];
    row.push_back(std::to_string(x.runs()));
    row.push_back(rate_cell(x.finalize_rate()));
    row.push_back(rate_cell(x.accuracy()));
    row.push_back(rate_cell(x.safety()));
    row.push_back(mean_cell(x.rounds(), 2));
    row.push_back(rate_cell(x.stopped_early()));
    row.push_back(mean_cell(x.latency(), 0));
    row.push_back(mean_cell(x.calls(), 1));
    if (truth) {
      row.push_back(rate_cell(x.equal_calls_accuracy()));
      row.push_back(gain_cell(x.gain_over_equal_calls()));
      row.push_back(x.runs() == 0 ? "-" : fmt(x.reliability().ece, 3));
    }
    rows.push_back(std::move(row));
  }
  print_rows(out, head, rows);
}

const char* legend
  = "\nHow to read this:\n"
    "  finalized    share of runs whose winner reached beta_2 (Phase II "
    "finality)\n"
    "  accuracy     share of runs whose winner gave the ground-truth answer\n"
    "  acc|final    accuracy among finalized runs only: the safety of "
    "finality\n"
    "  rounds       refinement rounds executed (early stop at beta_1 makes it "
    "smaller)\n"
    "  early        share of runs that stopped sampling before the last "
    "round\n"
    "  sim.latency  simulated wall time of a run: sum over rounds of the "
    "slowest call\n"
    "  calls        execute calls per run (what real model calls would cost)\n"
    "  vote@calls   accuracy of plain majority vote over the same number of "
    "calls\n"
    "               from the same agents and seeds (asking more often "
    "instead)\n"
    "  gain         accuracy minus vote@calls, paired run by run\n"
    "  ECE          expected calibration error of the winner's confidence "
    "(10 bins)\n"
    "  Rates show [95% Wilson interval]; means show ± the 95% t-interval "
    "half-width.\n";

void print_workers(std::ostream& out,
                   const std::vector<sim::worker_report>& xs) {
  std::vector<std::string> head{"worker",  "threads",    "runs",
                                "batches", "busy s",     "runs/s",
                                "joins",   "reassigned", "problem"};
  std::vector<std::vector<std::string>> rows;
  for (auto& x : xs)
    rows.push_back({x.name, std::to_string(x.threads), std::to_string(x.runs),
                    std::to_string(x.batches), fmt(x.busy_seconds, 2),
                    fmt(x.runs_per_second(), 0), std::to_string(x.joins),
                    std::to_string(x.reassigned),
                    x.problem.empty() ? "-" : x.problem});
  print_rows(out, head, rows);
}

} // namespace caf::consensus::cli
