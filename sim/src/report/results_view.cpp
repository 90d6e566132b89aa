// caf-consensus sim: queries over loaded results shared by the charts and
// the page: cells pooled per axis value, the scenario's name.

#include "caf/consensus/sim/report/internal/results_view.hpp"

#include <filesystem>

namespace caf::consensus::sim::report_internal {

namespace fs = std::filesystem;

std::vector<cell_result> pooled_by(const std::vector<cell_result>& cells,
                                   const std::vector<result_axis>& axes,
                                   size_t axis) {
  auto values = axes[axis].values.size();
  std::vector<std::vector<const cell_result*>> parts(values);
  for (auto& c : cells)
    if (c.present && c.coords.size() == axes.size() && c.coords[axis] < values)
      parts[c.coords[axis]].push_back(&c);
  std::vector<cell_result> out;
  out.reserve(values);
  for (auto& p : parts)
    out.push_back(pool(p));
  return out;
}

std::string scenario_name(const results& res) {
  auto& m = res.manifest;
  if (auto i = m.find("scenario"); i != m.end() && i->is_object())
    if (auto j = i->find("name"); j != i->end() && j->is_string())
      return j->get<std::string>();
  return fs::path{res.dir}.filename().string();
}

} // namespace caf::consensus::sim::report_internal
