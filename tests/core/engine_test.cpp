// caf-consensus: tests of the round engine (validation, round flow, result
// normalization, accounting), the inline driver, the refinement prompt and
// the choice extractors.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "caf/exit_reason.hpp"
#include "caf/sec.hpp"

#include "caf/consensus/choice.hpp"
#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/policy/forwarding.hpp"
#include "caf/consensus/policy/policy.hpp"
#include "caf/consensus/policy/registry.hpp"
#include "caf/consensus/request.hpp"

using namespace caf::consensus;

namespace {

// -- utilities ----------------------------------------------------------------

using strings = std::vector<std::string>;

/// Returns the errc of `err`, or errc::none when it belongs to another
/// category or is empty.
errc code_of(const caf::error& err) {
  if (!err || err.category() != errc_category)
    return errc::none;
  return static_cast<errc>(err.code());
}

/// Returns the errc of a failed engine::make.
errc make_error_code(const std::string& prompt, strings ids, params ps) {
  auto eng = engine::make(prompt, std::move(ids), std::move(ps));
  if (eng)
    return errc::none;
  return code_of(eng.error());
}

/// The context message of an error (empty if none).
std::string message_of(const caf::error& err) {
  return render(err);
}

/// Shared log of what a recording policy saw.
struct recording {
  /// Normalized results per absorbed round.
  std::vector<std::vector<result>> results;
  /// Rounds passed to plan().
  std::vector<int32_t> planned;
  int stops = 0;
  int finishes = 0;
};

/// Forwards to a real policy and records the normalized results that the
/// engine passes to `absorb`.
class recording_policy : public policy::forwarding {
public:
  recording_policy(std::unique_ptr<policy::policy_base> inner,
                   std::shared_ptr<recording> log)
    : forwarding(std::move(inner)), log_(std::move(log)) {
    // nop
  }

  std::vector<request> plan(state& st, int32_t round) override {
    log_->planned.push_back(round);
    return forwarding::plan(st, round);
  }

  void absorb(state& st, int32_t round,
              const std::vector<result>& results) override {
    log_->results.push_back(results);
    forwarding::absorb(st, round, results);
  }

  stop_reason stop(const state& st) const override {
    ++log_->stops;
    return forwarding::stop(st);
  }

  void finish(state& st) override {
    ++log_->finishes;
    forwarding::finish(st);
  }

private:
  std::shared_ptr<recording> log_;
};

engine_options recording_options(std::shared_ptr<recording> log,
                                 std::string name = "metastable") {
  engine_options opts;
  opts.factory = [log, name]() -> std::unique_ptr<policy::policy_base> {
    auto inner = policy::make(name);
    if (!inner)
      return nullptr;
    return std::make_unique<recording_policy>(std::move(*inner), log);
  };
  return opts;
}

/// Output whose tokens no other participant or round shares.
std::string disjoint(const request& req) {
  return req.participant + "-r" + std::to_string(req.round);
}

/// Runs a full consensus inline; fails the test if make() fails.
state run_script(strings ids, params ps,
                 const std::function<result(const request&)>& fn,
                 engine_options opts = {}, std::string prompt = "q") {
  auto eng = engine::make(std::move(prompt), std::move(ids), std::move(ps),
                          std::move(opts));
  if (!eng) {
    ADD_FAILURE() << "engine::make failed: " << render(eng.error());
    return {};
  }
  return run_inline(*eng, fn);
}

/// Encodes a code point as UTF-8.
std::string utf8(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
  return out;
}

std::string repeat(const std::string& x, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i)
    out += x;
  return out;
}

} // namespace

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

