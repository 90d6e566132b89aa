// caf-consensus sim: the charts of a `tune` result: the Pareto front, and
// each swept parameter's effect around the chosen cell.

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "caf/consensus/sim/tune/output.hpp"

namespace caf::consensus::sim {

namespace {

/// Whether every value of an axis is a number (then the x axis is numeric).
bool numeric_axis(const sweep_axis& a) {
  for (auto& v : a.values) {
    char* end = nullptr;
    std::strtod(v.c_str(), &end);
    if (v.empty() || end != v.c_str() + v.size())
      return false;
  }
  return true;
}

void add_point(plot_series& s, double x, const tune_interval& i) {
  auto ok = i.n > 0 && std::isfinite(i.value);
  auto nan = std::numeric_limits<double>::quiet_NaN();
  s.x.push_back(x);
  s.y.push_back(ok ? i.value : nan);
  s.lo.push_back(ok && std::isfinite(i.lo) ? i.lo : (ok ? i.value : nan));
  s.hi.push_back(ok && std::isfinite(i.hi) ? i.hi : (ok ? i.value : nan));
}

/// The panels every chart shows: (title, y label, rate?, metric).
struct tune_panel_def {
  const char* title;
  const char* ylabel;
  bool unit;
  tune_metric metric;
};

constexpr tune_panel_def effect_panels[] = {
  {"accuracy", "share of runs", true, tune_metric::accuracy},
  {"finalize rate", "share of runs", true, tune_metric::finalize},
  {"mean calls", "agent calls", false, tune_metric::calls},
  {"mean simulated latency", "seconds", false, tune_metric::latency},
};

line_chart front_chart(const tune_result& res) {
  line_chart ch;
  ch.title = "Pareto front: accuracy and latency against calls";
  ch.xlabel = "mean calls per run";
  std::vector<uint8_t> on_front(res.cells.size(), 0);
  for (auto c : res.front)
    on_front[c] = 1;
  for (auto [title, metric, unit] :
       {std::make_tuple("accuracy", tune_metric::accuracy, true),
        std::make_tuple("mean simulated latency (s)", tune_metric::latency,
                        false)}) {
    plot_panel p;
    p.title = title;
    p.ylabel = unit ? "share of runs" : "seconds";
    p.unit_range = unit;
    plot_series front;
    front.name = "on the front";
    front.points = true;
    plot_series left;
    left.name = "other cells left";
    left.points = true;
    for (auto& c : res.cells) {
      if (c.runs == 0 || c.status == tune_status::infeasible)
        continue;
      if (!on_front[c.cell] && c.status != tune_status::alive)
        continue;
      auto& s = on_front[c.cell] ? front : left;
      add_point(s, c.est.calls.value, estimate_of(c.est, metric));
    }
    // The front last, drawn over the others.
    if (!left.x.empty())
      p.series.push_back(std::move(left));
    if (!front.x.empty())
      p.series.push_back(std::move(front));
    ch.panels.push_back(std::move(p));
  }
  return ch;
}

} // namespace

std::vector<std::pair<std::string, line_chart>>
tune_charts(const tune_result& res, const scenario& s) {
  std::vector<std::pair<std::string, line_chart>> out;
  if (res.cells.empty() || res.front.empty())
    return out;
  out.emplace_back("front", front_chart(res));
  if (!res.has_choice)
    return out;
  // Each axis through the chosen cell: the cells that differ from it in
  // that axis only (last axis fastest, as cell_coordinates).
  auto coords = cell_coordinates(s, res.chosen);
  for (size_t a = 0; a < s.sweep.size(); ++a) {
    auto& axis = s.sweep[a];
    if (axis.values.size() < 2)
      continue;
    uint64_t stride = 1;
    for (size_t b = a + 1; b < s.sweep.size(); ++b)
      stride *= s.sweep[b].values.size();
    auto base = res.chosen - coords[a] * stride;
    auto numeric = numeric_axis(axis);
    line_chart ch;
    ch.title = "Effect of " + axis.key + " around the chosen cell ("
               + res.cells[res.chosen].label + ")";
    ch.xlabel = axis.key;
    if (!numeric)
      ch.xtics = axis.values;
    for (auto& pd : effect_panels) {
      plot_panel p;
      p.title = pd.title;
      p.ylabel = pd.ylabel;
      p.unit_range = pd.unit;
      plot_series ser;
      ser.name = "cells (runs they got in the race)";
      ser.points = !numeric;
      plot_series chosen;
      chosen.name = "chosen cell";
      chosen.points = true;
      for (size_t v = 0; v < axis.values.size(); ++v) {
        auto& c = res.cells[base + v * stride];
        auto x = numeric ? std::strtod(axis.values[v].c_str(), nullptr)
                         : static_cast<double>(v);
        add_point(ser, x, estimate_of(c.est, pd.metric));
        if (c.cell == res.chosen)
          add_point(chosen, x, estimate_of(c.est, pd.metric));
      }
      p.series.push_back(std::move(ser));
      p.series.push_back(std::move(chosen));
      ch.panels.push_back(std::move(p));
    }
    auto stem = "effect-" + std::to_string(a + 1) + "-" + axis.key;
    for (auto& ch_ : stem)
      if (!std::isalnum(static_cast<unsigned char>(ch_)) && ch_ != '-'
          && ch_ != '_' && ch_ != '.')
        ch_ = '_';
    out.emplace_back(std::move(stem), std::move(ch));
  }
  return out;
}

} // namespace caf::consensus::sim
