// caf-consensus sim: tests for scenario files (parsing, validation, sweeps).

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "caf/consensus/error.hpp"
#include "caf/consensus/params.hpp"
#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

using namespace caf::consensus;
using namespace caf::consensus::sim;

namespace {

// -- utilities ----------------------------------------------------------------

const std::string data_dir = CAF_CONSENSUS_TEST_DATA "/scenarios";

std::string good(const std::string& file) {
  return data_dir + "/good/" + file;
}

std::string bad(const std::string& file) {
  return data_dir + "/bad/" + file;
}

std::string slurp(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

/// Loads a file that must be valid (fails the test otherwise).
scenario must_load(const std::string& path) {
  auto s = load_scenario(path);
  if (!s) {
    ADD_FAILURE() << path << ": " << render(s.error());
    return {};
  }
  return std::move(*s);
}

/// Parses text that must be valid.
scenario must_parse(const std::string& text) {
  auto s = parse_scenario(text, "inline.yaml");
  if (!s) {
    ADD_FAILURE() << render(s.error());
    return {};
  }
  return std::move(*s);
}

/// Returns the error message of parsing `text` (empty if it parsed).
std::string parse_error(const std::string& text,
                        const std::string& origin = "inline.yaml") {
  auto s = parse_scenario(text, origin);
  if (s)
    return {};
  EXPECT_EQ(s.error().category(), errc_category);
  EXPECT_EQ(s.error().code(), static_cast<uint8_t>(errc::malformed_input));
  return render(s.error());
}

/// FNV-1a 64, independent of the implementation under test.
std::string fnv1a(const std::string& bytes) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx",
                static_cast<unsigned long long>(h));
  return buf;
}

const std::string base = "ground_truth: correct\n"
                         "agents:\n"
                         "  - name: solo\n";

// -- the catalogue of bad files -----------------------------------------------

struct bad_case {
  const char* file;
  /// The message after the file name.
  const char* message;
};

