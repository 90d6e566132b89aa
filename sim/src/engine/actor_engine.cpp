// caf-consensus sim: the actor engine (a coordinator, participants and a
// driver kept between the runs of a cell).

#include "caf/consensus/sim/engine/actor_engine.hpp"

#include <functional>

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
#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/sim/engine/cell_actors.hpp"
#include "caf/consensus/sim/engine/seeds.hpp"

namespace caf::consensus::sim {

namespace {

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

using run_setter = std::function<void(uint64_t)>;

void drive(event_based_actor* self, const actors::coordinator_actor& coord,
           const run_setter& set_run, const std::shared_ptr<driver_job>& job) {
  auto i = job->out.size();
  if (i == job->ps.size()) {
    job->rp.deliver(std::move(job->out));
    return;
  }
  set_run(job->agent_seeds[i]);
  self
    ->request(coord, infinite, actors::run_atom::value, job->prompt,
              std::move(job->ps[i]))
    .then(
      [self, coord, set_run, job](state& st) {
        job->out.push_back(std::move(st));
        drive(self, coord, set_run, job);
      },
      [job](error& err) { job->rp.deliver(std::move(err)); });
}

/// Runs replicates one after another on a coordinator, so that the blocking
/// caller waits once per series of runs instead of once per run.
behavior driver(event_based_actor* self, actors::coordinator_actor coord,
                run_setter set_run) {
  return {
    [=](run_many_atom, std::string& prompt, std::vector<params>& ps,
        std::vector<uint64_t>& agent_seeds) {
      auto job = std::make_shared<driver_job>();
      job->prompt = std::move(prompt);
      job->ps = std::move(ps);
      job->agent_seeds = std::move(agent_seeds);
      job->out.reserve(job->ps.size());
      job->rp = self->make_response_promise();
      drive(self, coord, set_run, job);
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
  cell_actors cells;
  actor drv;

  /// Makes sure the actors and the driver serve `x`.
  void serve(const scenario& x, std::shared_ptr<const void> owner) {
    auto& sys = home != nullptr ? home->system() : self->home_system();
    if (!cells.serve(sys, x, std::move(owner)))
      return;
    if (drv)
      anon_send_exit(drv, exit_reason::user_shutdown);
    drv = sys.spawn(driver, cells.coordinator(), cells.run_setter());
    cells.watch(drv);
  }

  void stop() {
    if (drv)
      anon_send_exit(drv, exit_reason::user_shutdown);
    drv = nullptr;
    cells.stop();
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
  x.serve(cell, std::move(owner));
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
  return impl_->cells.spawns();
}

} // namespace caf::consensus::sim
