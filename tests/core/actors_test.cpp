// caf-consensus: the coordinator and participant actors under CAF's
// deterministic test scheduler with virtual time (no sleeps, no threads).

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/deep_to_string.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/scheduler/test_coordinator.hpp"
#include "caf/send.hpp"
#include "caf/stateful_actor.hpp"
#include "caf/typed_event_based_actor.hpp"

#include "caf/consensus/actors/coordinator.hpp"
#include "caf/consensus/actors/messages.hpp"
#include "caf/consensus/actors/participant.hpp"
#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/policy/forwarding.hpp"
#include "caf/consensus/policy/policy.hpp"
#include "caf/consensus/policy/registry.hpp"

using namespace caf::consensus;
using namespace std::chrono_literals;

namespace {

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

engine_options recording_options(std::shared_ptr<recording> log) {
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

caf::consensus::result make_answer(const std::string& id, const step& s,
                                   const request& req) {
  auto ms = s.ms >= 0
              ? s.ms
              : std::chrono::duration_cast<std::chrono::milliseconds>(s.delay)
                  .count();
  if (s.ok)
    return make_ok(id, s.text, ms, req.round);
  return make_failure(id, req.round, s.text, ms);
}

test_participant_impl::behavior_type test_participant(
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
step disjoint_after(caf::timespan delay, const request& req) {
  step s;
  s.delay = delay;
  s.text = req.participant + "@" + std::to_string(req.round) + " only-"
           + req.participant;
  return s;
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
              params ps, engine_options opts = {}) {
    auto hdl = actors::spawn_coordinator(sys, std::move(ids), std::move(hdls),
                                         std::move(ps), std::move(opts));
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

params disjoint_params(int32_t rounds, int64_t timeout_ms) {
  params ps;
  ps.rounds = rounds;
  ps.timeout_ms = timeout_ms;
  return ps;
}

} // namespace

// -- round timing -------------------------------------------------------------

TEST_F(actors_fixture, each_round_lasts_as_long_as_its_slowest_answer) {
  std::vector<actors::participant_actor> hs;
  strings ids{"p10", "p20", "p30"};
  for (size_t i = 0; i < ids.size(); ++i) {
    auto delay = caf::timespan{std::chrono::milliseconds{10 * (i + 1)}};
    hs.push_back(participant(ids[i], [delay](const request& req) {
      return disjoint_after(delay, req);
    }));
  }
  auto coord = coordinator(ids, hs, disjoint_params(2, 1000));
  auto t0 = now();
  auto out = run(coord);
  ASSERT_TRUE(out.st);
  EXPECT_EQ(out.at - t0, 90ms); // 3 rounds x 30 ms
  EXPECT_EQ(out.st->rounds_executed, 2);
  EXPECT_EQ(out.st->elapsed_ms, 90);
  EXPECT_EQ(out.st->calls, 9u);
  EXPECT_EQ(out.st->failures, 0u);
  for (auto& id : ids)
    EXPECT_EQ(calls_of(id), 3u);
}

TEST_F(actors_fixture, a_silent_participant_times_out_at_the_deadline) {
  auto log = std::make_shared<recording>();
  strings ids{"fast", "mute"};
  std::vector<actors::participant_actor> hs{
    participant("fast",
                [](const request& req) { return disjoint_after(10ms, req); }),
    participant("mute", [](const request&) {
      step s;
      s.kind = step::silent;
      return s;
    })};
  auto coord = coordinator(ids, hs, disjoint_params(2, 100),
                           recording_options(log));
  auto t0 = now();
  auto out = start(coord);
  // Step through the first deadline precisely.
  advance(99ms);
  EXPECT_FALSE(out->done());
  EXPECT_EQ(calls_of("fast"), 1u); // round 1 not started yet
  advance(1ms);
  EXPECT_EQ(calls_of("fast"), 2u); // round 0 closed at exactly 100 ms
  ASSERT_TRUE(run_until([&] { return out->done(); }));
  ASSERT_TRUE(out->st);
  auto& st = *out->st;
  // (rounds + 1) rounds of exactly one timeout each.
  EXPECT_EQ(out->at - t0, 300ms);
  EXPECT_EQ(st.elapsed_ms, 300);
  EXPECT_EQ(st.timeouts, 3u);
  EXPECT_EQ(st.failures, 3u);
  EXPECT_EQ(calls_of("mute"), 3u);
  ASSERT_EQ(log->results.size(), 3u);
  for (auto& rs : log->results) {
    EXPECT_TRUE(rs[0].ok);
    EXPECT_FALSE(rs[1].ok);
    EXPECT_TRUE(rs[1].timed_out);
    EXPECT_EQ(rs[1].ms, 100);
    EXPECT_EQ(rs[1].id, "mute");
    EXPECT_EQ(rs[1].error, "timeout: no answer within 100 ms");
  }
  for (auto& r : st.responses[1]) {
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.ms, 100);
  }
  EXPECT_EQ(st.winner, "fast");
}

TEST_F(actors_fixture, a_late_answer_is_a_timeout_and_is_ignored_later) {
  auto log = std::make_shared<recording>();
  strings ids{"a", "slow"};
  std::vector<actors::participant_actor> hs{
    participant("a",
                [](const request& req) { return disjoint_after(5ms, req); }),
    participant("slow",
                [](const request& req) { return disjoint_after(150ms, req); })};
  auto coord = coordinator(ids, hs, disjoint_params(1, 100),
                           recording_options(log));
  auto t0 = now();
  auto out = run(coord);
  ASSERT_TRUE(out.st);
  EXPECT_EQ(out.at - t0, 200ms);
  ASSERT_EQ(log->results.size(), 2u);
  // The round-0 answer arrives at 150 ms, during round 1: it must not be
  // taken for slow's round-1 answer.
  EXPECT_TRUE(log->results[1][1].timed_out);
  EXPECT_EQ(out.st->timeouts, 2u);
}

// -- failures -----------------------------------------------------------------

TEST_F(actors_fixture, a_throwing_participant_fails_with_the_exception_text) {
  auto log = std::make_shared<recording>();
  strings ids{"ok", "thrower"};
  auto thrower_calls = std::make_shared<int>(0);
  std::vector<actors::participant_actor> hs{
    participant("ok",
                [](const request& req) { return disjoint_after(10ms, req); }),
    keep(actors::spawn_participant(
      sys, "thrower",
      [thrower_calls](const std::string&, const request&) -> result {
        ++*thrower_calls;
        throw std::runtime_error("model exploded");
      },
      false))};
  auto coord = coordinator(ids, hs, disjoint_params(1, 1000),
                           recording_options(log));
  auto t0 = now();
  auto out = run(coord);
  ASSERT_TRUE(out.st);
  EXPECT_EQ(out.at - t0, 20ms); // the exception costs no virtual time
  EXPECT_EQ(*thrower_calls, 2);
  ASSERT_EQ(log->results.size(), 2u);
  for (auto& rs : log->results) {
    EXPECT_FALSE(rs[1].ok);
    EXPECT_FALSE(rs[1].timed_out);
    EXPECT_EQ(rs[1].id, "thrower");
    EXPECT_EQ(rs[1].error, "exception in execute: model exploded");
  }
  EXPECT_EQ(out.st->failures, 2u);
  EXPECT_EQ(out.st->timeouts, 0u);
}

TEST_F(actors_fixture, a_sync_participant_answers_with_its_result) {
  strings ids{"s1", "s2"};
  std::vector<actors::participant_actor> hs;
  for (auto& id : ids)
    hs.push_back(keep(actors::spawn_participant(
      sys, id,
      [](const std::string& who, const request& req) {
        return make_ok(who, "same answer", 42, req.round);
      },
      false)));
  auto coord = coordinator(ids, hs, disjoint_params(3, 1000));
  auto out = run(coord);
  ASSERT_TRUE(out.st);
  EXPECT_TRUE(out.st->finalized);
  EXPECT_EQ(out.st->rounds_executed, 1);
  EXPECT_EQ(out.st->responses[0][0].ms, 42);
  EXPECT_EQ(out.st->synthesis, "same answer");
}

TEST_F(actors_fixture, an_error_reply_becomes_a_failed_result) {
  auto log = std::make_shared<recording>();
  strings ids{"ok", "rude"};
  std::vector<actors::participant_actor> hs{
    participant("ok",
                [](const request& req) { return disjoint_after(10ms, req); }),
    participant("rude", [](const request&) {
      step s;
      s.kind = step::refuse;
      return s;
    })};
  auto coord = coordinator(ids, hs, disjoint_params(0, 1000),
                           recording_options(log));
  auto out = run(coord);
  ASSERT_TRUE(out.st);
  auto& r = log->results.at(0).at(1);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error.rfind("error: ", 0), 0u) << r.error;
  EXPECT_NE(r.error.find("rude refuses"), std::string::npos) << r.error;
}

TEST_F(actors_fixture, a_participant_that_dies_fails_at_once_and_afterwards) {
  auto log = std::make_shared<recording>();
  strings ids{"a", "mortal", "c"};
  std::vector<actors::participant_actor> hs{
    participant("a",
                [](const request& req) { return disjoint_after(10ms, req); }),
    participant("mortal",
                [](const request&) {
                  step s;
                  s.kind = step::die;
                  s.delay = 30ms;
                  return s;
                }),
    participant("c",
                [](const request& req) { return disjoint_after(10ms, req); })};
  auto coord = coordinator(ids, hs, disjoint_params(2, 1000),
                           recording_options(log));
  auto t0 = now();
  auto out = run(coord);
  ASSERT_TRUE(out.st);
  // Round 0 ends when mortal dies (30 ms), not at the 1000 ms deadline;
  // rounds 1 and 2 fail it immediately and last 10 ms each.
  EXPECT_EQ(out.at - t0, 50ms);
  EXPECT_EQ(calls_of("mortal"), 1u);
  ASSERT_EQ(log->results.size(), 3u);
  for (auto& rs : log->results) {
    EXPECT_FALSE(rs[1].ok);
    EXPECT_FALSE(rs[1].timed_out);
    EXPECT_EQ(rs[1].error, "participant down: user_shutdown");
    EXPECT_TRUE(rs[0].ok);
    EXPECT_TRUE(rs[2].ok);
  }
  EXPECT_EQ(out.st->failures, 3u);
  EXPECT_EQ(out.st->timeouts, 0u);
}

TEST_F(actors_fixture, a_participant_killed_mid_round_fails_at_kill_time) {
  auto log = std::make_shared<recording>();
  strings ids{"a", "victim"};
  std::vector<actors::participant_actor> hs{
    participant("a",
                [](const request& req) { return disjoint_after(10ms, req); }),
    participant("victim",
                [](const request& req) { return disjoint_after(80ms, req); })};
  auto coord = coordinator(ids, hs, disjoint_params(1, 1000),
                           recording_options(log));
  auto t0 = now();
  auto out = start(coord);
  advance(25ms);
  EXPECT_FALSE(out->done());
  caf::anon_send_exit(hs[1], caf::exit_reason::kill);
  ASSERT_TRUE(run_until([&] { return out->done(); }));
  ASSERT_TRUE(out->st);
  EXPECT_EQ(out->at - t0, 35ms); // killed at 25 ms, round 1 lasts 10 ms
  auto& r = log->results.at(0).at(1);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "participant down: kill");
  EXPECT_EQ(calls_of("victim"), 1u);
}

