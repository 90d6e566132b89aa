// Tests: fitting traces recorded from a known synthetic scenario recovers
// its accuracy, correlation, refinement, failure and latency parameters
// within their intervals; the fitted scenario loads and runs; the holdout
// check compares predictions with held-out runs (suite trace_fit).

#include <algorithm>
#include <sstream>

#include <gtest/gtest.h>

#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/report/trace_fit.hpp"
#include "trace_helpers.hpp"

using namespace caf::consensus;
using test::parse_or_throw;
using test::record_to;
using test::recorded_scenario;
using test::temp_path;

namespace {

bool in(const sim::rate& r, double x) {
  return r.lo <= x && x <= r.hi;
}

std::vector<sim::named_trace> read(const std::string& path) {
  auto t = connectors::read_trace(path);
  if (!t)
    throw std::runtime_error(render(t.error()));
  std::vector<sim::named_trace> out;
  out.push_back({path, std::move(*t)});
  return out;
}

} // namespace

TEST(trace_fit, recovers_the_parameters_of_a_known_scenario) {
  auto path = temp_path("fit_known.jsonl");
  record_to(recorded_scenario, path, 400);
  auto traces = read(path);
  auto runs = sim::merge_traces(traces);
  ASSERT_TRUE(runs) << render(runs.error());
  auto f = sim::fit_traces(**runs);
  EXPECT_EQ(f.runs, 400u);
  EXPECT_EQ(f.truth, "right");
  ASSERT_EQ(f.participants.size(), 3u);
  auto& a = f.participants[0];
  auto& b = f.participants[1];
  auto& c = f.participants[2];
  // Accuracy: P(right) of each answer distribution.
  EXPECT_TRUE(in(a.accuracy, 0.8)) << a.accuracy.lo << " " << a.accuracy.hi;
  EXPECT_TRUE(in(b.accuracy, 0.6)) << b.accuracy.lo << " " << b.accuracy.hi;
  EXPECT_TRUE(in(c.accuracy, 0.4)) << c.accuracy.lo << " " << c.accuracy.hi;
  // Refinement: majority = always, conform:0.7, stubborn = never.
  EXPECT_TRUE(in(a.refine, 1.0)) << a.refine.lo << " " << a.refine.hi;
  EXPECT_TRUE(in(b.refine, 0.7)) << b.refine.lo << " " << b.refine.hi;
  EXPECT_TRUE(in(c.refine, 0.0)) << c.refine.lo << " " << c.refine.hi;
  EXPECT_GT(c.refine.n, 0u);
  // Failures: b fails 10% of its calls, the others never.
  EXPECT_TRUE(in(b.fail, 0.1)) << b.fail.lo << " " << b.fail.hi;
  EXPECT_EQ(a.fail.hits, 0u);
  // Latency of a: log-normal, median 400 ms, sigma 0.5.
  EXPECT_LE(a.latency.median_lo, 400.0);
  EXPECT_GE(a.latency.median_hi, 400.0);
  EXPECT_LE(a.latency.sigma_lo, 0.5);
  EXPECT_GE(a.latency.sigma_hi, 0.5);
  EXPECT_LT(a.latency.ks, 0.05);
  // Correlation: the agents draw independently in round 0.
  ASSERT_EQ(f.correlations.size(), 3u);
  for (auto& x : f.correlations) {
    ASSERT_TRUE(x.defined);
    EXPECT_LE(x.lo, 0.0) << x.a << "~" << x.b;
    EXPECT_GE(x.hi, 0.0) << x.a << "~" << x.b;
  }
  // The fitted scenario loads and runs.
  auto text = sim::fit_scenario_text(f, 50, 3);
  auto sc = parse_or_throw(text, temp_path("fitted.yaml"));
  auto cell = sim::resolve_cell(sc, 0);
  ASSERT_TRUE(cell) << render(cell.error());
  auto st = sim::run_state(*cell, 0, 0, sim::engine_kind::inline_calls,
                           nullptr);
  ASSERT_TRUE(st) << render(st.error());
  EXPECT_FALSE(sim::fit_table(f).empty());
}