const bad_case bad_cases[] = {
  {"agent_id_collision.yaml",
   ":5: key 'agents[1].name': agent id 'worker-2' of group 'worker' collides "
   "with this group's name"},
  {"answers_empty.yaml",
   ":4: key 'agents[0].answers': expected at least one label: weight, got an "
   "empty map"},
  {"answers_unknown_label.yaml",
   ":5: key 'agents[0].answers.wrnog': unknown label 'wrnog' (accepted: "
   "correct, wrong)"},
  {"bad.json",
   ":3: key 'agents[0].count': expected an integer in [1, 100000], got '0'"},
  {"bad_group_name.yaml",
   ":3: key 'agents[0].name': expected a group name of letters, digits, '_' "
   "and '-', got 'fast agent'"},
  {"bad_label_name.yaml",
   ":2: key 'labels.the answer': expected a label of letters, digits, '_' "
   "and '-', got 'the answer'"},
  {"beta_2_above_one.yaml",
   ":3: key 'params.beta_2': beta_2 must be in [0, 1], got 1.5"},
  {"billion_agents.yaml",
   ":4: key 'agents[0].count': expected an integer in [1, 100000], got "
   "'1000000000'"},
  {"conform_p_out_of_range.yaml",
   ":4: key 'agents[0].behaviour': expected conform:P with P in [0, 1], got "
   "'conform:1.5'"},
  {"crash_after_negative.yaml",
   ":4: key 'agents[0].faults.crash_after': expected an integer in [0, "
   "2147483647] or null (never crashes), got '-1'"},
  {"deep_nesting.yaml",
   ":5: YAML syntax error: nested too deeply (500 levels)"},
  {"duplicate_group.yaml",
   ":5: key 'agents[2].name': duplicate group name 'fast' (also agents[0])"},
  {"duplicate_key.yaml", ":5: key 'params.k': duplicate key"},
  {"empirical_empty.yaml",
   ":4: key 'agents[0].latency.values_ms': expected at least one value, got "
   "an empty list"},
  {"empty.yaml",
   ": empty scenario (expected a map with at least 'ground_truth' and "
   "'agents')"},
  {"faults_sum_above_one.yaml",
   ":4: key 'agents[0].faults': fail + no_answer must be <= 1, got 0.6 + 0.5"},
  {"fixed_wrong_without_wrong_label.yaml",
   ":4: key 'agents[0].behaviour': behaviour fixed-wrong needs a label other "
   "than the ground truth 'correct'"},
  {"float_overflow.yaml",
   ":3: key 'params.alpha': expected a finite number, got '1e400'"},
  {"fractional_count.yaml",
   ":4: key 'agents[0].count': expected an integer in [1, 100000], got '2.5'"},
  {"ground_truth_not_a_label.yaml",
   ":4: key 'ground_truth': unknown label 'right' (accepted: correct, wrong)"},
  {"group_not_a_map.yaml",
   ":3: key 'agents[0]': expected a map describing a group of agents, got "
   "'solo'"},
  {"huge_integer.yaml",
   ":3: key 'params.k': expected an integer in [0, 2147483647], got "
   "'99999999999999999999'"},
  {"infinite_latency.yaml",
   ":4: key 'agents[0].latency': expected a number >= 0, got '.inf'"},
  {"invalid_regex.yaml",
   ":3: key 'params.extractor_pattern': not a valid regex: Unexpected "
   "character within '[...]' in regular expression"},
  {"k_zero_metastable.yaml",
   ":3: key 'params.k': k must be >= 1 for policy metastable, got 0"},
  {"latency_key_of_other_dist.yaml",
   ":4: key 'agents[0].latency.sigma': unknown key (accepted: dist, min_ms, "
   "max_ms)"},
  {"latency_without_dist.yaml",
   ":4: key 'agents[0].latency.dist': missing required key (accepted: "
   "constant, uniform, normal, lognormal, exponential, empirical)"},
  {"lognormal_missing_sigma.yaml",
   ":4: key 'agents[0].latency.sigma': missing required key for dist "
   "lognormal"},
  {"missing_agents.yaml", ":1: key 'agents': missing required key"},
  {"missing_group_name.yaml", ":3: key 'agents[0].name': missing required key"},
  {"nan.yaml", ":3: key 'params.beta_2': expected a finite number, got '.nan'"},
  {"negative_count.yaml",
   ":6: key 'agents[1].count': expected an integer in [1, 100000], got '-3'"},
  {"negative_latency.yaml",
   ":4: key 'agents[0].latency': expected a number >= 0, got '-5'"},
  {"negative_seed.yaml",
   ":4: key 'seed': expected an integer in [0, 18446744073709551615], got "
   "'-1'"},
  {"no_agent_groups.yaml",
   ":2: key 'agents': expected at least one agent group, got an empty list"},
  {"noise_out_of_range.yaml",
   ":4: key 'agents[0].noise': expected a number in [0, 1], got '1.5'"},
  {"not_a_bool.yaml",
   ":3: key 'params.stop_on_unanimity': expected true or false, got 'yes'"},
  {"params_not_a_map.yaml",
   ":1: key 'params': expected a map of protocol parameters, got a list"},
  {"quoted_number.yaml",
   ":3: key 'params.rounds': expected an integer in [0, 1000000], got the "
   "string '3'"},
  {"regex_without_pattern.yaml",
   ":2: key 'params.extractor': extractor 'regex' needs a non-empty "
   "extractor_pattern"},
  {"replicates_differ_from_seeds.yaml",
   ":4: key 'replicates': replicates (5) differs from the number of seeds "
   "(3)"},
  {"replicates_zero.yaml",
   ":4: key 'replicates': expected an integer in [1, 1000000000], got '0'"},
  {"rounds_too_large.yaml",
   ":2: key 'params.rounds': expected an integer in [0, 1000000], got "
   "'5000000'"},
  {"seed_and_seeds.yaml",
   ":5: key 'seeds': 'seed' and 'seeds' are mutually exclusive"},
  {"seeds_range_reversed.yaml",
   ":4: key 'seeds.to': expected 'to' >= 'from' (10), got 1"},
  {"snowball_quorum_above_k.yaml",
   ":4: key 'params.alpha_preference': alpha_preference must be in [1, k=2], "
   "got 3"},
  {"sweep_bad_policy.yaml",
   ":5: key 'sweep.policy[1]': unknown policy 'raft' (accepted: metastable, "
   "hanzo, snowball, vote)"},
  {"sweep_empty_axis.yaml",
   ":4: key 'sweep.k': expected at least one value, got an empty list"},
  {"sweep_fault_sum.yaml",
   ":6: key 'sweep.agents.flaky.no_answer[1]': value '0.75': fail + "
   "no_answer must be <= 1, got 0.5 + 0.75"},
  {"sweep_grid_cap.yaml",
   ":5: key 'sweep': 2 cells x 1000000000 replicates = 2000000000 runs, more "
   "than the cap of 1000000000"},
  {"sweep_k_zero.yaml",
   ":7: key 'sweep.k[2]': value '0': k must be >= 1 for policy metastable, "
   "got 0"},
  {"sweep_latency_field_of_other_dist.yaml",
   ":6: key 'sweep.agents.slow.latency.median_ms': unknown field 'median_ms' "
   "for group 'slow', whose latency is constant (accepted: ms, a)"},
  {"sweep_range_too_long.yaml",
   ":5: key 'sweep.timeout_ms': expected at most 100000 values, the range "
   "has 1000000000"},
  {"sweep_range_without_to.yaml", ":5: key 'sweep.k.to': missing required key"},
  {"sweep_range_zero_step.yaml",
   ":5: key 'sweep.alpha.step': expected a number > 0, got '0'"},
  {"sweep_unknown_group.yaml",
   ":6: key 'sweep.agents.medium.count': unknown group 'medium' (accepted: "
   "fast, slow)"},
  {"sweep_unknown_group_field.yaml",
   ":5: key 'sweep.agents.fast.speed': unknown group field 'speed' "
   "(accepted: count, fail, no_answer, crash_after, noise, behaviour, "
   "conform_p, wrong_label, latency, latency.<field>, answers.<label>)"},
  {"sweep_unknown_key.yaml",
   ":5: key 'sweep.temperature': unknown sweep key (accepted: rounds, k, "
   "alpha, beta_1, beta_2, timeout_ms, beta, alpha_preference, "
   "alpha_confidence, luminance_weighted, stop_on_unanimity, extractor, "
   "extractor_pattern, policy, agents.<group>.<field>)"},
  {"sweep_value_not_scalar.yaml",
   ":5: key 'sweep.k[1]': expected a scalar value, got a list"},
  // yaml-cpp 0.7's LoadAll never returns on this one.
  {"stuck_parser.yaml", ":1: YAML syntax error: unexpected character ','"},
  {"syntax_error.yaml", ":4: YAML syntax error: end of map flow not found"},
  {"too_many_agents.yaml",
   ":6: key 'agents[1].count': the scenario has 110000 agents, more than the "
   "cap of 100000"},
  {"top_level_list.yaml",
   ":1: expected a map of scenario keys at the top level, got a list"},
  {"two_documents.yaml",
   ":4: a second YAML document starts here (a scenario file holds one)"},
  {"uniform_min_above_max.yaml",
   ":7: key 'agents[0].latency.max_ms': max_ms (100) must be >= min_ms (500)"},
  {"unknown_behaviour.yaml",
   ":4: key 'agents[0].behaviour': unknown behaviour 'stubbourn' (accepted: "
   "stubborn, resample, copy-peer, majority, conform:P, fixed-wrong, "
   "flip-flop, balancing)"},
  {"unknown_distribution.yaml",
   ":4: key 'agents[0].latency.dist': unknown distribution 'gamma' "
   "(accepted: constant, uniform, normal, lognormal, exponential, empirical)"},
  {"unknown_extractor.yaml",
   ":2: key 'params.extractor': unknown extractor 'first-word' (accepted: "
   "text, last-number, regex)"},
  {"unknown_param.yaml",
   ":4: key 'params.kk': unknown key (accepted: rounds, k, alpha, beta_1, "
   "beta_2, timeout_ms, beta, alpha_preference, alpha_confidence, "
   "luminance_weighted, stop_on_unanimity, extractor, extractor_pattern)"},
  {"unknown_policy.yaml",
   ":2: key 'policy': unknown policy 'foo' (accepted: metastable, hanzo, "
   "snowball, vote)"},
  {"unknown_top_key.yaml",
   ":4: key 'polcy': unknown key (accepted: name, description, prompt, "
   "policy, params, labels, ground_truth, agents, replicates, seed, seeds, "
   "sweep)"},
  {"wrong_label_is_ground_truth.yaml",
   ":6: key 'agents[0].wrong_label': must differ from the ground truth "
   "'correct'"},
  {"zero_weights.yaml",
   ":5: key 'agents[0].answers': the weights must sum to a positive finite "
   "number"},
};

} // namespace

