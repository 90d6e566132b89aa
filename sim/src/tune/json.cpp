// caf-consensus sim: tune.json.

#include <cmath>

#include "caf/consensus/sim/tune/output.hpp"

namespace caf::consensus::sim {

namespace {

nlohmann::json interval_json(const tune_interval& i) {
  auto num = [](double x) -> nlohmann::json {
    if (std::isfinite(x))
      return x;
    return nullptr; // an unbounded side (too few runs for a quantile)
  };
  return {
    {"n", i.n}, {"value", num(i.value)}, {"lo", num(i.lo)}, {"hi", num(i.hi)}};
}

nlohmann::json estimates_json(const tune_estimates& e) {
  return {{"accuracy", interval_json(e.accuracy)},
          {"finalize", interval_json(e.finalize)},
          {"wrong_final", interval_json(e.wrong_final)},
          {"calls", interval_json(e.calls)},
          {"latency_s", interval_json(e.latency)},
          {"p95_latency_s", interval_json(e.p95_latency)}};
}

nlohmann::json objective_json(const tune_objective& o) {
  auto cs = nlohmann::json::array();
  for (auto& c : o.constraints)
    cs.push_back({{"metric", to_string(c.metric)},
                  {"op", c.at_least ? ">=" : "<="},
                  {"bound", c.bound},
                  {"text", c.text}});
  nlohmann::json out{{"text", o.text}, {"constraints", cs}};
  if (o.pareto)
    out["goal"] = "pareto";
  else
    out["goal"] = {{"metric", to_string(o.goal.metric)},
                   {"maximize", o.goal.maximize}};
  return out;
}

} // namespace

nlohmann::json tune_json(const tune_result& res, const std::string& command) {
  nlohmann::json out;
  out["command"] = command;
  out["scenario"] = {{"name", res.scenario_name}, {"file", res.scenario_file}};
  out["objective"] = objective_json(res.objective);
  out["seed"] = res.seed;
  out["budget"] = res.budget;
  out["max_replicates"] = res.max_replicates;
  out["first_replicates"] = res.first_replicates;
  out["confidence"] = res.confidence;
  out["decision_alpha"] = res.decision_alpha;
  out["delta"] = res.delta;
  out["grid_runs"] = res.grid_runs;
  out["runs"] = {{"search", res.runs_search},
                 {"reused", res.runs_reused},
                 {"confirmation", res.runs_confirm},
                 {"total", res.runs_search + res.runs_confirm}};
  out["seconds"] = res.seconds;
  out["verdict"] = to_string(res.verdict);
  auto stages = nlohmann::json::array();
  for (auto& st : res.stages)
    stages.push_back({{"replicates", st.replicates},
                      {"alive_before", st.alive_before},
                      {"alive_after", st.alive_after},
                      {"runs", st.runs}});
  out["stages"] = stages;
  out["best"] = res.best;
  out["front"] = res.front;
  if (res.has_choice) {
    auto& c = res.cells[res.chosen];
    nlohmann::json settings = nlohmann::json::object();
    for (auto& [k, v] : c.settings)
      settings[k] = v;
    out["chosen"]
      = {{"cell", res.chosen}, {"label", c.label}, {"settings", settings}};
    out["chosen"]["constraints_in_race"] = res.chosen_feasibility == 2
                                             ? "met with confidence"
                                           : res.chosen_feasibility == 1
                                             ? "met by the estimates"
                                             : "missed";
    nlohmann::json conf{{"runs", res.confirmation.runs},
                        {"estimates", estimates_json(res.confirmation.est)}};
    auto cs = nlohmann::json::object();
    for (size_t i = 0; i < res.objective.constraints.size(); ++i)
      cs[res.objective.constraints[i].text] = res.confirmation.constraints[i];
    conf["constraints"] = cs;
    out["confirmation"] = conf;
  } else {
    out["chosen"] = nullptr;
    out["confirmation"] = nullptr;
  }
  auto cells = nlohmann::json::array();
  for (auto& c : res.cells) {
    nlohmann::json settings = nlohmann::json::object();
    for (auto& [k, v] : c.settings)
      settings[k] = v;
    nlohmann::json x{{"cell", c.cell},
                     {"label", c.label},
                     {"settings", settings},
                     {"status", to_string(c.status)},
                     {"runs", c.runs},
                     {"estimates", estimates_json(c.est)},
                     {"vs_winner", interval_json(c.vs_winner)},
                     {"tied", c.tied}};
    if (c.status != tune_status::alive) {
      x["dropped_at_stage"] = c.dropped_at;
      x["why"] = c.why;
    }
    cells.push_back(std::move(x));
  }
  out["cells"] = cells;
  return out;
}

} // namespace caf::consensus::sim
