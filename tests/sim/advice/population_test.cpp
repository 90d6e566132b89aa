// consensus-sim advice: the default population, user populations and the
// populations derived for the diversity claims.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/advice/population.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

using namespace caf::consensus;
namespace fs = std::filesystem;

namespace {

const std::string scenarios_dir = CAF_CONSENSUS_SCENARIOS;

std::string read_text(const fs::path& p) {
  std::ifstream in{p, std::ios::binary};
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

} // namespace

TEST(advice_population, the_default_is_the_documented_file) {
  EXPECT_EQ(sim::default_population_text(),
            read_text(scenarios_dir + "/advice/population.yaml"));
  auto pop = sim::default_population();
  ASSERT_TRUE(pop) << render(pop.error());
  EXPECT_EQ(sim::participant_ids(*pop).size(), 7u);
  EXPECT_NEAR(sim::mean_accuracy(*pop), 0.6, 1e-12);
  EXPECT_EQ(pop->world.labels.size(), 4u);
}

TEST(advice_population, derived_populations_keep_the_mean_accuracy) {
  auto pop = sim::default_population();
  ASSERT_TRUE(pop);
  auto ids = sim::participant_ids(*pop);
  auto truth = pop->world.ground_truth;
  auto prob = [&](const sim::agent_group& g, const std::string& label) {
    double total = 0;
    double hit = 0;
    for (size_t i = 0; i < g.labels.size(); ++i) {
      total += g.weights[i];
      if (g.labels[i] == label)
        hit += g.weights[i];
    }
    return hit / total;
  };
  using kind = sim::population_kind;
  for (auto k : {kind::homogeneous, kind::diverse_competence,
                 kind::shared_errors, kind::diverse_errors}) {
    auto d = sim::derive_population(*pop, k);
    EXPECT_EQ(sim::participant_ids(d), ids);
    EXPECT_NEAR(sim::mean_accuracy(d), 0.6, 1e-12);
    ASSERT_EQ(d.groups.size(), 7u);
    // Latency, faults and behaviour stay with the agent.
    EXPECT_DOUBLE_EQ(d.groups[5].latency.a, 6000); // slow
    EXPECT_DOUBLE_EQ(d.groups[6].fail, 0.15);      // flaky
    EXPECT_EQ(d.groups[0].refine, sim::behaviour::conform);
    // Every derived scenario is valid.
    auto cell = sim::resolve_cell(d, 0);
    EXPECT_TRUE(cell) << render(cell.error());
  }
  auto homo = sim::derive_population(*pop, kind::homogeneous);
  for (auto& g : homo.groups)
    EXPECT_NEAR(prob(g, "cache"), 0.2, 1e-12);
  auto comp = sim::derive_population(*pop, kind::diverse_competence);
  std::vector<double> acc;
  for (auto& g : comp.groups)
    acc.push_back(prob(g, truth));
  // Low, high, low, ...: 0.35, 0.85, 0.433, 0.767, 0.517, 0.683, 0.6.
  EXPECT_NEAR(acc[0], 0.35, 1e-12);
  EXPECT_NEAR(acc[1], 0.85, 1e-12);
  EXPECT_NEAR(acc[6], 0.6, 1e-12);
  EXPECT_NEAR(*std::max_element(acc.begin(), acc.end())
                - *std::min_element(acc.begin(), acc.end()),
              0.5, 1e-12);
  auto shared = sim::derive_population(*pop, kind::shared_errors);
  for (auto& g : shared.groups)
    EXPECT_NEAR(prob(g, "cache"), 0.4, 1e-12);
  auto diverse = sim::derive_population(*pop, kind::diverse_errors);
  const char* wrong[] = {"cache", "fulltext", "partition"};
  for (size_t i = 0; i < diverse.groups.size(); ++i)
    EXPECT_NEAR(prob(diverse.groups[i], wrong[i % 3]), 0.4, 1e-12) << i;
}

TEST(advice_population, user_populations_are_checked) {
  auto q = sim::load_population(scenarios_dir + "/quickstart.yaml");
  ASSERT_TRUE(q) << render(q.error());
  EXPECT_EQ(sim::participant_ids(*q).size(), 5u);
  auto single = sim::load_population(scenarios_dir + "/snowball-polls.yaml");
  EXPECT_TRUE(single); // 5 agents
  auto lone = sim::load_population(scenarios_dir + "/condorcet.yaml");
  ASSERT_FALSE(lone); // one voter
  EXPECT_NE(render(lone.error()).find("the population has 1 agents"),
            std::string::npos)
    << render(lone.error());
  auto missing = sim::load_population("/nonexistent/pop.yaml");
  ASSERT_FALSE(missing);
  EXPECT_NE(render(missing.error()).find("/nonexistent/pop.yaml"),
            std::string::npos);
}
