#include "caf/consensus/sim/runner.hpp"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <limits>
#include <sstream>

#include "caf/abstract_actor.hpp"
#include "caf/actor_cast.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/blocking_actor.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/exit_reason.hpp"
#include "caf/io/middleman.hpp"
#include "caf/logger.hpp"
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

/// Drops the calling thread's reference to CAF's logger, once per thread.
/// CAF 0.17.6 records, on every resume of an actor, the running actor's id
/// in a map that one spinlock guards for all threads, if the thread has a
/// logger, which every scheduler thread has, even though CAF's logging is
/// compiled out (CAF_LOG_LEVEL_QUIET): with two scheduler threads that shared
/// lock took about 9% of an actor-engine sweep's CPU time. Without a logger
/// the bookkeeping is skipped.
void release_thread_logger() {
#if CAF_LOG_LEVEL == CAF_LOG_LEVEL_QUIET
  static thread_local bool released = false;
  if (!released) {
    logger::set_current_actor_system(nullptr);
    released = true;
  }
#endif
}

/// What the participants of an `actor_engine` read per call.
struct run_context {
  /// The cell and its agents (fixed while the actors live).
  const scenario* cell = nullptr;
  std::vector<agent> agents;
  /// The agent seed of the current run: the driver sets it before it sends
  /// the run to the coordinator, which orders the write before the
  /// participants' reads.
  std::atomic<uint64_t> agent_seed{0};
};

/// Asks a driver to run replicates: (run_many_atom, prompt, parameters per
/// run, agent seed per run) -> std::vector<state>.
using run_many_atom = atom_constant<atom("simRunMany")>;

struct driver_job {
  std::string prompt;
  std::vector<params> ps;
  std::vector<uint64_t> agent_seeds;
  std::vector<state> out;
  response_promise rp;
};

void drive(event_based_actor* self, const actors::coordinator_actor& coord,
           const std::shared_ptr<run_context>& ctx,
           const std::shared_ptr<driver_job>& job) {
  auto i = job->out.size();
  if (i == job->ps.size()) {
    job->rp.deliver(std::move(job->out));
    return;
  }
  ctx->agent_seed.store(job->agent_seeds[i], std::memory_order_relaxed);
  self
    ->request(coord, infinite, actors::run_atom::value, job->prompt,
              std::move(job->ps[i]))
    .then(
      [self, coord, ctx, job](state& st) {
        job->out.push_back(std::move(st));
        drive(self, coord, ctx, job);
      },
      [job](error& err) { job->rp.deliver(std::move(err)); });
}

/// Runs replicates one after another on a coordinator, so that the blocking
/// caller waits once per series of runs instead of once per run.
behavior driver(event_based_actor* self, actors::coordinator_actor coord,
                std::shared_ptr<run_context> ctx) {
  return {
    [=](run_many_atom, std::string& prompt, std::vector<params>& ps,
        std::vector<uint64_t>& agent_seeds) {
      auto job = std::make_shared<driver_job>();
      job->prompt = std::move(prompt);
      job->ps = std::move(ps);
      job->agent_seeds = std::move(agent_seeds);
      job->out.reserve(job->ps.size());
      job->rp = self->make_response_promise();
      drive(self, coord, ctx, job);
      return job->rp;
    },
  };
}

} // namespace

struct actor_engine::impl {
  blocking_actor* self = nullptr;
  std::shared_ptr<const void> owner;
  const scenario* cell = nullptr;
  std::shared_ptr<run_context> ctx;
  actors::coordinator_actor coord;
  std::vector<actors::participant_actor> handles;
  actor drv;
  /// Set when any of the actors terminated.
  std::shared_ptr<std::atomic<bool>> dead;
  uint64_t spawns = 0;

  void spawn(const scenario& x) {
    auto& sys = self->home_system();
    ctx = std::make_shared<run_context>();
    ctx->cell = &x;
    ctx->agents = make_agents(x);
    dead = std::make_shared<std::atomic<bool>>(false);
    auto mark = [d = dead](const error&) { d->store(true); };
    auto ids = participant_ids(x);
    handles.reserve(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
      auto fn = [c = ctx, i](const std::string&, const request& req) {
        release_thread_logger();
        return answer(c->cell->world, c->agents[i],
                      c->agent_seed.load(std::memory_order_relaxed), req);
      };
      handles.push_back(actors::spawn_participant(sys, ids[i], fn, false));
      actor_cast<abstract_actor*>(handles.back())->attach_functor(mark);
    }
    coord = actors::spawn_coordinator(sys, std::move(ids), handles, x.ps);
    actor_cast<abstract_actor*>(coord)->attach_functor(mark);
    drv = sys.spawn(driver, coord, ctx);
    actor_cast<abstract_actor*>(drv)->attach_functor(mark);
    cell = &x;
    ++spawns;
  }

