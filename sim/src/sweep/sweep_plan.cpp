// caf-consensus sim: a sweep resolved into cells, run by run.

#include "caf/consensus/sim/sweep/sweep_plan.hpp"

#include <limits>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/actor_engine.hpp"
#include "caf/consensus/sim/sweep/auth.hpp"
#include "caf/consensus/sim/sweep/manifest.hpp"

namespace caf::consensus::sim {

expected<std::shared_ptr<const sweep_plan>>
make_plan(const scenario& s, engine_kind engine, bool agent_rows) {
  auto p = std::make_shared<sweep_plan>();
  p->base = s;
  p->engine = engine;
  p->agent_rows = agent_rows;
  p->replicates = s.replicates;
  auto cells = cell_count(s);
  if (s.replicates > 0
      && cells > std::numeric_limits<uint64_t>::max() / s.replicates)
    return make_error(errc::invalid_params,
                      s.file + ": " + std::to_string(cells) + " cells x "
                        + std::to_string(s.replicates)
                        + " replicates overflow the run counter");
  p->total = cells * s.replicates;
  p->cells.reserve(cells);
  for (uint64_t c = 0; c < cells; ++c) {
    auto x = resolve_cell(s, c);
    if (!x)
      return std::move(x.error());
    // Check the protocol parameters once per cell, before any run.
    if (auto eng = engine::make(x->prompt, participant_ids(*x), x->ps); !eng)
      return make_error(errc::invalid_params, s.file + ": cell "
                                                + std::to_string(c) + ": "
                                                + render(eng.error()));
    p->cells.push_back(std::move(*x));
  }
  return std::shared_ptr<const sweep_plan>{std::move(p)};
}

namespace {

/// Runs run `idx` (in the sweep) of `p`, whose cell's agents are `agents`.
expected<run_metrics> run_one(const sweep_plan& p, uint64_t idx,
                              blocking_actor* self,
                              const std::vector<agent>& agents) {
  auto cell = idx / p.replicates;
  auto rep = idx % p.replicates;
  auto seed = run_seed(p.base, cell, rep);
  auto& x = p.cells[cell];
  expected<state> st{make_error(errc::execute_failed, "not run")};
  if (p.engine == engine_kind::inline_calls) {
    st = run_inline(x, seed, agents);
  } else if (self == nullptr) {
    return make_error(errc::invalid_params,
                      "the actor engine needs an actor to run on");
  } else {
    actor_engine eng{self};
    st = eng.run(x, seed);
  }
  if (!st)
    return std::move(st.error());
  return measure(x, cell, rep, seed, *st, p.agent_rows, agents);
}

error outside(const sweep_plan& p, uint64_t idx) {
  return make_error(errc::invalid_params,
                    "run " + std::to_string(idx) + " is outside the sweep ("
                      + std::to_string(p.total) + " runs)");
}

} // namespace

error check_runs(const sweep_plan& p, const std::vector<uint64_t>& idxs) {
  for (auto idx : idxs)
    if (idx >= p.total)
      return outside(p, idx);
  return error{};
}

expected<run_metrics> run_indexed(const sweep_plan& p, uint64_t idx,
                                  blocking_actor* self) {
  if (idx >= p.total)
    return outside(p, idx);
  return run_one(p, idx, self, make_agents(p.cells[idx / p.replicates]));
}

expected<std::vector<run_metrics>>
run_indexed(const std::shared_ptr<const sweep_plan>& p,
            const std::vector<uint64_t>& idxs, actor_engine* eng) {
  std::vector<run_metrics> out;
  out.reserve(idxs.size());
  if (auto err = check_runs(*p, idxs))
    return err;
  // The agents of the cell at hand, made once for the batch's runs of that
  // cell (a batch holds consecutive runs, mostly of one cell).
  std::vector<agent> agents;
  auto agents_cell = p->cells.size();
  auto agents_of = [&](uint64_t cell) -> const std::vector<agent>& {
    if (agents_cell != cell) {
      agents = make_agents(p->cells[cell]);
      agents_cell = cell;
    }
    return agents;
  };
  if (p->engine == engine_kind::inline_calls) {
    for (auto idx : idxs) {
      auto m = run_one(*p, idx, nullptr, agents_of(idx / p->replicates));
      if (!m)
        return std::move(m.error());
      out.push_back(std::move(*m));
    }
    return out;
  }
  if (eng == nullptr)
    return make_error(errc::invalid_params,
                      "run_indexed: the actor engine needs an actor_engine");
  // Consecutive runs of one cell go to the actors in one series.
  std::vector<rng::seed> seeds;
  for (size_t first = 0; first < idxs.size();) {
    auto cell = idxs[first] / p->replicates;
    auto last = first;
    seeds.clear();
    for (; last < idxs.size() && idxs[last] / p->replicates == cell; ++last)
      seeds.push_back(run_seed(p->base, cell, idxs[last] % p->replicates));
    auto& x = p->cells[cell];
    auto sts = eng->run_many(x, seeds, p);
    if (!sts)
      return std::move(sts.error());
    for (size_t i = 0; i < sts->size(); ++i)
      out.push_back(measure_indexed(*p, idxs[first + i], seeds[i], (*sts)[i],
                                    agents_of(cell)));
    first = last;
  }
  return out;
}

run_metrics measure_indexed(const sweep_plan& p, uint64_t idx,
                            const rng::seed& seed, const state& st,
                            const std::vector<agent>& agents) {
  auto cell = idx / p.replicates;
  return measure(p.cells[cell], cell, idx % p.replicates, seed, st,
                 p.agent_rows, agents);
}

std::string fingerprint(const sweep_plan& p) {
  auto m = manifest(p.base, engine_kind::inline_calls, "");
  m["agent_rows"] = p.agent_rows;
  m["total"] = p.total;
  return sha256_hex(m.dump());
}

} // namespace caf::consensus::sim