TEST(render, names_the_code_and_the_context) {
  EXPECT_EQ(render(caf::error{}), "no error");
  EXPECT_EQ(render(make_error(errc::busy, "coordinator is busy")),
            "busy: coordinator is busy");
  EXPECT_EQ(render(make_error(errc::invalid_params)), "invalid_params");
  EXPECT_EQ(render(caf::make_error(caf::sec::runtime_error, "boom")),
            "runtime_error: boom");
  EXPECT_EQ(render(caf::make_error(caf::exit_reason::kill)), "kill");
  EXPECT_EQ(render(caf::make_error(caf::exit_reason::user_shutdown)),
            "user_shutdown");
}

// -- round flow ---------------------------------------------------------------

TEST(engine_rounds, round_zero_sends_the_prompt_unchanged_to_everyone) {
  std::string prompt = "  What is 2+2?\nAnswer briefly. \xc3\xa9 ";
  auto eng = engine::make(prompt, {"a", "b", "c"}, params{});
  ASSERT_TRUE(eng);
  auto& reqs = eng->requests();
  ASSERT_EQ(reqs.size(), 3u);
  strings ids{"a", "b", "c"};
  for (size_t i = 0; i < reqs.size(); ++i) {
    EXPECT_EQ(reqs[i].participant, ids[i]);
    EXPECT_EQ(reqs[i].index, i);
    EXPECT_EQ(reqs[i].round, 0);
    EXPECT_EQ(reqs[i].prompt, prompt);
    EXPECT_EQ(reqs[i].query, prompt);
    EXPECT_TRUE(reqs[i].peers.empty());
    EXPECT_TRUE(reqs[i].own_text.empty());
  }
}

TEST(engine_rounds, round_zero_is_the_same_for_every_policy) {
  for (auto name : {"metastable", "hanzo", "snowball", "vote"}) {
    params ps;
    ps.policy = name;
    ps.k = 1;
    std::vector<request> round0;
    run_script({"a", "b"}, ps, [&](const request& req) {
      if (req.round == 0)
        round0.push_back(req);
      return make_ok(req.participant, disjoint(req));
    });
    ASSERT_EQ(round0.size(), 2u) << name;
    for (auto& req : round0) {
      EXPECT_EQ(req.prompt, "q") << name;
      EXPECT_TRUE(req.peers.empty()) << name;
    }
  }
}

TEST(engine_rounds, rounds_zero_stops_after_the_proposals) {
  params ps;
  ps.rounds = 0;
  int calls = 0;
  auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
    ++calls;
    return make_ok(req.participant, "same answer");
  });
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(st.stop, stop_reason::no_rounds);
  EXPECT_EQ(st.rounds_executed, 0);
  EXPECT_EQ(st.trace.size(), 1u);
  EXPECT_EQ(st.calls, 3u);
  // No refinement round: nobody was polled.
  EXPECT_EQ(st.confidence, (std::vector<double>{0, 0, 0}));
  EXPECT_FALSE(st.finalized);
}

TEST(engine_rounds, disjoint_answers_run_every_round) {
  params ps;
  ps.rounds = 4;
  std::vector<int32_t> rounds_seen;
  auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
    rounds_seen.push_back(req.round);
    return make_ok(req.participant, disjoint(req));
  });
  EXPECT_EQ(rounds_seen, (std::vector<int32_t>{0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3,
                                               3, 4, 4, 4}));
  EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
  EXPECT_EQ(st.rounds_executed, 4);
  EXPECT_EQ(st.rounds, 4);
  ASSERT_EQ(st.trace.size(), 5u);
  for (int32_t r = 0; r <= 4; ++r)
    EXPECT_EQ(st.trace[r].round, r);
  EXPECT_EQ(st.calls, 15u);
  for (auto& rs : st.responses)
    EXPECT_EQ(rs.size(), 5u);
}

