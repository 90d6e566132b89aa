// Tests: replay and empirical groups in scenario files: bad keys, values
// and traces are clear errors naming file, line, key and value (suite
// trace_scenario).

#include <fstream>

#include <gtest/gtest.h>

#include "trace_helpers.hpp"

using namespace caf::consensus;
using test::record_to;
using test::recorded_scenario;
using test::temp_path;

namespace {

std::string problem_of(const std::string& agents) {
  auto text = "name: t\nlabels: [right, wrong]\nground_truth: right\n"
              "agents:\n"
              + agents;
  auto sc = sim::parse_scenario(text, temp_path("bad.yaml"));
  return sc ? std::string{"accepted"} : render(sc.error());
}

} // namespace

TEST(trace_scenario, bad_groups_name_line_key_and_value) {
  auto path = temp_path("scenario_trace.jsonl");
  record_to(recorded_scenario, path, 2);
  auto bad = temp_path("bad.yaml");
  auto has = [](const std::string& msg, const std::string& part) {
    return msg.find(part) != std::string::npos;
  };
  auto m = problem_of("  - name: a\n    kind: recorded\n");
  EXPECT_TRUE(has(m, bad
                       + ":6: key 'agents[0].kind': unknown agent kind "
                         "'recorded' (accepted: synthetic, replay, empirical)"))
    << m;
  m = problem_of("  - name: a\n    kind: replay\n");
  EXPECT_TRUE(has(m, "key 'agents[0].trace': missing required key for kind "
                     "replay"))
    << m;
  m = problem_of("  - name: zz\n    kind: replay\n    trace: " + path + "\n");
  EXPECT_TRUE(has(m, bad
                       + ":5: key 'agents[0].name': no participant 'zz' in "
                         "the trace"))
    << m;
  m = problem_of("  - name: a\n    kind: empirical\n    trace: " + path
                 + "\n    behaviour: majority\n");
  EXPECT_TRUE(has(m, bad + ":8: key 'agents[0].behaviour': unknown key")) << m;
  m = problem_of("  - name: a\n    trace: " + path + "\n");
  EXPECT_TRUE(has(m, "key 'agents[0].trace': only agents of kind replay or "
                     "empirical read a trace"))
    << m;
  m = problem_of(
    "  - name: a\n    kind: replay\n    count: 2\n    trace: " + path + "\n");
  EXPECT_TRUE(has(m, "key 'agents[0].count': a replay group plays one "
                     "participant: count 1"))
    << m;
  // A broken trace: its own file and line inside the scenario's message.
  auto broken = temp_path("broken.jsonl");
  std::ofstream{broken} << "{\"format\": \"caf-consensus-trace\", "
                           "\"version\": 2}\n";
  m = problem_of("  - name: a\n    kind: replay\n    trace: " + broken + "\n");
  EXPECT_TRUE(has(m, bad + ":7: key 'agents[0].trace': cannot use the trace: "
                       + broken + ":1: key 'version': unsupported version"))
    << m;
  // A sweep cannot change what a trace answers.
  m = problem_of("  - name: a\n    kind: empirical\n    trace: " + path
                 + "\nsweep:\n  agents.a.fail: [0.1, 0.2]\n");
  EXPECT_TRUE(has(m, "key 'sweep.agents.a.fail': group 'a' is of kind "
                     "empirical: its answers come from its trace (accepted: "
                     "count)"))
    << m;
  m = problem_of("  - name: a\n    kind: replay\n    trace: " + path
                 + "\nsweep:\n  agents.a.count: [1, 2]\n");
  EXPECT_TRUE(has(m, "key 'sweep.agents.a.count': group 'a' is of kind "
                     "replay: it plays its trace back unchanged"))
    << m;
  // Relative paths are read from the scenario file's folder.
  m = problem_of("  - name: a\n    kind: replay\n    trace: "
                 "scenario_trace.jsonl\n");
  EXPECT_EQ(m, "accepted");
}