TEST_F(actors_fixture, a_run_with_only_dead_participants_completes_at_once) {
  strings ids{"x", "y"};
  std::vector<actors::participant_actor> hs{
    participant("x",
                [](const request& req) { return disjoint_after(10ms, req); }),
    participant("y",
                [](const request& req) { return disjoint_after(10ms, req); })};
  auto coord = coordinator(ids, hs, disjoint_params(2, 1000));
  sched.run();
  for (auto& h : hs)
    caf::anon_send_exit(h, caf::exit_reason::kill);
  sched.run(); // the coordinator sees both down messages
  auto t0 = now();
  auto out = run(coord);
  ASSERT_TRUE(out.st);
  EXPECT_EQ(out.at - t0, 0ms);
  EXPECT_EQ(out.st->calls, 6u);
  EXPECT_EQ(out.st->failures, 6u);
  EXPECT_EQ(out.st->winner, "");
  EXPECT_EQ(calls_of("x"), 0u);
}

// -- ordering and determinism -------------------------------------------------

namespace {

/// Overlapping answers so that samples and agreements matter; latency as
/// reported is independent of the actual (virtual) delay.
step overlapping(const request& req, caf::timespan delay) {
  static const strings words{"alpha", "beta", "gamma", "delta", "epsilon"};
  step s;
  s.delay = delay;
  s.text = words[req.index % words.size()] + " "
           + words[(req.index + static_cast<uint32_t>(req.round)) % 5]
           + " common";
  s.ms = 100 + 7 * req.index;
  return s;
}

params overlapping_params() {
  params ps;
  ps.rounds = 3;
  ps.k = 2;
  ps.alpha = 0.5;
  ps.beta_1 = 1.5;
  ps.seed = 77;
  ps.timeout_ms = 1000;
  return ps;
}

} // namespace

