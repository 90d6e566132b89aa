// Tests: invalid input is rejected before any call (suite consensus).

#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "caf/consensus/consensus.hpp"
#include "caf/consensus/error.hpp"

#include "core/consensus/consensus_helpers.hpp"

namespace cc = caf::consensus;

using cc::params;
using cc::request;
using namespace caf::consensus::test;

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

// -- defaults -----------------------------------------------------------------

TEST(consensus, params_defaults_are_the_documented_ones) {
  // The literals of README.md (`Params{rounds=3, ..., timeout_ms=60000}`) and
  // of the parameter table in docs/protocol.md: a changed default must change
  // the documentation too.
  params ps;
  EXPECT_EQ(ps.rounds, 3);
  EXPECT_EQ(ps.k, 3);
  EXPECT_EQ(ps.alpha, 0.6);
  EXPECT_EQ(ps.beta_1, 0.5);
  EXPECT_EQ(ps.beta_2, 0.8);
  EXPECT_EQ(ps.policy, "metastable");
  EXPECT_EQ(ps.seed.to_string(), "0");
  EXPECT_EQ(ps.timeout_ms, 60000);
  EXPECT_EQ(ps.beta, 2);
  EXPECT_EQ(ps.alpha_preference, 0);
  EXPECT_EQ(ps.alpha_confidence, 0);
  EXPECT_FALSE(ps.luminance_weighted);
  EXPECT_EQ(cc::to_string(ps.extractor), "text");
  EXPECT_EQ(ps.extractor_pattern, "");
  EXPECT_FALSE(ps.stop_on_unanimity);
}
