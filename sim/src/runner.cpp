#include "caf/consensus/sim/runner.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "caf/actor_system_config.hpp"
#include "caf/exit_reason.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"

#include "caf/consensus/actors/coordinator.hpp"
#include "caf/consensus/actors/participant.hpp"
#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/rng/rng64.hpp"
#include "caf/consensus/sim/agents.hpp"

namespace caf::consensus::sim {

std::string to_string(engine_kind x) {
  return x == engine_kind::actors ? "actors" : "inline";
}

uint64_t run_seed(const scenario& s, uint64_t cell, uint64_t replicate) {
  if (!s.seeds.empty())
    return s.seeds[replicate % s.seeds.size()];
  return rng::derive(s.seed, {cell, replicate});
}

namespace {

uint64_t agents_seed(uint64_t seed) {
  static const uint64_t tag = rng::hash_name("agents", 6);
  return rng::derive(seed, {tag});
}

params run_params(const scenario& cell, uint64_t seed) {
  auto ps = cell.ps;
  ps.seed = static_cast<int64_t>(seed);
  return ps;
}

expected<state> run_actors(scoped_actor& self, const scenario& cell,
                           uint64_t seed) {
  auto& sys = self->home_system();
  auto ids = participant_ids(cell);
  auto agents = make_agents(cell);
  auto aseed = agents_seed(seed);
  std::vector<actors::participant_actor> handles;
  handles.reserve(agents.size());
  for (size_t i = 0; i < agents.size(); ++i) {
    auto fn = [&cell, a = agents[i], aseed](const std::string&,
                                            const request& req) {
      return answer(cell.world, a, aseed, req);
    };
    handles.push_back(actors::spawn_participant(sys, ids[i], fn, false));
  }
  auto coord = actors::spawn_coordinator(sys, ids, handles,
                                         run_params(cell, seed));
  expected<state> out{make_error(errc::execute_failed, "no reply")};
  self->request(coord, infinite, actors::run_atom::value, cell.prompt)
    .receive([&](state& st) { out = std::move(st); },
             [&](error& err) { out = std::move(err); });
  anon_send_exit(coord, exit_reason::user_shutdown);
  for (auto& h : handles)
    anon_send_exit(h, exit_reason::user_shutdown);
  return out;
}

expected<state> run_inline(const scenario& cell, uint64_t seed) {
  auto eng = engine::make(cell.prompt, participant_ids(cell),
                          run_params(cell, seed));
  if (!eng)
    return std::move(eng.error());
  auto agents = make_agents(cell);
  auto aseed = agents_seed(seed);
  return consensus::run_inline(*eng, [&](const request& req) {
    return answer(cell.world, agents[req.index], aseed, req);
  });
}

} // namespace

expected<state> run_state(const scenario& cell, uint64_t cell_index,
                          uint64_t replicate, engine_kind engine,
                          actor_system* sys) {
  auto seed = run_seed(cell, cell_index, replicate);
  if (engine == engine_kind::inline_calls)
    return run_inline(cell, seed);
  if (sys == nullptr)
    return make_error(errc::invalid_params,
                      "the actor engine needs an actor system");
  scoped_actor self{*sys};
  return run_actors(self, cell, seed);
}

run_metrics measure(const scenario& cell, uint64_t cell_index,
                    uint64_t replicate, uint64_t seed, const state& st,
                    bool agent_rows) {
  run_metrics m;
  m.cell = cell_index;
  m.replicate = replicate;
  m.seed = seed;
  m.policy = st.policy;
  m.rounds = cell.ps.rounds;
  m.k = cell.ps.k;
  m.alpha = cell.ps.alpha;
  m.beta_1 = cell.ps.beta_1;
  m.beta_2 = cell.ps.beta_2;
  m.rounds_executed = st.rounds_executed;
  m.stop_reason = to_string(st.stop);
  m.finalized = st.finalized;
  m.winner = st.winner;
  m.winner_label = st.winner_label;
  m.winner_correct = !st.winner.empty()
                     && st.winner_label == cell.world.ground_truth;
  auto w = st.index_of(st.winner);
  if (w < st.participants.size()) {
    m.winner_confidence = st.confidence[w];
    m.winner_score = st.scores[w];
  }
  auto n = st.participants.size();
  size_t same = 0;
  for (size_t i = 0; i < n; ++i)
    if (auto r = st.latest_ok(i);
        r != nullptr && !st.winner_label.empty()
        && r->label == st.winner_label)
      ++same;
  m.agreement = n > 0 ? static_cast<double>(same) / static_cast<double>(n)
                      : 0.0;
  m.unanimity_round = st.unanimity_round;
  m.unanimity_label = st.unanimity_label;
  m.calls = st.calls;
  m.failures = st.failures;
  m.timeouts = st.timeouts;
  m.latency_ms = st.elapsed_ms;
  if (!st.decided_round.empty()) {
    int32_t last = 0;
    for (auto d : st.decided_round) {
      if (d < 0) {
        last = -1;
        break;
      }
      last = std::max(last, d);
    }
    m.polls_to_decide = last;
  }
  if (agent_rows) {
    m.agents.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      agent_row row;
      row.agent = st.participants[i];
      if (auto r = st.latest_ok(i))
        row.final_label = r->label;
      row.confidence = st.confidence[i];
      for (auto& r : st.responses[i]) {
        ++row.calls;
        if (!r.ok)
          ++row.failures;
      }
      if (i < st.decided_round.size() && st.decided_round[i] >= 0) {
        row.decided_round = st.decided_round[i];
        row.decided_label = st.preference[i];
        row.decided_polls = 0;
        for (auto& r : st.responses[i])
          if (r.ok && r.round >= 1 && r.round <= row.decided_round)
            ++row.decided_polls;
      }
      m.agents.push_back(std::move(row));
    }
  }
  return m;
}

