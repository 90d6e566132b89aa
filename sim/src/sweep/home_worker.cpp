// caf-consensus sim: actor-engine batches run and measured on the thread of
// an `actor_home`, without a blocking hand-over.

#include "caf/consensus/sim/sweep/internal/home_worker.hpp"

#include <deque>
#include <string>
#include <utility>

#include "caf/abstract_actor.hpp"
#include "caf/actor_cast.hpp"
#include "caf/actor_system.hpp"
#include "caf/logger.hpp"
#include "caf/mailbox_element.hpp"
#include "caf/stateful_actor.hpp"

#include "caf/consensus/actors/coordinator.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/sim/engine/cell_actors.hpp"
#include "caf/consensus/sim/engine/seeds.hpp"
#include "caf/consensus/sim/sweep/sweep_plan.hpp"

namespace caf::consensus::sim {

namespace {

/// Enqueues a message from `sender` at `to` without an execution unit, so
/// that CAF schedules `to` (if idle) on its own system's threads.
template <class... Ts>
void enqueue_in_own_system(const actor& to, strong_actor_ptr sender,
                           Ts&&... xs) {
  to->enqueue(make_mailbox_element(std::move(sender), make_message_id(), {},
                                   std::forward<Ts>(xs)...),
              nullptr);
}

struct home_job {
  uint64_t ticket = 0;
  plan_batch x;
  std::vector<run_metrics> out;
};

struct home_worker_state {
  actor pool;
  cell_actors cells;
  /// Batches in arrival order; the first one runs.
  std::deque<home_job> jobs;
  /// The run sent to the coordinator and not answered yet (0: none); its
  /// answer counts only while it is this one.
  uint64_t in_flight = 0;
  uint64_t runs_sent = 0;
  static inline const char* name = "sweep_home_worker";
};

using home_worker_actor = stateful_actor<home_worker_state>;

void run_next(home_worker_actor* self);

/// Answers the first job with `what` (its metrics or an error) and starts
/// the next one.
template <class What>
void finish(home_worker_actor* self, What&& what) {
  auto& st = self->state;
  st.in_flight = 0;
  enqueue_in_own_system(st.pool, self->ctrl(), home_done_atom::value,
                        st.jobs.front().ticket, std::forward<What>(what));
  st.jobs.pop_front();
  if (!st.jobs.empty())
    run_next(self);
}

void fail(home_worker_actor* self, error err) {
  self->state.cells.stop(); // the coordinator may be gone
  finish(self, std::move(err));
}

/// Sends the next run of the first job to its cell's coordinator; the reply
/// measures it and sends the next.
void run_next(home_worker_actor* self) {
  auto& st = self->state;
  auto& job = st.jobs.front();
  auto& p = *job.x.plan;
  auto& runs = job.x.batch.runs;
  if (job.out.size() == runs.size()) {
    batch_result r;
    r.id = job.x.batch.id;
    r.runs = std::move(job.out);
    finish(self, std::move(r));
    return;
  }
  auto idx = runs[job.out.size()];
  auto cell = idx / p.replicates;
  auto& x = p.cells[cell];
  auto seed = run_seed(p.base, cell, idx % p.replicates);
  // A coordinator that ends would never answer the run it holds.
  if (st.cells.serve(self->home_system(), x, job.x.plan))
    self->monitor(st.cells.coordinator());
  st.cells.set_run(agents_seed(seed));
  auto id = st.in_flight = ++st.runs_sent;
  self
    ->request(st.cells.coordinator(), infinite, actors::run_atom::value,
              x.prompt, run_params(x, seed))
    .then(
      [self, idx, seed, id](state& result) {
        auto& st = self->state;
        if (st.in_flight != id)
          return;
        st.in_flight = 0;
        if (auto why = unrecorded_call(result); !why.empty()) {
          finish(self,
                 make_error(errc::invalid_params, "unrecorded call: " + why));
          return;
        }
        auto& job = st.jobs.front();
        job.out.push_back(
          measure_indexed(*job.x.plan, idx, seed, result, st.cells.agents()));
        run_next(self);
      },
      [self, id](error& err) {
        if (self->state.in_flight == id)
          fail(self, std::move(err));
      });
}

behavior home_worker(home_worker_actor* self, actor pool) {
  self->state.pool = std::move(pool);
  self->set_down_handler([=](down_msg& dm) {
    auto& st = self->state;
    if (st.in_flight == 0 || dm.source != st.cells.coordinator().address())
      return;
    fail(self, dm.reason ? std::move(dm.reason)
                         : make_error(errc::execute_failed,
                                      "the coordinator ended during a run"));
  });
  return {
    [=](home_run_atom, uint64_t ticket, plan_batch& x) {
      auto& st = self->state;
      auto err = x.plan == nullptr
                   ? make_error(errc::invalid_params,
                                "home worker: a batch without plan")
                   : check_runs(*x.plan, x.batch.runs);
      if (err) {
        enqueue_in_own_system(st.pool, self->ctrl(), home_done_atom::value,
                              ticket, std::move(err));
        return;
      }
      st.jobs.push_back(home_job{ticket, std::move(x), {}});
      st.jobs.back().out.reserve(st.jobs.back().x.batch.runs.size());
      if (st.jobs.size() == 1)
        run_next(self);
    },
  };
}

} // namespace

actor spawn_home_worker(actor_home& home, actor pool, actor_system& back) {
  auto w = home.system().spawn(home_worker, pool);
  logger::set_current_actor_system(&back);
  // Tells the pool when the worker ends, on the pool's own threads (a
  // monitor's down message would wake the pool on the home's thread, where
  // stopping the pool would stop the home's system from its own thread).
  actor_cast<abstract_actor*>(w)->attach_functor(
    [pool, who = w.address()](const error& reason) {
      enqueue_in_own_system(pool, nullptr, home_down_atom::value, who, reason);
    });
  return w;
}

void send_home_run(const actor& worker, strong_actor_ptr sender,
                   uint64_t ticket, plan_batch batch) {
  enqueue_in_own_system(worker, std::move(sender), home_run_atom::value, ticket,
                        std::move(batch));
}

} // namespace caf::consensus::sim
