// Tests: the blocking API with asynchronous participants that answer through
// a callback (suite consensus).

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "caf/consensus/consensus.hpp"
#include "caf/consensus/error.hpp"

#include "core/consensus/consensus_helpers.hpp"

namespace cc = caf::consensus;

using cc::params;
using cc::request;
using namespace caf::consensus::test;

namespace {

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

} // namespace

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
