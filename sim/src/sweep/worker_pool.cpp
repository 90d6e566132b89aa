#include "caf/consensus/sim/sweep/worker_pool.hpp"

#include <algorithm>
#include <thread>
#include <unordered_map>
#include <vector>

#include "caf/actor_cast.hpp"
#include "caf/actor_system.hpp"
#include "caf/blocking_actor.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/exit_reason.hpp"
#include "caf/stateful_actor.hpp"

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/actor_engine.hpp"
#include "caf/consensus/sim/sweep/auth.hpp"
#include "caf/consensus/sim/sweep/guarded_actor.hpp"
#include "caf/consensus/sim/sweep/internal/home_worker.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"
#include "caf/consensus/sim/sweep/sweep_messages.hpp"

namespace caf::consensus::sim {

namespace {

// -- worker actors ------------------------------------------------------------

/// Runs the runs of `x` (the actor engine on `eng`, unused by the inline
/// engine).
caf::result<batch_result> compute_batch(plan_batch& x, actor_engine* eng) {
  auto ms = run_indexed(x.plan, x.batch.runs, eng);
  if (!ms)
    return std::move(ms.error());
  batch_result out;
  out.id = x.batch.id;
  out.runs = std::move(*ms);
  return out;
}

/// Runs batches, one at a time, on its own thread. The actor engine keeps
/// its actors from batch to batch while the runs belong to the same cell
/// (each worker a set of its own), in the system of `home`, which the
/// workers of one of the pool's threads share.
void compute(blocking_actor* self, std::shared_ptr<actor_home> home) {
  actor_engine eng{self, std::move(home)};
  bool running = true;
  self->receive_while(running)(
    [&](plan_batch& x) -> caf::result<batch_result> {
      return compute_batch(x, &eng);
    },
    [&](exit_msg&) { running = false; });
}

/// Runs inline-engine batches on a thread of the pool's scheduler, which then
/// passes the result on itself (see `spawn_pool`). Takes the worker's index
/// only because CAF 0.17.6 must not spawn a function without arguments
/// (docs/reliability.md).
behavior compute_scheduled(event_based_actor*, size_t) {
  return {
    [](plan_batch& x) { return compute_batch(x, nullptr); },
  };
}

// -- the pool -----------------------------------------------------------------

/// A batch that a home worker runs: who waits for it and which home.
struct home_ticket {
  typed_response_promise<batch_result> rp;
  size_t home = 0;
};

struct pool_state {
  /// Workers on threads of their own unless `takes_every_core` (spawned with
  /// the first batch that needs them): one per thread for the inline engine,
  /// two per thread for the actor engine.
  std::vector<actor> workers;
  /// Event-based workers for the inline engine, one per scheduler thread
  /// (spawned with the first inline batch) if `takes_every_core`.
  std::vector<actor> scheduled;
  size_t threads = 0;
  bool takes_every_core = false;
  /// One home for the actor engine of each thread (started with the first
  /// actor-engine batch): worker i of `workers` runs its actors in
  /// `homes[i % threads]`, home worker i in `homes[i]`.
  std::vector<std::shared_ptr<actor_home>> homes;
  /// Event-based actor-engine workers, one in each home (spawned with the
  /// first actor-engine batch) if `takes_every_core`; null once down.
  std::vector<actor> home_workers;
  /// Batches in flight per worker of `workers`, `scheduled` and
  /// `home_workers`.
  std::vector<size_t> load;
  std::vector<size_t> scheduled_load;
  std::vector<size_t> home_load;
  /// The batches the home workers run, by ticket.
  std::unordered_map<uint64_t, home_ticket> tickets;
  uint64_t next_ticket = 0;
  static inline const char* name = "sweep_pool";

