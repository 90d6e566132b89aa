#include "caf/consensus/actors/coordinator.hpp"

#include <algorithm>
#include <chrono>
#include <optional>

#include "caf/actor_clock.hpp"
#include "caf/stateful_actor.hpp"
#include "caf/typed_event_based_actor.hpp"

#include "caf/consensus/error.hpp"

namespace caf::consensus::actors {

namespace {

using coordinator_impl
  = coordinator_actor::extend<reacts_to<deadline_atom, uint64_t>>;

struct coordinator_state {
  std::vector<std::string> ids;
  std::vector<participant_actor> handles;
  std::vector<actor_addr> addrs;
  /// Why a participant is gone (empty while it is alive).
  std::vector<std::string> down;
  /// Parameters of a `run` without parameters.
  params ps;
  /// The current run's `params::timeout_ms`.
  int64_t timeout_ms = 0;
  engine_options opts;
  std::optional<engine> eng;
  typed_response_promise<state> promise;
  /// Guards against replies of earlier rounds.
  uint64_t epoch = 0;
  /// Deadline of the current round.
  actor_clock::time_point deadline;
  /// When the deadline messages in flight fire. Usually one is: a round
  /// that ends early leaves it armed, and when it fires before the current
  /// round's deadline it re-arms itself for the rest. (CAF 0.17 cannot
  /// cancel a delayed message; one timer per round would pile up stale
  /// timers, each a clock-thread wake-up.) A run with a shorter timeout than
  /// the runs before it adds one that fires in time.
  std::vector<actor_clock::time_point> timers;
  std::vector<std::optional<consensus::result>> slots;
  size_t missing = 0;
  static inline const char* name = "consensus.coordinator";
};

using self_ptr = coordinator_impl::stateful_pointer<coordinator_state>;

void fan_out(self_ptr self);

/// Makes sure that a deadline message arrives by the current round's
/// deadline: arms one unless one in flight fires no later.
void arm(self_ptr self) {
  auto& st = self->state;
  for (auto t : st.timers)
    if (t <= st.deadline)
      return;
  st.timers.push_back(st.deadline);
  self->delayed_send(self, st.deadline - self->clock().now(),
                     deadline_atom::value, st.epoch);
}

void advance(self_ptr self) {
  auto& st = self->state;
  std::vector<consensus::result> results;
  results.reserve(st.slots.size());
  for (auto& x : st.slots)
    results.push_back(std::move(*x));
  st.eng->complete(std::move(results));
  if (st.eng->done()) {
    auto out = st.eng->take();
    st.eng.reset();
    ++st.epoch; // ignore stragglers
    st.promise.deliver(std::move(out));
    return;
  }
  fan_out(self);
}

void fill(self_ptr self, size_t i, consensus::result r) {
  auto& st = self->state;
  if (st.slots[i])
    return;
  st.slots[i] = std::move(r);
  if (--st.missing == 0)
    advance(self);
}

void fan_out(self_ptr self) {
  auto& st = self->state;
  auto epoch = ++st.epoch;
  auto& reqs = st.eng->requests();
  auto n = reqs.size();
  st.slots.assign(n, std::nullopt);
  st.missing = n;
  auto round = st.eng->round();
  // Set the round's deadline first: fills below may finish the round.
  auto timeout = std::chrono::milliseconds{st.timeout_ms};
  st.deadline = self->clock().now() + timeout;
  arm(self);
  for (size_t i = 0; i < n; ++i) {
    if (!st.down[i].empty()) {
      fill(self, i,
           make_failure(st.ids[i], round, "participant down: " + st.down[i]));
      if (st.epoch != epoch)
        return; // the round completed
      continue;
    }
    self->request(st.handles[i], infinite, execute_atom::value, reqs[i])
      .then(
        [self, i, epoch](consensus::result& r) {
          if (self->state.epoch == epoch)
            fill(self, i, std::move(r));
        },
        [self, i, epoch, round](error& err) {
          if (self->state.epoch == epoch)
            fill(self, i,
                 make_failure(self->state.ids[i], round,
                              "error: " + render(err)));
        });
  }
}

/// Starts a run on `prompt` with parameters `ps`.
caf::result<state> start(self_ptr self, std::string prompt, const params& ps) {
  auto& st = self->state;
  if (st.eng)
    return make_error(errc::busy, "coordinator is already running");
  if (st.handles.size() != st.ids.size())
    return make_error(errc::invalid_params,
                      "participant ids and handles differ in number");
  auto eng = engine::make(std::move(prompt), st.ids, ps, st.opts);
  if (!eng)
    return std::move(eng.error());
  st.eng.emplace(std::move(*eng));
  // The round deadline of this run.
  st.timeout_ms = ps.timeout_ms;
  st.promise = self->make_response_promise<state>();
  fan_out(self);
  return st.promise;
}

coordinator_impl::behavior_type
coordinator(self_ptr self, std::vector<std::string> ids,
            std::vector<participant_actor> handles, params ps,
            engine_options opts) {
  auto& st = self->state;
  st.ids = std::move(ids);
  st.handles = std::move(handles);
  st.ps = std::move(ps);
  st.opts = std::move(opts);
  st.down.assign(st.ids.size(), std::string{});
  for (auto& h : st.handles) {
    st.addrs.push_back(h.address());
    self->monitor(h);
  }
  self->set_down_handler([self](down_msg& dm) {
    auto& st = self->state;
    for (size_t i = 0; i < st.addrs.size(); ++i) {
      if (st.addrs[i] != dm.source || !st.down[i].empty())
        continue;
      st.down[i] = dm.reason ? render(dm.reason) : "terminated";
      if (st.eng && i < st.slots.size() && !st.slots[i])
        fill(self, i,
             make_failure(st.ids[i], st.eng->round(),
                          "participant down: " + st.down[i]));
    }
  });
  return {
    [self](run_atom, std::string& prompt) -> caf::result<state> {
      return start(self, std::move(prompt), self->state.ps);
    },
    [self](run_atom, std::string& prompt, params& ps) -> caf::result<state> {
      return start(self, std::move(prompt), ps);
    },
    [self](deadline_atom, uint64_t) {
      auto& st = self->state;
      // Timers fire in the order of their times: the earliest one did.
      if (!st.timers.empty())
        st.timers.erase(std::min_element(st.timers.begin(), st.timers.end()));
      if (!st.eng)
        return;
      if (self->clock().now() < st.deadline) {
        // Armed by an earlier round: wait for the rest of this one.
        arm(self);
        return;
      }
      auto epoch = st.epoch;
      auto round = st.eng->round();
      for (size_t i = 0; i < st.slots.size(); ++i) {
        if (st.slots[i])
          continue;
        auto r = make_failure(st.ids[i], round, "");
        r.timed_out = true;
        fill(self, i, std::move(r));
        if (st.epoch != epoch)
          return;
      }
    },
  };
}

} // namespace

coordinator_actor spawn_coordinator(actor_system& sys,
                                    std::vector<std::string> participants,
                                    std::vector<participant_actor> handles,
                                    params ps, engine_options opts) {
  return sys.spawn(coordinator, std::move(participants), std::move(handles),
                   std::move(ps), std::move(opts));
}

} // namespace caf::consensus::actors