TEST(engine_rounds, the_engine_is_a_step_by_step_state_machine) {
  params ps;
  ps.rounds = 2;
  auto log = std::make_shared<recording>();
  auto eng = engine::make("q", {"a", "b"}, ps, recording_options(log));
  ASSERT_TRUE(eng);
  for (int32_t r = 0; r <= 2; ++r) {
    ASSERT_FALSE(eng->done());
    EXPECT_EQ(eng->round(), r);
    std::vector<result> rs;
    for (auto& req : eng->requests()) {
      EXPECT_EQ(req.round, r);
      rs.push_back(make_ok(req.participant, disjoint(req)));
    }
    eng->complete(std::move(rs));
    EXPECT_EQ(eng->current().calls, 2u * static_cast<uint64_t>(r + 1));
  }
  EXPECT_TRUE(eng->done());
  EXPECT_TRUE(eng->requests().empty());
  EXPECT_EQ(log->planned, (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(log->stops, 2); // after each refinement round only
  EXPECT_EQ(log->finishes, 1);
  // complete() after done is ignored.
  eng->complete({make_ok("a", "late"), make_ok("b", "late")});
  EXPECT_EQ(eng->current().calls, 6u);
  EXPECT_EQ(log->results.size(), 3u);
  auto st = eng->take();
  EXPECT_EQ(st.rounds_executed, 2);
}

TEST(engine_rounds, stops_on_beta_1) {
  params ps;
  ps.rounds = 5;
  int calls = 0;
  auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
    ++calls;
    return make_ok(req.participant, "the same answer");
  });
  EXPECT_EQ(st.stop, stop_reason::beta_1);
  EXPECT_EQ(st.rounds_executed, 1);
  EXPECT_EQ(calls, 6);
  EXPECT_EQ(st.trace.size(), 2u);
}

TEST(engine_rounds, stops_on_unanimity_only_when_asked) {
  params ps;
  ps.rounds = 3;
  ps.beta_1 = 2; // no beta_1 stop
  auto answer = [](const request& req) {
    // Round 0 disagrees; from round 1 on everyone says "Paris" (modulo case
    // and spacing, which the default extractor normalizes).
    if (req.round == 0)
      return make_ok(req.participant, disjoint(req));
    return make_ok(req.participant, req.index == 0 ? "paris" : "  PARIS\n");
  };
  auto st = run_script({"a", "b", "c"}, ps, answer);
  EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
  EXPECT_EQ(st.rounds_executed, 3);
  EXPECT_EQ(st.unanimity_round, -1); // metastable reads no labels by default
  ps.stop_on_unanimity = true;
  st = run_script({"a", "b", "c"}, ps, answer);
  EXPECT_EQ(st.stop, stop_reason::unanimity);
  EXPECT_EQ(st.rounds_executed, 1);
  EXPECT_EQ(st.unanimity_round, 1);
  EXPECT_EQ(st.unanimity_label, "paris");
  // The winner is still chosen by the policy's Phase II.
  EXPECT_FALSE(st.winner.empty());
}

TEST(engine_rounds, unanimity_is_recorded_for_labelled_policies_without_stop) {
  params ps;
  ps.policy = "vote";
  ps.rounds = 3;
  ps.k = 1;
  auto st = run_script({"a", "b", "c"}, ps, [](const request& req) {
    auto r = make_ok(req.participant, "text");
    r.label = req.round >= 2 ? "B" : (req.index == 0 ? "A" : "B");
    return r;
  });
  EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
  EXPECT_EQ(st.unanimity_round, 2);
  EXPECT_EQ(st.unanimity_label, "B");
}

TEST(engine_rounds, unanimity_ignores_failures_but_not_empty_labels) {
  params ps;
  ps.policy = "vote";
  ps.rounds = 2;
  ps.k = 1;
  ps.stop_on_unanimity = true;
  // Round 1: c fails, a and b agree -> unanimous among the live ones.
  auto st = run_script({"a", "b", "c"}, ps, [](const request& req) {
    if (req.round == 1 && req.index == 2)
      return make_failure(req.participant, req.round, "down");
    auto r = make_ok(req.participant, "t");
    r.label = req.round == 0 ? req.participant : "X";
    return r;
  });
  EXPECT_EQ(st.stop, stop_reason::unanimity);
  EXPECT_EQ(st.unanimity_round, 1);
  // An ok answer without a key (nothing to extract) breaks unanimity.
  ps.extractor = extractor_kind::last_number;
  st = run_script({"a", "b", "c"}, ps, [](const request& req) {
    if (req.index == 2)
      return make_ok(req.participant, "no number here");
    return make_ok(req.participant, "it is 4");
  });
  EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
  EXPECT_EQ(st.unanimity_round, -1);
}

