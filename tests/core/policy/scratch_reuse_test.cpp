// Tests: a run's result does not depend on the runs made before it on the
// same thread, although policies hanzo and metastable keep their scratch
// buffers on the thread from one run to the next (suite scratch_reuse).

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "caf/deep_to_string.hpp"

#include "caf/consensus/engine.hpp"
#include "caf/consensus/request.hpp"

#include "core/policy/metastable_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;

namespace {

/// Everything a run shows: the requests the agents received and the state.
struct outcome {
  std::string requests;
  std::string state;
};

/// Agents answering from overlapping slices of `words` distinct words; one
/// fails in round 2, latencies differ.
script_fn answer_from(size_t words) {
  return [words](const request& req) {
    if (req.index == 1 && req.round == 2)
      return make_failure(req.participant, 2, "down");
    std::string text;
    auto first = (req.index * 7 + static_cast<size_t>(req.round) * 3) % words;
    for (size_t w = 0; w < 12; ++w)
      text += "w" + std::to_string((first + w * (req.index + 1)) % words) + " ";
    return make_ok(req.participant, text,
                   100 * static_cast<int64_t>(req.index + 1) + 10 * req.round);
  };
}

params varied_params(const std::string& policy, int64_t seed) {
  params ps;
  ps.policy = policy;
  ps.k = 3;
  ps.rounds = 4;
  ps.seed = seed;
  ps.beta_1 = 1.5; // every round runs
  return ps;
}

outcome varied_run(const std::string& policy, size_t n, size_t words,
                   int64_t seed) {
  std::vector<request> log;
  auto st = run_script(ids_of(n), varied_params(policy, seed),
                       answer_from(words), &log);
  return {caf::deep_to_string(log), caf::deep_to_string(st)};
}

/// The same run on a thread of its own (no buffers from earlier runs).
outcome fresh_run(const std::string& policy, size_t n, size_t words,
                  int64_t seed) {
  outcome out;
  std::thread t{[&] { out = varied_run(policy, n, words, seed); }};
  t.join();
  return out;
}

void expect_same(const outcome& x, const outcome& y, const std::string& what) {
  EXPECT_EQ(x.requests, y.requests) << what;
  EXPECT_EQ(x.state, y.state) << what;
}

class scratch_reuse : public testing::TestWithParam<const char*> {};

} // namespace

TEST_P(scratch_reuse, runs_after_larger_and_smaller_runs_match_fresh_runs) {
  std::string policy = GetParam();
  // Small vocabulary (one-word and bit sets) and large (id lists), many and
  // few participants, in an order where each run follows a different one.
  struct shape {
    size_t n;
    size_t words;
    int64_t seed;
  };
  std::vector<shape> shapes{
    {9, 40, 3}, {4, 200, 5}, {12, 300, 7}, {3, 20, 11}, {9, 40, 3}};
  std::vector<outcome> fresh;
  for (auto& s : shapes)
    fresh.push_back(fresh_run(policy, s.n, s.words, s.seed));
  // The first and last shapes are the same run: fresh runs agree.
  expect_same(fresh.front(), fresh.back(), "fresh runs of one shape");
  for (size_t i = 0; i < shapes.size(); ++i) {
    auto& s = shapes[i];
    expect_same(varied_run(policy, s.n, s.words, s.seed), fresh[i],
                "shape " + std::to_string(i) + " after the ones before it");
  }
}

TEST_P(scratch_reuse, engines_alive_at_once_on_one_thread_match_fresh_runs) {
  std::string policy = GetParam();
  auto expected_a = fresh_run(policy, 6, 40, 1);
  auto expected_b = fresh_run(policy, 5, 250, 2);
  // Both engines exist before either finishes (as in the actor engine,
  // where one thread serves many runs): each has its own buffers.
  auto a = engine::make("the query", ids_of(6), varied_params(policy, 1));
  auto b = engine::make("the query", ids_of(5), varied_params(policy, 2));
  ASSERT_TRUE(a && b);
  // Run b to its end first, then a: neither sees the other's buffers.
  std::vector<request> log_b;
  auto fb = answer_from(250);
  auto sb = run_inline(*b, [&](const request& req) {
    log_b.push_back(req);
    return fb(req);
  });
  std::vector<request> log_a;
  auto fa = answer_from(40);
  auto sa = run_inline(*a, [&](const request& req) {
    log_a.push_back(req);
    return fa(req);
  });
  expect_same({caf::deep_to_string(log_a), caf::deep_to_string(sa)}, expected_a,
              "engine a");
  expect_same({caf::deep_to_string(log_b), caf::deep_to_string(sb)}, expected_b,
              "engine b");
}

INSTANTIATE_TEST_SUITE_P(policies, scratch_reuse,
                         testing::Values("hanzo", "metastable"));