TEST_F(actors_fixture, arrival_order_does_not_change_the_state) {
  strings ids{"p0", "p1", "p2", "p3", "p4"};
  auto run_with = [&](bool reverse) {
    std::vector<actors::participant_actor> hs;
    for (size_t i = 0; i < ids.size(); ++i) {
      auto rank = reverse ? ids.size() - i : i + 1;
      auto delay = caf::timespan{std::chrono::milliseconds{10 * rank}};
      hs.push_back(participant(ids[i], [delay](const request& req) {
        return overlapping(req, delay);
      }));
    }
    deliveries->clear();
    auto out = run(coordinator(ids, hs, overlapping_params()));
    EXPECT_TRUE(out.st);
    return out;
  };
  auto in_order = run_with(false);
  auto first_round_order = strings(deliveries->begin(),
                                   deliveries->begin() + 5);
  EXPECT_EQ(first_round_order,
            (strings{"p0/0", "p1/0", "p2/0", "p3/0", "p4/0"}));
  auto reversed = run_with(true);
  first_round_order = strings(deliveries->begin(), deliveries->begin() + 5);
  EXPECT_EQ(first_round_order,
            (strings{"p4/0", "p3/0", "p2/0", "p1/0", "p0/0"}));
  EXPECT_EQ(caf::deep_to_string(*in_order.st),
            caf::deep_to_string(*reversed.st));
  // And both equal the inline engine on the same script.
  auto eng = engine::make("the question", ids, overlapping_params());
  ASSERT_TRUE(eng);
  auto inline_st = run_inline(*eng, [](const request& req) {
    auto s = overlapping(req, 0ms);
    return make_ok(req.participant, s.text, s.ms, req.round);
  });
  EXPECT_EQ(caf::deep_to_string(inline_st), caf::deep_to_string(*in_order.st));
}

