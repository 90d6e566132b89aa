// Tests: engine::make rejects bad participants, policies and parameters
// before any call (suite engine_make).

#include <gtest/gtest.h>

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/policy/policy.hpp"
#include "caf/consensus/request.hpp"

#include "core/engine/engine_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;

// -- validation ---------------------------------------------------------------

TEST(engine_make, rejects_an_empty_participant_list) {
  auto eng = engine::make("q", {}, params{});
  ASSERT_FALSE(eng);
  EXPECT_EQ(code_of(eng.error()), errc::no_participants);
  EXPECT_EQ(eng.error().category(), errc_category);
}

TEST(engine_make, rejects_duplicate_ids_and_names_the_duplicate) {
  auto eng = engine::make("q", {"a", "b", "a"}, params{});
  ASSERT_FALSE(eng);
  EXPECT_EQ(code_of(eng.error()), errc::duplicate_participant);
  EXPECT_NE(message_of(eng.error()).find("'a'"), std::string::npos)
    << message_of(eng.error());
}

TEST(engine_make, finds_duplicates_in_small_and_large_lists) {
  // Up to 16 ids are compared pairwise, more through a hash set.
  for (size_t n : {2u, 16u, 17u, 200u}) {
    std::vector<std::string> ids;
    for (size_t i = 0; i < n; ++i)
      ids.push_back("agent-" + std::to_string(i));
    EXPECT_TRUE(engine::make("q", ids, params{})) << n;
    ids.push_back(ids[n / 2]);
    auto eng = engine::make("q", ids, params{});
    ASSERT_FALSE(eng) << n;
    EXPECT_EQ(code_of(eng.error()), errc::duplicate_participant) << n;
    EXPECT_NE(message_of(eng.error()).find("'" + ids[n / 2] + "'"),
              std::string::npos)
      << message_of(eng.error());
  }
}

TEST(engine_make, rejects_an_empty_id_and_names_its_position) {
  auto eng = engine::make("q", {"a", ""}, params{});
  ASSERT_FALSE(eng);
  EXPECT_EQ(code_of(eng.error()), errc::empty_participant_id);
  EXPECT_NE(message_of(eng.error()).find("#2"), std::string::npos)
    << message_of(eng.error());
}

TEST(engine_make, participant_checks_apply_to_every_policy_including_hanzo) {
  for (auto name : {"metastable", "hanzo", "snowball", "vote"}) {
    params ps;
    ps.policy = name;
    EXPECT_EQ(make_error_code("q", {}, ps), errc::no_participants) << name;
    EXPECT_EQ(make_error_code("q", {"x", "x"}, ps), errc::duplicate_participant)
      << name;
    EXPECT_EQ(make_error_code("q", {""}, ps), errc::empty_participant_id)
      << name;
    EXPECT_EQ(make_error_code("q", {"x", "y"}, ps), errc::none) << name;
  }
}

TEST(engine_make, rejects_an_unknown_policy_and_lists_the_known_ones) {
  params ps;
  ps.policy = "no-such-policy";
  auto eng = engine::make("q", {"a"}, ps);
  ASSERT_FALSE(eng);
  EXPECT_EQ(code_of(eng.error()), errc::unknown_policy);
  auto msg = message_of(eng.error());
  EXPECT_NE(msg.find("no-such-policy"), std::string::npos) << msg;
  EXPECT_NE(msg.find("metastable"), std::string::npos) << msg;
}

TEST(engine_make, rejects_a_factory_that_returns_null) {
  engine_options opts;
  opts.factory = [] { return std::unique_ptr<policy::policy_base>{}; };
  auto eng = engine::make("q", {"a"}, params{}, opts);
  ASSERT_FALSE(eng);
  EXPECT_EQ(code_of(eng.error()), errc::unknown_policy);
}

TEST(engine_make, metastable_rejects_k_below_one) {
  for (int32_t k : {0, -1, -100}) {
    params ps;
    ps.k = k;
    EXPECT_EQ(make_error_code("q", {"a", "b"}, ps), errc::invalid_params)
      << "k = " << k;
  }
  params ps;
  ps.k = 1;
  EXPECT_EQ(make_error_code("q", {"a", "b"}, ps), errc::none);
}

