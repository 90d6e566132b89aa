// Tests: valid scenario files and the defaults they get.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "caf/consensus/params.hpp"
#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

#include "sim/scenario/scenario_files.hpp"

using namespace caf::consensus;
using namespace caf::consensus::sim;
using namespace caf::consensus::test;

TEST(scenario_good, quickstart) {
  auto path = good("quickstart.yaml");
  auto s = must_load(path);
  EXPECT_EQ(s.file, path);
  EXPECT_EQ(s.name, "quickstart");
  EXPECT_EQ(s.description, "three fast agents and a slow one");
  EXPECT_EQ(s.prompt, "Which retry strategy?");
  EXPECT_EQ(s.ps.policy, "metastable");
  EXPECT_EQ(s.ps.rounds, 4);
  EXPECT_EQ(s.ps.k, 2);
  EXPECT_EQ(s.ps.alpha, 0.55);
  EXPECT_EQ(s.ps.beta_1, 0.5);
  EXPECT_EQ(s.ps.beta_2, 0.8);
  EXPECT_EQ(s.ps.timeout_ms, 30000);
  EXPECT_TRUE(s.ps.stop_on_unanimity);
  EXPECT_FALSE(s.ps.luminance_weighted);
  // Labels in file order; null (or empty) values get the default template.
  EXPECT_EQ(s.world.labels,
            (std::vector<std::string>{"correct", "wrong", "other"}));
  ASSERT_EQ(s.world.templates.size(), 3u);
  EXPECT_EQ(s.world.templates[0],
            "use retries with exponential backoff and jitter");
  EXPECT_EQ(s.world.templates[1], default_template("wrong"));
  EXPECT_EQ(s.world.templates[2], default_template("other"));
  EXPECT_EQ(s.world.ground_truth, "correct");
  EXPECT_EQ(s.world.timeout_ms, 30000);
  ASSERT_EQ(s.groups.size(), 3u);
  auto& fast = s.groups[0];
  EXPECT_EQ(fast.name, "fast");
  EXPECT_EQ(fast.count, 3u);
  EXPECT_EQ(fast.latency.type, latency_model::kind::lognormal);
  EXPECT_EQ(fast.latency.a, 800);
  EXPECT_EQ(fast.latency.b, 0.4);
  EXPECT_EQ(fast.labels,
            (std::vector<std::string>{"correct", "wrong", "other"}));
  EXPECT_EQ(fast.weights, (std::vector<double>{0.7, 0.2, 0.1}));
  EXPECT_EQ(fast.refine, behaviour::majority);
  EXPECT_EQ(fast.noise, 0.1);
  EXPECT_EQ(fast.fail, 0.05);
  EXPECT_EQ(fast.no_answer, 0.02);
  EXPECT_EQ(fast.crash_after, 2);
  auto& slow = s.groups[1];
  EXPECT_EQ(slow.name, "slow");
  EXPECT_EQ(slow.count, 1u);
  EXPECT_EQ(slow.latency.type, latency_model::kind::constant);
  EXPECT_EQ(slow.latency.a, 5000);
  // Default answers: the ground truth with weight 1.
  EXPECT_EQ(slow.labels, (std::vector<std::string>{"correct"}));
  EXPECT_EQ(slow.weights, (std::vector<double>{1}));
  EXPECT_EQ(slow.refine, behaviour::conform);
  EXPECT_EQ(slow.conform_p, 0.25);
  EXPECT_EQ(slow.crash_after, -1);
  auto& liar = s.groups[2];
  EXPECT_EQ(liar.refine, behaviour::fixed_wrong);
  EXPECT_EQ(liar.wrong_label, "other");
  EXPECT_EQ(liar.crash_after, -1);
  EXPECT_EQ(s.replicates, 1000u);
  EXPECT_EQ(s.seed, 42u);
  EXPECT_TRUE(s.seeds.empty());
  EXPECT_TRUE(s.sweep.empty());
  EXPECT_EQ(cell_count(s), 1u);
  EXPECT_TRUE(cell_coordinates(s, 0).empty());
  EXPECT_EQ(
    participant_ids(s),
    (std::vector<std::string>{"fast-1", "fast-2", "fast-3", "slow", "liar"}));
  auto agents = make_agents(s);
  ASSERT_EQ(agents.size(), 5u);
  for (uint32_t i = 0; i < 5; ++i)
    EXPECT_EQ(agents[i].index, i);
  EXPECT_EQ(agents[0].id, "fast-1");
  EXPECT_EQ(agents[2].group, &s.groups[0]);
  EXPECT_EQ(agents[3].id, "slow");
  EXPECT_EQ(agents[3].group, &s.groups[1]);
  EXPECT_EQ(agents[4].group, &s.groups[2]);
  // Without a sweep, cell 0 is the scenario itself.
  auto c = resolve_cell(s, 0);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->ps.k, 2);
  EXPECT_EQ(c->groups.size(), 3u);
  EXPECT_FALSE(resolve_cell(s, 1));
}

