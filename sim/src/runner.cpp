#include "caf/consensus/sim/runner.hpp"

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>

#include "caf/actor_system_config.hpp"
#include "caf/blocking_actor.hpp"
#include "caf/exit_reason.hpp"
#include "caf/io/middleman.hpp"
#include "caf/openssl/manager.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"

#include "caf/consensus/actors/coordinator.hpp"
#include "caf/consensus/actors/participant.hpp"
#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/rng/rng64.hpp"
#include "caf/consensus/sim/agents.hpp"
#include "caf/consensus/sim/auth.hpp"
#include "caf/consensus/sim/dispatcher.hpp"
#include "caf/consensus/sim/distributed.hpp"
#include "caf/consensus/sim/output.hpp"
#include "caf/consensus/sim/sweep_error.hpp"
#include "caf/consensus/sim/sweep_messages.hpp"
#include "caf/consensus/sim/sweep_plan.hpp"
#include "caf/consensus/sim/worker_pool.hpp"

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

expected<state> run_actors(blocking_actor* self, const scenario& cell,
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
  return run_actors(self.ptr(), cell, seed);
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

// -- sweep plans --------------------------------------------------------------

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
      return make_error(errc::invalid_params,
                        s.file + ": cell " + std::to_string(c) + ": "
                          + render(eng.error()));
    p->cells.push_back(std::move(*x));
  }
  return std::shared_ptr<const sweep_plan>{std::move(p)};
}

expected<run_metrics> run_indexed(const sweep_plan& p, uint64_t idx,
                                  blocking_actor* self) {
  if (idx >= p.total)
    return make_error(errc::invalid_params,
                      "run " + std::to_string(idx) + " is outside the sweep ("
                        + std::to_string(p.total) + " runs)");
  auto cell = idx / p.replicates;
  auto rep = idx % p.replicates;
  auto seed = run_seed(p.base, cell, rep);
  auto& x = p.cells[cell];
  expected<state> st{make_error(errc::execute_failed, "not run")};
  if (p.engine == engine_kind::inline_calls)
    st = run_inline(x, seed);
  else if (self == nullptr)
    return make_error(errc::invalid_params,
                      "the actor engine needs an actor to run on");
  else
    st = run_actors(self, x, seed);
  if (!st)
    return std::move(st.error());
  return measure(x, cell, rep, seed, *st, p.agent_rows);
}

std::string fingerprint(const sweep_plan& p) {
  auto m = manifest(p.base, engine_kind::inline_calls, "");
  m["agent_rows"] = p.agent_rows;
  m["total"] = p.total;
  return sha256_hex(m.dump());
}

// -- sweeps -------------------------------------------------------------------

namespace {

/// Reads the scenario file remote workers need and checks it is the one `s`
/// was loaded from.
expected<std::string> scenario_text_of(const scenario& s) {
  std::ifstream in{s.file, std::ios::binary};
  if (!in)
    return make_error(sweep_errc::bad_message,
                      "cannot read '" + s.file
                        + "' to send it to the remote workers");
  std::ostringstream buf;
  buf << in.rdbuf();
  auto text = buf.str();
  auto again = parse_scenario(text, s.file);
  if (!again || again->hash != s.hash)
    return make_error(sweep_errc::bad_message,
                      "'" + s.file
                        + "' changed since it was loaded; cannot send it to "
                          "the remote workers");
  return text;
}

size_t auto_batch_size(uint64_t total) {
  return static_cast<size_t>(std::clamp<uint64_t>(total / 64, 1, 256));
}

} // namespace

error run_sweep(const scenario& s, const sweep_options& opts) {
  auto plan = make_plan(s, opts.engine, opts.agent_rows);
  if (!plan)
    return std::move(plan.error());
  auto remote = opts.remote != nullptr && !opts.remote->workers.empty();
  if (opts.threads == 0 && !remote)
    return make_error(errc::invalid_params,
                      "a sweep needs at least one local thread or a remote "
                      "worker");
  if (opts.threads > 4096)
    return make_error(errc::invalid_params,
                      "at most 4096 local threads, got "
                        + std::to_string(opts.threads));
  dispatch_setup ds;
  ds.plan = *plan;
  ds.batch_size = opts.batch_size > 0 ? opts.batch_size
                                      : auto_batch_size((*plan)->total);
  if (ds.batch_size > max_batch_runs)
    return make_error(errc::invalid_params,
                      "at most " + std::to_string(max_batch_runs)
                        + " runs per batch, got "
                        + std::to_string(ds.batch_size));
  ds.local_threads = static_cast<uint32_t>(opts.threads);
  ds.skip = opts.skip;
  ds.on_run = opts.on_run;
  ds.on_batch = opts.on_batch;
  ds.on_progress = opts.on_progress;
  ds.on_event = opts.on_event;
  actor_system_config cfg;
  cfg.set("scheduler.max-threads", std::max<size_t>(1, opts.threads));
  cfg.set("scheduler.policy", atom("sharing"));
  if (remote) {
    auto& ro = *opts.remote;
    if (ro.secret.size() < min_secret_bytes)
      return make_error(sweep_errc::bad_credentials,
                        "remote workers need a shared secret of at least "
                          + std::to_string(min_secret_bytes) + " bytes");
    if (auto err = check_tls(ro.tls))
      return err;
    auto text = scenario_text_of(s);
    if (!text)
      return std::move(text.error());
    ds.spec = make_spec(**plan, std::move(*text));
    ds.remote = opts.remote;
    add_sweep_types(cfg);
    cfg.load<io::middleman>();
    if (ro.tls.enabled()) {
      cfg.load<openssl::manager>();
      cfg.openssl_certificate = ro.tls.certificate;
      cfg.openssl_key = ro.tls.key;
      cfg.openssl_cafile = ro.tls.ca_file;
    }
  }
  actor_system sys{cfg};
  actor pool;
  if (opts.threads > 0) {
    pool = spawn_pool(sys, opts.threads);
    ds.local = spawn_local_session(sys, pool, *plan);
  }
  auto local = ds.local;
  auto disp = spawn_dispatcher(sys, std::move(ds));
  error result;
  {
    scoped_actor self{sys};
    self->request(disp, infinite, start_atom::value)
      .receive(
        [&](std::vector<worker_report>& reports) {
          if (opts.on_report)
            opts.on_report(reports);
        },
        [&](error& err) { result = std::move(err); });
  }
  if (local)
    anon_send_exit(local, exit_reason::user_shutdown);
  if (pool)
    anon_send_exit(pool, exit_reason::user_shutdown);
  return result;
}

} // namespace caf::consensus::sim
