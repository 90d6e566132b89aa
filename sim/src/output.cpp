#include "caf/consensus/sim/output.hpp"

#include <sstream>

namespace caf::consensus::sim {

using json = nlohmann::json;

const char* program_version = "caf-consensus 0.1.0";

namespace {

std::string num(double x) {
  return json(x).dump(); // shortest representation that round-trips
}

std::string csv_field(const std::string& x) {
  if (x.find_first_of(",\"\n\r") == std::string::npos)
    return x;
  std::string out = "\"";
  for (auto c : x) {
    if (c == '"')
      out += '"';
    out += c;
  }
  out += '"';
  return out;
}

} // namespace

std::string runs_csv_header() {
  return "cell,replicate,seed,policy,rounds,k,alpha,beta_1,beta_2,"
         "rounds_executed,stop_reason,finalized,winner,winner_label,"
         "winner_correct,winner_confidence,winner_score,agreement,"
         "unanimity_round,unanimity_label,calls,failures,timeouts,"
         "latency_ms,polls_to_decide";
}

std::string to_csv(const run_metrics& m) {
  std::ostringstream os;
  os << m.cell << ',' << m.replicate << ',' << m.seed << ','
     << csv_field(m.policy) << ',' << m.rounds << ',' << m.k << ','
     << num(m.alpha) << ',' << num(m.beta_1) << ',' << num(m.beta_2) << ','
     << m.rounds_executed << ',' << m.stop_reason << ','
     << (m.finalized ? "true" : "false") << ',' << csv_field(m.winner) << ','
     << csv_field(m.winner_label) << ','
     << (m.winner_correct ? "true" : "false") << ','
     << num(m.winner_confidence) << ',' << num(m.winner_score) << ','
     << num(m.agreement) << ',' << m.unanimity_round << ','
     << csv_field(m.unanimity_label) << ',' << m.calls << ',' << m.failures
     << ',' << m.timeouts << ',' << m.latency_ms << ',' << m.polls_to_decide;
  return os.str();
}

std::string agents_csv_header() {
  return "cell,replicate,agent,final_label,confidence,calls,failures,"
         "decided_round,decided_label,decided_polls";
}

std::string agents_csv(const run_metrics& m) {
  std::ostringstream os;
  for (auto& a : m.agents)
    os << m.cell << ',' << m.replicate << ',' << csv_field(a.agent) << ','
       << csv_field(a.final_label) << ',' << num(a.confidence) << ','
       << a.calls << ',' << a.failures << ',' << a.decided_round << ','
       << csv_field(a.decided_label) << ',' << a.decided_polls << '\n';
  return os.str();
}

json to_json(const run_metrics& m) {
  json x = json::object();
  x["cell"] = m.cell;
  x["replicate"] = m.replicate;
  x["seed"] = m.seed;
  x["policy"] = m.policy;
  x["rounds"] = m.rounds;
  x["k"] = m.k;
  x["alpha"] = m.alpha;
  x["beta_1"] = m.beta_1;
  x["beta_2"] = m.beta_2;
  x["rounds_executed"] = m.rounds_executed;
  x["stop_reason"] = m.stop_reason;
  x["finalized"] = m.finalized;
  x["winner"] = m.winner;
  x["winner_label"] = m.winner_label;
  x["winner_correct"] = m.winner_correct;
  x["winner_confidence"] = m.winner_confidence;
  x["winner_score"] = m.winner_score;
  x["agreement"] = m.agreement;
  x["unanimity_round"] = m.unanimity_round;
  x["unanimity_label"] = m.unanimity_label;
  x["calls"] = m.calls;
  x["failures"] = m.failures;
  x["timeouts"] = m.timeouts;
  x["latency_ms"] = m.latency_ms;
  x["polls_to_decide"] = m.polls_to_decide;
  return x;
}

std::string cell_label(const scenario& s, uint64_t cell) {
  if (s.sweep.empty())
    return {};
  auto coords = cell_coordinates(s, cell);
  std::string out;
  for (size_t i = 0; i < s.sweep.size(); ++i) {
    if (!out.empty())
      out += ", ";
    out += s.sweep[i].key + "=" + s.sweep[i].values[coords[i]];
  }
  return out;
}

namespace {

json rate_json(const rate& r) {
  return json{{"value", r.value}, {"lo", r.lo}, {"hi", r.hi},
              {"hits", r.hits},   {"n", r.n}};
}

json mean_json(const mean_ci& m) {
  return json{{"mean", m.value}, {"lo", m.lo}, {"hi", m.hi}, {"n", m.n}};
}

} // namespace

json summary_json(const scenario& s, uint64_t cell, const cell_summary& x) {
  json out = json::object();
  out["cell"] = cell;
  out["label"] = cell_label(s, cell);
  json assignment = json::object();
  if (!s.sweep.empty()) {
    auto coords = cell_coordinates(s, cell);
    for (size_t i = 0; i < s.sweep.size(); ++i)
      assignment[s.sweep[i].key] = s.sweep[i].values[coords[i]];
  }
  out["assignment"] = assignment;
  out["runs"] = x.runs();
  out["finalize_rate"] = rate_json(x.finalize_rate());
  out["accuracy"] = rate_json(x.accuracy());
  out["accuracy_finalized"] = rate_json(x.safety());
  out["rounds"] = mean_json(x.rounds());
  out["latency_ms"] = mean_json(x.latency());
  out["calls"] = mean_json(x.calls());
  return out;
}

json cell_json(const scenario& c) {
  auto& ps = c.ps;
  json p = json::object();
  p["policy"] = ps.policy;
  p["rounds"] = ps.rounds;
  p["k"] = ps.k;
  p["alpha"] = ps.alpha;
  p["beta_1"] = ps.beta_1;
  p["beta_2"] = ps.beta_2;
  p["timeout_ms"] = ps.timeout_ms;
  p["beta"] = ps.beta;
  p["alpha_preference"] = ps.alpha_preference;
  p["alpha_confidence"] = ps.alpha_confidence;
  p["luminance_weighted"] = ps.luminance_weighted;
  p["stop_on_unanimity"] = ps.stop_on_unanimity;
  p["extractor"] = to_string(ps.extractor);
  p["extractor_pattern"] = ps.extractor_pattern;
  json groups = json::array();
  for (auto& g : c.groups) {
    json lat = json::object();
    lat["dist"] = to_string(g.latency.type);
    lat["a"] = g.latency.a;
    lat["b"] = g.latency.b;
    if (!g.latency.values.empty())
      lat["values"] = g.latency.values;
    json answers = json::object();
    for (size_t i = 0; i < g.labels.size(); ++i)
      answers[g.labels[i]] = g.weights[i];
    groups.push_back(json{{"name", g.name},
                          {"count", g.count},
                          {"latency", lat},
                          {"fail", g.fail},
                          {"no_answer", g.no_answer},
                          {"crash_after", g.crash_after},
                          {"answers", answers},
                          {"behaviour", to_string(g.refine)},
                          {"conform_p", g.conform_p},
                          {"wrong_label", g.wrong_label},
                          {"noise", g.noise}});
  }
  json labels = json::object();
  for (size_t i = 0; i < c.world.labels.size(); ++i)
    labels[c.world.labels[i]] = c.world.templates[i];
  return json{{"params", p},
              {"agents", groups},
              {"labels", labels},
              {"ground_truth", c.world.ground_truth}};
}

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
  out["seed"] = s.seed;
  if (!s.seeds.empty())
    out["seeds"] = s.seeds;
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