  void stop() {
    if (drv)
      anon_send_exit(drv, exit_reason::user_shutdown);
    if (coord)
      anon_send_exit(coord, exit_reason::user_shutdown);
    for (auto& h : handles)
      anon_send_exit(h, exit_reason::user_shutdown);
    drv = nullptr;
    coord = nullptr;
    handles.clear();
    ctx = nullptr;
    dead = nullptr;
    cell = nullptr;
    owner = nullptr;
  }
};

actor_engine::actor_engine(blocking_actor* self)
  : impl_(std::make_unique<impl>()) {
  impl_->self = self;
}

actor_engine::~actor_engine() {
  impl_->stop();
}

expected<state> actor_engine::run(const scenario& cell, uint64_t seed,
                                  std::shared_ptr<const void> owner) {
  auto xs = run_many(cell, {seed}, std::move(owner));
  if (!xs)
    return std::move(xs.error());
  return std::move(xs->front());
}

expected<std::vector<state>>
actor_engine::run_many(const scenario& cell, const std::vector<uint64_t>& seeds,
                       std::shared_ptr<const void> owner) {
  auto& x = *impl_;
  if (seeds.empty())
    return std::vector<state>{};
  if (x.cell != &cell || x.owner != owner || x.dead->load()) {
    x.stop();
    x.spawn(cell);
    x.owner = std::move(owner);
  }
  std::vector<params> ps;
  std::vector<uint64_t> agent_seeds;
  ps.reserve(seeds.size());
  agent_seeds.reserve(seeds.size());
  for (auto seed : seeds) {
    ps.push_back(run_params(cell, seed));
    agent_seeds.push_back(agents_seed(seed));
  }
  expected<std::vector<state>> out{
    make_error(errc::execute_failed, "no reply")};
  x.self
    ->request(x.drv, infinite, run_many_atom::value, cell.prompt, std::move(ps),
              std::move(agent_seeds))
    .receive([&](std::vector<state>& sts) { out = std::move(sts); },
             [&](error& err) { out = std::move(err); });
  if (!out)
    x.stop(); // the coordinator may be gone
  return out;
}

void actor_engine::reset() {
  impl_->stop();
}

uint64_t actor_engine::spawns() const noexcept {
  return impl_->spawns;
}

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
  actor_engine eng{self.ptr()};
  return eng.run(cell, seed);
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
  if (p.engine == engine_kind::inline_calls) {
    st = run_inline(x, seed);
  } else if (self == nullptr) {
    return make_error(errc::invalid_params,
                      "the actor engine needs an actor to run on");
  } else {
    actor_engine eng{self};
    st = eng.run(x, seed);
  }
  if (!st)
    return std::move(st.error());
  return measure(x, cell, rep, seed, *st, p.agent_rows);
}

expected<std::vector<run_metrics>>
run_indexed(const std::shared_ptr<const sweep_plan>& p,
            const std::vector<uint64_t>& idxs, actor_engine& eng) {
  std::vector<run_metrics> out;
  out.reserve(idxs.size());
  if (p->engine == engine_kind::inline_calls) {
    for (auto idx : idxs) {
      auto m = run_indexed(*p, idx, nullptr);
      if (!m)
        return std::move(m.error());
      out.push_back(std::move(*m));
    }
    return out;
  }
  for (auto idx : idxs)
    if (idx >= p->total)
      return make_error(errc::invalid_params,
                        "run " + std::to_string(idx) + " is outside the sweep ("
                          + std::to_string(p->total) + " runs)");
  // Consecutive runs of one cell go to the actors in one series.
  std::vector<uint64_t> seeds;
  for (size_t first = 0; first < idxs.size();) {
    auto cell = idxs[first] / p->replicates;
    auto last = first;
    seeds.clear();
    for (; last < idxs.size() && idxs[last] / p->replicates == cell; ++last)
      seeds.push_back(run_seed(p->base, cell, idxs[last] % p->replicates));
    auto& x = p->cells[cell];
    auto sts = eng.run_many(x, seeds, p);
    if (!sts)
      return std::move(sts.error());
    for (size_t i = 0; i < sts->size(); ++i)
      out.push_back(measure(x, cell, idxs[first + i] % p->replicates, seeds[i],
                            (*sts)[i], p->agent_rows));
    first = last;
  }
  return out;
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
  // The inline engine computes on the pool's threads, and the scheduler only
  // carries the sweep's bookkeeping: `sharing` lets its idle threads sleep.
  // The actor engine runs every call on the scheduler: `stealing` keeps the
  // actors a worker wakes in that worker's queue, while `sharing`'s single
  // queue wakes another thread for nearly every message (2 threads ran
  // slower than 1).
  cfg.set("scheduler.policy", opts.engine == engine_kind::actors
                                ? atom("stealing")
                                : atom("sharing"));
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
