// Tests: the actors_test fixture: CAF's deterministic test scheduler with
// virtual time, scripted participants and a recording policy.

#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/scheduler/test_coordinator.hpp"
#include "caf/send.hpp"
#include "caf/stateful_actor.hpp"
#include "caf/typed_event_based_actor.hpp"

#include "caf/consensus/actors/coordinator.hpp"
#include "caf/consensus/actors/messages.hpp"
#include "caf/consensus/actors/participant.hpp"
#include "caf/consensus/engine.hpp"
#include "caf/consensus/policy/forwarding.hpp"
#include "caf/consensus/policy/policy.hpp"
#include "caf/consensus/policy/registry.hpp"

namespace caf::consensus::test {

using strings = std::vector<std::string>;
using actors::result_callback;

// -- recording policy ---------------------------------------------------------

/// Log of the normalized results the engine hands to the policy.
struct recording {
  std::vector<std::vector<caf::consensus::result>> results;
};

class recording_policy : public policy::forwarding {
public:
  recording_policy(std::unique_ptr<policy::policy_base> inner,
                   std::shared_ptr<recording> log)
    : forwarding(std::move(inner)), log_(std::move(log)) {
    // nop
  }

  void absorb(state& st, int32_t round,
              const std::vector<caf::consensus::result>& results) override {
    log_->results.push_back(results);
    forwarding::absorb(st, round, results);
  }

private:
  std::shared_ptr<recording> log_;
};

inline engine_options recording_options(std::shared_ptr<recording> log) {
  engine_options opts;
  opts.factory = [log]() -> std::unique_ptr<policy::policy_base> {
    return std::make_unique<recording_policy>(
      std::move(*policy::make("metastable")), log);
  };
  return opts;
}

// -- scripted test participant ------------------------------------------------

/// What a test participant does with one request.
struct step {
  enum kind_t { answer, silent, die, refuse } kind = answer;
  /// Virtual time until the answer (or the death).
  caf::timespan delay = caf::timespan{0};
  std::string text;
  bool ok = true;
  /// Reported latency; -1: the delay in ms.
  int64_t ms = -1;
};

using script = std::function<step(const request&)>;

using fire_atom = caf::atom_constant<caf::atom("tFire")>;

using test_participant_impl
  = actors::participant_actor::extend<caf::reacts_to<fire_atom, uint64_t>>;

struct test_participant_state {
  std::string id;
  script fn;
  /// Requests received, in order.
  std::shared_ptr<std::vector<request>> calls;
  /// "id/round" of every delivered answer, shared by all participants.
  std::shared_ptr<strings> deliveries;
  uint64_t next_ticket = 0;
  struct pending_call {
    caf::typed_response_promise<caf::consensus::result> promise;
    step what;
    request req;
  };
  std::map<uint64_t, pending_call> pending;
  static inline const char* name = "test.participant";
};

inline caf::consensus::result make_answer(const std::string& id, const step& s,
                                          const request& req) {
  auto ms = s.ms >= 0
              ? s.ms
              : std::chrono::duration_cast<std::chrono::milliseconds>(s.delay)
                  .count();
  if (s.ok)
    return make_ok(id, s.text, ms, req.round);
  return make_failure(id, req.round, s.text, ms);
}

inline test_participant_impl::behavior_type test_participant(
  test_participant_impl::stateful_pointer<test_participant_state> self,
  std::string id, script fn, std::shared_ptr<std::vector<request>> calls,
  std::shared_ptr<strings> deliveries) {
  auto& st = self->state;
  st.id = std::move(id);
  st.fn = std::move(fn);
  st.calls = std::move(calls);
  st.deliveries = std::move(deliveries);
  return {
    [self](actors::execute_atom,
           const request& req) -> caf::result<caf::consensus::result> {
      auto& st = self->state;
      st.calls->push_back(req);
      auto s = st.fn(req);
      if (s.kind == step::refuse)
        return caf::make_error(caf::sec::runtime_error, st.id + " refuses");
      if (s.kind == step::answer && s.delay == caf::timespan{0}) {
        st.deliveries->push_back(st.id + "/" + std::to_string(req.round));
        return make_answer(st.id, s, req);
      }
      auto rp = self->make_response_promise<caf::consensus::result>();
      auto ticket = st.next_ticket++;
      st.pending.emplace(ticket,
                         test_participant_state::pending_call{rp, s, req});
      if (s.kind != step::silent)
        self->delayed_send(self, s.delay, fire_atom::value, ticket);
      return rp;
    },
    [self](fire_atom, uint64_t ticket) {
      auto& st = self->state;
      auto i = st.pending.find(ticket);
      if (i == st.pending.end())
        return;
      if (i->second.what.kind == step::die) {
        self->quit(caf::exit_reason::user_shutdown);
        return;
      }
      st.deliveries->push_back(st.id + "/"
                               + std::to_string(i->second.req.round));
      i->second.promise.deliver(
        make_answer(st.id, i->second.what, i->second.req));
      st.pending.erase(i);
    },
  };
}

/// An answer after `delay` whose words belong to `id` and the round only.
inline step disjoint_after(caf::timespan delay, const request& req) {
  step s;
  s.delay = delay;
  s.text = req.participant + "@" + std::to_string(req.round) + " only-"
           + req.participant;
  return s;
}

/// A participant script that never answers.
inline script silent_script() {
  return [](const request&) {
    step s;
    s.kind = step::silent;
    return s;
  };
}

/// A participant script that dies `delay` after each request.
inline script dying_script(caf::timespan delay) {
  return [delay](const request&) {
    step s;
    s.kind = step::die;
    s.delay = delay;
    return s;
  };
}

// -- fixture ------------------------------------------------------------------

class actors_fixture : public ::testing::Test {
protected:
  static caf::actor_system_config& init(caf::actor_system_config& cfg) {
    cfg.set("scheduler.policy", caf::atom("testing"));
    return cfg;
  }

