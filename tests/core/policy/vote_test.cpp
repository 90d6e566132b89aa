// caf-consensus: hand-computed cases of policy `vote` (plurality vote after
// round 0, or debate-then-vote after refinement rounds).

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"

using namespace caf::consensus;

namespace {

using strings = std::vector<std::string>;

/// Labels per round and participant; "!" = the call fails.
using table = std::vector<strings>;

params vote_params(int32_t rounds, int32_t k = 3) {
  params ps;
  ps.policy = "vote";
  ps.rounds = rounds;
  ps.k = k;
  return ps;
}

state run_labels(strings ids, params ps, const table& labels,
                 std::vector<request>* log = nullptr) {
  auto eng = engine::make("vote please", std::move(ids), std::move(ps));
  if (!eng) {
    ADD_FAILURE() << "engine::make failed: " << render(eng.error());
    return {};
  }
  return run_inline(*eng, [&](const request& req) {
    if (log != nullptr)
      log->push_back(req);
    auto& label = labels.at(static_cast<size_t>(req.round)).at(req.index);
    if (label == "!")
      return make_failure(req.participant, req.round, "unavailable");
    auto r = make_ok(req.participant, req.participant + " votes " + label
                                        + " in round "
                                        + std::to_string(req.round));
    r.label = label;
    return r;
  });
}

state run_texts(strings ids, params ps, const strings& outputs) {
  auto eng = engine::make("q", std::move(ids), std::move(ps));
  if (!eng) {
    ADD_FAILURE() << "engine::make failed: " << render(eng.error());
    return {};
  }
  return run_inline(*eng, [&](const request& req) {
    return make_ok(req.participant, outputs.at(req.index));
  });
}

} // namespace

TEST(vote, plurality_after_round_zero) {
  std::vector<request> log;
  auto st = run_labels({"a", "b", "c"}, vote_params(0), {{"X", "Y", "Y"}},
                       &log);
  EXPECT_EQ(log.size(), 3u);
  EXPECT_EQ(st.policy, "vote");
  EXPECT_EQ(st.stop, stop_reason::no_rounds);
  EXPECT_EQ(st.rounds_executed, 0);
  EXPECT_EQ(st.winner_label, "Y");
  EXPECT_EQ(st.winner, "b");
  EXPECT_EQ(st.synthesis, "b votes Y in round 0");
  EXPECT_TRUE(st.finalized); // 2 of 3
  EXPECT_EQ(st.confidence,
            (std::vector<double>{1.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0}));
  EXPECT_EQ(st.scores, st.confidence);
}

TEST(vote, ties_go_to_the_earliest_participant) {
  auto st = run_labels({"a", "b", "c", "d"}, vote_params(0),
                       {{"X", "Y", "Y", "X"}});
  EXPECT_EQ(st.winner_label, "X");
  EXPECT_EQ(st.winner, "a");
  EXPECT_FALSE(st.finalized); // 2 of 4 is no strict majority
  // Not alphabetical: Y held first wins.
  st = run_labels({"a", "b", "c", "d"}, vote_params(0), {{"Y", "X", "X", "Y"}});
  EXPECT_EQ(st.winner_label, "Y");
  EXPECT_EQ(st.winner, "a");
  // The earliest holder of the winning key is the winner.
  st = run_labels({"a", "b", "c", "d", "e"}, vote_params(0),
                  {{"Z", "Y", "X", "Y", "X"}});
  EXPECT_EQ(st.winner_label, "Y");
  EXPECT_EQ(st.winner, "b");
}

TEST(vote, finalization_needs_a_strict_majority_of_all_participants) {
  struct cse {
    strings labels;
    bool finalized;
    std::string key;
  };
  std::vector<cse> cases{
    {{"X", "X", "X", "Y"}, true, "X"},
    {{"X", "X", "Y", "Z"}, false, "X"},      // plurality only
    {{"X", "X", "Y", "Z", "W"}, false, "X"}, // 2 of 5
    {{"X", "X", "X", "Y", "Y"}, true, "X"},  // 3 of 5
    {{"X", "X", "!"}, true, "X"},            // 2 of 3, one failed
    {{"X", "X", "!", "!"}, false, "X"},      // failures count in n
    {{"X"}, true, "X"},
  };
  for (auto& c : cases) {
    strings ids;
    for (size_t i = 0; i < c.labels.size(); ++i)
      ids.push_back("p" + std::to_string(i));
    auto st = run_labels(ids, vote_params(0), {c.labels});
    EXPECT_EQ(st.finalized, c.finalized) << ::testing::PrintToString(c.labels);
    EXPECT_EQ(st.winner_label, c.key);
  }
}

TEST(vote, confidence_is_the_share_of_votes_among_voters) {
  auto st = run_labels({"a", "b", "c", "d"}, vote_params(0),
                       {{"X", "!", "X", "Y"}});
  EXPECT_EQ(st.confidence,
            (std::vector<double>{2.0 / 3.0, 0.0, 2.0 / 3.0, 1.0 / 3.0}));
}

TEST(vote, nobody_answering_means_no_winner) {
  auto st = run_labels({"a", "b"}, vote_params(1, 1), {{"!", "!"}, {"!", "!"}});
  EXPECT_EQ(st.winner, "");
  EXPECT_EQ(st.winner_label, "");
  EXPECT_EQ(st.synthesis, "");
  EXPECT_FALSE(st.finalized);
  EXPECT_EQ(st.rounds_executed, 1);
}

