// The charts of the advice sweeps: one per claim family, six panels each.

#include <cstdlib>
#include <limits>

#include "caf/consensus/sim/advice/output.hpp"

namespace caf::consensus::sim {

std::vector<std::pair<std::string, line_chart>>
advice_charts(const advice_report& rep) {
  std::vector<std::pair<std::string, line_chart>> out;
  struct family_def {
    const char* family;
    const char* title;
    bool categorical;
  };
  const family_def families[] = {
    {"rounds", "More rounds: refinement, consensus, latency", false},
    {"k", "Larger k: agreement", false},
    {"beta_2", "beta_2: strictness of finality", false},
    {"population", "Diverse vs homogeneous participants", true},
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (auto& fam : families) {
    std::vector<const advice_sweep*> sweeps;
    for (auto& s : rep.sweeps)
      if (s.family == fam.family)
        sweeps.push_back(&s);
    if (sweeps.empty())
      continue;
    line_chart ch;
    ch.title = fam.title;
    ch.xlabel = sweeps[0]->key;
    if (fam.categorical)
      for (auto& c : sweeps[0]->cells)
        ch.xtics.push_back(c.value);
    struct panel_def {
      const char* title;
      const char* ylabel;
      bool unit;
      int which;
    };
    const panel_def panels[] = {
      {"accuracy", "share of runs", true, 0},
      {"agreement", "share of agents on the winning answer", true, 1},
      {"finalize rate", "share of runs", true, 2},
      {"accuracy among finalized", "share of finalized runs", true, 3},
      {"mean rounds", "refinement rounds", false, 4},
      {"mean simulated latency", "seconds", false, 5},
    };
    for (auto& pd : panels) {
      plot_panel p;
      p.title = pd.title;
      p.ylabel = pd.ylabel;
      p.unit_range = pd.unit;
      for (auto* s : sweeps) {
        plot_series ser;
        ser.name = s->policy
                   + (s->condition == "default parameters"
                        ? std::string{}
                        : ", " + s->condition);
        for (size_t i = 0; i < s->cells.size(); ++i) {
          auto& c = s->cells[i];
          double x = static_cast<double>(i);
          if (!fam.categorical)
            x = std::strtod(c.value.c_str(), nullptr);
          double y = nan;
          double lo = nan;
          double hi = nan;
          auto set_rate = [&](const rate& r) {
            if (r.n > 0) {
              y = r.value;
              lo = r.lo;
              hi = r.hi;
            }
          };
          auto set_mean = [&](const mean_ci& m, double scale) {
            if (m.n > 0) {
              y = m.value * scale;
              lo = m.lo * scale;
              hi = m.hi * scale;
            }
          };
          switch (pd.which) {
            case 0:
              set_rate(c.summary.accuracy);
              break;
            case 1:
              set_mean(c.agreement, 1);
              break;
            case 2:
              set_rate(c.summary.finalize_rate);
              break;
            case 3:
              set_rate(c.summary.accuracy_finalized);
              break;
            case 4:
              set_mean(c.summary.rounds, 1);
              break;
            default:
              set_mean(c.summary.latency_ms, 0.001);
              break;
          }
          ser.x.push_back(x);
          ser.y.push_back(y);
          ser.lo.push_back(lo);
          ser.hi.push_back(hi);
        }
        p.series.push_back(std::move(ser));
      }
      ch.panels.push_back(std::move(p));
    }
    out.emplace_back(std::string{"advice-"} + fam.family, std::move(ch));
  }
  return out;
}

} // namespace caf::consensus::sim
