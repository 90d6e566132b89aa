// caf-consensus: the public blocking API (`consensus`, `run`) on a real,
// threaded actor system.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/deep_to_string.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/exit_reason.hpp"
#include "caf/send.hpp"

#include "caf/consensus/consensus.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/policy/policy.hpp"
#include "caf/consensus/policy/registry.hpp"
#include "caf/consensus/text/similarity.hpp"

namespace cc = caf::consensus;

using cc::params;
using cc::request;
using cc::state;
using cc::stop_reason;

namespace {

using strings = std::vector<std::string>;

cc::errc code_of(const caf::error& err) {
  if (!err || err.category() != cc::errc_category)
    return cc::errc::none;
  return static_cast<cc::errc>(err.code());
}

/// Thread-safe log of the requests an execute function saw.
struct call_log {
  std::mutex mtx;
  std::vector<request> reqs;
  std::atomic<int> count{0};

  void add(const request& req) {
    ++count;
    std::lock_guard<std::mutex> guard{mtx};
    reqs.push_back(req);
  }

  std::vector<request> round(int32_t r) {
    std::lock_guard<std::mutex> guard{mtx};
    std::vector<request> out;
    for (auto& x : reqs)
      if (x.round == r)
        out.push_back(x);
    std::sort(out.begin(), out.end(),
              [](auto& a, auto& b) { return a.index < b.index; });
    return out;
  }
};

/// Joins helper threads that fire async callbacks.
struct thread_pool {
  std::mutex mtx;
  std::vector<std::thread> threads;

  template <class F>
  void spawn(F f) {
    std::lock_guard<std::mutex> guard{mtx};
    threads.emplace_back(std::move(f));
  }

  void join() {
    std::lock_guard<std::mutex> guard{mtx};
    for (auto& t : threads)
      if (t.joinable())
        t.join();
  }

  ~thread_pool() {
    join();
  }
};

/// A user policy: everyone sees no peers and a custom prompt; after round 1
/// the longest ok answer wins and the run is finalized.
class longest_answer : public cc::policy::policy_base {
public:
  std::string name() const override {
    return "longest";
  }

  caf::error validate(const params& ps, size_t) const override {
    if (ps.rounds < 1)
      return cc::make_error(cc::errc::invalid_params,
                            "longest needs at least one round");
    return {};
  }

  void start(state&, const params&,
             std::shared_ptr<const cc::text::similarity>) override {
    // nop
  }

  std::vector<request> plan(state& st, int32_t round) override {
    std::vector<request> out(st.participants.size());
    for (size_t i = 0; i < out.size(); ++i) {
      out[i].participant = st.participants[i];
      out[i].index = static_cast<uint32_t>(i);
      out[i].round = round;
      out[i].query = st.prompt;
      out[i].prompt = "custom prompt r" + std::to_string(round);
    }
    return out;
  }

  void absorb(state& st, int32_t,
              const std::vector<cc::result>& results) override {
    for (size_t i = 0; i < results.size(); ++i)
      st.confidence[i] = results[i].ok ? 1.0 : 0.0;
  }

  stop_reason stop(const state&) const override {
    return stop_reason::beta_1;
  }

  void finish(state& st) override {
    size_t best = st.participants.size();
    for (size_t i = 0; i < st.participants.size(); ++i) {
      auto r = st.latest_ok(i);
      if (r
          && (best == st.participants.size()
              || r->text.size() > st.latest_ok(best)->text.size()))
        best = i;
    }
    if (best == st.participants.size())
      return;
    st.winner = st.participants[best];
    st.synthesis = st.latest_ok(best)->text;
    st.finalized = true;
  }
};

class always_similar : public cc::text::similarity {
public:
  double operator()(std::string_view, std::string_view) const override {
    return 1.0;
  }
};

params quick_params() {
  params ps;
  ps.timeout_ms = 5000;
  return ps;
}

} // namespace

// -- the blocking API ---------------------------------------------------------

TEST(consensus, runs_a_synchronous_execute_to_a_final_state) {
  call_log log;
  cc::consensus c{{"alice", "bob", "carol"},
                  [&](const std::string& id, const request& req) {
                    log.add(req);
                    return cc::make_ok(id, "use a hash map", 5, req.round);
                  },
                  quick_params()};
  auto st = c.run("How to find duplicates?");
  ASSERT_TRUE(st) << cc::render(st.error());
  EXPECT_EQ(st->prompt, "How to find duplicates?");
  EXPECT_EQ(st->participants, (strings{"alice", "bob", "carol"}));
  EXPECT_TRUE(st->finalized);
  EXPECT_EQ(st->stop, stop_reason::beta_1);
  EXPECT_EQ(st->rounds_executed, 1);
  EXPECT_EQ(st->winner, "alice");
  EXPECT_EQ(st->synthesis, "use a hash map");
  EXPECT_EQ(st->calls, 6u);
  EXPECT_EQ(log.count.load(), 6);
  auto r0 = log.round(0);
  ASSERT_EQ(r0.size(), 3u);
  for (auto& req : r0)
    EXPECT_EQ(req.prompt, "How to find duplicates?");
  auto r1 = log.round(1);
  ASSERT_EQ(r1.size(), 3u);
  for (auto& req : r1) {
    EXPECT_EQ(req.peers.size(), 2u);
    EXPECT_EQ(req.prompt, cc::render_prompt(req.query, req.peers));
  }
}