  actors_fixture()
    : sys(init(cfg)),
      sched(dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler())),
      deliveries(std::make_shared<strings>()) {
    // nop
  }

  ~actors_fixture() override {
    for (auto& hdl : spawned)
      caf::anon_send_exit(hdl, caf::exit_reason::user_shutdown);
    sched.run();
  }

  /// Discrete-event loop: drain the mailboxes, then fire the earliest timer.
  template <class Pred>
  bool run_until(Pred pred) {
    for (;;) {
      while (sched.try_run_once())
        if (pred())
          return true;
      if (pred())
        return true;
      if (!sched.trigger_timeout())
        return pred();
    }
  }

  /// Advances virtual time by exactly `d`, firing every timer on the way.
  void advance(caf::timespan d) {
    auto target = sched.clock().now() + d;
    sched.run();
    while (sched.has_pending_timeout()
           && sched.clock().schedule().begin()->first <= target) {
      sched.trigger_timeout();
      sched.run();
    }
    if (sched.clock().current_time < target)
      sched.clock().current_time = target;
  }

  caf::timespan now() {
    return sched.clock().now().time_since_epoch();
  }

  /// Spawns a scripted participant and returns its public handle.
  actors::participant_actor participant(const std::string& id, script fn) {
    auto log = std::make_shared<std::vector<request>>();
    calls[id] = log;
    actors::participant_actor hdl = sys.spawn(test_participant, id,
                                              std::move(fn), log, deliveries);
    spawned.push_back(hdl.address());
    return hdl;
  }

  actors::participant_actor keep(actors::participant_actor hdl) {
    spawned.push_back(hdl.address());
    return hdl;
  }

  actors::coordinator_actor
  coordinator(strings ids, std::vector<actors::participant_actor> hdls,
              params ps, engine_options opts = {}, size_t max_in_flight = 0) {
    auto hdl = actors::spawn_coordinator(sys, std::move(ids), std::move(hdls),
                                         std::move(ps), std::move(opts),
                                         {max_in_flight, true});
    spawned.push_back(hdl.address());
    return hdl;
  }

  struct outcome {
    std::optional<state> st;
    std::optional<caf::error> err;
    caf::timespan at{0};
    bool done() const {
      return st.has_value() || err.has_value();
    }
  };

  /// Sends one run request from a fresh probe actor.
  std::shared_ptr<outcome> start(actors::coordinator_actor coord,
                                 std::string prompt = "the question") {
    auto out = std::make_shared<outcome>();
    auto* sched_ptr = &sched;
    // The prompt travels as a spawn argument: CAF 0.17 dereferences a null
    // shared_ptr<tuple<>> when spawning a function without arguments (UB
    // that UBSan reports in the sanitizer build).
    sys.spawn(
      [=](caf::event_based_actor* self, const std::string& q) {
        self->request(coord, caf::infinite, actors::run_atom::value, q)
          .then(
            [=](state& st) {
              out->st = std::move(st);
              out->at = sched_ptr->clock().now().time_since_epoch();
            },
            [=](caf::error& err) {
              out->err = std::move(err);
              out->at = sched_ptr->clock().now().time_since_epoch();
            });
      },
      prompt);
    return out;
  }

  /// Runs one consensus to completion.
  outcome run(actors::coordinator_actor coord,
              std::string prompt = "the question") {
    auto out = start(coord, std::move(prompt));
    EXPECT_TRUE(run_until([&] { return out->done(); }));
    return *out;
  }

  size_t calls_of(const std::string& id) {
    auto i = calls.find(id);
    return i == calls.end() ? 0 : i->second->size();
  }

  caf::actor_system_config cfg;
  caf::actor_system sys;
  caf::scheduler::test_coordinator& sched;
  std::vector<caf::actor_addr> spawned;
  std::map<std::string, std::shared_ptr<std::vector<request>>> calls;
  std::shared_ptr<strings> deliveries;
};

inline params disjoint_params(int32_t rounds, int64_t timeout_ms) {
  params ps;
  ps.rounds = rounds;
  ps.timeout_ms = timeout_ms;
  return ps;
}

} // namespace caf::consensus::test