error run_sweep(const scenario& s, const sweep_options& opts) {
  auto cells = cell_count(s);
  std::vector<scenario> resolved;
  resolved.reserve(cells);
  for (uint64_t c = 0; c < cells; ++c) {
    auto x = resolve_cell(s, c);
    if (!x)
      return std::move(x.error());
    // Check the protocol parameters once per cell, before any run.
    if (auto eng = engine::make(x->prompt, participant_ids(*x), x->ps); !eng)
      return make_error(errc::invalid_params,
                        s.file + ": cell " + std::to_string(c) + ": "
                          + render(eng.error()));
    resolved.push_back(std::move(*x));
  }
  auto reps = s.replicates;
  auto total = cells * reps;
  auto threads = std::max<size_t>(1, opts.threads);
  // Actor engine: one system for the whole sweep.
  std::unique_ptr<actor_system_config> cfg;
  std::unique_ptr<actor_system> sys;
  if (opts.engine == engine_kind::actors) {
    cfg = std::make_unique<actor_system_config>();
    cfg->set("scheduler.max-threads", threads);
    cfg->set("scheduler.policy", atom("sharing"));
    sys = std::make_unique<actor_system>(*cfg);
  }
  // Reorder buffer: runs finish in any order, leave in canonical order.
  std::mutex mtx;
  std::condition_variable cv;
  std::map<uint64_t, std::optional<run_metrics>> pending;
  uint64_t next_out = 0;
  uint64_t done = 0;
  error failure;
  const uint64_t window = 1024 * threads;
  std::atomic<uint64_t> next_in{0};
  auto flush = [&] { // requires mtx
    for (auto i = pending.begin();
         i != pending.end() && i->first == next_out; i = pending.erase(i)) {
      if (i->second && opts.on_run)
        opts.on_run(*i->second);
      ++next_out;
    }
    cv.notify_all();
  };
  auto worker = [&] {
    std::optional<scoped_actor> self;
    if (sys)
      self.emplace(*sys);
    for (;;) {
      auto idx = next_in.fetch_add(1);
      if (idx >= total)
        return;
      {
        std::unique_lock<std::mutex> guard{mtx};
        cv.wait(guard, [&] { return idx < next_out + window || failure; });
        if (failure)
          return;
      }
      auto cell = idx / reps;
      auto rep = idx % reps;
      std::optional<run_metrics> m;
      if (!opts.skip || !opts.skip(cell, rep)) {
        auto seed = run_seed(s, cell, rep);
        auto& x = resolved[cell];
        auto st = self ? run_actors(*self, x, seed) : run_inline(x, seed);
        if (!st) {
          std::lock_guard<std::mutex> guard{mtx};
          failure = std::move(st.error());
          cv.notify_all();
          return;
        }
        m = measure(x, cell, rep, seed, *st, opts.agent_rows);
      }
      std::lock_guard<std::mutex> guard{mtx};
      pending.emplace(idx, std::move(m));
      ++done;
      flush();
      if (opts.on_progress && (done % 64 == 0 || done == total))
        opts.on_progress(done, total);
    }
  };
  std::vector<std::thread> pool;
  for (size_t i = 1; i < threads; ++i)
    pool.emplace_back(worker);
  worker();
  for (auto& t : pool)
    t.join();
  return failure;
}

} // namespace caf::consensus::sim