TEST(scenario_bad_files, every_file_gives_its_exact_message) {
  for (auto& c : bad_cases) {
    SCOPED_TRACE(c.file);
    auto s = load_scenario(bad(c.file));
    ASSERT_FALSE(s) << "parsed without error";
    EXPECT_EQ(s.error().category(), errc_category);
    EXPECT_EQ(s.error().code(), static_cast<uint8_t>(errc::malformed_input));
    EXPECT_EQ(render(s.error()), "malformed_input: " + bad(c.file) + c.message);
  }
}

TEST(scenario_bad_files, catalogue_lists_every_file_once) {
  std::set<std::string> listed;
  for (auto& c : bad_cases)
    EXPECT_TRUE(listed.insert(c.file).second) << c.file << " listed twice";
  std::set<std::string> present;
  for (auto& x : std::filesystem::directory_iterator{data_dir + "/bad"})
    present.insert(x.path().filename().string());
  EXPECT_EQ(listed, present);
  EXPECT_GE(present.size(), 20u);
}

TEST(scenario_bad_files, parse_scenario_names_the_origin) {
  auto text = slurp(bad("unknown_param.yaml"));
  EXPECT_EQ(parse_error(text, "my.yaml"),
            "malformed_input: my.yaml:4: key 'params.kk': unknown key "
            "(accepted: rounds, k, alpha, beta_1, beta_2, timeout_ms, beta, "
            "alpha_preference, alpha_confidence, luminance_weighted, "
            "stop_on_unanimity, extractor, extractor_pattern)");
}

// -- loading ------------------------------------------------------------------

TEST(scenario_load, missing_file) {
  auto path = data_dir + "/no-such-file.yaml";
  auto s = load_scenario(path);
  ASSERT_FALSE(s);
  EXPECT_EQ(render(s.error()), "malformed_input: " + path
                                 + ": cannot open: No such file or "
                                   "directory");
}

TEST(scenario_load, a_directory_is_not_a_scenario) {
  auto s = load_scenario(data_dir);
  ASSERT_FALSE(s);
  EXPECT_EQ(render(s.error()),
            "malformed_input: " + data_dir + ": cannot read: Is a directory");
}