TEST(trace_fit, correlated_answers_show_a_positive_correlation) {
  // `c` repeats `a`'s answer: a correlation the fit must see.
  std::string text = recorded_scenario;
  auto at = text.find("  - name: c\n");
  text = text.substr(0, at);
  text += "  - name: c\n    answers: {right: 0.8, wrong: 0.1, other: 0.1}\n"
          "    behaviour: stubborn\n    latency: 250\nreplicates: 10\n"
          "seed: 11\n";
  // With independent draws the correlation is 0; record and check the
  // interval excludes large values, then a correlated pair: the same
  // recorded answers twice (a trace whose `c` is a copy of `a`).
  auto path = temp_path("fit_corr.jsonl");
  record_to(text, path, 200);
  auto t = connectors::read_trace(path);
  ASSERT_TRUE(t);
  for (auto& call : t->calls)
    if (call.participant == "c")
      for (auto& other : t->calls)
        if (other.participant == "a" && other.run == call.run
            && other.round == call.round && other.ok() && call.ok()) {
          call.output = other.output;
          call.label = other.label;
        }
  std::vector<sim::named_trace> traces;
  traces.push_back({path, std::move(*t)});
  auto runs = sim::merge_traces(traces);
  ASSERT_TRUE(runs);
  auto f = sim::fit_traces(**runs);
  auto& ac = f.correlations[1]; // a ~ c
  ASSERT_EQ(ac.a, 0u);
  ASSERT_EQ(ac.b, 2u);
  ASSERT_TRUE(ac.defined);
  EXPECT_GT(ac.lo, 0.8) << ac.r;
}

TEST(trace_fit, holdout_predictions_match_the_held_out_runs) {
  auto path = temp_path("fit_holdout.jsonl");
  record_to(recorded_scenario, path, 300);
  auto traces = read(path);
  auto runs = sim::merge_traces(traces);
  ASSERT_TRUE(runs);
  auto h = sim::check_holdout(**runs, 0.3, 7, 300);
  ASSERT_TRUE(h) << render(h.error());
  EXPECT_EQ(h->held_out, 90u);
  EXPECT_EQ(h->fit_runs, 210u);
  auto overlap = [](double a, double b, double c, double d) {
    return a <= d && c <= b;
  };
  EXPECT_TRUE(overlap(h->predicted_finalize.lo, h->predicted_finalize.hi,
                      h->observed_finalize.lo, h->observed_finalize.hi))
    << sim::holdout_table(*h);
  EXPECT_TRUE(overlap(h->predicted_accuracy.lo, h->predicted_accuracy.hi,
                      h->observed_accuracy.lo, h->observed_accuracy.hi))
    << sim::holdout_table(*h);
  EXPECT_GT(h->observed_accuracy.n, 0u);
  EXPECT_NE(sim::holdout_table(*h).find("finalize rate"), std::string::npos);
  // Bad holdouts are errors.
  EXPECT_FALSE(sim::check_holdout(**runs, 1.0, 7, 10));
  EXPECT_FALSE(sim::check_holdout(**runs, 0.0, 7, 10));
}

TEST(trace_fit, traces_of_other_runs_do_not_merge) {
  auto one = temp_path("fit_merge_1.jsonl");
  auto two = temp_path("fit_merge_2.jsonl");
  record_to(recorded_scenario, one, 3);
  std::string other = recorded_scenario;
  other.replace(other.find("k: 2"), 4, "k: 1");
  record_to(other, two, 3);
  std::vector<sim::named_trace> xs;
  for (auto& p : {one, two}) {
    auto t = connectors::read_trace(p);
    ASSERT_TRUE(t);
    xs.push_back({p, std::move(*t)});
  }
  auto runs = sim::merge_traces(xs);
  ASSERT_FALSE(runs);
  EXPECT_NE(
    render(runs.error())
      .find(two + ":1: key 'params': differs from the params of " + one),
    std::string::npos)
    << render(runs.error());
  // The same runs twice merge (their run ids repeat: runs are per trace).
  std::vector<sim::named_trace> twice{xs[0], xs[0]};
  auto same = sim::merge_traces(twice);
  ASSERT_TRUE(same);
  EXPECT_EQ(sim::run_count(**same), 6u);
}

