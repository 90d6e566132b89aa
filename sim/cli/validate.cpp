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
  if (auto rc = parse(
        "validate", xs, desc, pos, vm,
        "FILE [FILE...]\n\n"
        "Checks scenario files without running them: syntax, unknown keys,\n"
        "types and ranges, label references, the protocol parameters under\n"
        "the chosen policy, and every sweep value on its own. Prints per "
        "file\n"
        "  FILE: ok \xE2\x80\x94 N agents in G groups, policy P, C cells "
        "\xC3\x97 R replicates = T runs\n"
        "or the first error, as FILE:LINE: key 'PATH': PROBLEM (on stderr).\n"
        "Exit status 0 if every file is valid, else 1. The format is\n"
        "described in docs/scenarios.md."))
    return *rc;
  auto limit = scenario_limit("validate", max_mib);
  if (!limit)
    return 2;
  int rc = 0;
  for (auto& file : files) {
    auto s = sim::load_scenario(file, *limit);
    if (!s) {
      std::cerr << message(s.error()) << '\n';
      rc = 1;
      continue;
    }
    // Resolve and check every cell exactly as `run` does before its first
    // run, so that whatever run would reject, validate rejects first.
    if (auto plan = sim::make_plan(*s, sim::engine_kind::inline_calls, false);
        !plan) {
      std::cerr << message(plan.error()) << '\n';
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