TEST(scenario_load, hash_is_fnv1a_of_the_file_bytes) {
  EXPECT_EQ(fnv1a(""), "cbf29ce484222325");
  EXPECT_EQ(fnv1a("a"), "af63dc4c8601ec8c");
  auto path = good("quickstart.yaml");
  auto s = must_load(path);
  EXPECT_EQ(s.hash, fnv1a(slurp(path)));
  // Same text, same hash; one more byte, another hash.
  auto text = slurp(path);
  auto t = parse_scenario(text, "elsewhere.yaml");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->hash, s.hash);
  auto u = parse_scenario(text + "\n", "elsewhere.yaml");
  ASSERT_TRUE(u);
  EXPECT_NE(u->hash, s.hash);
  EXPECT_EQ(u->hash.size(), 16u);
}

// -- good files ---------------------------------------------------------------

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
  params defaults;
  EXPECT_EQ(s.name, "minimal");
  EXPECT_EQ(s.description, "");
  EXPECT_EQ(s.prompt, "What is the answer?");
  EXPECT_EQ(s.ps.policy, "metastable");
  EXPECT_EQ(s.ps.rounds, defaults.rounds);
  EXPECT_EQ(s.ps.k, defaults.k);
  EXPECT_EQ(s.ps.alpha, defaults.alpha);
  EXPECT_EQ(s.ps.beta_1, defaults.beta_1);
  EXPECT_EQ(s.ps.beta_2, defaults.beta_2);
  EXPECT_EQ(s.ps.timeout_ms, defaults.timeout_ms);
  EXPECT_EQ(s.ps.extractor, extractor_kind::normalized_text);
  EXPECT_EQ(s.world.labels, (std::vector<std::string>{"yes-answer"}));
  EXPECT_EQ(s.world.templates,
            (std::vector<std::string>{default_template("yes-answer")}));
  EXPECT_EQ(s.world.timeout_ms, defaults.timeout_ms);
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
  EXPECT_EQ(s.seeds, (std::vector<uint64_t>{7, 11, 18446744073709551615ull}));
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

// -- seeds --------------------------------------------------------------------

TEST(scenario_seeds, range) {
  auto s = must_load(good("seeds_range.yaml"));
  EXPECT_EQ(s.seeds, (std::vector<uint64_t>{10, 11, 12, 13, 14}));
  EXPECT_EQ(s.replicates, 5u);
  EXPECT_EQ(s.seed, 0u);
}

TEST(scenario_seeds, list_sets_the_replicates) {
  auto s = must_parse(base + "seeds: [3, 1, 2]\n");
  EXPECT_EQ(s.seeds, (std::vector<uint64_t>{3, 1, 2}));
  EXPECT_EQ(s.replicates, 3u);
  auto t = must_parse(base + "replicates: 3\nseeds: [3, 1, 2]\n");
  EXPECT_EQ(t.replicates, 3u);
  auto u = must_parse(base + "seeds: {from: 0, to: 0}\n");
  EXPECT_EQ(u.seeds, (std::vector<uint64_t>{0}));
}

TEST(scenario_seeds, errors) {
  EXPECT_EQ(parse_error(base + "seeds: []\n"),
            "malformed_input: inline.yaml:4: key 'seeds': expected at least "
            "one seed, got an empty list");
  EXPECT_EQ(parse_error(base + "seeds: [1, x]\n"),
            "malformed_input: inline.yaml:4: key 'seeds[1]': expected an "
            "integer in [0, 18446744073709551615], got 'x'");
  EXPECT_EQ(parse_error(base + "seeds: {from: 1, to: 2000000}\n"),
            "malformed_input: inline.yaml:4: key 'seeds.to': expected at "
            "most 1000000 seeds, got 2000000");
  EXPECT_EQ(parse_error(base + "seeds: {from: 0, to: 18446744073709551615}\n"),
            "malformed_input: inline.yaml:4: key 'seeds.to': expected at "
            "most 1000000 seeds, got 2^64");
  EXPECT_EQ(parse_error(base + "seeds: {from: 1}\n"),
            "malformed_input: inline.yaml:4: key 'seeds.to': missing "
            "required key");
  EXPECT_EQ(parse_error(base + "seeds: {from: 1, to: 2, by: 1}\n"),
            "malformed_input: inline.yaml:4: key 'seeds.by': unknown key "
            "(accepted: from, to)");
}

// -- sweeps -------------------------------------------------------------------

