// caf-consensus sim: convergence over rounds from the per-round data.

#include "caf/consensus/sim/report/convergence.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <set>

#include "caf/consensus/sim/store/store.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"

namespace caf::consensus::sim {

namespace {

/// Most series a convergence chart shows (one per cell).
constexpr size_t max_cells_shown = 24;

template <class T>
void grow(std::vector<T>& xs, size_t n) {
  if (xs.size() < n)
    xs.resize(n);
}

plot_series series_of(const std::string& name, const std::vector<mean_ci>& xs) {
  plot_series s;
  s.name = name;
  for (size_t r = 0; r < xs.size(); ++r) {
    s.x.push_back(static_cast<double>(r));
    auto& m = xs[r];
    auto none = m.n == 0;
    auto nan = std::numeric_limits<double>::quiet_NaN();
    s.y.push_back(none ? nan : m.value);
    s.lo.push_back(none ? nan : m.lo);
    s.hi.push_back(none ? nan : m.hi);
  }
  return s;
}

plot_series series_of(const std::string& name, const std::vector<rate>& xs) {
  plot_series s;
  s.name = name;
  for (size_t r = 0; r < xs.size(); ++r) {
    s.x.push_back(static_cast<double>(r));
    s.y.push_back(xs[r].value);
    s.lo.push_back(xs[r].lo);
    s.hi.push_back(xs[r].hi);
  }
  return s;
}

} // namespace

// -- accumulating -------------------------------------------------------------

convergence_acc::convergence_acc(size_t cells) : cells_(cells) {
  // nop
}

void convergence_acc::add(const run_metrics& m) {
  if (m.cell >= cells_.size() || m.trajectory.empty())
    return;
  auto& c = cells_[m.cell];
  auto last = static_cast<size_t>(
    std::max<int64_t>(m.rounds, static_cast<int64_t>(m.trajectory.size()) - 1));
  grow(c.with_winner, last + 1);
  grow(c.with_truth, last + 1);
  grow(c.decided, last + 1);
  grow(c.locked, last + 1);
  auto wrong_winner = !m.winner.empty() && !m.winner_correct;
  for (size_t r = 0; r <= last; ++r) {
    auto& t = m.trajectory[std::min(r, m.trajectory.size() - 1)];
    if (t.live > 0) {
      auto live = static_cast<double>(t.live);
      c.with_winner[r].add(static_cast<double>(t.with_reference) / live);
      c.with_truth[r].add(static_cast<double>(t.with_truth) / live);
    }
    if (wrong_winner && 2 * uint64_t{t.with_reference} > t.live)
      ++c.locked[r];
    if (m.rounds_to_decide >= 0 && static_cast<size_t>(m.rounds_to_decide) <= r)
      ++c.decided[r];
  }
  ++c.runs;
  if (m.winner_correct)
    ++c.correct;
  c.calls.add(static_cast<double>(m.calls));
  c.reliability.add(m.winner_confidence, m.winner_correct);
}

std::vector<cell_convergence> convergence_acc::get() const {
  std::vector<cell_convergence> out;
  out.reserve(cells_.size());
  for (auto& c : cells_) {
    cell_convergence x;
    x.runs = c.runs;
    for (auto& m : c.with_winner)
      x.with_winner.push_back(m.get());
    for (auto& m : c.with_truth)
      x.with_truth.push_back(m.get());
    for (auto n : c.decided)
      x.decided_by.push_back(wilson(n, c.runs));
    for (auto n : c.locked)
      x.locked_wrong.push_back(wilson(n, c.runs));
    x.accuracy = wilson(c.correct, c.runs);
    x.calls = c.calls.get();
    x.reliability = c.reliability.get();
    out.push_back(std::move(x));
  }
  return out;
}

// -- charts -------------------------------------------------------------------

std::vector<std::pair<std::string, line_chart>>
convergence_charts(const std::vector<cell_convergence>& cells,
                   const std::vector<std::string>& names) {
  std::vector<std::pair<std::string, line_chart>> out;
  std::vector<size_t> shown;
  for (size_t i = 0; i < cells.size() && shown.size() < max_cells_shown; ++i)
    if (cells[i].runs > 0)
      shown.push_back(i);
  if (shown.empty())
    return out;
  auto name_of = [&](size_t i) {
    return i < names.size() && !names[i].empty() ? names[i]
                                                 : std::string{"all runs"};
  };
  line_chart agree;
  agree.title = "Agreement over rounds";
  agree.xlabel = "round (0: initial answers)";
  plot_panel winner{
    "with the eventual winner", "share of live agents", true, {}};
  plot_panel truth{"with the ground truth", "share of live agents", true, {}};
  line_chart decided;
  decided.title = "Runs decided by round";
  decided.xlabel = "refinement round";
  plot_panel cdf{"share of runs decided (CDF of rounds to decide)",
                 "share of runs",
                 true,
                 {}};
  line_chart locked;
  locked.title = "Runs locked on a wrong answer";
  locked.xlabel = "round (0: initial answers)";
  plot_panel wrong{"wrong eventual winner held by a majority of live agents",
                   "share of runs",
                   true,
                   {}};
  line_chart cost;
  cost.title = "Accuracy against calls";
  cost.xlabel = "calls per run (mean)";
  plot_panel acc{"accuracy (winner = ground truth)", "share of runs", true, {}};
  line_chart rel;
  rel.title = "Reliability of the winner confidence";
  rel.xlabel = "winner confidence (mean of each bin of width 0.1)";
  plot_panel right{"winner right (dashed: confidence = probability)",
                   "share of runs",
                   true,
                   {}};
  plot_series diagonal;
  diagonal.name = "perfectly calibrated";
  diagonal.dashed = true;
  diagonal.x = {0, 1};
  diagonal.y = {0, 1};
  diagonal.lo = {0, 1};
  diagonal.hi = {0, 1};
  right.series.push_back(std::move(diagonal));
  for (auto i : shown) {
    auto& c = cells[i];
    auto name = name_of(i);
    winner.series.push_back(series_of(name, c.with_winner));
    truth.series.push_back(series_of(name, c.with_truth));
    cdf.series.push_back(series_of(name, c.decided_by));
    wrong.series.push_back(series_of(name, c.locked_wrong));
    plot_series p;
    p.name = name;
    p.points = true;
    p.x = {c.calls.value};
    p.y = {c.accuracy.value};
    p.lo = {c.accuracy.lo};
    p.hi = {c.accuracy.hi};
    acc.series.push_back(std::move(p));
    plot_series bins;
    bins.name = name;
    for (auto& b : c.reliability.bins) {
      // Bins of fewer than 10 runs say little and clutter the chart.
      if (b.accuracy.n < 10)
        continue;
      bins.x.push_back(b.mean_confidence);
      bins.y.push_back(b.accuracy.value);
      bins.lo.push_back(b.accuracy.lo);
      bins.hi.push_back(b.accuracy.hi);
    }
    if (!bins.x.empty())
      right.series.push_back(std::move(bins));
  }
  agree.panels = {std::move(winner), std::move(truth)};
  decided.panels = {std::move(cdf)};
  locked.panels = {std::move(wrong)};
  cost.panels = {std::move(acc)};
  rel.panels = {std::move(right)};
  out.emplace_back("convergence_agreement", std::move(agree));
  out.emplace_back("convergence_decided", std::move(decided));
  out.emplace_back("convergence_locked_wrong", std::move(locked));
  out.emplace_back("cost_curve", std::move(cost));
  out.emplace_back("reliability", std::move(rel));
  return out;
}

expected<std::vector<std::pair<std::string, line_chart>>>
convergence_charts(const results& res) {
  return convergence_charts(std::vector<const results*>{&res});
}

expected<std::vector<std::pair<std::string, line_chart>>>
convergence_charts(const std::vector<const results*>& all) {
  // What tells the directories apart: their last path components, unless
  // two share one.
  std::vector<std::string> tags;
  for (auto* res : all) {
    auto tag = std::filesystem::path{res->dir}.lexically_normal();
    tags.push_back(tag.has_filename() ? tag.filename().string()
                                      : tag.parent_path().filename().string());
  }
  auto unique = std::set<std::string>(tags.begin(), tags.end()).size()
                == tags.size();
  std::vector<cell_convergence> cells;
  std::vector<std::string> names;
  for (size_t i = 0; i < all.size(); ++i) {
    auto& res = *all[i];
    if (!results_store::exists(res.dir))
      continue;
    auto store = results_store::open(res.dir);
    if (!store)
      return std::move(store.error());
    convergence_acc acc{res.cells.size()};
    if (auto err = store->for_each([&](const run_metrics& m) { acc.add(m); }))
      return err;
    for (auto& c : acc.get())
      cells.push_back(std::move(c));
    for (auto& c : res.cells) {
      if (all.size() == 1)
        names.push_back(c.label);
      else
        names.push_back((unique ? tags[i] : res.dir)
                        + (c.label.empty() ? "" : ": " + c.label));
    }
  }
  return convergence_charts(cells, names);
}

} // namespace caf::consensus::sim