TEST(scenario_good, minimal_file_gets_the_defaults) {
  auto s = must_load(good("minimal.yaml"));
  // The defaults documented in docs/scenarios.md, as literals.
  EXPECT_EQ(s.name, "minimal");
  EXPECT_EQ(s.description, "");
  EXPECT_EQ(s.prompt, "What is the answer?");
  EXPECT_EQ(s.ps.policy, "metastable");
  EXPECT_EQ(s.ps.rounds, 3);
  EXPECT_EQ(s.ps.k, 3);
  EXPECT_EQ(s.ps.alpha, 0.6);
  EXPECT_EQ(s.ps.beta_1, 0.5);
  EXPECT_EQ(s.ps.beta_2, 0.8);
  EXPECT_EQ(s.ps.timeout_ms, 60000);
  EXPECT_EQ(s.ps.extractor, extractor_kind::normalized_text);
  EXPECT_EQ(s.world.labels, (std::vector<std::string>{"yes-answer"}));
  EXPECT_EQ(s.world.templates,
            (std::vector<std::string>{default_template("yes-answer")}));
  EXPECT_EQ(s.world.timeout_ms, 60000);
  ASSERT_EQ(s.groups.size(), 1u);
  auto& g = s.groups[0];
  EXPECT_EQ(g.count, 1u);
  EXPECT_EQ(g.latency.type, latency_model::kind::constant);
  EXPECT_EQ(g.latency.a, 100);
  EXPECT_EQ(g.refine, behaviour::stubborn);
  EXPECT_EQ(g.fail, 0);
  EXPECT_EQ(g.no_answer, 0);
  EXPECT_EQ(g.crash_after, -1);
  EXPECT_EQ(g.noise, 0);
  EXPECT_EQ(g.labels, (std::vector<std::string>{"yes-answer"}));
  EXPECT_EQ(s.replicates, 100u);
  EXPECT_EQ(s.seed, 0u);
  EXPECT_EQ(participant_ids(s), (std::vector<std::string>{"solo"}));
}

TEST(scenario_good, labels_default_to_the_answers_then_the_ground_truth) {
  auto s = must_load(good("labels_from_answers.yaml"));
  EXPECT_EQ(s.world.labels, (std::vector<std::string>{"c", "a", "d", "b"}));
  ASSERT_EQ(s.world.templates.size(), 4u);
  EXPECT_EQ(s.world.templates[3], default_template("b"));
  EXPECT_EQ(s.groups[0].labels, (std::vector<std::string>{"c", "a"}));
  EXPECT_EQ(s.groups[0].weights, (std::vector<double>{1, 2}));
  EXPECT_EQ(s.groups[1].labels, (std::vector<std::string>{"a", "d"}));
  EXPECT_EQ(s.groups[1].weights, (std::vector<double>{1, 0.5}));
  EXPECT_EQ(participant_ids(s),
            (std::vector<std::string>{"g1", "g2-1", "g2-2"}));
}

TEST(scenario_good, every_latency_form) {
  using k = latency_model::kind;
  auto s = must_load(good("latencies.yaml"));
  ASSERT_EQ(s.groups.size(), 8u);
  struct expect {
    k type;
    double a;
    double b;
  };
  std::vector<expect> xs{{k::constant, 120, 0},    {k::constant, 0, 0},
                         {k::uniform, 100, 300},   {k::normal, 500, 50},
                         {k::lognormal, 800, 0.4}, {k::exponential, 250, 0},
                         {k::empirical, 0, 0},     {k::constant, 100, 0}};
  for (size_t i = 0; i < xs.size(); ++i) {
    SCOPED_TRACE(s.groups[i].name);
    EXPECT_EQ(s.groups[i].latency.type, xs[i].type);
    EXPECT_EQ(s.groups[i].latency.a, xs[i].a);
    EXPECT_EQ(s.groups[i].latency.b, xs[i].b);
  }
  EXPECT_EQ(s.groups[6].latency.values,
            (std::vector<double>{100, 200.5, 1000}));
}