TEST(scenario_sweep, axes_and_values) {
  auto s = must_load(good("sweep.yaml"));
  ASSERT_EQ(s.sweep.size(), 11u);
  EXPECT_EQ(s.sweep[0].key, "alpha");
  EXPECT_EQ(s.sweep[0].values, (std::vector<std::string>{"0.1", "0.2", "0.3"}));
  EXPECT_EQ(s.sweep[0].line, 15);
  EXPECT_EQ(s.sweep[1].key, "k");
  EXPECT_EQ(s.sweep[1].values, (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(s.sweep[2].values,
            (std::vector<std::string>{"vote", "metastable"}));
  EXPECT_EQ(s.sweep[6].values,
            (std::vector<std::string>{"stubborn", "conform:0.75"}));
  EXPECT_EQ(s.sweep[8].key, "agents.slow.crash_after");
  EXPECT_EQ(s.sweep[8].values, (std::vector<std::string>{"null", "1"}));
  EXPECT_EQ(s.sweep[8].line, 23);
  // The base scenario is unchanged by the sweep.
  EXPECT_EQ(s.ps.policy, "vote");
  EXPECT_EQ(s.groups[0].count, 2u);
}

TEST(scenario_sweep, cell_math_is_mixed_radix_last_axis_fastest) {
  auto s = must_load(good("sweep.yaml"));
  // 3 * 3 * 2 * 2 * 2 * 1 * 2 * 2 * 2 * 1 * 2
  EXPECT_EQ(cell_count(s), 1152u);
  EXPECT_EQ(cell_coordinates(s, 0), std::vector<size_t>(11, 0));
  EXPECT_EQ(cell_coordinates(s, 1),
            (std::vector<size_t>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(cell_coordinates(s, 2),
            (std::vector<size_t>{0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}));
  EXPECT_EQ(cell_coordinates(s, 1151),
            (std::vector<size_t>{2, 2, 1, 1, 1, 0, 1, 1, 1, 0, 1}));
  // Strides: 384, 128, 64, 32, 16, 16, 8, 4, 2, 2, 1.
  EXPECT_EQ(cell_coordinates(s, 987),
            (std::vector<size_t>{2, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1}));
  // Every cell has distinct coordinates.
  std::set<std::vector<size_t>> seen;
  for (uint64_t c = 0; c < cell_count(s); ++c)
    seen.insert(cell_coordinates(s, c));
  EXPECT_EQ(seen.size(), 1152u);
}

TEST(scenario_sweep, resolve_cell_applies_every_axis) {
  auto s = must_load(good("sweep.yaml"));
  auto c = resolve_cell(s, 987);
  ASSERT_TRUE(c) << render(c.error());
  EXPECT_EQ(c->ps.alpha, 0.3);
  EXPECT_EQ(c->ps.k, 2);
  EXPECT_EQ(c->ps.policy, "metastable");
  EXPECT_TRUE(c->ps.stop_on_unanimity);
  auto& fast = c->groups[0];
  auto& slow = c->groups[1];
  EXPECT_EQ(fast.count, 1u);
  EXPECT_EQ(fast.refine, behaviour::conform);
  EXPECT_EQ(fast.conform_p, 0.75);
  EXPECT_EQ(fast.labels, (std::vector<std::string>{"correct", "wrong"}));
  EXPECT_EQ(fast.weights, (std::vector<double>{0.7, 0}));
  EXPECT_EQ(slow.latency.type, latency_model::kind::lognormal);
  EXPECT_EQ(slow.latency.a, 5000);
  EXPECT_EQ(slow.latency.b, 0.1);
  EXPECT_EQ(slow.crash_after, 1);
  EXPECT_EQ(slow.no_answer, 0.2);
  EXPECT_EQ(slow.fail, 0.1);
  EXPECT_EQ(participant_ids(*c), (std::vector<std::string>{"fast", "slow"}));
  auto d = resolve_cell(s, 0);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->ps.alpha, 0.1);
  EXPECT_EQ(d->ps.k, 1);
  EXPECT_EQ(d->ps.policy, "vote");
  EXPECT_FALSE(d->ps.stop_on_unanimity);
  EXPECT_EQ(d->groups[0].refine, behaviour::stubborn);
  EXPECT_EQ(d->groups[1].crash_after, -1);
  EXPECT_EQ(d->groups[1].latency.a, 1000);
  // The base scenario is not modified.
  EXPECT_EQ(s.ps.alpha, 0.6);
  EXPECT_EQ(s.groups[1].latency.a, 3000);
  // Every cell resolves.
  for (uint64_t i = 0; i < cell_count(s); ++i)
    ASSERT_TRUE(resolve_cell(s, i)) << "cell " << i;
  auto e = resolve_cell(s, 1152);
  ASSERT_FALSE(e);
  EXPECT_EQ(render(e.error()),
            "malformed_input: " + good("sweep.yaml")
              + ": cell 1152 out of range (the sweep has 1152 cells)");
}

TEST(scenario_sweep, group_fields) {
  auto s = must_parse("labels: [correct, wrong]\n"
                      "ground_truth: correct\n"
                      "params: {timeout_ms: 1000}\n"
                      "agents:\n"
                      "  - name: g\n"
                      "    latency: {dist: uniform, min_ms: 1, max_ms: 5}\n"
                      "sweep:\n"
                      "  agents.g.answers.wrong: [0.5]\n"
                      "  agents.g.latency.max_ms: [7]\n"
                      "  agents.g.latency.a: [3]\n"
                      "  agents.g.wrong_label: [wrong]\n"
                      "  agents.g.fail: [0.25]\n"
                      "  agents.g.noise: [0.125]\n"
                      "  agents.g.conform_p: [0.5]\n"
                      "  timeout_ms: [500]\n");
  auto c = resolve_cell(s, 0);
  ASSERT_TRUE(c) << render(c.error());
  auto& g = c->groups[0];
  // A label the group had no weight for is appended.
  EXPECT_EQ(g.labels, (std::vector<std::string>{"correct", "wrong"}));
  EXPECT_EQ(g.weights, (std::vector<double>{1, 0.5}));
  EXPECT_EQ(g.latency.type, latency_model::kind::uniform);
  EXPECT_EQ(g.latency.a, 3);
  EXPECT_EQ(g.latency.b, 7);
  EXPECT_EQ(g.wrong_label, "wrong");
  EXPECT_EQ(g.fail, 0.25);
  EXPECT_EQ(g.noise, 0.125);
  EXPECT_EQ(g.conform_p, 0.5);
  EXPECT_EQ(c->ps.timeout_ms, 500);
  EXPECT_EQ(c->world.timeout_ms, 500);
  // A plain number for `latency` makes it constant.
  auto t = must_parse(base + "sweep:\n  agents.solo.latency: [0, 250.5]\n");
  auto d = resolve_cell(t, 1);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->groups[0].latency.type, latency_model::kind::constant);
  EXPECT_EQ(d->groups[0].latency.a, 250.5);
}

TEST(scenario_sweep, ranges) {
  auto s = must_parse(base
                      + "sweep:\n"
                        "  beta_2: {from: 0.5, to: 1, step: 0.1}\n"
                        "  rounds: {from: 0, to: 10, step: 5}\n"
                        "  beta_1: {from: 0.25, to: 0.25}\n");
  EXPECT_EQ(s.sweep[0].values,
            (std::vector<std::string>{"0.5", "0.6", "0.7", "0.8", "0.9", "1"}));
  EXPECT_EQ(s.sweep[1].values, (std::vector<std::string>{"0", "5", "10"}));
  EXPECT_EQ(s.sweep[2].values, (std::vector<std::string>{"0.25"}));
  EXPECT_EQ(cell_count(s), 18u);
  auto c = resolve_cell(s, 17);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->ps.beta_2, 1.0);
  EXPECT_EQ(c->ps.rounds, 10);
  // A fractional step on an integer key fails on the first bad value.
  EXPECT_EQ(parse_error(base + "sweep:\n  k: {from: 1, to: 2, step: 0.5}\n"),
            "malformed_input: inline.yaml:5: key 'sweep.k[1]': expected an "
            "integer in [0, 2147483647], got '1.5'");
}

TEST(scenario_sweep, a_bad_combination_names_axis_value_and_cell) {
  auto s = must_parse("policy: snowball\n"
                      "params: {k: 3}\n"
                      "ground_truth: correct\n"
                      "agents:\n"
                      "  - name: crowd\n"
                      "    count: 5\n"
                      "sweep:\n"
                      "  k: [3, 1]\n"
                      "  alpha_preference: [1,\n"
                      "                     2]\n");
  // Each value is fine on its own; k = 1 with alpha_preference = 2 is not.
  EXPECT_EQ(cell_count(s), 4u);
  EXPECT_TRUE(resolve_cell(s, 0));
  EXPECT_TRUE(resolve_cell(s, 1));
  EXPECT_TRUE(resolve_cell(s, 2));
  auto c = resolve_cell(s, 3);
  ASSERT_FALSE(c);
  EXPECT_EQ(render(c.error()),
            "malformed_input: inline.yaml:10: key 'sweep.alpha_preference[1]': "
            "value '2' (cell 3: k=1, alpha_preference=2): alpha_preference "
            "must be in [1, k=1], got 2");
}

TEST(scenario_sweep, values_are_checked_one_by_one_without_the_grid) {
  // 1000 * 1000 * 1000 cells: validating must not expand the grid.
  auto start = std::chrono::steady_clock::now();
  auto s = must_parse(base
                      + "replicates: 1\n"
                        "sweep:\n"
                        "  timeout_ms: {from: 1, to: 1000}\n"
                        "  rounds: {from: 0, to: 999}\n"
                        "  beta_1: {from: 0.001, to: 1, step: 0.001}\n");
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(cell_count(s), 1000000000u);
  EXPECT_LT(elapsed, std::chrono::seconds{10});
  auto c = resolve_cell(s, 999999999);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->ps.timeout_ms, 1000);
  EXPECT_EQ(c->ps.rounds, 999);
  EXPECT_EQ(c->ps.beta_1, 1.0);
  // One more value along any axis exceeds the cap.
  EXPECT_EQ(parse_error(base
                        + "replicates: 2\n"
                          "sweep:\n"
                          "  timeout_ms: {from: 1, to: 1000}\n"
                          "  rounds: {from: 0, to: 999}\n"
                          "  beta_1: {from: 0.001, to: 1, step: 0.001}\n"),
            "malformed_input: inline.yaml:5: key 'sweep': 1000000000 cells x "
            "2 replicates = 2000000000 runs, more than the cap of "
            "1000000000");
}