TEST(engine_make, rejects_alpha_outside_the_unit_interval) {
  for (auto name : {"metastable", "snowball", "vote"}) {
    for (double alpha :
         {-0.01, 1.01, -1.0, 2.0, std::numeric_limits<double>::quiet_NaN()}) {
      params ps;
      ps.policy = name;
      ps.alpha = alpha;
      EXPECT_EQ(make_error_code("q", {"a", "b", "c"}, ps), errc::invalid_params)
        << name << " alpha = " << alpha;
    }
    for (double alpha : {0.0, 1.0, 0.5}) {
      params ps;
      ps.policy = name;
      ps.alpha = alpha;
      EXPECT_EQ(make_error_code("q", {"a", "b", "c"}, ps), errc::none)
        << name << " alpha = " << alpha;
    }
  }
}

TEST(engine_make, rejects_beta_2_outside_the_unit_interval) {
  for (auto name : {"metastable", "snowball", "vote"}) {
    for (double b : {-0.1, 1.1, std::numeric_limits<double>::quiet_NaN()}) {
      params ps;
      ps.policy = name;
      ps.beta_2 = b;
      EXPECT_EQ(make_error_code("q", {"a", "b", "c"}, ps), errc::invalid_params)
        << name << " beta_2 = " << b;
    }
    for (double b : {0.0, 1.0}) {
      params ps;
      ps.policy = name;
      ps.beta_2 = b;
      EXPECT_EQ(make_error_code("q", {"a", "b", "c"}, ps), errc::none)
        << name << " beta_2 = " << b;
    }
  }
}

TEST(engine_make, rejects_negative_beta_1_but_accepts_values_above_one) {
  params ps;
  ps.beta_1 = -0.5;
  EXPECT_EQ(make_error_code("q", {"a", "b"}, ps), errc::invalid_params);
  ps.beta_1 = 1.5; // disables the early stop
  EXPECT_EQ(make_error_code("q", {"a", "b"}, ps), errc::none);
}

TEST(engine_make, rejects_negative_rounds_and_a_non_positive_timeout) {
  for (auto name : {"metastable", "snowball", "vote"}) {
    params ps;
    ps.policy = name;
    ps.rounds = -1;
    EXPECT_EQ(make_error_code("q", {"a", "b"}, ps), errc::invalid_params)
      << name;
    ps.rounds = 0;
    EXPECT_EQ(make_error_code("q", {"a", "b"}, ps), errc::none) << name;
    for (int64_t t : {0, -1, -60000}) {
      params ps2;
      ps2.policy = name;
      ps2.timeout_ms = t;
      EXPECT_EQ(make_error_code("q", {"a", "b"}, ps2), errc::invalid_params)
        << name << " timeout = " << t;
    }
  }
}

TEST(engine_make, validation_messages_name_the_parameter) {
  params ps;
  ps.alpha = 1.5;
  auto eng = engine::make("q", {"a"}, ps);
  ASSERT_FALSE(eng);
  EXPECT_NE(message_of(eng.error()).find("alpha"), std::string::npos);
  ps = params{};
  ps.timeout_ms = 0;
  eng = engine::make("q", {"a"}, ps);
  ASSERT_FALSE(eng);
  EXPECT_NE(message_of(eng.error()).find("timeout"), std::string::npos);
  ps = params{};
  ps.k = 0;
  eng = engine::make("q", {"a"}, ps);
  ASSERT_FALSE(eng);
  EXPECT_NE(message_of(eng.error()).find("k must be"), std::string::npos);
}