TEST(consensus, the_free_run_function_matches_the_class) {
  auto exec = [](const std::string& id, const request& req) {
    return cc::make_ok(id, id + " thinks " + std::to_string(req.round), 10,
                       req.round);
  };
  params ps = quick_params();
  ps.rounds = 2;
  ps.seed = 3;
  auto a = cc::run("q", {"x", "y", "z"}, exec, ps);
  ASSERT_TRUE(a) << cc::render(a.error());
  cc::consensus c{{"x", "y", "z"}, exec, ps};
  auto b = c.run("q");
  ASSERT_TRUE(b);
  EXPECT_EQ(caf::deep_to_string(*a), caf::deep_to_string(*b));
  EXPECT_EQ(a->rounds_executed, 2);
}

TEST(consensus, python_style_names_work) {
  cc::Consensus c{{"a", "b"},
                  [](const std::string& id, const request& req) {
                    cc::Result r;
                    r.id = id;
                    r.output = "same";
                    r.ok = true;
                    r.round = req.round;
                    return r;
                  },
                  cc::Params{}};
  auto st = c.run("q");
  ASSERT_TRUE(st);
  cc::State& x = *st;
  EXPECT_TRUE(x.finalized);
}

TEST(consensus, exceptions_become_failed_results) {
  cc::consensus c{{"good", "bad"},
                  [](const std::string& id, const request& req) {
                    if (id == "bad")
                      throw std::runtime_error("api key missing");
                    return cc::make_ok(id, "fine", 1, req.round);
                  },
                  quick_params()};
  auto st = c.run("q");
  ASSERT_TRUE(st) << cc::render(st.error());
  EXPECT_EQ(st->failures, 4u); // bad fails in rounds 0..3
  EXPECT_EQ(st->rounds_executed, 3);
  EXPECT_EQ(st->winner, "good");
  for (auto& r : st->responses[1])
    EXPECT_FALSE(r.ok);
}

TEST(consensus, participants_run_concurrently_by_default) {
  std::atomic<int> running{0};
  std::atomic<int> peak{0};
  params ps = quick_params();
  ps.rounds = 0;
  cc::consensus c{{"a", "b", "c", "d"},
                  [&](const std::string& id, const request& req) {
                    auto now = ++running;
                    auto prev = peak.load();
                    while (now > prev
                           && !peak.compare_exchange_weak(prev, now)) {
                      // retry
                    }
                    std::this_thread::sleep_for(std::chrono::milliseconds{60});
                    --running;
                    return cc::make_ok(id, "x", 60, req.round);
                  },
                  ps};
  auto st = c.run("q");
  ASSERT_TRUE(st);
  // Blocking participants are detached: all four sleep at the same time.
  EXPECT_GE(peak.load(), 2);
  EXPECT_EQ(st->calls, 4u);
}

TEST(consensus, non_blocking_participants_run_on_the_scheduler) {
  call_log log;
  cc::consensus c{{"a", "b", "c"},
                  [&](const std::string& id, const request& req) {
                    log.add(req);
                    return cc::make_ok(id, "same", 2, req.round);
                  },
                  quick_params()};
  c.blocking(false);
  auto st = c.run("q");
  ASSERT_TRUE(st);
  EXPECT_TRUE(st->finalized);
  EXPECT_EQ(log.count.load(), 6);
}

TEST(consensus, a_consensus_object_can_run_several_times_and_be_moved) {
  std::atomic<int> calls{0};
  cc::consensus c{{"a", "b"},
                  [&](const std::string& id, const request& req) {
                    ++calls;
                    return cc::make_ok(id, "same " + req.query, 1, req.round);
                  },
                  quick_params()};
  auto first = c.run("one");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->synthesis, "same one");
  cc::consensus moved = std::move(c);
  auto second = moved.run("two");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->synthesis, "same two");
  EXPECT_EQ(calls.load(), 8);
}

// -- asynchronous execute -----------------------------------------------------