TEST(scenario_sweep, long_accepted_lists_are_cut) {
  std::string text = "ground_truth: c\nagents:\n";
  for (int i = 0; i < 25; ++i)
    text += "  - name: g" + std::to_string(i) + "\n";
  text += "sweep:\n  agents.nope.count: [1]\n";
  EXPECT_EQ(parse_error(text),
            "malformed_input: inline.yaml:29: key 'sweep.agents.nope.count': "
            "unknown group 'nope' (accepted: g0, g1, g2, g3, g4, g5, g6, g7, "
            "g8, g9, g10, g11, g12, g13, g14, g15, g16, g17, g18, g19, ... 25 "
            "in all)");
}

TEST(scenario_sweep, key_errors) {
  EXPECT_EQ(parse_error(base + "sweep:\n  agents.solo: [1]\n"),
            "malformed_input: inline.yaml:5: key 'sweep.agents.solo': "
            "expected agents.<group>.<field> (accepted: count, fail, "
            "no_answer, crash_after, noise, behaviour, conform_p, "
            "wrong_label, latency, latency.<field>, answers.<label>)");
  EXPECT_EQ(parse_error(base + "sweep:\n  agents.solo.answers.maybe: [1]\n"),
            "malformed_input: inline.yaml:5: key "
            "'sweep.agents.solo.answers.maybe': unknown label 'maybe' "
            "(accepted: correct)");
  EXPECT_EQ(parse_error(base + "sweep:\n  seed: [1, 2]\n"),
            "malformed_input: inline.yaml:5: key 'sweep.seed': unknown sweep "
            "key (accepted: rounds, k, alpha, beta_1, beta_2, timeout_ms, "
            "beta, alpha_preference, alpha_confidence, luminance_weighted, "
            "stop_on_unanimity, extractor, extractor_pattern, policy, "
            "agents.<group>.<field>)");
  EXPECT_EQ(parse_error(base + "sweep:\n  k: 3\n"),
            "malformed_input: inline.yaml:5: key 'sweep.k': expected a list "
            "of values or a map with 'from', 'to' and 'step', got '3'");
  EXPECT_EQ(parse_error(base + "sweep:\n  agents.solo.count: [1, 100000]\n"),
            "");
  EXPECT_EQ(parse_error(base
                        + "  - name: other\n"
                          "sweep:\n  agents.solo.count: [1, 100000]\n"),
            "malformed_input: inline.yaml:6: key "
            "'sweep.agents.solo.count[1]': value '100000': the scenario has "
            "100001 agents, more than the cap of 100000");
  EXPECT_EQ(parse_error(base
                        + "sweep:\n  agents.solo.behaviour: [majority, "
                          "fixed-wrong]\n"),
            "malformed_input: inline.yaml:5: key "
            "'sweep.agents.solo.behaviour[1]': value 'fixed-wrong': "
            "behaviour fixed-wrong needs a label other than the ground truth "
            "'correct'");
}