TEST_F(actors_fixture, repeated_runs_give_identical_states) {
  strings ids{"a", "b", "c", "d"};
  std::vector<actors::participant_actor> hs;
  for (size_t i = 0; i < ids.size(); ++i) {
    auto delay = caf::timespan{std::chrono::milliseconds{13 * (i + 1)}};
    hs.push_back(participant(ids[i], [delay, i](const request& req) {
      if (i == 3 && req.round == 1) {
        step s;
        s.kind = step::silent;
        return s;
      }
      return overlapping(req, delay);
    }));
  }
  auto coord = coordinator(ids, hs, overlapping_params());
  // The same coordinator twice, then a fresh one.
  auto t0 = now();
  auto first = run(coord);
  auto d1 = first.at - t0;
  t0 = now();
  auto second = run(coord);
  auto d2 = second.at - t0;
  ASSERT_TRUE(first.st && second.st);
  EXPECT_EQ(caf::deep_to_string(*first.st), caf::deep_to_string(*second.st));
  EXPECT_EQ(d1, d2);
  auto third = run(coordinator(ids, hs, overlapping_params()));
  ASSERT_TRUE(third.st);
  EXPECT_EQ(caf::deep_to_string(*first.st), caf::deep_to_string(*third.st));
  EXPECT_EQ(first.st->timeouts, 1u);
}

// -- run requests -------------------------------------------------------------

