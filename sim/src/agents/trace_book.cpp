// caf-consensus sim: a trace indexed for replay and empirical agents.

#include "caf/consensus/sim/agents/trace_book.hpp"

#include <map>

#include "caf/consensus/sim/agents/agents.hpp"

namespace caf::consensus::sim {

size_t trace_book::participant_index(const std::string& id) const {
  auto& ps = participants();
  for (size_t i = 0; i < ps.size(); ++i)
    if (ps[i].id == id)
      return i;
  return ps.size();
}

const connectors::trace_call* trace_book::find(size_t run, size_t p,
                                               int32_t round) const {
  auto i = find_index(run, p, round);
  return i == data.calls.size() ? nullptr : &data.calls[i];
}

const connectors::trace_call* trace_book::latest(size_t run, size_t p,
                                                 int32_t round) const {
  for (auto r = round; r >= 0; --r)
    if (auto x = find(run, p, r))
      return x;
  return nullptr;
}

trace_book make_trace_book(connectors::trace x, std::string file) {
  trace_book b;
  b.file = std::move(file);
  b.data = std::move(x);
  std::map<std::string, size_t> run_index;
  auto n = b.participants().size();
  b.latencies.resize(n);
  for (size_t i = 0; i < b.data.calls.size(); ++i) {
    auto& c = b.data.calls[i];
    auto [pos, added] = run_index.emplace(c.run, b.runs.size());
    if (added) {
      b.runs.push_back(c.run);
      b.calls.emplace_back();
    }
    auto p = b.participant_index(c.participant);
    b.calls[pos->second].emplace(trace_book::key(p, c.round), i);
    b.latencies[p].push_back(c.ms);
    b.outputs.emplace_back(c.output);
  }
  b.seeds.resize(b.runs.size());
  for (auto& o : b.data.outcomes) {
    auto r = run_index.at(o.run);
    b.seeds[r] = o.seed;
    auto [i, added] = b.run_by_agents_seed.emplace(agents_seed(o.seed), r);
    if (!added)
      i->second = b.runs.size(); // two runs with one seed
  }
  return b;
}

} // namespace caf::consensus::sim
