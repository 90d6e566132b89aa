// consensus-sim validate.

#include <iostream>
#include <string>
#include <vector>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/sweep/sweep_plan.hpp"
#include "cli/options.hpp"

namespace caf::consensus::cli {

namespace {

/// Returns the message of a scenario error (it starts with the file name).
std::string message(const error& err) {
  auto& ctx = err.context();
  if (err.category() == errc_category && ctx.size() == 1
      && ctx.match_element<std::string>(0))
    return ctx.get_as<std::string>(0);
  return render(err);
}

/// Returns the policies the scenario runs under (the base one, or the values
/// of a `policy` axis).
std::string policies(const sim::scenario& s) {
  for (auto& axis : s.sweep) {
    if (axis.key != "policy")
      continue;
    std::string out = "policies ";
    for (size_t i = 0; i < axis.values.size(); ++i) {
      if (i > 0)
        out += ", ";
      out += axis.values[i];
    }
    return out;
  }
  return "policy " + s.ps.policy;
}

/// Prints `xs` on stderr, one a line, then `FILE: N problems`.
void print_problems(const std::string& file, const sim::scenario_problems& xs) {
  for (auto& x : xs.shown)
    std::cerr << x << '\n';
  std::cerr << file << ": " << xs.total
            << (xs.total == 1 ? " problem" : " problems");
  if (xs.total > xs.shown.size())
    std::cerr << " (the first " << xs.shown.size() << " shown)";
  std::cerr << '\n';
}

/// Returns the help text of `validate` after its usage line.
std::string synopsis() {
  std::string out = "FILE [FILE...]\n\n";
  out += "Checks scenario files without running them: syntax, unknown keys,\n";
  out += "types and ranges, label references, the protocol parameters under\n";
  out += "the chosen policy, and every sweep value on its own. "
         "Prints per file\n";
  out += "  FILE: ok \xE2\x80\x94 N agents in G groups, policy P, C cells "
         "\xC3\x97 R replicates = T runs\n";
  out += "or, on stderr, each problem found (the first "
         + std::to_string(sim::max_scenario_problems) + " in file order) as\n";
  out += "  FILE:LINE: key 'PATH': PROBLEM\n";
  out += "then a line FILE: N problems. A YAML syntax error is reported\n";
  out += "alone, a check that needs a key which failed is skipped, and the\n";
  out += "sweep cells are resolved once the file has no problem. Exit status\n";
  out += "0 if every file is valid, else 1. The format is described in\n";
  out += "docs/scenarios.md.";
  return out;
}

} // namespace

int validate(const args& xs) {
  po::options_description desc{"options"};
  std::vector<std::string> files;
  int max_mib = 8;
  desc.add_options()("help,h", "show this help")(
    "file", po::value(&files)->required()->multitoken(),
    "scenario files (YAML or JSON)");
  add_scenario_limit(desc, max_mib);
  po::positional_options_description pos;
  pos.add("file", -1);
  po::variables_map vm;
  if (auto rc = parse("validate", xs, desc, pos, vm, synopsis().c_str()))
    return *rc;
  auto limit = scenario_limit("validate", max_mib);
  if (!limit)
    return 2;
  int rc = 0;
  for (auto& file : files) {
    sim::scenario_problems problems;
    auto s = sim::load_scenario(file, *limit, &problems);
    if (!s) {
      print_problems(file, problems);
      rc = 1;
      continue;
    }
    // Resolve and check every cell exactly as `run` does before its first
    // run, so that whatever run would reject, validate rejects first.
    if (auto plan = sim::make_plan(*s, sim::engine_kind::inline_calls, false);
        !plan) {
      print_problems(file, {{message(plan.error())}, 1});
      rc = 1;
      continue;
    }
    uint64_t agents = 0;
    for (auto& g : s->groups)
      agents += g.count;
    auto cells = sim::cell_count(*s);
    std::cout << file << ": ok \xE2\x80\x94 " << agents
              << (agents == 1 ? " agent" : " agents") << " in "
              << s->groups.size()
              << (s->groups.size() == 1 ? " group" : " groups") << ", "
              << policies(*s) << ", " << cells
              << (cells == 1 ? " cell" : " cells") << " \xC3\x97 "
              << s->replicates
              << (s->replicates == 1 ? " replicate" : " replicates") << " = "
              << cells * s->replicates << " runs\n";
  }
  std::cout.flush();
  return rc;
}

} // namespace caf::consensus::cli
