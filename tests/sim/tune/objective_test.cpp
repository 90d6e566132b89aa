// consensus-sim tune: objectives: goals, Pareto, constraints and the errors
// of bad terms.

#include <gtest/gtest.h>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/tune/objective.hpp"

using namespace caf::consensus;

namespace {

std::string objective_error_of(const std::string& text) {
  auto o = sim::parse_objective(text);
  if (o)
    return "parsed";
  return render(o.error());
}

} // namespace

TEST(tune_objective, goal_alone) {
  auto o = sim::parse_objective("accuracy");
  ASSERT_TRUE(o);
  EXPECT_FALSE(o->pareto);
  EXPECT_EQ(o->goal.metric, sim::tune_metric::accuracy);
  EXPECT_TRUE(o->goal.maximize);
  EXPECT_TRUE(o->constraints.empty());
  o = sim::parse_objective(" min:calls ");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->goal.metric, sim::tune_metric::calls);
  EXPECT_FALSE(o->goal.maximize);
  o = sim::parse_objective("latency");
  ASSERT_TRUE(o);
  EXPECT_FALSE(o->goal.maximize);
  o = sim::parse_objective("max:finalize");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->goal.metric, sim::tune_metric::finalize);
  EXPECT_TRUE(o->goal.maximize);
}

TEST(tune_objective, constraints_with_units) {
  auto o = sim::parse_objective(
    "finalize, accuracy>=0.95, calls<=40, p95_latency<=2s, "
    "latency<=1500ms, wrong_final<=0.01");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->goal.metric, sim::tune_metric::finalize);
  ASSERT_EQ(o->constraints.size(), 5u);
  EXPECT_EQ(o->constraints[0].metric, sim::tune_metric::accuracy);
  EXPECT_TRUE(o->constraints[0].at_least);
  EXPECT_DOUBLE_EQ(o->constraints[0].bound, 0.95);
  EXPECT_FALSE(o->constraints[1].at_least);
  EXPECT_DOUBLE_EQ(o->constraints[1].bound, 40);
  EXPECT_EQ(o->constraints[2].metric, sim::tune_metric::p95_latency);
  EXPECT_DOUBLE_EQ(o->constraints[2].bound, 2);
  EXPECT_DOUBLE_EQ(o->constraints[3].bound, 1.5);
  EXPECT_EQ(o->constraints[4].metric, sim::tune_metric::wrong_final);
  EXPECT_EQ(o->constraints[2].text, "p95_latency<=2s");
}

TEST(tune_objective, pareto) {
  auto o = sim::parse_objective("pareto, accuracy>=0.5");
  ASSERT_TRUE(o);
  EXPECT_TRUE(o->pareto);
  EXPECT_EQ(o->constraints.size(), 1u);
}

TEST(tune_objective, bad_terms_are_named) {
  EXPECT_NE(objective_error_of("").find("empty term"), std::string::npos);
  EXPECT_NE(objective_error_of("accuracy,").find("empty term"),
            std::string::npos);
  EXPECT_NE(objective_error_of("accuracy>=0.9").find("has no goal"),
            std::string::npos);
  EXPECT_NE(objective_error_of("speed").find("'speed': unknown goal"),
            std::string::npos);
  EXPECT_NE(objective_error_of("accuracy, calls").find("a second goal"),
            std::string::npos);
  EXPECT_NE(objective_error_of("accuracy, pareto").find("a second goal"),
            std::string::npos);
  EXPECT_NE(objective_error_of("accuracy, accuracy>=1.5")
              .find("'accuracy>=1.5': a rate bound must be in [0, 1]"),
            std::string::npos);
  EXPECT_NE(objective_error_of("accuracy, calls<=-1").find("must be >= 0"),
            std::string::npos);
  EXPECT_NE(objective_error_of("accuracy, calls<=forty")
              .find("expected a number after '<='"),
            std::string::npos);
  EXPECT_NE(objective_error_of("accuracy, calls<=4s")
              .find("expected a number after '<='"),
            std::string::npos);
  EXPECT_NE(
    objective_error_of("accuracy, speed>=3").find("unknown metric 'speed'"),
    std::string::npos);
  EXPECT_NE(objective_error_of("accuracy, calls<40")
              .find("constraints are METRIC>=X or METRIC<=X"),
            std::string::npos);
  EXPECT_NE(objective_error_of("p95_latency").find("can only be a constraint"),
            std::string::npos);
  EXPECT_NE(
    objective_error_of("accuracy, latency<=nan").find("expected a number"),
    std::string::npos);
  EXPECT_NE(objective_error_of(std::string(2000, 'a')).find("longer than"),
            std::string::npos);
}