TEST(engine_rounds, all_failing_run_completes_without_winner) {
  params ps;
  ps.rounds = 2;
  auto st = run_script({"a", "b"}, ps, [](const request& req) {
    return make_failure(req.participant, req.round, "nope", 3);
  });
  EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
  EXPECT_EQ(st.calls, 6u);
  EXPECT_EQ(st.failures, 6u);
  EXPECT_EQ(st.winner, "");
  EXPECT_EQ(st.synthesis, "");
  EXPECT_FALSE(st.finalized);
}

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

// -- run_inline ---------------------------------------------------------------

TEST(run_inline, turns_exceptions_into_failed_results) {
  auto log = std::make_shared<recording>();
  params ps;
  ps.rounds = 1;
  auto st = run_script(
    {"a", "b", "c"}, ps,
    [](const request& req) -> result {
      if (req.index == 0)
        throw std::runtime_error("model crashed");
      if (req.index == 1)
        throw 42;
      return make_ok(req.participant, "fine", 7);
    },
    recording_options(log));
  ASSERT_EQ(log->results.size(), 2u);
  for (auto& rs : log->results) {
    EXPECT_FALSE(rs[0].ok);
    EXPECT_EQ(rs[0].error, "exception: model crashed");
    EXPECT_EQ(rs[0].id, "a");
    EXPECT_FALSE(rs[1].ok);
    EXPECT_EQ(rs[1].error, "exception: unknown");
    EXPECT_TRUE(rs[2].ok);
  }
  EXPECT_EQ(st.failures, 4u);
  EXPECT_EQ(st.rounds_executed, 1);
  EXPECT_EQ(st.winner, "c");
}

TEST(run_inline, calls_in_participant_order_and_passes_the_request) {
  params ps;
  ps.rounds = 1;
  strings order;
  run_script({"z", "y", "x"}, ps, [&](const request& req) {
    order.push_back(req.participant + std::to_string(req.round));
    return make_ok(req.participant, disjoint(req));
  });
  EXPECT_EQ(order, (strings{"z0", "y0", "x0", "z1", "y1", "x1"}));
}

TEST(run_inline, refinement_requests_carry_the_structured_context) {
  params ps;
  ps.rounds = 1;
  ps.k = 2;
  std::vector<request> round1;
  run_script({"a", "b", "c"}, ps, [&](const request& req) {
    if (req.round == 1)
      round1.push_back(req);
    return make_ok(req.participant, "answer of " + req.participant + " in "
                                      + std::to_string(req.round));
  });
  ASSERT_EQ(round1.size(), 3u);
  for (auto& req : round1) {
    EXPECT_EQ(req.query, "q");
    EXPECT_EQ(req.own_text, "answer of " + req.participant + " in 0");
    ASSERT_EQ(req.peers.size(), 2u);
    for (auto& p : req.peers) {
      EXPECT_NE(p.id, req.participant);
      EXPECT_EQ(p.text, "answer of " + p.id + " in 0");
    }
    EXPECT_EQ(req.prompt, render_prompt("q", req.peers));
  }
}

// -- render_prompt ------------------------------------------------------------

TEST(render_prompt, has_the_exact_format) {
  std::vector<peer_view> peers{{"alice", "Use a hash map.", ""},
                               {"bob", "Sort first,\nthen scan.", "x"}};
  EXPECT_EQ(render_prompt("Find duplicates", peers),
            "Query: Find duplicates\n"
            "\n"
            "Peers:\n"
            "[alice] Use a hash map.\n"
            "[bob] Sort first,\nthen scan.\n"
            "\n"
            "Refine your response:");
}

