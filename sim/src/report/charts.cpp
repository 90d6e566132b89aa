// caf-consensus sim: which charts a results directory gets: the metrics of
// every panel, a line chart per swept parameter (series per combination of
// the other parameters, or pooled), heatmaps of pairs of parameters. A
// scenario without a sweep gets none of these (only, with baselines, its
// cell beside them); its charts are the convergence charts.

#include "caf/consensus/sim/report/charts.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>

#include "caf/consensus/sim/report/internal/results_view.hpp"

namespace caf::consensus::sim {

using report_internal::pooled_by;
using report_internal::scenario_name;

namespace {

// -- limits -------------------------------------------------------------------

constexpr size_t max_series_per_chart = 8;
constexpr size_t max_heatmap_cells = 2500;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// -- metrics ------------------------------------------------------------------

struct metric_def {
  const char* title;
  const char* ylabel;
  bool unit;
  bool is_rate;
  rate cell_result::*r;
  mean_ci cell_result::*m;
  double scale;
};

const metric_def metrics[] = {
  {"finalize rate", "share of runs", true, true, &cell_result::finalize_rate,
   nullptr, 1},
  {"accuracy", "share of runs", true, true, &cell_result::accuracy, nullptr, 1},
  {"accuracy among finalized", "share of finalized runs", true, true,
   &cell_result::accuracy_finalized, nullptr, 1},
  {"mean rounds", "refinement rounds", false, false, nullptr,
   &cell_result::rounds, 1},
  {"mean simulated latency", "seconds", false, false, nullptr,
   &cell_result::latency_ms, 0.001},
  {"mean calls", "execute calls per run", false, false, nullptr,
   &cell_result::calls, 1},
};

void point(const metric_def& md, const cell_result* c, double& y, double& lo,
           double& hi) {
  y = lo = hi = nan;
  if (c == nullptr || !c->present)
    return;
  if (md.is_rate) {
    auto& r = c->*(md.r);
    if (r.n == 0)
      return;
    y = r.value;
    lo = r.lo;
    hi = r.hi;
  } else {
    auto& m = c->*(md.m);
    if (m.n == 0)
      return;
    y = m.value * md.scale;
    lo = m.lo * md.scale;
    hi = m.hi * md.scale;
  }
}

// -- slices and file names ----------------------------------------------------

/// Returns the cell at `coords` (the last axis varies fastest).
uint64_t cell_of(const std::vector<result_axis>& axes,
                 const std::vector<size_t>& coords) {
  uint64_t c = 0;
  for (size_t i = 0; i < axes.size(); ++i)
    c = c * axes[i].values.size() + coords[i];
  return c;
}

/// Returns the cells along axis `axis` with the other axes at `fixed`.
std::vector<cell_result> slice(const std::vector<cell_result>& cells,
                               const std::vector<result_axis>& axes,
                               size_t axis, std::vector<size_t> fixed) {
  std::vector<cell_result> out;
  for (size_t v = 0; v < axes[axis].values.size(); ++v) {
    fixed[axis] = v;
    auto c = cell_of(axes, fixed);
    out.push_back(c < cells.size() ? cells[c] : cell_result{});
  }
  return out;
}

std::string file_stem(const std::string& x) {
  std::string out;
  for (auto c : x)
    out += (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'
            || c == '-')
             ? c
             : '_';
  return out.substr(0, 60);
}

std::string two_digits(size_t i) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%02zu", i);
  return buf;
}

} // namespace

