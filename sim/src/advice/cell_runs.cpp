#include "caf/consensus/sim/advice/internal/cell_runs.hpp"

#include <algorithm>

namespace caf::consensus::sim::advice_detail {

std::string metric_name(metric m) {
  switch (m) {
    case metric::finalize:
      return "finalize rate";
    case metric::accuracy:
      return "accuracy";
    case metric::rounds:
      return "rounds executed";
    case metric::latency:
      return "simulated latency (s)";
    case metric::calls:
      return "calls";
    case metric::agreement:
      return "agreement";
  }
  return "?";
}

std::vector<double> values(const cell_runs& c, metric m) {
  std::vector<double> out;
  out.reserve(c.runs.size());
  for (auto& r : c.runs) {
    switch (m) {
      case metric::finalize:
        out.push_back(r.finalized ? 1 : 0);
        break;
      case metric::accuracy:
        out.push_back(r.correct ? 1 : 0);
        break;
      case metric::rounds:
        out.push_back(r.rounds);
        break;
      case metric::latency:
        out.push_back(r.latency_s);
        break;
      case metric::calls:
        out.push_back(r.calls);
        break;
      case metric::agreement:
        out.push_back(r.agreement);
        break;
    }
  }
  return out;
}

double mean_of(const cell_runs& c, metric m) {
  auto xs = values(c, m);
  double s = 0;
  for (auto x : xs)
    s += x;
  return xs.empty() ? 0 : s / static_cast<double>(xs.size());
}

double delta_of(metric m, const cell_runs& from) {
  switch (m) {
    case metric::rounds:
      return 0.1;
    case metric::latency:
      return std::max(0.001, 0.02 * mean_of(from, m));
    case metric::calls:
      return std::max(0.01, 0.02 * mean_of(from, m));
    default:
      return 0.02;
  }
}

} // namespace caf::consensus::sim::advice_detail