TEST(scenario_good, token_counts_take_the_latency_forms_without_units) {
  using k = latency_model::kind;
  auto sc = parse_scenario("ground_truth: yes\nagents:\n"
                           "  - {name: a, tokens: 350}\n"
                           "  - {name: b, tokens: {dist: uniform, min: 100, "
                           "max: 300}}\n"
                           "  - {name: c, tokens: {dist: lognormal, median: "
                           "400, sigma: 0.3}}\n"
                           "  - {name: d, tokens: {dist: empirical, values: "
                           "[10, 20]}}\n"
                           "  - {name: e}\n",
                           "tokens.yaml");
  ASSERT_TRUE(sc) << render(sc.error());
  auto& g = sc->groups;
  EXPECT_EQ(g[0].tokens.type, k::constant);
  EXPECT_EQ(g[0].tokens.a, 350);
  EXPECT_EQ(g[1].tokens.type, k::uniform);
  EXPECT_EQ(g[1].tokens.b, 300);
  EXPECT_EQ(g[2].tokens.type, k::lognormal);
  EXPECT_EQ(g[2].tokens.a, 400);
  EXPECT_EQ(g[3].tokens.values, (std::vector<double>{10, 20}));
  EXPECT_EQ(g[4].tokens.type, k::constant);
  EXPECT_EQ(g[4].tokens.a, 0);
  auto bad = [](const std::string& group) {
    auto x = parse_scenario("ground_truth: yes\nagents:\n  - " + group + "\n",
                            "t.yaml");
    // The first problem (the parser goes on and reports the others too).
    auto text = x ? std::string{"ok"} : render(x.error());
    return text.substr(0, text.find('\n'));
  };
  EXPECT_EQ(bad("{name: a, tokens: {dist: uniform, min_ms: 1, max_ms: 2}}"),
            "malformed_input: t.yaml:3: key 'agents[0].tokens.min_ms': unknown "
            "key (accepted: dist, min, max)");
  EXPECT_EQ(bad("{name: a, tokens: {dist: uniform, min: 5, max: 2}}"),
            "malformed_input: t.yaml:3: key 'agents[0].tokens.max': max (2) "
            "must be >= min (5)");
  EXPECT_EQ(bad("{name: a, tokens: -3}"),
            "malformed_input: t.yaml:3: key 'agents[0].tokens': expected a "
            "number >= 0, got '-3'");
  EXPECT_EQ(bad("{name: a, tokens: [1]}"),
            "malformed_input: t.yaml:3: key 'agents[0].tokens': expected a "
            "number of tokens or a map with 'dist', got a list");
}

TEST(scenario_good, json_is_accepted) {
  auto s = must_load(good("quickstart.json"));
  EXPECT_EQ(s.name, "quickstart-json");
  EXPECT_EQ(s.ps.policy, "snowball");
  EXPECT_EQ(s.ps.k, 3);
  EXPECT_EQ(s.ps.beta, 3);
  EXPECT_EQ(s.ps.alpha_preference, 2);
  EXPECT_EQ(s.ps.alpha_confidence, 3);
  EXPECT_TRUE(s.ps.luminance_weighted);
  EXPECT_EQ(s.ps.extractor, extractor_kind::last_number);
  EXPECT_EQ(s.world.labels, (std::vector<std::string>{"42", "41"}));
  EXPECT_EQ(s.world.templates[0], default_template("42"));
  EXPECT_EQ(s.world.templates[1], "forty one is the answer");
  EXPECT_EQ(s.world.ground_truth, "42");
  ASSERT_EQ(s.groups.size(), 2u);
  EXPECT_EQ(s.groups[0].latency.type, latency_model::kind::uniform);
  EXPECT_EQ(s.groups[0].latency.b, 20.5);
  EXPECT_EQ(s.groups[0].refine, behaviour::balancing);
  EXPECT_EQ(s.groups[1].latency.values, (std::vector<double>{5, 10, 1500}));
  EXPECT_EQ(s.seeds, (std::vector<rng::seed>{7, 11, 18446744073709551615ull}));
  EXPECT_EQ(s.replicates, 3u);
  ASSERT_EQ(s.sweep.size(), 2u);
  EXPECT_EQ(s.sweep[1].key, "agents.a.answers.41");
  EXPECT_EQ(s.sweep[1].values, (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_EQ(cell_count(s), 6u);
  auto c = resolve_cell(s, 5);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->ps.beta, 3);
  EXPECT_EQ(c->groups[0].weights, (std::vector<double>{3, 2}));
}

TEST(scenario_good, json_and_yaml_agree) {
  auto text = "{\"ground_truth\": \"correct\", \"policy\": \"vote\",\n"
              " \"params\": {\"rounds\": 2, \"alpha\": 0.5},\n"
              " \"agents\": [{\"name\": \"x\", \"count\": 2,\n"
              "   \"latency\": {\"dist\": \"normal\", \"mean_ms\": 10, "
              "\"sd_ms\": 1}}]}";
  auto yaml = "ground_truth: correct\npolicy: vote\n"
              "params: {rounds: 2, alpha: 0.5}\n"
              "agents:\n  - name: x\n    count: 2\n"
              "    latency: {dist: normal, mean_ms: 10, sd_ms: 1}\n";
  auto j = must_parse(text);
  auto y = must_parse(yaml);
  EXPECT_EQ(j.ps.policy, y.ps.policy);
  EXPECT_EQ(j.ps.rounds, y.ps.rounds);
  EXPECT_EQ(j.ps.alpha, y.ps.alpha);
  EXPECT_EQ(participant_ids(j), participant_ids(y));
  EXPECT_EQ(j.groups[0].latency.b, y.groups[0].latency.b);
  EXPECT_EQ(j.name, "inline");
}
