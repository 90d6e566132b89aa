// detail::plurality counts votes per key in first-vote order, with a linear
// search for a few keys and a hash index beyond: both give the counts of a
// plain map.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "caf/consensus/detail/plurality.hpp"
#include "caf/consensus/rng/rng64.hpp"

using namespace caf::consensus;

namespace {

/// The expected state of a tally: keys in first-vote order and their votes.
struct reference_tally {
  std::vector<std::string> keys;
  std::map<std::string, uint64_t> votes;

  size_t add(const std::string& key) {
    if (votes[key]++ == 0)
      keys.push_back(key);
    for (size_t i = 0; i < keys.size(); ++i)
      if (keys[i] == key)
        return i;
    return keys.size();
  }
};

void expect_same(const detail::plurality& x, const reference_tally& y,
                 const std::string& where) {
  ASSERT_EQ(x.empty(), y.keys.empty()) << where;
  uint64_t total = 0;
  size_t leader = 0;
  for (size_t i = 0; i < y.keys.size(); ++i) {
    ASSERT_EQ(x.key(i), y.keys[i]) << where;
    EXPECT_EQ(x.votes(i), y.votes.at(y.keys[i])) << where;
    EXPECT_EQ(x.votes_of(y.keys[i]), y.votes.at(y.keys[i])) << where;
    total += y.votes.at(y.keys[i]);
    if (y.votes.at(y.keys[i]) > y.votes.at(y.keys[leader]))
      leader = i;
  }
  EXPECT_EQ(x.total(), total) << where;
  EXPECT_EQ(x.votes_of("never voted"), 0u) << where;
  if (!y.keys.empty()) {
    EXPECT_EQ(x.leader(), leader) << where;
    uint64_t others = 0;
    for (size_t i = 0; i < y.keys.size(); ++i)
      if (i != leader)
        others = std::max(others, y.votes.at(y.keys[i]));
    EXPECT_EQ(x.most_except(leader), others) << where;
  }
}

} // namespace

TEST(plurality, counts_like_a_map_for_few_and_many_keys) {
  rng::rng64 gen{7};
  // 1 to 60 distinct keys: below, at and beyond the linear search's limit,
  // crossing it in the middle of a tally.
  for (size_t distinct : {1, 2, 3, 15, 16, 17, 18, 40, 60}) {
    detail::plurality x;
    reference_tally y;
    for (size_t v = 0; v < 400; ++v) {
      // Skewed: low keys get most votes, so the leader changes over time.
      auto k = gen.below(distinct);
      k = std::min<uint64_t>(k, gen.below(distinct));
      auto key = "key-" + std::to_string(k);
      auto where = std::to_string(distinct) + " keys, vote "
                   + std::to_string(v);
      ASSERT_EQ(x.add(key), y.add(key)) << where;
      if (v % 37 == 0 || v == 399)
        expect_same(x, y, where);
    }
  }
}

TEST(plurality, ties_go_to_the_key_voted_first) {
  detail::plurality x;
  for (int i = 0; i < 20; ++i)
    x.add("k" + std::to_string(19 - i)); // 20 keys, one vote each
  EXPECT_EQ(x.key(x.leader()), "k19");
  // k3 and k7 get a second vote: k7 was voted first (keys came k19 ... k0).
  x.add("k3");
  x.add("k7");
  EXPECT_EQ(x.key(x.leader()), "k7");
  EXPECT_EQ(x.most_except(x.leader()), 2u);
}

TEST(plurality, a_tally_of_views_counts_alike_and_clears) {
  std::vector<std::string> labels;
  for (int i = 0; i < 40; ++i)
    labels.push_back("k" + std::to_string(i % 20));
  detail::basic_plurality<std::string_view> x;
  for (int round = 0; round < 2; ++round) {
    x.clear();
    EXPECT_TRUE(x.empty());
    for (auto& l : labels)
      x.add(l);
    EXPECT_EQ(x.total(), 40u);
    EXPECT_EQ(x.votes_of("k19"), 2u);
    EXPECT_EQ(x.key(x.leader()), "k0");
  }
}