TEST(consensus, async_execute_may_call_back_from_another_thread) {
  thread_pool pool;
  std::atomic<int> calls{0};
  cc::consensus c{{"a", "b", "c"},
                  [&](const std::string& id, const request& req,
                      cc::result_callback done) {
                    ++calls;
                    auto r = cc::make_ok(id, "agreed answer", 15, req.round);
                    pool.spawn([done, r] {
                      std::this_thread::sleep_for(std::chrono::milliseconds{2});
                      done(r);
                    });
                  },
                  quick_params()};
  auto st = c.run("q");
  // Every callback has fired once the run is done; let the helper threads
  // finish before the actor system goes away.
  pool.join();
  ASSERT_TRUE(st) << cc::render(st.error());
  EXPECT_TRUE(st->finalized);
  EXPECT_EQ(st->synthesis, "agreed answer");
  EXPECT_EQ(calls.load(), 6);
}

TEST(consensus, the_free_async_run_handles_silence_with_the_timeout) {
  params ps;
  ps.rounds = 1;
  ps.timeout_ms = 30;
  auto t0 = std::chrono::steady_clock::now();
  auto st = cc::run(
    "q", {"talker", "mute"},
    [](const std::string& id, const request& req, cc::result_callback done) {
      if (id == "talker")
        done(cc::make_ok(id, "hello", 1, req.round));
      // "mute" never calls back
    },
    ps);
  auto wall = std::chrono::steady_clock::now() - t0;
  ASSERT_TRUE(st) << cc::render(st.error());
  EXPECT_EQ(st->timeouts, 2u);
  EXPECT_EQ(st->responses[1][0].ms, 30);
  EXPECT_FALSE(st->responses[1][0].ok);
  EXPECT_EQ(st->winner, "talker");
  EXPECT_GE(wall, std::chrono::milliseconds{60}); // two 30 ms deadlines
}

TEST(consensus, async_exceptions_become_failed_results) {
  auto st = cc::run(
    "q", {"a", "b"},
    [](const std::string& id, const request& req, cc::result_callback done) {
      if (id == "b")
        throw std::runtime_error("no network");
      done(cc::make_ok(id, "x", 1, req.round));
    },
    quick_params());
  ASSERT_TRUE(st);
  EXPECT_EQ(st->failures, 4u);
  EXPECT_EQ(st->timeouts, 0u);
}

// -- validation ---------------------------------------------------------------

TEST(consensus, invalid_input_is_rejected_before_any_call) {
  std::atomic<int> calls{0};
  auto exec = [&](const std::string& id, const request& req) {
    ++calls;
    return cc::make_ok(id, "x", 1, req.round);
  };
  {
    cc::consensus c{{"a", "b", "a"}, exec, quick_params()};
    EXPECT_EQ(code_of(c.validate()), cc::errc::duplicate_participant);
    auto st = c.run("q");
    ASSERT_FALSE(st);
    EXPECT_EQ(code_of(st.error()), cc::errc::duplicate_participant);
  }
  {
    cc::consensus c{{}, exec, quick_params()};
    EXPECT_EQ(code_of(c.validate()), cc::errc::no_participants);
    EXPECT_FALSE(c.run("q"));
  }
  {
    cc::consensus c{{"a", ""}, exec, quick_params()};
    EXPECT_EQ(code_of(c.validate()), cc::errc::empty_participant_id);
  }
  {
    params ps;
    ps.alpha = 2;
    cc::consensus c{{"a", "b"}, exec, ps};
    EXPECT_EQ(code_of(c.validate()), cc::errc::invalid_params);
    auto st = c.run("q");
    ASSERT_FALSE(st);
    EXPECT_EQ(code_of(st.error()), cc::errc::invalid_params);
  }
  {
    params ps;
    ps.policy = "unheard-of";
    EXPECT_EQ(code_of(cc::run("q", {"a"}, exec, ps).error()),
              cc::errc::unknown_policy);
  }
  {
    cc::consensus c{{"a"}, cc::execute_fn{}, quick_params()};
    EXPECT_EQ(code_of(c.validate()), cc::errc::invalid_params);
    EXPECT_FALSE(c.run("q"));
  }
  EXPECT_EQ(calls.load(), 0);
  // Parameters are editable before running.
  cc::consensus c{{"a", "b"}, exec, quick_params()};
  c.parameters().k = 0;
  EXPECT_EQ(code_of(c.validate()), cc::errc::invalid_params);
  c.parameters().k = 1;
  EXPECT_FALSE(c.validate());
  EXPECT_EQ(calls.load(), 0);
}

// -- options ------------------------------------------------------------------

