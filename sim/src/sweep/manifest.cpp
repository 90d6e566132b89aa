// caf-consensus sim: the manifest of a sweep.

#include "caf/consensus/sim/sweep/manifest.hpp"

#include "caf/consensus/sim/scenario/describe.hpp"
#include "caf/consensus/sim/seed_json.hpp"
#include "caf/consensus/sim/version.hpp"

namespace caf::consensus::sim {

using json = nlohmann::json;

json manifest(const scenario& s, engine_kind engine,
              const std::string& command_line) {
  json out = json::object();
  out["program"] = program_version;
  out["command"] = command_line;
  out["scenario"] = json{{"file", s.file},
                         {"name", s.name},
                         {"description", s.description},
                         {"hash", s.hash}};
  out["engine"] = to_string(engine);
  out["seed"] = seed_json(s.seed);
  if (!s.seeds.empty()) {
    auto& xs = out["seeds"] = nlohmann::json::array();
    for (auto& x : s.seeds)
      xs.push_back(seed_json(x));
  }
  out["replicates"] = s.replicates;
  out["seed_derivation"]
    = s.seeds.empty() ? "run seed = derive(seed, {cell, replicate}); see "
                        "docs/simulation.md"
                      : "run seed = seeds[replicate]";
  json axes = json::array();
  for (auto& a : s.sweep)
    axes.push_back(json{{"key", a.key}, {"values", a.values}});
  out["sweep"] = axes;
  json cells = json::array();
  auto n = cell_count(s);
  for (uint64_t c = 0; c < n; ++c) {
    auto x = resolve_cell(s, c);
    json cj = json{{"cell", c}, {"label", cell_label(s, c)}};
    if (x)
      cj["resolved"] = cell_json(*x);
    cells.push_back(std::move(cj));
  }
  out["cells"] = cells;
  return out;
}

} // namespace caf::consensus::sim
