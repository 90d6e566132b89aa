// caf-consensus sim: recording simulated runs as traces, and the scenario
// that replays a trace.

#include "caf/consensus/sim/engine/record.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

#include <nlohmann/json.hpp>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/sim/agents/trace_book.hpp"
#include "caf/consensus/sim/engine/seeds.hpp"

namespace caf::consensus::sim {

namespace {

std::string model_of(const agent_group& g) {
  if (g.kind == agent_kind::synthetic || !g.trace)
    return "synthetic:" + g.name;
  return to_string(g.kind) + ":" + g.trace->participants()[g.participant].id;
}

} // namespace

std::string yaml_name(const std::string& name) {
  static const char* words[] = {"null", "true", "false", "yes", "no",
                                "on",   "off",  "y",     "n"};
  std::string lower;
  for (auto c : name)
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool plain
    = !name.empty() && std::isalpha(static_cast<unsigned char>(name.front()))
      && std::all_of(name.begin(), name.end(),
                     [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c))
                              || c == '_' || c == '-';
                     })
      && std::none_of(std::begin(words), std::end(words),
                      [&](const char* w) { return lower == w; });
  return plain ? name : nlohmann::json(name).dump();
}

connectors::trace_header trace_header_of(const scenario& cell) {
  connectors::trace_header h;
  h.ps = cell.ps;
  auto ids = participant_ids(cell);
  auto agents = make_agents(cell);
  for (size_t i = 0; i < ids.size(); ++i)
    h.participants.push_back({ids[i], model_of(*agents[i].group)});
  return h;
}

expected<std::vector<state>> record_runs(const scenario& cell,
                                         uint64_t replicates,
                                         connectors::trace_writer& out) {
  std::vector<state> sts;
  auto ids = participant_ids(cell);
  auto agents = make_agents(cell);
  // A trace keeps the texts: synthetic agents answer text here.
  auto world = cell.world;
  world.words = nullptr;
  for (uint64_t rep = 0; rep < replicates; ++rep) {
    auto seed = run_seed(cell, 0, rep);
    auto eng = engine::make(cell.prompt, ids, run_params(cell, seed));
    if (!eng)
      return std::move(eng.error());
    auto run = "run-" + std::to_string(rep + 1);
    auto prompt = "prompt-" + std::to_string(rep + 1);
    auto aseed = agents_seed(seed);
    auto st = consensus::run_inline(*eng, [&](const request& req) {
      auto res = answer(world, agents[req.index], aseed, req);
      out.write(connectors::make_call(run, prompt, req, res,
                                      model_of(*agents[req.index].group)));
      return res;
    });
    if (auto why = unrecorded_call(st); !why.empty())
      return make_error(errc::invalid_params, "unrecorded call: " + why);
    auto o = connectors::make_outcome(run, prompt, st, cell.world.ground_truth);
    o.seed = seed;
    out.write(o);
    sts.push_back(std::move(st));
  }
  if (!out.good())
    return make_error(errc::malformed_input, "cannot write the trace");
  return sts;
}

std::string params_yaml(const params& ps) {
  auto q = [](const std::string& s) { return nlohmann::json(s).dump(); };
  auto d = [](double x) { return nlohmann::json(x).dump(); };
  std::ostringstream os;
  os << "params:\n"
     << "  rounds: " << ps.rounds << "\n  k: " << ps.k
     << "\n  alpha: " << d(ps.alpha) << "\n  beta_1: " << d(ps.beta_1)
     << "\n  beta_2: " << d(ps.beta_2) << "\n  timeout_ms: " << ps.timeout_ms
     << "\n  beta: " << ps.beta
     << "\n  alpha_preference: " << ps.alpha_preference
     << "\n  alpha_confidence: " << ps.alpha_confidence
     << "\n  luminance_weighted: " << (ps.luminance_weighted ? "true" : "false")
     << "\n  delta: " << d(ps.delta) << "\n  max_calls: " << ps.max_calls
     << "\n  stop_on_unanimity: " << (ps.stop_on_unanimity ? "true" : "false")
     << "\n  extractor: " << q(to_string(ps.extractor))
     << "\n  extractor_pattern: " << q(ps.extractor_pattern) << "\n";
  return os.str();
}

expected<std::string> replay_scenario_text(const connectors::trace& x,
                                           const std::string& trace_path) {
  auto& ps = x.header.ps;
  std::ostringstream os;
  auto q = [](const std::string& s) { return nlohmann::json(s).dump(); };
  os << "# Replays the runs recorded in " << trace_path
     << " (docs/traces.md).\n"
     << "name: replay\n";
  if (!x.calls.empty() && !x.calls.front().prompt.empty())
    os << "prompt: " << q(x.calls.front().prompt) << "\n";
  // Replay agents answer what they recorded; the ground truth only names
  // the correct answer for the reports (the recorded key when it is one
  // label that all runs share).
  std::string truth = "recorded";
  if (!x.outcomes.empty() && is_scenario_name(x.outcomes.front().key)
      && std::all_of(x.outcomes.begin(), x.outcomes.end(),
                     [&](auto& o) { return o.key == x.outcomes.front().key; }))
    truth = x.outcomes.front().key;
  os << "labels: [" << yaml_name(truth)
     << "]\nground_truth: " << yaml_name(truth) << "\n";
  os << "policy: " << q(ps.policy) << "\n" << params_yaml(ps);
  std::vector<std::string> seeds;
  for (auto& o : x.outcomes)
    seeds.push_back(o.seed.to_string());
  if (seeds.empty())
    return make_error(errc::invalid_params,
                      trace_path + ": no run has an outcome line to replay");
  os << "replicates: " << seeds.size() << "\nseeds: [";
  for (size_t i = 0; i < seeds.size(); ++i)
    os << (i > 0 ? ", " : "") << seeds[i];
  os << "]\nagents:\n";
  for (auto& p : x.header.participants) {
    if (!is_scenario_name(p.id))
      return make_error(errc::invalid_params,
                        trace_path + ": participant id '" + p.id
                          + "' is not a scenario group name");
    os << "  - name: " << yaml_name(p.id)
       << "\n    kind: replay\n    trace: " << q(trace_path) << "\n";
  }
  return os.str();
}

} // namespace caf::consensus::sim