TEST(consensus, a_user_policy_drives_the_rounds) {
  call_log log;
  params ps = quick_params();
  ps.policy = "this name is ignored with a factory";
  cc::consensus c{{"short", "longer", "mid"},
                  [&](const std::string& id, const request& req) {
                    log.add(req);
                    return cc::make_ok(id, "answer of " + id, 1, req.round);
                  },
                  ps};
  c.policy([] { return std::make_unique<longest_answer>(); });
  EXPECT_FALSE(c.validate());
  auto st = c.run("q");
  ASSERT_TRUE(st) << cc::render(st.error());
  EXPECT_EQ(st->policy, "longest");
  EXPECT_EQ(st->rounds_executed, 1);
  EXPECT_EQ(st->stop, stop_reason::beta_1);
  EXPECT_EQ(st->winner, "longer");
  EXPECT_EQ(st->synthesis, "answer of longer");
  EXPECT_TRUE(st->finalized);
  for (auto& req : log.round(1))
    EXPECT_EQ(req.prompt, "custom prompt r1");
  // The policy's own validation runs first.
  c.parameters().rounds = 0;
  EXPECT_EQ(code_of(c.validate()), cc::errc::invalid_params);
  EXPECT_EQ(code_of(c.run("q").error()), cc::errc::invalid_params);
}

TEST(consensus, a_registered_policy_is_found_by_name) {
  cc::policy::register_policy("longest-registered", [] {
    return std::make_unique<longest_answer>();
  });
  auto names = cc::policy::names();
  EXPECT_EQ(strings(names.begin(), names.begin() + 4),
            (strings{"metastable", "hanzo", "snowball", "vote"}));
  EXPECT_NE(std::find(names.begin(), names.end(), "longest-registered"),
            names.end());
  params ps = quick_params();
  ps.policy = "longest-registered";
  auto st = cc::run(
    "q", {"a", "bbb"},
    [](const std::string& id, const request& req) {
      return cc::make_ok(id, id, 1, req.round);
    },
    ps);
  ASSERT_TRUE(st) << cc::render(st.error());
  EXPECT_EQ(st->winner, "bbb");
}

TEST(consensus, a_custom_similarity_is_used) {
  auto exec = [](const std::string& id, const request& req) {
    return cc::make_ok(id, id + "-" + std::to_string(req.round), 1, req.round);
  };
  cc::consensus plain{{"a", "b", "c"}, exec, quick_params()};
  auto st = plain.run("q");
  ASSERT_TRUE(st);
  EXPECT_FALSE(st->finalized);
  cc::consensus lenient{{"a", "b", "c"}, exec, quick_params()};
  lenient.similarity(std::make_shared<always_similar>());
  st = lenient.run("q");
  ASSERT_TRUE(st);
  EXPECT_TRUE(st->finalized);
  EXPECT_EQ(st->rounds_executed, 1);
}

TEST(consensus, runs_in_an_external_actor_system) {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  cc::consensus c{{"a", "b"},
                  [](const std::string& id, const request& req) {
                    return cc::make_ok(id, "same", 1, req.round);
                  },
                  quick_params()};
  c.system(sys);
  auto st = c.run("q");
  ASSERT_TRUE(st);
  EXPECT_TRUE(st->finalized);
  st = c.run("again");
  ASSERT_TRUE(st);
  EXPECT_EQ(st->prompt, "again");
}

TEST(consensus, spawn_serves_callers_that_are_actors) {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  std::atomic<int> calls{0};
  cc::consensus c{{"a", "b", "c"},
                  [&](const std::string& id, const request& req) {
                    ++calls;
                    return cc::make_ok(id, "the answer", 3, req.round);
                  },
                  quick_params()};
  std::promise<state> result;
  auto fut = result.get_future();
  auto coord = c.spawn(sys);
  // The prompt travels as a spawn argument: CAF 0.17 dereferences a null
  // shared_ptr<tuple<>> when spawning a function without arguments.
  sys.spawn(
    [coord, &result](caf::event_based_actor* self, const std::string& q) {
      self->request(coord, caf::infinite, cc::actors::run_atom::value, q)
        .then(
          [=, &result](state& st) {
            result.set_value(std::move(st));
            // The coordinator takes its participants down with it.
            self->send_exit(coord, caf::exit_reason::user_shutdown);
          },
          [=, &result](caf::error& err) {
            result.set_exception(
              std::make_exception_ptr(std::runtime_error(cc::render(err))));
            self->send_exit(coord, caf::exit_reason::user_shutdown);
          });
    },
    std::string{"from an actor"});
  ASSERT_EQ(fut.wait_for(std::chrono::seconds{5}), std::future_status::ready);
  auto st = fut.get();
  EXPECT_EQ(st.prompt, "from an actor");
  EXPECT_TRUE(st.finalized);
  EXPECT_EQ(calls.load(), 6);
  // Leaving the scope destroys `sys`, which waits for every actor: it only
  // returns because the coordinator and its participants exited.
}
