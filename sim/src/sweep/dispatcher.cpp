// caf-consensus sim: the dispatcher actor: its setup (workers, tick
// interval), the start of a sweep, lost sessions, and the end of the sweep.

#include "caf/consensus/sim/sweep/dispatcher.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <string>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/stateful_actor.hpp"

#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/sweep/internal/dispatcher_state.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"

namespace caf::consensus::sim {

namespace sweep_internal {

// -- the end ------------------------------------------------------------------

void finish(dispatcher_actor* self) {
  auto& st = self->state;
  st.running = false;
  st.ended = true;
  conclude(self);
}

void abort_sweep(dispatcher_actor* self, error err) {
  auto& st = self->state;
  if (!st.running)
    return;
  st.running = false;
  st.ended = true;
  st.outcome = std::move(err);
  conclude(self);
}

/// Delivers the outcome once no connect request is in flight (each has a
/// timeout, so this waits at most `connect_timeout`).
void conclude(dispatcher_actor* self) {
  auto& st = self->state;
  if (!st.ended || st.connecting > 0 || !st.rp.pending())
    return;
  if (st.outcome)
    st.rp.deliver(std::move(st.outcome));
  else
    st.rp.deliver(reports(st));
  self->quit();
}

namespace {

// -- the actor ----------------------------------------------------------------

behavior dispatcher(dispatcher_actor* self, dispatch_setup setup) {
  auto& st = self->state;
  st.setup = std::move(setup);
  st.total = st.setup.plan->total;
  if (st.setup.plan->agent_rows)
    for (auto& cell : st.setup.plan->cells)
      st.agent_counts.push_back(participant_ids(cell).size());
  if (st.setup.local) {
    worker w;
    w.name = "local";
    w.st = wstate::ready;
    w.handle = st.setup.local;
    w.threads = st.setup.local_threads;
    w.credit = 2 * static_cast<size_t>(w.threads);
    w.report.name = w.name;
    w.report.threads = w.threads;
    w.report.joins = 1;
    st.workers.push_back(std::move(w));
  }
  if (st.setup.remote) {
    for (auto& ep : st.setup.remote->workers) {
      worker w;
      w.name = to_string(ep);
      w.remote = true;
      w.ep = ep;
      w.report.name = w.name;
      st.workers.push_back(std::move(w));
    }
    auto& ro = *st.setup.remote;
    auto t = std::min({std::chrono::milliseconds{250}, ro.batch_timeout / 4,
                       ro.retry_interval / 2});
    st.tick_interval = std::max(t, std::chrono::milliseconds{10});
  }
  self->set_down_handler([=](down_msg& dm) {
    auto& st = self->state;
    for (size_t idx = 0; idx < st.workers.size(); ++idx) {
      auto& w = st.workers[idx];
      if (w.handle && w.handle.address() == dm.source
          && (w.st == wstate::ready || w.st == wstate::connecting)) {
        fail_worker(self, idx,
                    "connection lost (" + render_sweep_error(dm.reason) + ")",
                    false);
        return;
      }
    }
  });
  self->set_exception_handler(
    [=](scheduled_actor*, std::exception_ptr& eptr) -> error {
      std::string what = "unknown exception";
      try {
        std::rethrow_exception(eptr);
      } catch (const std::exception& e) {
        what = e.what();
      } catch (...) {
        // keep the default text
      }
      auto err = make_error(sweep_errc::worker_failed,
                            "the sweep stopped on an exception: " + what);
      if (self->state.running) {
        self->state.running = false;
        self->state.rp.deliver(err);
      }
      return err;
    });
  return {
    [=](start_atom) {
      auto& st = self->state;
      if (st.running || st.rp.pending()) {
        self->make_response_promise().deliver(
          make_error(sweep_errc::bad_message, "sweep already started"));
        return;
      }
      st.rp = self->make_response_promise();
      st.running = true;
      st.last_ready = clock_type::now();
      skip_ahead(st);
      progress(st);
      for (size_t idx = 0; idx < st.workers.size(); ++idx)
        if (st.workers[idx].remote)
          connect(self, idx);
      if (st.setup.remote)
        self->delayed_send(self, st.tick_interval, tick_atom::value);
      pump(self);
    },
    [=](tick_atom) { tick(self); },
  };
}

} // namespace

} // namespace sweep_internal

actor spawn_dispatcher(actor_system& sys, dispatch_setup setup) {
  // Not detached: a detached actor's thread waits until the actor object is
  // destroyed, and after talking to remote nodes CAF 0.17 may keep a
  // reference to it for a while, which made the end of a sweep hang.
  return sys.spawn(sweep_internal::dispatcher, std::move(setup));
}

} // namespace caf::consensus::sim