TEST_F(actors_fixture, a_second_run_while_busy_fails_with_busy) {
  strings ids{"a", "b"};
  std::vector<actors::participant_actor> hs{
    participant("a",
                [](const request& req) { return disjoint_after(10ms, req); }),
    participant("b",
                [](const request& req) { return disjoint_after(20ms, req); })};
  auto coord = coordinator(ids, hs, disjoint_params(1, 1000));
  auto first = start(coord, "first");
  auto second = start(coord, "second");
  ASSERT_TRUE(run_until([&] { return first->done() && second->done(); }));
  ASSERT_TRUE(first->st);
  EXPECT_EQ(first->st->prompt, "first");
  ASSERT_TRUE(second->err);
  EXPECT_EQ(second->err->category(), errc_category);
  EXPECT_EQ(static_cast<errc>(second->err->code()), errc::busy);
  EXPECT_LT(second->at, first->at); // rejected at once
  EXPECT_EQ(calls_of("a"), 2u);     // the rejected run called nobody
  // Once idle, it accepts a new run.
  auto third = run(coord, "third");
  ASSERT_TRUE(third.st);
  EXPECT_EQ(third.st->prompt, "third");
}

TEST_F(actors_fixture, invalid_input_is_an_error_before_any_call) {
  auto answer = [](const request& req) { return disjoint_after(10ms, req); };
  strings ids{"a", "b"};
  std::vector<actors::participant_actor> hs{participant("a", answer),
                                            participant("b", answer)};
  auto code = [](const outcome& o) {
    EXPECT_TRUE(o.err);
    if (!o.err || o.err->category() != errc_category)
      return errc::none;
    return static_cast<errc>(o.err->code());
  };
  params bad;
  bad.k = 0;
  EXPECT_EQ(code(run(coordinator(ids, hs, bad))), errc::invalid_params);
  bad = params{};
  bad.timeout_ms = 0;
  EXPECT_EQ(code(run(coordinator(ids, hs, bad))), errc::invalid_params);
  bad = params{};
  bad.policy = "nope";
  EXPECT_EQ(code(run(coordinator(ids, hs, bad))), errc::unknown_policy);
  EXPECT_EQ(code(run(coordinator({"a", "a"}, hs, params{}))),
            errc::duplicate_participant);
  EXPECT_EQ(code(run(coordinator({}, {}, params{}))), errc::no_participants);
  EXPECT_EQ(code(run(coordinator({"a"}, hs, params{}))),
            errc::invalid_params); // ids and handles differ in number
  EXPECT_EQ(calls_of("a"), 0u);
  EXPECT_EQ(calls_of("b"), 0u);
  // The same participants work with valid input.
  auto ok = run(coordinator(ids, hs, disjoint_params(0, 100)));
  ASSERT_TRUE(ok.st);
  EXPECT_EQ(calls_of("a"), 1u);
}

TEST_F(actors_fixture, requests_carry_round_index_and_prompt) {
  strings ids{"a", "b", "c"};
  std::vector<actors::participant_actor> hs;
  for (auto& id : ids)
    hs.push_back(participant(id, [](const request& req) {
      return disjoint_after(1ms, req);
    }));
  auto out = run(coordinator(ids, hs, disjoint_params(1, 100)), "Q?");
  ASSERT_TRUE(out.st);
  for (uint32_t i = 0; i < 3; ++i) {
    auto& log = *calls[ids[i]];
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].round, 0);
    EXPECT_EQ(log[0].prompt, "Q?");
    EXPECT_EQ(log[0].index, i);
    EXPECT_EQ(log[0].participant, ids[i]);
    EXPECT_EQ(log[1].round, 1);
    EXPECT_EQ(log[1].prompt, render_prompt("Q?", log[1].peers));
    EXPECT_EQ(log[1].peers.size(), 2u);
  }
}

// -- asynchronous participants ------------------------------------------------

