// caf-consensus sim: the actor engine (a coordinator, participants and a
// driver kept between the runs of a cell).

#include "caf/consensus/sim/engine/actor_engine.hpp"

#include <algorithm>
#include <atomic>

#include "caf/abstract_actor.hpp"
#include "caf/actor_cast.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/blocking_actor.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/exit_reason.hpp"
#include "caf/logger.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"

#include "caf/consensus/actors/coordinator.hpp"
#include "caf/consensus/actors/participant.hpp"
#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/sim/engine/seeds.hpp"

namespace caf::consensus::sim {

namespace {

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

/// Requests a coordinator keeps in flight per round. Synthetic agents answer
/// at once (their latency and timeouts are simulated) and the coordinator
/// arms no wall-clock deadline here, so a window changes no result. It keeps
/// the scheduler's queues short: CAF 0.17's work-stealing scheduler steals in
/// time linear in a queue's length, and a round of 100,000 participants woken
/// at once made two threads 8x slower than one.
constexpr size_t max_in_flight = 1024;

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
  /// Hosts the actors when set (else `self`'s system does).
  std::shared_ptr<actor_home> home;
  /// Sends the runs and waits for them in `home`'s system.
  std::unique_ptr<scoped_actor> waiter;
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
    auto& sys = home != nullptr ? home->system() : self->home_system();
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
    // No wall-clock deadline: the agents answer at once and simulate their
    // timeouts, so a round's real time must never turn into timeouts.
    coord = actors::spawn_coordinator(sys, std::move(ids), handles, x.ps, {},
                                      {max_in_flight, false});
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

actor_engine::actor_engine(blocking_actor* self,
                           std::shared_ptr<actor_home> home)
  : actor_engine(self) {
  impl_->home = std::move(home);
}

actor_engine::~actor_engine() {
  auto& x = *impl_;
  x.stop();
  if (x.home != nullptr) {
    // The waiting actor is one of the home's actors: gone before the home.
    x.waiter.reset();
    logger::set_current_actor_system(&x.self->home_system());
  }
}

expected<state> actor_engine::run(const scenario& cell, const rng::seed& seed,
                                  std::shared_ptr<const void> owner) {
  auto xs = run_many(cell, {seed}, std::move(owner));
  if (!xs)
    return std::move(xs.error());
  return std::move(xs->front());
}

expected<std::vector<state>>
actor_engine::run_many(const scenario& cell,
                       const std::vector<rng::seed>& seeds,
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
  for (auto& seed : seeds) {
    ps.push_back(run_params(cell, seed));
    agent_seeds.push_back(agents_seed(seed));
  }
  expected<std::vector<state>> out{
    make_error(errc::execute_failed, "no reply")};
  auto* via = x.self;
  if (x.home != nullptr) {
    if (x.waiter == nullptr)
      x.waiter = std::make_unique<scoped_actor>(x.home->system());
    via = x.waiter->ptr();
  }
  via
    ->request(x.drv, infinite, run_many_atom::value, cell.prompt, std::move(ps),
              std::move(agent_seeds))
    .receive([&](std::vector<state>& sts) { out = std::move(sts); },
             [&](error& err) { out = std::move(err); });
  if (!out) {
    x.stop(); // the coordinator may be gone
    return out;
  }
  for (auto& st : *out)
    if (auto why = unrecorded_call(st); !why.empty())
      return make_error(errc::invalid_params, "unrecorded call: " + why);
  return out;
}

void actor_engine::reset() {
  impl_->stop();
}

uint64_t actor_engine::spawns() const noexcept {
  return impl_->spawns;
}

} // namespace caf::consensus::sim