TEST(render_prompt, without_peers) {
  EXPECT_EQ(render_prompt("q", {}),
            "Query: q\n\nPeers:\n\nRefine your response:");
  EXPECT_EQ(render_prompt("", {}),
            "Query: \n\nPeers:\n\nRefine your response:");
}

TEST(render_prompt, keeps_an_empty_peer_text) {
  EXPECT_EQ(render_prompt("q", {{"a", "", ""}}),
            "Query: q\n\nPeers:\n[a] \n\nRefine your response:");
}

TEST(render_prompt, cuts_peer_texts_to_1000_code_points) {
  auto ascii = repeat("x", 1000);
  auto prompt = [](const std::string& text) {
    return render_prompt("q", {{"p", text, ""}});
  };
  auto expect = [](const std::string& text) {
    return "Query: q\n\nPeers:\n[p] " + text + "\n\nRefine your response:";
  };
  EXPECT_EQ(prompt(ascii), expect(ascii));
  EXPECT_EQ(prompt(ascii + "yz"), expect(ascii));
  // Two-byte code points: 1001 x U+00E9 -> 1000 x U+00E9 = 2000 bytes.
  auto e_acute = utf8(0xe9);
  EXPECT_EQ(prompt(repeat(e_acute, 1001)), expect(repeat(e_acute, 1000)));
  // Mixed widths: 999 ASCII + one 4-byte emoji + more -> the emoji is the
  // 1000th code point and is kept whole.
  auto emoji = utf8(0x1F600);
  auto mixed = repeat("a", 999) + emoji + utf8(0x4e2d) + "tail";
  EXPECT_EQ(prompt(mixed), expect(repeat("a", 999) + emoji));
  // 998 ASCII + 3-byte + 4-byte: exactly 1000 code points, unchanged.
  auto exact = repeat("a", 998) + utf8(0x4e2d) + emoji;
  EXPECT_EQ(prompt(exact), expect(exact));
  // Only the peer text is cut, not the query.
  auto long_query = repeat("Q", 1500);
  EXPECT_EQ(render_prompt(long_query, {}),
            "Query: " + long_query + "\n\nPeers:\n\nRefine your response:");
}

TEST(cut_code_points, counts_code_points_not_bytes) {
  auto e = utf8(0xe9);
  auto cjk = utf8(0x4e2d);
  auto emoji = utf8(0x1F600);
  auto s = e + "b" + cjk + emoji + "z";
  EXPECT_EQ(cut_code_points(s, 0), "");
  EXPECT_EQ(cut_code_points(s, 1), e);
  EXPECT_EQ(cut_code_points(s, 2), e + "b");
  EXPECT_EQ(cut_code_points(s, 3), e + "b" + cjk);
  EXPECT_EQ(cut_code_points(s, 4), e + "b" + cjk + emoji);
  EXPECT_EQ(cut_code_points(s, 5), s);
  EXPECT_EQ(cut_code_points(s, 100), s);
  EXPECT_EQ(cut_code_points("", 3), "");
  // Invalid lead bytes count as one code point each (U+FFFD in Python).
  std::string invalid = "\xff\xfe"
                        "ab";
  EXPECT_EQ(cut_code_points(invalid, 1), "\xff");
  EXPECT_EQ(cut_code_points(invalid, 3), "\xff\xfe"
                                         "a");
}

