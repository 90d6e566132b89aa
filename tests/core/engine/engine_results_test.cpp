// Tests: the engine normalizes results (ids, missing answers, timeouts) and
// accounts calls, failures and time (suite engine_results).

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/request.hpp"

#include "core/engine/engine_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;

// -- result normalization -----------------------------------------------------

TEST(engine_results, are_filed_by_participant_order_even_with_wrong_ids) {
  params ps;
  ps.rounds = 1;
  auto log = std::make_shared<recording>();
  // Everyone answers in the name of someone else.
  auto st = run_script(
    {"a", "b", "c"}, ps,
    [](const request& req) {
      static const strings liar{"c", "a", "zz"};
      auto r = make_ok(liar[req.index], "from-" + req.participant + "-"
                                          + std::to_string(req.round));
      r.round = 42; // also wrong
      return r;
    },
    recording_options(log));
  ASSERT_EQ(log->results.size(), 2u);
  strings ids{"a", "b", "c"};
  for (size_t r = 0; r < 2; ++r) {
    for (size_t i = 0; i < 3; ++i) {
      auto& x = log->results[r][i];
      EXPECT_EQ(x.id, ids[i]);
      EXPECT_TRUE(x.mismatched_id);
      EXPECT_EQ(x.round, static_cast<int32_t>(r));
      EXPECT_EQ(x.output, "from-" + ids[i] + "-" + std::to_string(r));
    }
  }
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(st.responses[i].size(), 2u);
    EXPECT_EQ(st.responses[i][0].text, "from-" + ids[i] + "-0");
    EXPECT_EQ(st.responses[i][1].round, 1);
  }
}

TEST(engine_results, correct_ids_are_not_flagged_and_empty_ids_are_filled) {
  auto log = std::make_shared<recording>();
  params ps;
  ps.rounds = 0;
  auto eng = engine::make("q", {"a", "b", "c", "d"}, ps,
                          recording_options(log));
  ASSERT_TRUE(eng);
  result anonymous_ok; // id empty, ok: flagged
  anonymous_ok.ok = true;
  anonymous_ok.output = "x";
  result anonymous_failure; // id empty, failed: not flagged
  anonymous_failure.error = "boom";
  eng->complete({make_ok("a", "x"), anonymous_ok, anonymous_failure,
                 make_failure("d", 0, "e")});
  ASSERT_EQ(log->results.size(), 1u);
  auto& rs = log->results[0];
  EXPECT_FALSE(rs[0].mismatched_id);
  EXPECT_TRUE(rs[1].mismatched_id);
  EXPECT_EQ(rs[1].id, "b");
  EXPECT_FALSE(rs[2].mismatched_id);
  EXPECT_EQ(rs[2].id, "c");
  EXPECT_FALSE(rs[3].mismatched_id);
}

TEST(engine_results, missing_results_become_failures) {
  auto log = std::make_shared<recording>();
  params ps;
  ps.rounds = 0;
  auto eng = engine::make("q", {"a", "b", "c"}, ps, recording_options(log));
  ASSERT_TRUE(eng);
  eng->complete({make_ok("a", "only one")});
  ASSERT_TRUE(eng->done());
  auto& rs = log->results.at(0);
  ASSERT_EQ(rs.size(), 3u);
  EXPECT_TRUE(rs[0].ok);
  for (size_t i : {1, 2}) {
    EXPECT_FALSE(rs[i].ok);
    EXPECT_EQ(rs[i].error, "failed");
    EXPECT_EQ(rs[i].id, (strings{"a", "b", "c"}[i]));
  }
  auto st = eng->take();
  EXPECT_EQ(st.calls, 3u);
  EXPECT_EQ(st.failures, 2u);
}

TEST(engine_results, timed_out_results_are_failures_lasting_the_timeout) {
  auto log = std::make_shared<recording>();
  params ps;
  ps.rounds = 1;
  ps.timeout_ms = 750;
  auto st = run_script(
    {"a", "b", "c"}, ps,
    [](const request& req) {
      auto r = make_ok(req.participant, disjoint(req), 20);
      if (req.index == 1) {
        r.timed_out = true; // even an "ok" result that timed out fails
        r.ms = 3;
      }
      if (req.index == 2 && req.round == 1) {
        r = make_failure(req.participant, 1, "custom reason", 10);
        r.timed_out = true;
      }
      return r;
    },
    recording_options(log));
  ASSERT_EQ(log->results.size(), 2u);
  auto& b0 = log->results[0][1];
  EXPECT_FALSE(b0.ok);
  EXPECT_TRUE(b0.timed_out);
  EXPECT_EQ(b0.ms, 750);
  EXPECT_EQ(b0.error, "timeout: no answer within 750 ms");
  auto& c1 = log->results[1][2];
  EXPECT_FALSE(c1.ok);
  EXPECT_EQ(c1.ms, 750);
  EXPECT_EQ(c1.error, "custom reason"); // an explicit error is kept
  EXPECT_FALSE(st.responses[1][0].ok);
  EXPECT_EQ(st.responses[1][0].ms, 750);
  EXPECT_EQ(st.timeouts, 3u);
  EXPECT_EQ(st.failures, 3u);
  EXPECT_EQ(st.calls, 6u);
  EXPECT_EQ(st.trace[0].timeouts, 1u);
  EXPECT_EQ(st.trace[1].timeouts, 2u);
  EXPECT_EQ(st.trace[1].failures, 2u);
  EXPECT_EQ(st.trace[0].duration_ms, 750);
  EXPECT_EQ(st.elapsed_ms, 1500);
}

