// caf-consensus sim: the answers of replay and empirical agents, which come
// from a trace instead of a model.

#include "caf/consensus/sim/agents/internal/recorded.hpp"

#include "caf/consensus/sim/agents/internal/streams.hpp"
#include "caf/consensus/sim/agents/trace_book.hpp"

namespace caf::consensus::sim {

using namespace agents_internal;

std::string to_string(agent_kind x) {
  switch (x) {
    case agent_kind::replay:
      return "replay";
    case agent_kind::empirical:
      return "empirical";
    default:
      return "synthetic";
  }
}

uint64_t agents_seed(const rng::seed& seed) {
  static const uint64_t tag = rng::hash_name("agents", 6);
  return rng::derive(seed.low64(), {tag});
}

std::string unrecorded_call(const state& st) {
  constexpr size_t n = sizeof(unrecorded_call_prefix) - 1;
  for (auto& rs : st.responses)
    for (auto& r : rs)
      if (!r.ok && r.error.compare(0, n, unrecorded_call_prefix) == 0)
        return r.error.substr(n);
  return {};
}

namespace agents_internal {

namespace {

result recorded_timeout(const agent_world& world, const agent& a,
                        const request& req) {
  result x;
  x.id = a.id;
  x.round = req.round;
  x.timed_out = true;
  x.ms = world.timeout_ms;
  x.error = "timeout";
  return x;
}

/// Returns call `i` of `b` as the result of `a` for `req`, with latency `ms`.
result from_call(const agent_world& world, const agent& a, const request& req,
                 const trace_book& b, size_t i, int64_t ms) {
  auto& c = b.data.calls[i];
  if (c.error_kind == connectors::trace_error_kind::timeout
      || ms > world.timeout_ms)
    return recorded_timeout(world, a, req);
  if (!c.ok())
    return make_failure(a.id, req.round, c.error, ms);
  auto x = make_ok(a.id, b.outputs[i], ms, req.round);
  x.label = c.label;
  if (c.tokens)
    x.tokens = *c.tokens;
  return x;
}

std::string id_list(const std::vector<std::string>& xs) {
  std::string out = "[";
  for (auto& x : xs)
    out += (out.size() > 1 ? ", " : "") + x;
  return out + "]";
}

} // namespace

result replay_answer(const agent_world& world, const agent& a,
                     uint64_t run_seed, const request& req) {
  auto& g = *a.group;
  auto& b = *g.trace;
  auto& pid = b.participants()[g.participant].id;
  auto unrecorded = [&](const std::string& why) {
    return make_failure(a.id, req.round,
                        unrecorded_call_prefix + b.file + ": " + why);
  };
  auto r = b.run_by_agents_seed.find(run_seed);
  if (r == b.run_by_agents_seed.end())
    return unrecorded("no recorded run has this run's seed (a replay runs "
                      "the recorded seeds: list them under 'seeds:')");
  if (r->second >= b.runs.size())
    return unrecorded("several recorded runs have this run's seed (record "
                      "each run with a seed of its own)");
  auto& run = b.runs[r->second];
  auto at = b.find_index(r->second, g.participant, req.round);
  if (at == b.data.calls.size())
    return unrecorded("run '" + run + "' never called '" + pid + "' in round "
                      + std::to_string(req.round)
                      + " (more rounds than recorded?)");
  auto& c = b.data.calls[at];
  bool same = c.peers.size() == req.peers.size();
  for (size_t i = 0; same && i < c.peers.size(); ++i)
    same = c.peers[i] == req.peers[i].id;
  if (!same) {
    std::vector<std::string> shown;
    for (auto& p : req.peers)
      shown.push_back(p.id);
    return unrecorded("run '" + run + "', round " + std::to_string(req.round)
                      + ": '" + pid + "' was shown " + id_list(c.peers)
                      + " in the trace (line " + std::to_string(c.line)
                      + ") but " + id_list(shown)
                      + " here (another k, policy or seed?)");
  }
  return from_call(world, a, req, b, at, c.ms);
}

result empirical_answer(const agent_world& world, const agent& a,
                        uint64_t run_seed, const request& req) {
  static const uint64_t run_purpose = purpose_key("sim.agent.empirical.run");
  auto& g = *a.group;
  auto& b = *g.trace;
  // One recorded run per simulated run, the same for every empirical agent:
  // the participants' answers to one prompt stay together.
  rng::rng64 pick{rng::derive(run_seed, {run_purpose})};
  auto run = pick.below(b.runs.size());
  auto c = b.latest(run, g.participant, req.round);
  if (c == nullptr)
    return recorded_timeout(world, a, req);
  auto& lat = b.latencies[g.participant];
  auto lat_gen = stream(run_seed, a, req.round, purpose().latency);
  auto ms = lat[lat_gen.below(lat.size())];
  return from_call(world, a, req, b,
                   static_cast<size_t>(c - b.data.calls.data()), ms);
}

} // namespace agents_internal

} // namespace caf::consensus::sim