TEST(vote, debate_then_vote_counts_the_final_round) {
  std::vector<request> log;
  auto st = run_labels({"a", "b", "c"}, vote_params(2, 2),
                       {{"X", "Y", "Y"}, {"Y", "X", "X"}, {"Y", "X", "X"}},
                       &log);
  EXPECT_EQ(log.size(), 9u);
  EXPECT_EQ(st.rounds_executed, 2);
  EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
  // Round 0 would have elected Y; the final round elects X.
  EXPECT_EQ(st.trace.at(0).confidence,
            (std::vector<double>{1.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0}));
  EXPECT_EQ(st.winner_label, "X");
  EXPECT_EQ(st.winner, "b");
  EXPECT_EQ(st.synthesis, "b votes X in round 2");
  EXPECT_TRUE(st.finalized);
}

TEST(vote, never_stops_early_unless_asked_for_unanimity) {
  table labels{
    {"X", "Y", "X"}, {"X", "X", "X"}, {"X", "X", "X"}, {"X", "X", "X"}};
  auto st = run_labels({"a", "b", "c"}, vote_params(3, 2), labels);
  EXPECT_EQ(st.rounds_executed, 3);
  EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
  EXPECT_EQ(st.unanimity_round, 1);
  EXPECT_EQ(st.unanimity_label, "X");
  auto ps = vote_params(3, 2);
  ps.stop_on_unanimity = true;
  st = run_labels({"a", "b", "c"}, ps, labels);
  EXPECT_EQ(st.rounds_executed, 1);
  EXPECT_EQ(st.stop, stop_reason::unanimity);
  EXPECT_TRUE(st.finalized);
  EXPECT_EQ(st.winner, "a");
}

TEST(vote, a_failed_last_round_keeps_the_previous_vote) {
  // b fails in round 1: its vote stays Y from round 0.
  auto st = run_labels({"a", "b", "c"}, vote_params(1, 2),
                       {{"X", "Y", "Y"}, {"X", "!", "X"}});
  EXPECT_EQ(st.winner_label, "X");
  EXPECT_EQ(st.winner, "a");
  EXPECT_TRUE(st.finalized);
  EXPECT_EQ(st.confidence,
            (std::vector<double>{2.0 / 3.0, 1.0 / 3.0, 2.0 / 3.0}));
  // If the winner's latest call failed, the synthesis is its latest ok one.
  st = run_labels({"a", "b", "c"}, vote_params(1, 2),
                  {{"Y", "X", "Y"}, {"!", "X", "Y"}});
  EXPECT_EQ(st.winner, "a");
  EXPECT_EQ(st.winner_label, "Y");
  EXPECT_EQ(st.synthesis, "a votes Y in round 0");
}

TEST(vote, debate_samples_are_distinct_ok_peers) {
  for (int32_t k : {1, 2, 10}) {
    std::vector<request> log;
    table labels(3, strings{"A", "B", "A", "B", "!"});
    auto st = run_labels({"a", "b", "c", "d", "e"}, vote_params(2, k), labels,
                         &log);
    for (int32_t r = 1; r <= 2; ++r) {
      for (uint32_t i = 0; i < 5; ++i) {
        auto& s = st.trace.at(r).samples.at(i);
        std::set<uint32_t> distinct(s.begin(), s.end());
        EXPECT_EQ(distinct.size(), s.size());
        EXPECT_EQ(distinct.count(i), 0u);
        EXPECT_EQ(distinct.count(4), 0u) << "e never answered ok";
        if (i < 4) {
          EXPECT_EQ(s.size(), static_cast<size_t>(std::min(k, 3)));
        }
        auto& req = log.at(static_cast<size_t>(5 * r + i));
        ASSERT_EQ(req.peers.size(), s.size());
        for (size_t x = 0; x < s.size(); ++x)
          EXPECT_EQ(req.peers[x].id, st.participants[s[x]]);
        EXPECT_EQ(req.prompt, render_prompt("vote please", req.peers));
      }
    }
  }
}

TEST(vote, labels_are_extracted_from_text) {
  // Default extractor: normalized text.
  auto st = run_texts({"a", "b", "c"}, vote_params(0),
                      {"Paris", "  PARIS ", "Lyon"});
  EXPECT_EQ(st.responses[1][0].label, "paris");
  EXPECT_EQ(st.winner_label, "paris");
  EXPECT_EQ(st.winner, "a");
  EXPECT_TRUE(st.finalized);
  // Last number.
  auto ps = vote_params(0);
  ps.extractor = extractor_kind::last_number;
  st = run_texts({"a", "b", "c", "d"}, ps,
                 {"2+2 is 4", "It is 5", "four, i.e. 4.0", "I say 5.00"});
  EXPECT_EQ(st.winner_label, "4"); // 2:2, a first
  EXPECT_EQ(st.winner, "a");
  EXPECT_FALSE(st.finalized);
  // Regular expression; a response without a match casts no vote.
  ps.extractor = extractor_kind::regex;
  ps.extractor_pattern = "ANSWER: ([A-D])";
  st = run_texts({"a", "b", "c"}, ps,
                 {"I am unsure", "ANSWER: C because", "so... ANSWER: C"});
  EXPECT_EQ(st.responses[0][0].label, "");
  EXPECT_EQ(st.winner_label, "C");
  EXPECT_EQ(st.winner, "b");
  EXPECT_TRUE(st.finalized); // 2 of 3
  EXPECT_EQ(st.confidence, (std::vector<double>{0.0, 1.0, 1.0}));
}

TEST(vote, an_explicit_label_wins_over_the_extractor) {
  auto eng = engine::make("q", {"a", "b", "c"}, vote_params(0));
  ASSERT_TRUE(eng);
  auto st = run_inline(*eng, [](const request& req) {
    auto r = make_ok(req.participant, "text says Z");
    if (req.index > 0)
      r.label = "K";
    return r;
  });
  EXPECT_EQ(st.winner_label, "K");
  EXPECT_EQ(st.winner, "b");
  EXPECT_TRUE(st.finalized);
}