// -- other checks -------------------------------------------------------------

TEST(scenario_checks, top_level_errors) {
  EXPECT_EQ(parse_error(""),
            "malformed_input: inline.yaml: empty scenario (expected a map "
            "with at least 'ground_truth' and 'agents')");
  EXPECT_EQ(parse_error("# only a comment\n"),
            "malformed_input: inline.yaml: empty scenario (expected a map "
            "with at least 'ground_truth' and 'agents')");
  EXPECT_EQ(parse_error("just text"),
            "malformed_input: inline.yaml:1: expected a map of scenario keys "
            "at the top level, got 'just text'");
  EXPECT_EQ(parse_error("agents:\n  - name: x\n"),
            "malformed_input: inline.yaml:1: key 'ground_truth': missing "
            "required key");
  EXPECT_EQ(parse_error("{a: 1"),
            "malformed_input: inline.yaml:1: YAML syntax error: end of map "
            "flow not found");
  EXPECT_EQ(parse_error(base + "name: \"\"\n"),
            "malformed_input: inline.yaml:4: key 'name': expected a "
            "non-empty string, got the string ''");
  EXPECT_EQ(parse_error(base + "prompt: [a]\n"),
            "malformed_input: inline.yaml:4: key 'prompt': expected a "
            "non-empty string, got a list");
}

TEST(scenario_checks, value_forms) {
  // Numbers: exponents, signs, integers for doubles; underflow reads as 0.
  auto s = must_parse(base
                      + "params: {alpha: 5e-1, beta_1: +1, beta_2: "
                        "1e-400, k: +4}\n");
  EXPECT_EQ(s.ps.alpha, 0.5);
  EXPECT_EQ(s.ps.beta_1, 1.0);
  EXPECT_EQ(s.ps.beta_2, 0.0);
  EXPECT_EQ(s.ps.k, 4);
  // Strings may be quoted; numbers and booleans may not.
  EXPECT_EQ(parse_error(base + "params: {luminance_weighted: \"true\"}\n"),
            "malformed_input: inline.yaml:4: key "
            "'params.luminance_weighted': expected true or false, got the "
            "string 'true'");
  EXPECT_EQ(parse_error(base + "params: {alpha: 0x10}\n"),
            "malformed_input: inline.yaml:4: key 'params.alpha': expected a "
            "finite number, got '0x10'");
  EXPECT_EQ(parse_error(base + "params: {alpha: }\n"),
            "malformed_input: inline.yaml:4: key 'params.alpha': expected a "
            "finite number, got null");
  // Long and control-character values are shortened in messages.
  auto msg
    = parse_error(base + "policy: \"" + std::string(200, 'x') + "\\u0001\"\n");
  EXPECT_EQ(msg, "malformed_input: inline.yaml:4: key 'policy': unknown "
                 "policy '"
                   + std::string(60, 'x')
                   + "...' (accepted: metastable, hanzo, snowball, vote)");
  // Keys must be plain scalars.
  EXPECT_EQ(parse_error(base + "? [a, b]\n: 1\n"),
            "malformed_input: inline.yaml:4: key '': expected plain keys, "
            "got a list as a key");
}