  /// Stops the home workers while their homes still run.
  ~pool_state() {
    for (auto& w : home_workers)
      if (w)
        anon_send_exit(w, exit_reason::user_shutdown);
  }
};

void spawn_workers(stateful_actor<pool_state>* self, size_t n) {
  auto& st = self->state;
  while (st.workers.size() < n) {
    st.workers.push_back(self->spawn<detached + linked>(
      compute, st.homes[st.workers.size() % st.threads]));
    st.load.push_back(0);
  }
}

/// Hands `x` to `to` and delivers its reply, counting it in `load` meanwhile.
caf::result<batch_result>
forward(stateful_actor<pool_state>* self, const actor& to, plan_batch& x,
        std::vector<size_t> pool_state::*load, size_t i) {
  ++(self->state.*load)[i];
  auto rp = self->make_response_promise<batch_result>();
  self->request(to, infinite, std::move(x))
    .then(
      [=](batch_result& r) mutable {
        --(self->state.*load)[i];
        rp.deliver(std::move(r));
      },
      [=](error& err) mutable {
        --(self->state.*load)[i];
        rp.deliver(std::move(err));
      });
  return rp;
}

size_t least_busy(const std::vector<size_t>& load, size_t n) {
  return static_cast<size_t>(
    std::min_element(load.begin(), load.begin() + static_cast<ptrdiff_t>(n))
    - load.begin());
}

/// Hands an actor-engine batch to the least busy home worker (spawning the
/// workers first); its answer arrives as `home_done_atom`.
caf::result<batch_result> run_in_home(stateful_actor<pool_state>* self,
                                      plan_batch& x) {
  auto& st = self->state;
  if (st.home_workers.empty()) {
    st.home_workers.resize(st.threads);
    st.home_load.resize(st.threads, 0);
  }
  auto i = least_busy(st.home_load, st.threads);
  if (!st.home_workers[i]) {
    st.home_workers[i] = spawn_home_worker(
      *st.homes[i], actor_cast<actor>(self), self->home_system());
  }
  auto ticket = st.next_ticket++;
  auto rp = self->make_response_promise<batch_result>();
  st.tickets.emplace(ticket, home_ticket{rp, i});
  ++st.home_load[i];
  send_home_run(st.home_workers[i], self->ctrl(), ticket, std::move(x));
  return rp;
}

/// Delivers the answer of a home worker's batch.
template <class What>
void home_done(stateful_actor<pool_state>* self, uint64_t ticket, What&& what) {
  auto& st = self->state;
  auto i = st.tickets.find(ticket);
  if (i == st.tickets.end())
    return;
  --st.home_load[i->second.home];
  i->second.rp.deliver(std::forward<What>(what));
  st.tickets.erase(i);
}

/// Fails the batches of a home worker that ended (the next batch for its
/// home spawns a new one).
void home_down(stateful_actor<pool_state>* self, const actor_addr& who,
               error reason) {
  auto& st = self->state;
  for (size_t h = 0; h < st.home_workers.size(); ++h) {
    if (st.home_workers[h] == nullptr || st.home_workers[h].address() != who)
      continue;
    st.home_workers[h] = nullptr;
    if (!reason)
      reason = make_error(errc::execute_failed,
                          "a home worker of the sweep's pool ended");
    for (auto i = st.tickets.begin(); i != st.tickets.end();) {
      if (i->second.home == h) {
        --st.home_load[h];
        i->second.rp.deliver(reason);
        i = st.tickets.erase(i);
      } else {
        ++i;
      }
    }
  }
}

behavior pool(stateful_actor<pool_state>* self, size_t threads,
              bool takes_every_core) {
  self->state.threads = threads;
  self->state.takes_every_core = takes_every_core;
  for (size_t i = 0; i < threads; ++i)
    self->state.homes.push_back(std::make_shared<actor_home>());
  return {
    [=](home_done_atom, uint64_t ticket, batch_result& r) {
      home_done(self, ticket, std::move(r));
    },
    [=](home_done_atom, uint64_t ticket, error& err) {
      home_done(self, ticket, std::move(err));
    },
    [=](home_down_atom, const actor_addr& who, error& reason) {
      home_down(self, who, std::move(reason));
    },
    [=](plan_batch& x) -> caf::result<batch_result> {
      auto& st = self->state;
      auto actors = x.plan != nullptr && x.plan->engine == engine_kind::actors;
      if (actors && st.takes_every_core)
        return run_in_home(self, x);
      if (!actors && st.takes_every_core) {
        while (st.scheduled.size() < st.threads) {
          st.scheduled.push_back(
            self->spawn<linked>(compute_scheduled, st.scheduled.size()));
          st.scheduled_load.push_back(0);
        }
        auto i = least_busy(st.scheduled_load, st.threads);
        return forward(self, st.scheduled[i], x, &pool_state::scheduled_load,
                       i);
      }
      // The inline engine computes on one worker per thread. An actor-engine
      // worker waits while its home's thread runs its batch, then measures
      // the runs on its own thread: a second worker per thread (the same
      // home) keeps that thread busy meanwhile. Batches go to the least busy
      // home, there to its less busy worker.
      size_t i = 0;
      if (actors) {
        spawn_workers(self, 2 * st.threads);
        auto t = st.threads;
        for (size_t h = 1; h < t; ++h)
          if (st.load[h] + st.load[h + t] < st.load[i] + st.load[i + t])
            i = h;
        if (st.load[i + t] < st.load[i])
          i += t;
      } else {
        spawn_workers(self, st.threads);
        i = least_busy(st.load, st.threads);
      }
      return forward(self, st.workers[i], x, &pool_state::load, i);
    },
  };
}

// -- sessions -----------------------------------------------------------------

struct session_config {
  actor pool;
  /// Null for the local session (then `token` is not checked).
  strong_actor_ptr peer;
  std::string token;
  std::shared_ptr<const sweep_plan> plan;
  std::function<void(const std::string&)> log;
  size_t max_scenario = max_scenario_bytes;
};

/// Checks a batch against the plan; returns an error naming the problem.
error check_batch(const sweep_plan& p, const run_batch& b) {
  if (b.runs.empty())
    return make_error(sweep_errc::bad_message, "empty batch");
  if (b.runs.size() > max_batch_runs)
    return make_error(sweep_errc::bad_message,
                      "batch of " + std::to_string(b.runs.size())
                        + " runs (at most " + std::to_string(max_batch_runs)
                        + ")");
  for (size_t i = 0; i < b.runs.size(); ++i) {
    if (b.runs[i] >= p.total)
      return make_error(sweep_errc::bad_message,
                        "run " + std::to_string(b.runs[i])
                          + " is outside the sweep (" + std::to_string(p.total)
                          + " runs)");
    if (i > 0 && b.runs[i] <= b.runs[i - 1])
      return make_error(sweep_errc::bad_message,
                        "batch runs are not strictly increasing");
  }
  return error{};
}

behavior session(event_based_actor* self, std::shared_ptr<session_config> c) {
  auto refuse = [=](const char* what) -> error {
    if (c->log)
      c->log("session: refused a message from "
             + (self->current_sender()
                  ? to_string(self->current_sender()->node())
                  : std::string{"an anonymous sender"})
             + ": " + what);
    return make_error(sweep_errc::refused, what);
  };
  // Returns an error unless the current message comes from our peer with
  // our token.
  auto check = [=](const std::string& token) -> error {
    if (c->peer == nullptr)
      return error{}; // local session
    if (self->current_sender() != c->peer)
      return refuse("not the authenticated coordinator of this session");
    if (!equal_secure(token, c->token))
      return refuse("wrong session token");
    return error{};
  };
  if (c->peer != nullptr) {
    self->monitor(c->peer);
    self->set_down_handler([=](down_msg& dm) {
      if (dm.source == c->peer)
        self->quit();
    });
  }
  return {
    [=](load_atom, const std::string& token,
        const sweep_spec& spec) -> caf::result<uint64_t> {
      if (auto err = check(token))
        return err;
      if (c->plan != nullptr) {
        if (fingerprint(*c->plan) != spec.fingerprint)
          return make_error(sweep_errc::bad_message,
                            "this session already runs another sweep");
        return c->plan->total;
      }
      auto p = plan_from_spec(spec, c->max_scenario);
      if (!p) {
        if (c->log)
          c->log("session: cannot run the coordinator's sweep: "
                 + render_sweep_error(p.error()));
        return std::move(p.error());
      }
      c->plan = std::move(*p);
      if (c->log)
        c->log("session: loaded " + c->plan->base.file + " ("
               + std::to_string(c->plan->total) + " runs, engine "
               + to_string(c->plan->engine) + ")");
      return c->plan->total;
    },
    [=](batch_atom, const std::string& token,
        run_batch& b) -> caf::result<batch_result> {
      if (auto err = check(token))
        return err;
      if (c->plan == nullptr)
        return make_error(sweep_errc::bad_message,
                          "no sweep loaded in this session");
      if (auto err = check_batch(*c->plan, b))
        return err;
      self->delegate(c->pool, plan_batch{c->plan, std::move(b)});
      return delegated<batch_result>{};
    },
  };
}

} // namespace

bool takes_every_core(size_t threads) {
  auto cores = std::thread::hardware_concurrency();
  return cores > 0 && threads >= cores;
}

actor spawn_pool(actor_system& sys, size_t threads, bool takes_every_core) {
  return sys.spawn(pool, std::max<size_t>(1, threads), takes_every_core);
}

actor spawn_local_session(actor_system& sys, actor pool,
                          std::shared_ptr<const sweep_plan> plan) {
  auto c = std::make_shared<session_config>();
  c->pool = std::move(pool);
  c->plan = std::move(plan);
  return sys.spawn(session, std::move(c));
}

actor spawn_remote_session(actor_system& sys, actor pool, std::string token,
                           strong_actor_ptr peer,
                           std::function<void(const std::string&)> log,
                           size_t max_scenario) {
  auto c = std::make_shared<session_config>();
  c->pool = std::move(pool);
  c->token = std::move(token);
  c->peer = std::move(peer);
  c->log = std::move(log);
  c->max_scenario = max_scenario;
  return sys.spawn<guarded_actor>(
    [c](guarded_actor* self) { return session(self, c); });
}

} // namespace caf::consensus::sim
