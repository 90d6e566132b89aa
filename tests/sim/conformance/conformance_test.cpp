// Policy hanzo against the reference cases: through the real actors and
// through the inline engine.

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/conformance/conformance.hpp"

using namespace caf::consensus;

namespace {

const std::string data_file = std::string{CAF_CONSENSUS_TEST_DATA}
                              + "/hanzo-0.1.0.json";

std::vector<sim::conformance_case> cases() {
  auto xs = sim::load_conformance(data_file);
  if (!xs)
    throw std::runtime_error(render(xs.error()));
  return std::move(*xs);
}

} // namespace

TEST(conformance, file_has_thirty_cases) {
  EXPECT_EQ(cases().size(), 30u);
}

TEST(conformance, every_case_matches_through_the_actors) {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  for (auto& c : cases()) {
    auto run = sim::replay_actors(sys, c);
    ASSERT_TRUE(run) << c.name << ": " << render(run.error());
    EXPECT_EQ(sim::compare(c, *run), "") << c.name;
  }
}

TEST(conformance, every_case_matches_inline) {
  for (auto& c : cases()) {
    auto run = sim::replay_inline(c);
    ASSERT_TRUE(run) << c.name << ": " << render(run.error());
    EXPECT_EQ(sim::compare(c, *run), "") << c.name;
  }
}

TEST(conformance, a_changed_expectation_is_reported_with_its_field) {
  auto xs = cases();
  auto c = xs.front();
  c.expected["winner"] = "nobody";
  auto run = sim::replay_inline(c);
  ASSERT_TRUE(run);
  EXPECT_EQ(sim::compare(c, *run), "winner: expected \"nobody\", got \"solo\"");
  c = xs.front();
  c.expected["confidence_hex"]["solo"] = "0x1.0000000000001p-1";
  run = sim::replay_inline(c);
  EXPECT_EQ(sim::compare(c, *run),
            "confidence.solo: expected 0x1.0000000000001p-1, got 0x1p-1");
}

TEST(conformance, malformed_files_name_the_case_and_field) {
  auto err = [](const std::string& text) {
    auto x = sim::parse_conformance(text, "f.json");
    return x ? std::string{"no error"} : render(x.error());
  };
  // The JSON parser's own message, obtained here, after the file name.
  std::string parser_says;
  try {
    [[maybe_unused]] auto doc = nlohmann::json::parse("{");
  } catch (const nlohmann::json::parse_error& e) {
    parser_says = e.what();
  }
  ASSERT_FALSE(parser_says.empty());
  EXPECT_EQ(err("{"),
            "malformed_input: f.json: not valid JSON: " + parser_says);
  EXPECT_EQ(err("[]"), "malformed_input: f.json: top level must be an object "
                       "with 'cases'");
  EXPECT_EQ(err(R"({"cases": [{"name": "x"}]})"),
            "malformed_input: f.json: case #1 'x': missing field 'input'");
  EXPECT_EQ(
    err(R"({"cases": [{"name": "x", "input": {"prompt": "p",
        "participants": ["a"], "rounds": "3"}}]})"),
    "malformed_input: f.json: case #1 'x': field 'input.rounds' must be an "
    "integer, got string");
  EXPECT_EQ(
    err(R"({"cases": [{"name": "y", "input": {"prompt": "p",
        "participants": ["a"], "rounds": 1, "k": 1, "alpha": 0.5,
        "beta_1": 0.5, "beta_2": 0.5, "seed": 1,
        "script": {"a": [{"output": "x", "ms": 1.5, "ok": true}]}}}]})"),
    "malformed_input: f.json: case #1 'y': field 'input.script.a[0].ms' must "
    "be an integer, got a fraction");
  EXPECT_EQ(
    err(R"({"cases": [{"name": "z", "input": {"prompt": "p",
        "participants": ["a"], "rounds": 1, "k": 1, "alpha": 0.5,
        "beta_1": 0.5, "beta_2": 0.5, "seed": 1,
        "script": {"a": [], "b": []}}}]})"),
    "malformed_input: f.json: case #1 'z': field 'input.script.b' names no "
    "participant");
}

TEST(conformance, duplicate_keys_and_overflows_are_named) {
  auto err = [](const std::string& text) {
    auto x = sim::parse_conformance(text, "f.json");
    return x ? std::string{"no error"} : render(x.error());
  };
  EXPECT_EQ(err(R"({"cases": [], "cases": []})"),
            "malformed_input: f.json: duplicate key 'cases'");
  EXPECT_EQ(err(R"({"cases": [{"name": "x", "input": {"prompt": "p",
        "prompt": "q", "participants": ["a"]}}]})"),
            "malformed_input: f.json: duplicate key 'prompt'");
  // The same key in two different objects is fine.
  EXPECT_EQ(err(R"({"cases": [{"name": "x"}, {"name": "y"}]})"),
            "malformed_input: f.json: case #1 'x': missing field 'input'");
  EXPECT_EQ(
    err(R"({"cases": [{"name": "v", "input": {"prompt": "p",
        "participants": ["a"], "rounds": 100000000000000000000}}]})"),
    "malformed_input: f.json: case #1 'v': field 'input.rounds' is out of "
    "range (a whole number beyond 64 bits)");
}

TEST(conformance, seeds_of_any_size_replay_like_python) {
  std::ifstream in{data_file};
  auto doc = nlohmann::json::parse(in);
  auto with_seed = [&](const nlohmann::json& seed) {
    auto copy = doc;
    for (auto& c : copy["cases"])
      c["input"]["seed"] = seed;
    auto cs = sim::parse_conformance(copy.dump(), "seeds.json");
    EXPECT_TRUE(cs) << render(cs.error());
    std::vector<std::string> out;
    if (!cs)
      return out;
    for (auto& c : *cs) {
      auto run = sim::replay_inline(c);
      EXPECT_TRUE(run) << c.name;
      out.push_back(run ? sim::to_json(c, *run).dump()
                            + nlohmann::json(run->prompts).dump()
                        : "");
    }
    return out;
  };
  // random.seed(n) uses |n|: n and -n draw alike, as JSON numbers or text.
  auto big = with_seed("18446744073709551616");
  EXPECT_EQ(big, with_seed("-18446744073709551616"));
  EXPECT_EQ(with_seed(nlohmann::json(UINT64_MAX)),
            with_seed("-18446744073709551615"));
  EXPECT_EQ(with_seed(nlohmann::json(-1)), with_seed(nlohmann::json(1)));
  // 2^64 is not 0 (its low 64 bits): some case samples differently.
  EXPECT_NE(big, with_seed(nlohmann::json(0)));
  auto err = [](const std::string& seed) {
    auto x = sim::parse_conformance(
      R"({"cases": [{"name": "s", "input": {"prompt": "p", "participants":
      ["a"], "rounds": 1, "k": 1, "alpha": 0.5, "beta_1": 0.5, "beta_2": 0.5,
      "seed": )"
        + seed + "}}]}",
      "f.json");
    return x ? std::string{"no error"} : render(x.error());
  };
  EXPECT_EQ(err("18446744073709551616"),
            "malformed_input: f.json: case #1 's': field 'input.seed' is "
            "beyond 64 bits: write it as a decimal string "
            "(\"18446744073709551616\") to keep every digit");
  EXPECT_EQ(err("\"12x\""), "malformed_input: f.json: case #1 's': field "
                            "'input.seed': seed '12x': expected a decimal "
                            "integer");
}
