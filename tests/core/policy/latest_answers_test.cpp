// caf-consensus: policies keep every participant's latest ok answer and the
// round's votes in flat arrays of their own (`detail::latest_answers`,
// snowball's per-round vote ids, sequential's latest tally entries); these
// tests check them against the state's response history on random runs with
// failures, empty keys and repeated keys.

#include <gtest/gtest.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/rng/rng64.hpp"

using namespace caf::consensus;

namespace {

std::vector<std::string> make_ids(size_t n) {
  std::vector<std::string> ids;
  for (size_t i = 0; i < n; ++i)
    ids.push_back("p" + std::to_string(i));
  return ids;
}

/// A random answer: fails (30%), or answers with one of three keys or with
/// an empty output (no key: the extractor finds none).
result random_answer(const request& req, rng::rng64& gen) {
  auto x = gen.below(10);
  if (x < 3)
    return make_failure(req.participant, req.round, "down");
  if (x == 3)
    return make_ok(req.participant, std::string{});
  static const char* const keys[] = {"alpha", "beta", "gamma"};
  auto key = keys[gen.below(3)];
  return make_ok(req.participant, std::string{key} + " says " + req.participant
                                    + " in round " + std::to_string(req.round));
}

/// Checks that every request of the pending round shows exactly the latest
/// ok answers of its sampled peers and of its participant.
void check_requests(const engine& eng, const std::string& policy) {
  auto& st = eng.current();
  auto& reqs = eng.requests();
  ASSERT_EQ(reqs.size(), st.participants.size());
  auto& samples = st.trace.back().samples;
  for (auto& req : reqs) {
    if (req.round == 0)
      continue;
    auto i = req.index;
    ASSERT_LT(i, samples.size()) << policy;
    std::vector<uint32_t> shown;
    for (auto j : samples[i])
      if (st.latest_ok(j) != nullptr)
        shown.push_back(j);
    ASSERT_EQ(req.peers.size(), shown.size())
      << policy << ", round " << req.round << ", participant " << i;
    for (size_t m = 0; m < shown.size(); ++m) {
      auto r = st.latest_ok(shown[m]);
      EXPECT_EQ(req.peers[m].id, st.participants[shown[m]]) << policy;
      EXPECT_EQ(req.peers[m].text, r->text) << policy;
      EXPECT_EQ(req.peers[m].label, r->label) << policy;
    }
    auto own = st.latest_ok(i);
    EXPECT_EQ(req.own_text, own ? std::string{own->text} : std::string{})
      << policy;
    EXPECT_EQ(req.own_label, own ? own->label : std::string{}) << policy;
  }
}

/// Runs `policy` with random answers, checking every round's requests.
state run_checked(const std::string& policy, size_t n, uint64_t seed) {
  params ps;
  ps.policy = policy;
  ps.rounds = 6;
  ps.k = 3;
  ps.beta_1 = 2; // metastable: every round runs
  ps.beta = 100; // snowball: nobody decides
  ps.seed = seed;
  auto eng = engine::make("Which key?", make_ids(n), ps);
  if (!eng) {
    ADD_FAILURE() << render(eng.error());
    return {};
  }
  rng::rng64 gen{seed};
  while (!eng->done()) {
    check_requests(*eng, policy);
    std::vector<result> results;
    for (auto& req : eng->requests())
      results.push_back(random_answer(req, gen));
    eng->complete(std::move(results));
  }
  return eng->take();
}

/// The latest ok response of `i` as of the end of `round`.
const response* latest_ok_until(const state& st, size_t i, int32_t round) {
  const response* out = nullptr;
  for (auto& r : st.responses[i])
    if (r.ok && r.round <= round)
      out = &r;
  return out;
}

} // namespace

// n = 7: samplers on explicit pools; n = 40: the fast draws.
TEST(latest_answers, requests_show_the_latest_ok_answers) {
  for (auto policy : {"metastable", "snowball", "vote"})
    for (size_t n : {7, 40})
      for (uint64_t seed : {1, 2, 3}) {
        auto st = run_checked(policy, n, seed);
        EXPECT_EQ(st.rounds_executed, 6) << policy;
      }
}

TEST(latest_answers, vote_confidence_is_the_share_of_latest_votes) {
  for (uint64_t seed : {4, 5, 6}) {
    auto st = run_checked("vote", 40, seed);
    ASSERT_EQ(st.trace.size(), 7u);
    for (auto& tr : st.trace) {
      std::unordered_map<std::string, size_t> votes;
      size_t voters = 0;
      for (size_t i = 0; i < 40; ++i)
        if (auto r = latest_ok_until(st, i, tr.round); r && !r->label.empty()) {
          ++voters;
          ++votes[r->label];
        }
      ASSERT_EQ(tr.confidence.size(), 40u);
      for (size_t i = 0; i < 40; ++i) {
        auto r = latest_ok_until(st, i, tr.round);
        auto want = !r || r->label.empty() || voters == 0
                      ? 0.0
                      : static_cast<double>(votes[r->label])
                          / static_cast<double>(voters);
        EXPECT_EQ(tr.confidence[i], want)
          << "seed " << seed << ", round " << tr.round << ", " << i;
      }
    }
  }
}

TEST(latest_answers, sequential_confidence_is_the_share_of_all_votes) {
  for (uint64_t seed : {7, 8, 9}) {
    // delta tiny: no certificate, every round runs.
    params ps;
    ps.policy = "sequential";
    ps.rounds = 6;
    ps.delta = 1e-12;
    auto eng = engine::make("Which key?", make_ids(40), ps);
    ASSERT_TRUE(eng) << render(eng.error());
    rng::rng64 gen{seed};
    while (!eng->done()) {
      std::vector<result> results;
      for (auto& req : eng->requests())
        results.push_back(random_answer(req, gen));
      eng->complete(std::move(results));
    }
    auto st = eng->take();
    ASSERT_EQ(st.trace.size(), 7u);
    for (auto& tr : st.trace) {
      std::unordered_map<std::string, size_t> votes;
      size_t total = 0;
      for (auto& xs : st.responses)
        for (auto& r : xs)
          if (r.ok && !r.label.empty() && r.round <= tr.round) {
            ++total;
            ++votes[r.label];
          }
      for (size_t i = 0; i < 40; ++i) {
        auto r = latest_ok_until(st, i, tr.round);
        auto want = !r || total == 0 ? 0.0
                                     : static_cast<double>(votes[r->label])
                                         / static_cast<double>(total);
        EXPECT_EQ(tr.confidence[i], want)
          << "seed " << seed << ", round " << tr.round << ", " << i;
      }
    }
  }
}

TEST(latest_answers, snowball_agreement_counts_the_round_votes_of_its_sample) {
  for (uint64_t seed : {10, 11, 12}) {
    auto st = run_checked("snowball", 40, seed);
    for (auto& tr : st.trace) {
      if (tr.round == 0)
        continue;
      ASSERT_FALSE(tr.agreements.empty());
      for (auto& a : tr.agreements) {
        EXPECT_EQ(a.sampled, tr.samples[a.participant]);
        size_t yes = 0;
        for (auto j : a.sampled)
          for (auto& r : st.responses[j])
            if (r.round == tr.round && r.ok && !r.label.empty())
              ++yes;
        EXPECT_EQ(a.agreement, static_cast<double>(yes)
                                 / static_cast<double>(a.sampled.size()))
          << "seed " << seed << ", round " << tr.round;
      }
    }
  }
}