TEST(engine_make, snowball_checks_its_quorums_and_beta) {
  auto code = [](params ps) {
    ps.policy = "snowball";
    return make_error_code("q", {"a", "b", "c", "d", "e"}, ps);
  };
  params ps;
  ps.k = 4;
  EXPECT_EQ(code(ps), errc::none); // default quorums ceil(0.6 * 4) = 3
  ps.alpha_preference = 5;         // above k
  EXPECT_EQ(code(ps), errc::invalid_params);
  ps.alpha_preference = -1;
  EXPECT_EQ(code(ps), errc::invalid_params);
  ps.alpha_preference = 0;
  ps.alpha_confidence = 5; // above k
  EXPECT_EQ(code(ps), errc::invalid_params);
  ps.alpha_confidence = -2;
  EXPECT_EQ(code(ps), errc::invalid_params);
  // alpha_confidence must not be below alpha_preference.
  ps.alpha_preference = 3;
  ps.alpha_confidence = 2;
  EXPECT_EQ(code(ps), errc::invalid_params);
  ps.alpha_confidence = 3;
  EXPECT_EQ(code(ps), errc::none);
  ps.alpha_confidence = 4;
  EXPECT_EQ(code(ps), errc::none);
  // Default confidence quorum ceil(0.6*4) = 3 is below a preference of 4.
  ps.alpha_preference = 4;
  ps.alpha_confidence = 0;
  EXPECT_EQ(code(ps), errc::invalid_params);
  // beta >= 1, k >= 1.
  ps = params{};
  ps.k = 4;
  ps.beta = 0;
  EXPECT_EQ(code(ps), errc::invalid_params);
  ps.beta = 1;
  EXPECT_EQ(code(ps), errc::none);
  ps.k = 0;
  EXPECT_EQ(code(ps), errc::invalid_params);
}

TEST(engine_make, vote_needs_k_only_with_refinement_rounds) {
  params ps;
  ps.policy = "vote";
  ps.k = 0;
  ps.rounds = 0;
  EXPECT_EQ(make_error_code("q", {"a", "b"}, ps), errc::none);
  ps.rounds = 1;
  EXPECT_EQ(make_error_code("q", {"a", "b"}, ps), errc::invalid_params);
}

TEST(engine_make, rejects_an_invalid_regex_extractor) {
  for (auto name : {"snowball", "vote", "metastable"}) {
    params ps;
    ps.policy = name;
    ps.extractor = extractor_kind::regex;
    ps.extractor_pattern = "(unclosed";
    auto eng = engine::make("q", {"a", "b"}, ps);
    ASSERT_FALSE(eng) << name;
    EXPECT_EQ(code_of(eng.error()), errc::invalid_params) << name;
    EXPECT_NE(message_of(eng.error()).find("(unclosed"), std::string::npos);
    ps.extractor_pattern = "answer: (\\w+)";
    EXPECT_EQ(make_error_code("q", {"a", "b"}, ps), errc::none) << name;
  }
}

TEST(engine_make, hanzo_accepts_negative_k_and_rounds_like_the_reference) {
  params ps;
  ps.policy = "hanzo";
  ps.k = -2;
  ps.rounds = -1;
  ps.alpha = 7; // accepted and ignored
  int calls = 0;
  auto st = run_script({"a", "b"}, ps, [&](const request& req) {
    ++calls;
    return make_ok(req.participant, "x");
  });
  EXPECT_EQ(calls, 2); // round 0 only
  EXPECT_EQ(st.rounds_executed, 0);
  EXPECT_EQ(st.stop, stop_reason::no_rounds);
  EXPECT_EQ(st.k, -2);
}

TEST(engine_make, hanzo_with_negative_k_sends_an_empty_sample) {
  params ps;
  ps.policy = "hanzo";
  ps.k = -1;
  ps.rounds = 1;
  std::vector<request> seen;
  auto st = run_script({"a", "b"}, ps, [&](const request& req) {
    seen.push_back(req);
    return make_ok(req.participant, "x");
  });
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_TRUE(seen[2].peers.empty());
  EXPECT_EQ(seen[2].prompt, "Query: q\n\nPeers:\n\nRefine your response:");
  ASSERT_EQ(st.trace.size(), 2u);
  ASSERT_EQ(st.trace[1].samples.size(), 1u);
  EXPECT_TRUE(st.trace[1].samples[0].empty());
  // Empty sample: agreement 0, confidence 0.
  EXPECT_EQ(st.confidence, (std::vector<double>{0.0, 0.0}));
}

TEST(engine_make, makes_no_call_before_complete) {
  auto eng = engine::make("q", {"a", "b"}, params{});
  ASSERT_TRUE(eng);
  EXPECT_FALSE(eng->done());
  EXPECT_EQ(eng->round(), 0);
  EXPECT_EQ(eng->current().calls, 0u);
  EXPECT_EQ(eng->current().policy, "metastable");
  EXPECT_EQ(eng->current().participants, (strings{"a", "b"}));
  EXPECT_EQ(eng->parameters().k, 3);
}