TEST(engine_results, failures_get_a_default_error_text_and_no_negative_ms) {
  auto log = std::make_shared<recording>();
  params ps;
  ps.rounds = 0;
  auto eng = engine::make("q", {"a", "b"}, ps, recording_options(log));
  ASSERT_TRUE(eng);
  auto bad = make_ok("a", "x", -40);
  auto silent_failure = make_failure("b", 0, "");
  eng->complete({bad, silent_failure});
  auto& rs = log->results.at(0);
  EXPECT_EQ(rs[0].ms, 0);
  EXPECT_EQ(rs[1].error, "failed");
  EXPECT_EQ(eng->current().elapsed_ms, 0);
}

TEST(engine_results, counters_count_calls_failures_and_timeouts_per_round) {
  params ps;
  ps.rounds = 2;
  auto st = run_script({"a", "b", "c", "d"}, ps, [](const request& req) {
    // round r: participants with index < r fail; d times out in round 2.
    if (req.index == 3 && req.round == 2) {
      auto r = make_failure(req.participant, req.round, "");
      r.timed_out = true;
      return r;
    }
    if (static_cast<int32_t>(req.index) < req.round)
      return make_failure(req.participant, req.round, "x");
    return make_ok(req.participant, disjoint(req));
  });
  ASSERT_EQ(st.trace.size(), 3u);
  EXPECT_EQ(st.trace[0].calls, 4u);
  EXPECT_EQ(st.trace[0].failures, 0u);
  EXPECT_EQ(st.trace[1].failures, 1u);
  EXPECT_EQ(st.trace[2].failures, 3u);
  EXPECT_EQ(st.trace[2].timeouts, 1u);
  EXPECT_EQ(st.calls, 12u);
  EXPECT_EQ(st.failures, 4u);
  EXPECT_EQ(st.timeouts, 1u);
}

TEST(engine_results, elapsed_is_the_sum_of_round_maxima_capped_at_timeout) {
  params ps;
  ps.rounds = 3;
  ps.timeout_ms = 1000;
  // latency[round][participant]
  std::vector<std::vector<int64_t>> ms{
    {10, 30, 20}, {5000, 1, 2}, {0, 0, 0}, {999, 1000, 1001}};
  auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
    return make_ok(req.participant, disjoint(req), ms[req.round][req.index]);
  });
  ASSERT_EQ(st.trace.size(), 4u);
  EXPECT_EQ(st.trace[0].duration_ms, 30);
  EXPECT_EQ(st.trace[1].duration_ms, 1000); // 5000 capped
  EXPECT_EQ(st.trace[2].duration_ms, 0);
  EXPECT_EQ(st.trace[3].duration_ms, 1000);
  EXPECT_EQ(st.elapsed_ms, 30 + 1000 + 0 + 1000);
  // The latency itself is recorded as reported.
  EXPECT_EQ(st.responses[0][1].ms, 5000);
  EXPECT_TRUE(st.responses[0][1].ok);
}

TEST(engine_results, labels_are_extracted_only_for_label_policies) {
  params ps;
  ps.rounds = 0;
  ps.extractor = extractor_kind::last_number;
  auto answer = [](const request& req) {
    auto r = make_ok(req.participant, "answer: 3.50");
    if (req.index == 1)
      r.label = "given";
    return r;
  };
  auto st = run_script({"a", "b"}, ps, answer);
  EXPECT_EQ(st.responses[0][0].label, "");
  EXPECT_EQ(st.responses[1][0].label, "given");
  ps.policy = "vote";
  st = run_script({"a", "b"}, ps, answer);
  EXPECT_EQ(st.responses[0][0].label, "3.5");
  EXPECT_EQ(st.responses[1][0].label, "given");
}