TEST_F(actors_fixture, async_participants_answer_through_the_callback) {
  auto log = std::make_shared<recording>();
  strings ids{"sync-cb", "never", "thrower", "twice"};
  auto never_calls = std::make_shared<int>(0);
  std::vector<actors::participant_actor> hs{
    keep(actors::spawn_async_participant(
      sys, "sync-cb",
      [](const std::string& id, const request& req, result_callback done) {
        done(make_ok(id, "called back in round " + std::to_string(req.round), 3,
                     req.round));
      })),
    keep(actors::spawn_async_participant(
      sys, "never",
      [never_calls](const std::string&, const request&, result_callback) {
        ++*never_calls;
      })),
    keep(actors::spawn_async_participant(sys, "thrower",
                                         [](const std::string&, const request&,
                                            result_callback) {
                                           throw std::logic_error("bad agent");
                                         })),
    keep(actors::spawn_async_participant(
      sys, "twice",
      [](const std::string& id, const request& req, result_callback done) {
        done(make_ok(id, "first", 1, req.round));
        done(make_ok(id, "second", 2, req.round)); // ignored
      })),
  };
  auto coord = coordinator(ids, hs, disjoint_params(1, 250),
                           recording_options(log));
  auto t0 = now();
  auto out = run(coord);
  ASSERT_TRUE(out.st);
  EXPECT_EQ(out.at - t0, 500ms); // "never" makes both rounds last 250 ms
  EXPECT_EQ(*never_calls, 2);
  ASSERT_EQ(log->results.size(), 2u);
  for (int32_t r = 0; r <= 1; ++r) {
    auto& rs = log->results[r];
    EXPECT_TRUE(rs[0].ok);
    EXPECT_EQ(rs[0].output, "called back in round " + std::to_string(r));
    EXPECT_EQ(rs[0].ms, 3);
    EXPECT_TRUE(rs[1].timed_out);
    EXPECT_EQ(rs[1].ms, 250);
    EXPECT_FALSE(rs[2].ok);
    EXPECT_EQ(rs[2].error, "exception in execute: bad agent");
    EXPECT_TRUE(rs[3].ok);
    EXPECT_EQ(rs[3].output, "first");
  }
  EXPECT_EQ(out.st->responses[3].size(), 2u);
}

TEST_F(actors_fixture, async_callbacks_may_fire_later_and_in_any_order) {
  std::vector<std::pair<result_callback, result>> pending;
  strings ids{"a", "b", "c"};
  std::vector<actors::participant_actor> hs;
  for (auto& id : ids)
    hs.push_back(keep(actors::spawn_async_participant(
      sys, id,
      [&pending](const std::string& who, const request& req,
                 result_callback done) {
        pending.emplace_back(std::move(done),
                             make_ok(who, "shared answer", 10, req.round));
      })));
  auto coord = coordinator(ids, hs, disjoint_params(2, 1000));
  auto t0 = now();
  auto out = start(coord);
  sched.run();
  ASSERT_EQ(pending.size(), 3u);
  advance(40ms);
  // Complete round 0 in reverse order, 40 ms later.
  for (auto i = pending.rbegin(); i != pending.rend(); ++i)
    i->first(i->second);
  pending.clear();
  sched.run();
  ASSERT_EQ(pending.size(), 3u); // round 1 started
  for (auto& [done, r] : pending)
    done(r);
  ASSERT_TRUE(run_until([&] { return out->done(); }));
  ASSERT_TRUE(out->st);
  EXPECT_EQ(out->at - t0, 40ms);
  EXPECT_EQ(out->st->rounds_executed, 1); // identical answers: beta_1
  EXPECT_TRUE(out->st->finalized);
  EXPECT_EQ(out->st->winner, "a");
}

TEST_F(actors_fixture, a_callback_after_the_deadline_is_ignored) {
  auto log = std::make_shared<recording>();
  std::vector<result_callback> late;
  strings ids{"prompt", "tardy"};
  std::vector<actors::participant_actor> hs{
    participant("prompt",
                [](const request& req) { return disjoint_after(5ms, req); }),
    keep(actors::spawn_async_participant(
      sys, "tardy",
      [&late](const std::string&, const request&, result_callback done) {
        late.push_back(std::move(done));
      })),
  };
  auto coord = coordinator(ids, hs, disjoint_params(1, 100),
                           recording_options(log));
  auto out = start(coord);
  advance(100ms); // round 0 times out for tardy
  ASSERT_EQ(late.size(), 2u);
  late[0](make_ok("tardy", "too late for round 0", 1));
  ASSERT_TRUE(run_until([&] { return out->done(); }));
  ASSERT_TRUE(out->st);
  // The late round-0 answer is delivered to round 0's request, which the
  // coordinator no longer waits for: round 1 still times out.
  ASSERT_EQ(log->results.size(), 2u);
  EXPECT_TRUE(log->results[0][1].timed_out);
  EXPECT_TRUE(log->results[1][1].timed_out);
  EXPECT_EQ(out->st->timeouts, 2u);
}
