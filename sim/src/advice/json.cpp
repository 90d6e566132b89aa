// Everything an advice report holds as JSON (`advice.json`).

#include "caf/consensus/sim/advice/output.hpp"
#include "caf/consensus/sim/version.hpp"

namespace caf::consensus::sim {

using json = nlohmann::json;

json advice_json(const advice_report& rep, const std::string& command) {
  auto effect_json = [](const effect& e) {
    return json{{"valid", e.valid}, {"value", e.value}, {"lo", e.lo},
                {"hi", e.hi},       {"n", e.n},         {"method", e.method}};
  };
  auto rate_json = [](const rate& r) {
    return json{{"value", r.value},
                {"lo", r.lo},
                {"hi", r.hi},
                {"hits", r.hits},
                {"n", r.n}};
  };
  auto mean_json = [](const mean_ci& m) {
    return json{{"mean", m.value}, {"lo", m.lo}, {"hi", m.hi}, {"n", m.n}};
  };
  json out = json::object();
  out["program"] = program_version;
  out["command"] = command;
  out["population"] = json{{"name", rep.population_name},
                           {"file", rep.population_file},
                           {"agents", rep.agents},
                           {"mean_accuracy", rep.mean_accuracy}};
  out["replicates"] = rep.replicates;
  out["seed"] = rep.seed;
  out["policies"] = rep.policies;
  out["runs"] = rep.runs;
  json claims = json::array();
  for (auto& c : rep.claims) {
    json conds = json::array();
    for (auto& x : c.conditions) {
      json effects = json::array();
      for (auto& [what, e] : x.effects) {
        auto j = effect_json(e);
        j["what"] = what;
        effects.push_back(std::move(j));
      }
      conds.push_back(json{{"condition", x.condition},
                           {"verdict", to_string(x.v)},
                           {"note", x.note},
                           {"effects", effects}});
    }
    claims.push_back(json{{"id", c.id},
                          {"claim", c.claim},
                          {"measure", c.measure},
                          {"policy", c.policy},
                          {"verdict", to_string(c.v)},
                          {"summary", c.summary},
                          {"conditions", conds}});
  }
  out["claims"] = claims;
  json sweeps = json::array();
  for (auto& s : rep.sweeps) {
    json cells = json::array();
    for (auto& c : s.cells)
      cells.push_back(
        json{{"value", c.value},
             {"runs", c.summary.runs},
             {"finalize_rate", rate_json(c.summary.finalize_rate)},
             {"accuracy", rate_json(c.summary.accuracy)},
             {"accuracy_finalized", rate_json(c.summary.accuracy_finalized)},
             {"rounds", mean_json(c.summary.rounds)},
             {"latency_ms", mean_json(c.summary.latency_ms)},
             {"calls", mean_json(c.summary.calls)},
             {"agreement", mean_json(c.agreement)}});
    sweeps.push_back(json{{"family", s.family},
                          {"policy", s.policy},
                          {"condition", s.condition},
                          {"key", s.key},
                          {"cells", cells}});
  }
  out["sweeps"] = sweeps;
  json base = json::array();
  for (auto& b : rep.baselines)
    base.push_back(json{{"policy", b.policy},
                        {"calls", mean_json(b.calls)},
                        {"accuracy", rate_json(b.accuracy)},
                        {"vote0_calls", mean_json(b.vote0_calls)},
                        {"vote0_accuracy", rate_json(b.vote0_accuracy)},
                        {"vs_vote0", effect_json(b.vs_vote0)},
                        {"budget_rounds", b.budget_rounds},
                        {"budget_calls", mean_json(b.budget_calls)},
                        {"budget_accuracy", rate_json(b.budget_accuracy)},
                        {"vs_budget", effect_json(b.vs_budget)}});
  out["baselines"] = base;
  return out;
}

} // namespace caf::consensus::sim
