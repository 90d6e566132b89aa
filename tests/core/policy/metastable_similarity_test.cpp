// Tests: policy metastable with a pluggable similarity (suite metastable).

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/request.hpp"
#include "caf/consensus/text/similarity.hpp"

#include "core/policy/metastable_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;

namespace {

/// Overlap coefficient |A ∩ B| / min(|A|, |B|) on token sets.
class overlap_similarity : public text::token_similarity {
public:
  double on_tokens(const text::token_set& a,
                   const text::token_set& b) const override {
    if (a.empty() || b.empty())
      return 0;
    size_t common = 0;
    for (auto& x : a)
      if (std::find(b.begin(), b.end(), x) != b.end())
        ++common;
    return static_cast<double>(common)
           / static_cast<double>(std::min(a.size(), b.size()));
  }
};

} // namespace

// -- pluggable similarity -----------------------------------------------------

TEST(metastable, a_custom_similarity_changes_agreement) {
  auto run_with = [](std::shared_ptr<const text::similarity> sim) {
    params ps;
    ps.rounds = 2;
    engine_options opts;
    opts.similarity = std::move(sim);
    return run_script(
      ids_of(3), ps,
      [](const request& req) {
        return make_ok(req.participant, disjoint(req));
      },
      nullptr, opts);
  };
  // Default Jaccard: disjoint answers never agree.
  auto st = run_with(nullptr);
  EXPECT_FALSE(st.finalized);
  EXPECT_EQ(st.rounds_executed, 2);
  // "Everything is similar": the same answers finalize after one round.
  auto always = std::make_shared<fn_similarity>(
    [](std::string_view, std::string_view) { return 1.0; });
  st = run_with(always);
  EXPECT_TRUE(st.finalized);
  EXPECT_EQ(st.rounds_executed, 1);
  // 3 participants, samples of 2: 6 comparisons in round 1.
  EXPECT_EQ(always->calls.load(), 6);
}

TEST(metastable, a_custom_similarity_sees_this_rounds_outputs) {
  std::vector<std::pair<std::string, std::string>> seen;
  auto sim = std::make_shared<fn_similarity>(
    [&](std::string_view a, std::string_view b) {
      seen.emplace_back(std::string{a}, std::string{b});
      return 0.0;
    });
  params ps;
  ps.k = 1;
  ps.rounds = 1;
  engine_options opts;
  opts.similarity = sim;
  auto st = run_script(
    {"a", "b"}, ps,
    [](const request& req) {
      return make_ok(req.participant,
                     req.participant + std::to_string(req.round));
    },
    nullptr, opts);
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::string>>{
                    {"a1", "b1"}, {"b1", "a1"}}));
  EXPECT_EQ(st.confidence, (std::vector<double>{0.0, 0.0}));
}

TEST(metastable, a_never_similar_measure_blocks_identical_answers) {
  params ps;
  engine_options opts;
  opts.similarity = std::make_shared<fn_similarity>(
    [](std::string_view, std::string_view) { return 0.0; });
  auto st = run_script(
    ids_of(3), ps,
    [](const request& req) { return make_ok(req.participant, "same"); },
    nullptr, opts);
  EXPECT_FALSE(st.finalized);
  EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
}

TEST(metastable, a_custom_token_similarity_is_used_on_token_sets) {
  // Jaccard("x", "x y") = 0.5 < alpha, overlap coefficient = 1.
  params ps;
  ps.k = 1;
  ps.rounds = 1;
  auto script = [](const request& req) {
    return make_ok(req.participant, req.index == 0 ? "X" : "x   y");
  };
  auto st = run_script({"a", "b"}, ps, script);
  EXPECT_EQ(st.confidence, (std::vector<double>{0.0, 0.0}));
  engine_options opts;
  opts.similarity = std::make_shared<overlap_similarity>();
  st = run_script({"a", "b"}, ps, script, nullptr, opts);
  EXPECT_EQ(st.confidence, (std::vector<double>{1.0, 1.0}));
  EXPECT_TRUE(st.finalized);
}
