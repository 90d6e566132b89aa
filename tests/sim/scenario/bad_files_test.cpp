// Tests: the catalogue of bad scenario files, each with its exact message.

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

#include "sim/scenario/scenario_files.hpp"

using namespace caf::consensus;
using namespace caf::consensus::sim;
using namespace caf::consensus::test;

namespace {

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
  {"fractional_seed.yaml",
   ":4: key 'seed': expected an integer of at most 10000 decimal digits with "
   "an optional sign, got '1.5'"},
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
  {"too_many_peer_texts.yaml",
   ":2: key 'params.k': 100000 agents x min(k, agents - 1) = 9999900000 "
   "peer texts per round, more than the cap of 10000000 (about 1.8 GB); "
   "lower k or the number of agents"},
  {"too_many_rounds_of_peer_texts.yaml",
   ":2: key 'params.rounds': 3000 peer texts per round x 1000000 rounds, "
   "more than the cap of 1000000000 per run; lower rounds, k or the number "
   "of agents"},
  {"invalid_utf8_name.yaml",
   ":1: key 'name': ill-formed UTF-8 (byte 0xff) at byte offset 9 (column "
   "10); scenario files must be UTF-8 text"},
  {"nul_byte.yaml",
   ":2: key 'prompt': a NUL byte at byte offset 34 (column 13); scenario "
   "files must be UTF-8 text"},
  {"invalid_regex.yaml",
   ":3: key 'params.extractor_pattern': not a valid regex: missing ]: "
   "[a-z"},
  {"regex_lookahead.yaml",
   ":3: key 'params.extractor_pattern': not a valid regex: invalid perl "
   "operator: (?="},
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
  {"sequential_budget_below_agents.yaml",
   ":4: key 'params.max_calls': max_calls must be 0 (no budget) or at least "
   "the number of participants (3) for policy sequential, got 2"},
  {"sequential_budget_negative.yaml",
   ":3: key 'params.max_calls': expected an integer >= 0, got '-5'"},
  {"sequential_delta_one.yaml",
   ":4: key 'params.delta': delta must be in (0, 1) for policy sequential, "
   "got 1"},
  {"snowball_quorum_above_k.yaml",
   ":4: key 'params.alpha_preference': alpha_preference must be in [1, k=2], "
   "got 3"},
  {"sweep_bad_policy.yaml",
   ":5: key 'sweep.policy[1]': unknown policy 'raft' (accepted: metastable, "
   "hanzo, snowball, vote, sequential)"},
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
   "alpha_confidence, luminance_weighted, delta, max_calls, "
   "stop_on_unanimity, extractor, "
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
   "flip-flop, balancing, repeat, follow-policy)"},
  {"unknown_distribution.yaml",
   ":4: key 'agents[0].latency.dist': unknown distribution 'gamma' "
   "(accepted: constant, uniform, normal, lognormal, exponential, empirical)"},
  {"unknown_extractor.yaml",
   ":2: key 'params.extractor': unknown extractor 'first-word' (accepted: "
   "text, last-number, regex)"},
  {"unknown_param.yaml",
   ":4: key 'params.kk': unknown key (accepted: rounds, k, alpha, beta_1, "
   "beta_2, timeout_ms, beta, alpha_preference, alpha_confidence, "
   "luminance_weighted, delta, max_calls, stop_on_unanimity, extractor, "
   "extractor_pattern)"},
  {"unknown_policy.yaml",
   ":2: key 'policy': unknown policy 'foo' (accepted: metastable, hanzo, "
   "snowball, vote, sequential)"},
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
            "delta, max_calls, stop_on_unanimity, extractor, "
            "extractor_pattern)");
}
