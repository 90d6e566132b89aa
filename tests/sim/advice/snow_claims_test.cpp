// The Snow family's claims: verdicts come from the runs, and the same
// options give the same verdicts with any number of threads.

#include "caf/consensus/sim/advice/snow_claims.hpp"

#include <gtest/gtest.h>

using namespace caf::consensus::sim;

namespace {

const snow_verdict& claim_of(const std::vector<snow_verdict>& xs,
                             const std::string& id) {
  for (auto& x : xs)
    if (x.id == id)
      return x;
  throw std::runtime_error("no claim " + id);
}

} // namespace

TEST(snow_claims, verdicts_follow_the_runs_on_any_thread_count) {
  snow_claim_options opts;
  opts.runs = 100;
  opts.threads = 1;
  auto one = run_snow_claims(opts);
  opts.threads = 3;
  auto three = run_snow_claims(opts);
  ASSERT_EQ(one.size(), 11u);
  ASSERT_EQ(one.size(), three.size());
  for (size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].id, three[i].id);
    EXPECT_EQ(one[i].v, three[i].v) << one[i].id;
    EXPECT_EQ(one[i].evidence, three[i].evidence) << one[i].id;
  }
  // Measured, not assumed: dual alpha is faster with two colours, the flat
  // ten-colour network is capped, K 4 / 3 / 2 splits 100 nodes, and the
  // 1e-9 claim cannot be confirmed by 100 runs.
  EXPECT_EQ(claim_of(one, "dual-alpha-2").v, verdict::holds);
  EXPECT_EQ(claim_of(one, "dual-alpha-10").v, verdict::inconclusive);
  EXPECT_EQ(claim_of(one, "no-disagreement").v, verdict::holds);
  EXPECT_EQ(claim_of(one, "luxfi-preset-k4").v, verdict::does_not_hold);
  EXPECT_EQ(claim_of(one, "luxfi-safety").v, verdict::inconclusive);
  EXPECT_NE(claim_of(one, "luxfi-safety").evidence.find("0/100"),
            std::string::npos);
  auto text = snow_claims_text(one);
  EXPECT_NE(text.find("-> HOLDS"), std::string::npos);
  EXPECT_NE(text.find("-> DOES NOT HOLD"), std::string::npos);
}
