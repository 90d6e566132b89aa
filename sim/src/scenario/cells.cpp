// caf-consensus sim: the cells of a sweep: counting them, their coordinates,
// resolving one into a checked scenario, and its agents.

#include "caf/consensus/sim/scenario/scenario.hpp"

#include <string>
#include <vector>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/scenario/internal/check.hpp"
#include "caf/consensus/sim/scenario/internal/failure.hpp"
#include "caf/consensus/sim/scenario/internal/sweep_axes.hpp"
#include "caf/consensus/sim/scenario/internal/value.hpp"

namespace caf::consensus::sim {

using namespace scenario_internal;

// -- cells --------------------------------------------------------------------

uint64_t cell_count(const scenario& s) {
  uint64_t n = 1;
  for (auto& axis : s.sweep)
    n = saturating_mul(n, axis.values.size());
  return n;
}

std::vector<size_t> cell_coordinates(const scenario& s, uint64_t cell) {
  std::vector<size_t> out(s.sweep.size(), 0);
  for (size_t i = s.sweep.size(); i-- > 0;) {
    auto m = s.sweep[i].values.size();
    if (m == 0)
      continue;
    out[i] = static_cast<size_t>(cell % m);
    cell /= m;
  }
  return out;
}

expected<scenario> resolve_cell(const scenario& s, uint64_t cell) {
  auto cells = cell_count(s);
  if (cell >= cells)
    return make_error(errc::malformed_input,
                      s.file + ": cell " + std::to_string(cell)
                        + " out of range (the sweep has "
                        + std::to_string(cells) + " cells)");
  auto coords = cell_coordinates(s, cell);
  auto path_of = [&](size_t i) {
    return "sweep." + s.sweep[i].key + "[" + std::to_string(coords[i]) + "]";
  };
  auto line_of_value = [&](size_t i) {
    auto& axis = s.sweep[i];
    return coords[i] < axis.lines.size() ? axis.lines[coords[i]] : axis.line;
  };
  scenario out = s;
  try {
    for (size_t i = 0; i < s.sweep.size(); ++i) {
      auto& axis = s.sweep[i];
      auto& text = axis.values[coords[i]];
      apply_axis(out.ps, out.groups, out.world, axis.key, "sweep." + axis.key,
                 axis.line, from_text(text, path_of(i), line_of_value(i)));
    }
  } catch (const failure& x) {
    return to_error(s.file, x);
  }
  out.world.timeout_ms = out.ps.timeout_ms;
  auto bad = check(out.ps, out.groups, out.world);
  if (!bad) {
    // Synthetic agents answer token sets (made here, after the axes that
    // may change labels and templates).
    prepare_words(out.world);
    return out;
  }
  // Blame the axis that sets the key at fault, else the policy axis, else
  // the last one.
  size_t blame = s.sweep.size();
  for (size_t i = 0; i < s.sweep.size() && blame == s.sweep.size(); ++i) {
    auto& key = s.sweep[i].key;
    if (bad->key == "params." + key || bad->key == key)
      blame = i;
    else if (key.compare(0, 7, "agents.") == 0) {
      auto name = key.substr(7, key.find('.', 7) - 7);
      for (size_t j = 0; j < s.groups.size(); ++j)
        if (s.groups[j].name == name
            && bad->key.compare(0, 8 + std::to_string(j).size(),
                                "agents[" + std::to_string(j) + "]")
                 == 0)
          blame = i;
    }
  }
  for (size_t i = 0; i < s.sweep.size() && blame == s.sweep.size(); ++i)
    if (s.sweep[i].key == "policy")
      blame = i;
  if (blame == s.sweep.size()) {
    if (s.sweep.empty())
      return make_error(errc::malformed_input,
                        s.file + ": key '" + bad->key + "': " + bad->problem);
    blame = s.sweep.size() - 1;
  }
  std::string cell_text;
  for (size_t i = 0; i < s.sweep.size(); ++i) {
    if (!cell_text.empty())
      cell_text += ", ";
    cell_text += s.sweep[i].key + "=" + s.sweep[i].values[coords[i]];
  }
  return make_error(
    errc::malformed_input,
    where(s.file, line_of_value(blame)) + ": key '" + path_of(blame)
      + "': value " + quote(s.sweep[blame].values[coords[blame]]) + " (cell "
      + std::to_string(cell) + ": " + cell_text + "): " + bad->problem);
}

// -- agents -------------------------------------------------------------------

std::vector<std::string> participant_ids(const scenario& s) {
  std::vector<std::string> out;
  for (auto& g : s.groups) {
    if (g.count == 1) {
      out.push_back(g.name);
      continue;
    }
    for (uint32_t i = 1; i <= g.count; ++i)
      out.push_back(g.name + "-" + std::to_string(i));
  }
  return out;
}

std::vector<agent> make_agents(const scenario& s) {
  std::vector<agent> out;
  auto ids = participant_ids(s);
  out.reserve(ids.size());
  uint32_t index = 0;
  for (auto& g : s.groups)
    for (uint32_t i = 0; i < g.count; ++i, ++index)
      out.push_back(agent{ids[index], &g, index});
  return out;
}

} // namespace caf::consensus::sim