TEST(cut_code_points, agrees_with_a_byte_by_byte_count) {
  // Random mixes of ASCII, lead, continuation and invalid bytes around the
  // eight-byte chunks of the fast path.
  auto naive = [](const std::string& x, size_t n) {
    size_t count = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      if ((static_cast<unsigned char>(x[i]) & 0xC0) != 0x80) {
        if (count == n)
          return x.substr(0, i);
        ++count;
      }
    }
    return x;
  };
  const char bytes[] = {'a',    ' ',    '\x7f', '\xc3', '\xa9', '\xe4', '\xb8',
                        '\xad', '\xf0', '\x9f', '\x98', '\x80', '\xff'};
  uint64_t x = 12345;
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (int trial = 0; trial < 2000; ++trial) {
    std::string text(next() % 1200, ' ');
    for (auto& c : text)
      c = bytes[next() % sizeof(bytes)];
    auto n = static_cast<size_t>(next() % 1100);
    ASSERT_EQ(cut_code_points(text, n), naive(text, n))
      << "trial " << trial << ", n = " << n;
  }
}

TEST(render_prompt, shows_many_peers_in_order) {
  std::vector<peer_view> peers;
  std::string lines;
  for (int i = 0; i < 12; ++i) {
    auto id = "p" + std::to_string(i);
    auto text = repeat("w" + std::to_string(i) + " ", 400); // cut at 1000
    peers.push_back(peer_view{id, text, ""});
    lines += "\n[" + id + "] " + cut_code_points(text, 1000);
  }
  EXPECT_EQ(render_prompt("q", peers),
            "Query: q\n\nPeers:" + lines + "\n\nRefine your response:");
}

// -- extract_choice -----------------------------------------------------------

TEST(extract_choice, normalized_text_lowers_and_collapses_whitespace) {
  auto k = extractor_kind::normalized_text;
  EXPECT_EQ(extract_choice("  Hello \t  World\n", k, ""), "hello world");
  EXPECT_EQ(extract_choice("PARIS", k, ""), "paris");
  EXPECT_EQ(extract_choice("Paris.", k, ""), "paris."); // no stripping
  EXPECT_EQ(extract_choice("", k, ""), "");
  EXPECT_EQ(extract_choice(" \n\t ", k, ""), "");
  // Unicode: full lower-casing and Unicode whitespace (U+3000).
  EXPECT_EQ(extract_choice("\xc3\x80"
                           "B"
                             + utf8(0x3000) + "C",
                           k, ""),
            "\xc3\xa0"
            "b c");
}

TEST(extract_choice, last_number_takes_the_last_number) {
  auto k = extractor_kind::last_number;
  EXPECT_EQ(extract_choice("The answer is 42.", k, ""), "42");
  EXPECT_EQ(extract_choice("between 10 and 20", k, ""), "20");
  EXPECT_EQ(extract_choice("costs 12.5 dollars", k, ""), "12.5");
  EXPECT_EQ(extract_choice("3.50", k, ""), "3.5");
  EXPECT_EQ(extract_choice("4.0", k, ""), "4");
  EXPECT_EQ(extract_choice("100", k, ""), "100"); // integer zeros kept
  EXPECT_EQ(extract_choice("x = 100.000", k, ""), "100");
  EXPECT_EQ(extract_choice("temperature -7", k, ""), "-7");
  EXPECT_EQ(extract_choice("-2.25 degrees", k, ""), "-2.25");
  EXPECT_EQ(extract_choice("-0.0", k, ""), "0");
  EXPECT_EQ(extract_choice("no digits", k, ""), "");
  EXPECT_EQ(extract_choice("", k, ""), "");
}

TEST(extract_choice, regex_takes_group_one_or_the_whole_match) {
  auto k = extractor_kind::regex;
  EXPECT_EQ(extract_choice("Reasoning... ANSWER: blue. Done", k,
                           "ANSWER: (\\w+)"),
            "blue");
  EXPECT_EQ(extract_choice("a1 b22 c333", k, "[a-z]\\d{2}"), "b22");
  EXPECT_EQ(extract_choice("nothing", k, "ANSWER: (\\w+)"), "");
  // First match wins.
  EXPECT_EQ(extract_choice("x=1 x=2", k, "x=(\\d)"), "1");
}
