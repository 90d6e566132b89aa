// Tests: the blocking API (`consensus`, `run`) with synchronous participants
// (suite consensus).

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "caf/deep_to_string.hpp"

#include "caf/consensus/consensus.hpp"
#include "caf/consensus/error.hpp"

#include "core/consensus/consensus_helpers.hpp"
#include "core/consensus/rendezvous.hpp"

namespace cc = caf::consensus;

using cc::params;
using cc::request;
using cc::stop_reason;
using namespace caf::consensus::test;

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
  // Every call waits until all four are in their calls: the run can only
  // finish with four ok answers if the calls overlap (no timing involved).
  rendezvous meet{4};
  std::atomic<bool> gave_up{false};
  params ps = quick_params();
  ps.rounds = 0;
  ps.timeout_ms = 120000; // longer than the rendezvous may wait
  cc::consensus c{{"a", "b", "c", "d"},
                  [&](const std::string& id, const request& req) {
                    // After one call gave up, the others need not wait.
                    if (gave_up
                        || !meet.arrive_and_wait(std::chrono::seconds{30}))
                      gave_up = true;
                    return cc::make_ok(id, "x", 60, req.round);
                  },
                  ps};
  auto st = c.run("q");
  ASSERT_TRUE(st) << cc::render(st.error());
  // Blocking participants are detached: all four were in their calls at once.
  EXPECT_FALSE(gave_up.load()) << "the four calls did not overlap";
  EXPECT_EQ(st->calls, 4u);
  EXPECT_EQ(st->failures, 0u);
  EXPECT_EQ(st->timeouts, 0u);
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
