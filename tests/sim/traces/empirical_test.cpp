// Tests: empirical agents resample a trace: a participant's recorded
// accuracy comes back within its interval, mixed with a synthetic agent
// (suite empirical).

#include <cmath>

#include <gtest/gtest.h>

#include "caf/consensus/sim/engine/run.hpp"
#include "trace_helpers.hpp"

using namespace caf::consensus;
using test::parse_or_throw;
using test::record_to;
using test::recorded_scenario;
using test::temp_path;

namespace {

std::string empirical_scenario(const std::string& trace) {
  return R"(name: empirical
prompt: Which answer is right?
params: {rounds: 3, k: 2, alpha: 0.6, beta_1: 0.5, beta_2: 0.8, timeout_ms: 3000}
labels: [right, wrong, other]
ground_truth: right
agents:
  - name: a
    kind: empirical
    trace: ")"
         + trace + R"("
  - name: b
    kind: empirical
    trace: ")"
         + trace + R"("
  - name: d
    answers: {right: 0.5, wrong: 0.5}
    behaviour: majority
replicates: 600
seed: 5
)";
}

} // namespace

TEST(empirical, recorded_accuracy_is_reproduced_within_its_interval) {
  auto path = temp_path("empirical.jsonl");
  record_to(recorded_scenario, path, 60);
  auto t = connectors::read_trace(path);
  ASSERT_TRUE(t) << render(t.error());
  // The recorded accuracy of `a` and `b` in round 0 (over their ok calls).
  auto recorded = [&](const std::string& id) {
    double right = 0;
    double n = 0;
    for (auto& c : t->calls)
      if (c.participant == id && c.round == 0 && c.ok()) {
        n += 1;
        right += c.label == "right" ? 1 : 0;
      }
    return right / n;
  };
  auto sc = parse_or_throw(empirical_scenario(path), temp_path("emp.yaml"));
  auto cell = sim::resolve_cell(sc, 0);
  ASSERT_TRUE(cell) << render(cell.error());
  double a_right = 0, a_n = 0, b_right = 0, b_n = 0, d_n = 0;
  for (uint64_t rep = 0; rep < sc.replicates; ++rep) {
    auto st = sim::run_state(*cell, 0, rep, sim::engine_kind::inline_calls,
                             nullptr);
    ASSERT_TRUE(st) << render(st.error());
    auto& r0a = st->responses[0][0];
    auto& r0b = st->responses[1][0];
    if (r0a.ok) {
      a_n += 1;
      a_right += r0a.label == "right" ? 1 : 0;
    }
    if (r0b.ok) {
      b_n += 1;
      b_right += r0b.label == "right" ? 1 : 0;
    }
    d_n += st->responses[2][0].ok ? 1 : 0;
  }
  // 99.9% normal interval of a proportion estimated from a_n draws.
  auto within = [](double p, double sim_p, double n) {
    return std::abs(sim_p - p) <= 3.29 * std::sqrt(p * (1 - p) / n) + 1e-9;
  };
  auto pa = recorded("a");
  auto pb = recorded("b");
  EXPECT_TRUE(within(pa, a_right / a_n, a_n)) << pa << " vs " << a_right / a_n;
  EXPECT_TRUE(within(pb, b_right / b_n, b_n)) << pb << " vs " << b_right / b_n;
  // `b` fails now and then, as recorded; the synthetic agent always answers.
  EXPECT_LT(b_n, sc.replicates);
  EXPECT_EQ(d_n, sc.replicates);
  // Resampling is seeded: the same run twice gives the same state.
  auto x = sim::run_state(*cell, 0, 3, sim::engine_kind::inline_calls, nullptr);
  auto y = sim::run_state(*cell, 0, 3, sim::engine_kind::inline_calls, nullptr);
  ASSERT_TRUE(x && y);
  EXPECT_EQ(x->winner, y->winner);
  EXPECT_EQ(x->confidence, y->confidence);
}