TEST(trace_fit, answers_cluster_as_the_policy_compares_them) {
  // Policy vote with the last-number extractor: "It is 42." and "42" are
  // one answer; under metastable (Jaccard) they are two.
  auto make = [](const std::string& policy) {
    connectors::trace_header h;
    h.ps.policy = policy;
    h.ps.rounds = 1;
    h.ps.k = 1;
    h.ps.extractor = extractor_kind::last_number;
    h.participants = {{"a", "m"}, {"b", "m"}};
    std::ostringstream os;
    connectors::trace_writer w{os, h};
    request req;
    req.query = std::string{"What is 40 plus 2?"};
    req.participant = "a";
    w.write(connectors::make_call("r", "p", req,
                                  make_ok("a", std::string{"It is 42."}), ""));
    req.participant = "b";
    w.write(connectors::make_call("r", "p", req,
                                  make_ok("b", std::string{"42"}), ""));
    auto t = connectors::parse_trace(os.str(), "mem");
    if (!t)
      throw std::runtime_error(render(t.error()));
    std::vector<sim::named_trace> xs;
    xs.push_back({"mem", std::move(*t)});
    return xs;
  };
  auto vote = make("vote");
  auto runs = sim::merge_traces(vote);
  ASSERT_TRUE(runs) << render(runs.error());
  EXPECT_EQ(sim::fit_traces(**runs).labels.size(), 1u);
  auto meta = make("metastable");
  runs = sim::merge_traces(meta);
  ASSERT_TRUE(runs);
  EXPECT_EQ(sim::fit_traces(**runs).labels.size(), 2u);
}

TEST(trace_fit, labels_and_names_that_look_like_yaml_values_stay_strings) {
  // Labels and group names such as null, true and 42 are quoted in the
  // written scenarios, so that they read back as the same strings.
  auto text = R"(name: yamlish
labels: ["null", "true", "42"]
ground_truth: "true"
agents:
  - name: "off"
    answers: {"null": 0.4, "true": 0.3, "42": 0.3}
  - name: "7"
    answers: {"true": 1}
replicates: 10
seed: 3
)";
  auto path = temp_path("fit_yamlish.jsonl");
  record_to(text, path, 30);
  auto traces = read(path);
  auto runs = sim::merge_traces(traces);
  ASSERT_TRUE(runs) << render(runs.error());
  auto f = sim::fit_traces(**runs);
  auto labels = f.labels;
  std::sort(labels.begin(), labels.end());
  EXPECT_EQ(labels, (std::vector<std::string>{"42", "null", "true"}));
  auto fitted = sim::parse_scenario(sim::fit_scenario_text(f, 10, 1),
                                    temp_path("fitted_yamlish.yaml"));
  ASSERT_TRUE(fitted) << render(fitted.error());
  EXPECT_EQ(fitted->world.ground_truth, "true");
  auto replay = sim::replay_scenario_text(traces.front().data, path);
  ASSERT_TRUE(replay) << render(replay.error());
  auto sc = sim::parse_scenario(*replay, temp_path("replay_yamlish.yaml"));
  ASSERT_TRUE(sc) << render(sc.error());
  EXPECT_EQ(sc->world.ground_truth, "true");
  ASSERT_EQ(sc->groups.size(), 2u);
  EXPECT_EQ(sc->groups[0].name, "off");
  EXPECT_EQ(sc->groups[1].name, "7");
}