std::vector<std::pair<std::string, line_chart>>
line_charts(const results& res, const baselines* base) {
  std::vector<std::pair<std::string, line_chart>> out;
  auto& axes = res.axes;
  // Without a sweep there is no parameter to draw against: six one-point
  // panels would show nothing. Only with baselines is there a comparison:
  // the single cell beside both (categorical).
  if (axes.empty()) {
    if (base == nullptr || res.cells.empty())
      return out;
    line_chart ch;
    ch.title = scenario_name(res) + " beside the vote baselines";
    ch.xlabel = "";
    ch.xtics = {scenario_name(res), "vote, round 0",
                "vote, equal calls (r=" + std::to_string(base->budget_rounds[0])
                  + ")"};
    for (auto& md : metrics) {
      plot_panel p;
      p.title = md.title;
      p.ylabel = md.ylabel;
      p.unit_range = md.unit;
      plot_series s;
      s.name = "mean and 95% interval";
      std::vector<const cell_result*> cs{&res.cells[0], &base->round0[0],
                                         &base->equal_calls[0]};
      for (size_t i = 0; i < cs.size(); ++i) {
        double y, lo, hi;
        point(md, cs[i], y, lo, hi);
        s.x.push_back(static_cast<double>(i));
        s.y.push_back(y);
        s.lo.push_back(lo);
        s.hi.push_back(hi);
      }
      p.series.push_back(std::move(s));
      ch.panels.push_back(std::move(p));
    }
    out.emplace_back("baselines", std::move(ch));
    return out;
  }
  for (size_t a = 0; a < axes.size(); ++a) {
    auto& axis = axes[a];
    line_chart ch;
    ch.title = axis.key == "policy"
                 ? "Policies compared (" + scenario_name(res) + ")"
                 : scenario_name(res) + ": effect of " + axis.key;
    ch.xlabel = axis.key;
    if (!axis.numeric)
      ch.xtics = axis.values;
    // Series: one per combination of the other axes, or pooled.
    uint64_t combos = 1;
    for (size_t b = 0; b < axes.size(); ++b)
      if (b != a)
        combos = std::min<uint64_t>(combos * axes[b].values.size(),
                                    max_series_per_chart + 1);
    std::vector<std::pair<std::string, std::optional<std::vector<size_t>>>>
      series_keys;
    if (combos <= max_series_per_chart) {
      for (uint64_t k = 0; k < combos; ++k) {
        // Enumerate the other axes' coordinates, last varying fastest.
        std::vector<size_t> fixed(axes.size(), 0);
        auto rest = k;
        std::string name;
        for (size_t b = axes.size(); b-- > 0;) {
          if (b == a)
            continue;
          fixed[b] = static_cast<size_t>(rest % axes[b].values.size());
          rest /= axes[b].values.size();
        }
        for (size_t b = 0; b < axes.size(); ++b) {
          if (b == a)
            continue;
          if (!name.empty())
            name += ", ";
          name += axes[b].key + "=" + axes[b].values[fixed[b]];
        }
        if (name.empty())
          name = scenario_name(res);
        series_keys.emplace_back(name, fixed);
      }
    } else {
      std::string others;
      for (size_t b = 0; b < axes.size(); ++b)
        if (b != a)
          others += (others.empty() ? "" : ", ") + axes[b].key;
      series_keys.emplace_back("pooled over " + others, std::nullopt);
    }
    bool with_base = base != nullptr && series_keys.size() == 1;
    // The cells of every line, once: (name, dashed, one result per value).
    struct line {
      std::string name;
      bool dashed;
      std::vector<cell_result> cells;
    };
    auto along = [&](const std::vector<cell_result>& cells,
                     const std::optional<std::vector<size_t>>& fixed) {
      return fixed ? slice(cells, axes, a, *fixed) : pooled_by(cells, axes, a);
    };
    std::vector<line> lines;
    for (auto& [name, fixed] : series_keys)
      lines.push_back(line{name, false, along(res.cells, fixed)});
    if (with_base) {
      lines.push_back(line{"vote, majority after round 0", true,
                           along(base->round0, series_keys[0].second)});
      lines.push_back(line{"vote at equal calls (debate, then vote)", true,
                           along(base->equal_calls, series_keys[0].second)});
    }
    for (auto& md : metrics) {
      plot_panel p;
      p.title = md.title;
      p.ylabel = md.ylabel;
      p.unit_range = md.unit;
      for (auto& l : lines) {
        plot_series s;
        s.name = l.name;
        s.dashed = l.dashed;
        for (size_t v = 0; v < axis.values.size(); ++v) {
          double y, lo, hi;
          point(md, &l.cells[v], y, lo, hi);
          s.x.push_back(axis.numeric ? axis.numbers[v]
                                     : static_cast<double>(v));
          s.y.push_back(y);
          s.lo.push_back(lo);
          s.hi.push_back(hi);
        }
        p.series.push_back(std::move(s));
      }
      ch.panels.push_back(std::move(p));
    }
    out.emplace_back(two_digits(out.size() + 1) + "-" + file_stem(axis.key),
                     std::move(ch));
  }
  return out;
}

std::vector<std::pair<std::string, heatmap_chart>>
heatmaps(const results& res) {
  std::vector<std::pair<std::string, heatmap_chart>> out;
  auto& axes = res.axes;
  if (axes.size() < 2)
    return out;
  for (size_t a = 0; a < axes.size() && out.size() < 3; ++a)
    for (size_t b = a + 1; b < axes.size() && out.size() < 3; ++b) {
      auto nx = axes[a].values.size();
      auto ny = axes[b].values.size();
      if (nx * ny > max_heatmap_cells)
        continue; // unreadable; the line charts show these parameters
      // Pool the cells of every (x, y) in one pass.
      std::vector<std::vector<const cell_result*>> parts(nx * ny);
      for (auto& c : res.cells)
        if (c.present && c.coords.size() == axes.size())
          parts[c.coords[b] * nx + c.coords[a]].push_back(&c);
      std::vector<cell_result> grid;
      grid.reserve(parts.size());
      for (auto& p : parts)
        grid.push_back(pool(p));
      heatmap_chart ch;
      ch.title = scenario_name(res) + ": " + axes[a].key + " x " + axes[b].key
                 + (axes.size() > 2 ? " (pooled over the other parameters)"
                                    : "");
      ch.xlabel = axes[a].key;
      ch.ylabel = axes[b].key;
      ch.xtics = axes[a].values;
      ch.ytics = axes[b].values;
      for (size_t mi = 0; mi < 4; ++mi) {
        auto& md = metrics[mi];
        heatmap_panel p;
        p.title = md.title;
        p.unit_range = md.unit;
        p.z.assign(axes[b].values.size(),
                   std::vector<double>(axes[a].values.size(), nan));
        for (size_t x = 0; x < nx; ++x)
          for (size_t y = 0; y < ny; ++y) {
            double v, lo, hi;
            point(md, &grid[y * nx + x], v, lo, hi);
            p.z[y][x] = v;
          }
        ch.panels.push_back(std::move(p));
      }
      out.emplace_back("heatmap-" + file_stem(axes[a].key) + "-"
                         + file_stem(axes[b].key),
                       std::move(ch));
    }
  return out;
}

} // namespace caf::consensus::sim