TEST(scenario_checks, agent_ids_stay_unique) {
  // worker-4 does not collide with worker-1 .. worker-3.
  auto s = must_parse("ground_truth: c\n"
                      "agents:\n"
                      "  - {name: worker, count: 3}\n"
                      "  - {name: worker-4}\n"
                      "  - {name: worker-1, count: 2}\n");
  auto ids = participant_ids(s);
  EXPECT_EQ(ids,
            (std::vector<std::string>{"worker-1", "worker-2", "worker-3",
                                      "worker-4", "worker-1-1", "worker-1-2"}));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  // A sweep that makes ids collide is caught for the value at fault.
  EXPECT_EQ(parse_error("ground_truth: c\n"
                        "agents:\n"
                        "  - {name: worker, count: 3}\n"
                        "  - {name: worker-4}\n"
                        "sweep:\n"
                        "  agents.worker.count: [3, 4]\n"),
            "malformed_input: inline.yaml:6: key "
            "'sweep.agents.worker.count[1]': value '4': agent id 'worker-4' "
            "of group 'worker' collides with this group's name");
}

TEST(scenario_checks, policy_rules_come_from_the_policy) {
  // hanzo accepts k = 0, metastable does not.
  EXPECT_EQ(parse_error(base + "policy: hanzo\nparams: {k: 0}\n"), "");
  EXPECT_EQ(parse_error(base + "policy: vote\nparams: {k: 0, rounds: 0}\n"),
            "");
  EXPECT_EQ(parse_error(base + "policy: vote\nparams: {k: 0, rounds: 1}\n"),
            "malformed_input: inline.yaml:5: key 'params.k': k must be >= 1 "
            "for policy vote with rounds > 0, got 0");
  // A rule about a key the file does not set points at the policy.
  EXPECT_EQ(parse_error(base + "policy: snowball\nparams: {beta: 0}\n"),
            "malformed_input: inline.yaml:5: key 'params.beta': beta "
            "(consecutive successful polls) must be >= 1, got 0");
  EXPECT_EQ(
    parse_error("policy: metastable\n" + base + "params: {timeout_ms: 0}\n"),
    "malformed_input: inline.yaml:5: key 'params.timeout_ms': "
    "expected an integer >= 1, got '0'");
  EXPECT_EQ(parse_error("policy: metastable\n" + base + "params: {alpha: 2}\n"),
            "malformed_input: inline.yaml:5: key 'params.alpha': alpha must "
            "be in [0, 1], got 2");
}

TEST(scenario_checks, hostile_input_never_crashes) {
  auto text = slurp(good("quickstart.yaml"))
              + "sweep:\n  k: [1, 2]\n  agents.fast.count: {from: 1, to: 3}\n";
  ASSERT_TRUE(parse_scenario(text, "fuzz.yaml"));
  const std::string alphabet = ":-[]{}#&*!|>'\"%@`,?\n \t0123456789.eE~";
  uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  };
  size_t ok = 0;
  for (int i = 0; i < 3000; ++i) {
    auto x = text;
    auto edits = 1 + next() % 4;
    for (uint64_t j = 0; j < edits && !x.empty(); ++j) {
      auto pos = next() % x.size();
      auto c = alphabet[next() % alphabet.size()];
      switch (next() % 3) {
        case 0:
          x[pos] = c;
          break;
        case 1:
          x.insert(x.begin() + static_cast<long>(pos), c);
          break;
        default:
          x.erase(pos, 1 + next() % 8);
          break;
      }
    }
    auto s = parse_scenario(x, "fuzz.yaml");
    if (!s) {
      auto msg = render(s.error());
      ASSERT_EQ(msg.rfind("malformed_input: fuzz.yaml", 0), 0u) << msg;
      continue;
    }
    ++ok;
    uint64_t n = 0;
    for (auto& g : s->groups)
      n += g.count;
    EXPECT_EQ(participant_ids(*s).size(), n);
    for (uint64_t c = 0; c < std::min<uint64_t>(cell_count(*s), 8); ++c)
      static_cast<void>(resolve_cell(*s, c));
  }
  // Some mutations are harmless (comments, digits in strings).
  EXPECT_GT(ok, 0u);
}
