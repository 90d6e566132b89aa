// consensus-sim conform / replay.

#include <iostream>

#include <nlohmann/json.hpp>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"

#include "caf/consensus/error.hpp"
#include "caf/consensus/policy/policy.hpp"
#include "caf/consensus/policy/registry.hpp"
#include "caf/consensus/sim/conformance/conformance.hpp"
#include "cli/options.hpp"

namespace caf::consensus::cli {

int conform(const args& xs) {
  po::options_description desc{"options"};
  std::string file;
  bool verbose = false;
  desc.add_options()("help,h", "show this help")(
    "file", po::value(&file)->required(),
    "conformance file (schema of hanzo-0.1.0.json)")(
    "verbose,v", po::bool_switch(&verbose), "print a line for passing cases");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  if (auto rc = parse("conform", xs, desc, pos, vm,
                      "FILE [--verbose]\n\n"
                      "Replays every case of FILE through the real coordinator "
                      "and participant\nactors with scripted participants and "
                      "compares every output field exactly\n(floats bit for "
                      "bit). Prints one line per failing case with the first\n"
                      "differing field, then 'N passed, M failed'. Exit status "
                      "0 only if none failed."))
    return *rc;
  auto cases = sim::load_conformance(file);
  if (!cases) {
    std::cerr << "consensus-sim conform: " << render(cases.error()) << '\n';
    return 1;
  }
  actor_system_config cfg;
  actor_system sys{cfg};
  size_t passed = 0;
  size_t failed = 0;
  for (auto& c : *cases) {
    auto run = sim::replay_actors(sys, c);
    std::string diff = run ? sim::compare(c, *run) : render(run.error());
    if (diff.empty()) {
      ++passed;
      if (verbose)
        std::cout << "PASS " << c.name << '\n';
    } else {
      ++failed;
      std::cout << "FAIL " << c.name << ": " << diff << '\n';
    }
  }
  std::cout << passed << " passed, " << failed << " failed" << std::endl;
  return failed == 0 ? 0 : 1;
}

int replay(const args& xs) {
  po::options_description desc{"options"};
  std::string file;
  std::string policy;
  std::string engine_name;
  desc.add_options()("help,h", "show this help")(
    "file", po::value(&file)->required(), "conformance file")(
    "policy,p", po::value(&policy),
    "policy to replay under: hanzo, metastable, snowball, vote (default: the "
    "case's, hanzo)")("engine,e",
                      po::value(&engine_name)->default_value("actors"),
                      "actors or inline");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  if (auto rc = parse("replay", xs, desc, pos, vm,
                      "FILE [--policy NAME] [--engine actors|inline]\n\n"
                      "Runs the scripted inputs of every case under a policy "
                      "and prints one JSON\nobject per case (name, winner, "
                      "finalized, synthesis, rounds_executed,\nstop_reason, "
                      "confidence, luminance, scores, responses, ...)."))
    return *rc;
  if (engine_name != "actors" && engine_name != "inline") {
    std::cerr << "consensus-sim replay: --engine must be 'actors' or "
                 "'inline', got '"
              << engine_name << "'\n";
    return 2;
  }
  if (!policy.empty()) {
    if (auto p = policy::make(policy); !p) {
      std::cerr << "consensus-sim replay: --policy: " << render(p.error())
                << '\n';
      return 2;
    }
  }
  auto cases = sim::load_conformance(file);
  if (!cases) {
    std::cerr << "consensus-sim replay: " << render(cases.error()) << '\n';
    return 1;
  }
  actor_system_config cfg;
  actor_system sys{cfg};
  int rc = 0;
  for (auto& c : *cases) {
    auto run = engine_name == "actors" ? sim::replay_actors(sys, c, policy)
                                       : sim::replay_inline(c, policy);
    if (!run) {
      std::cerr << "consensus-sim replay: case '" << c.name
                << "': " << render(run.error()) << '\n';
      rc = 1;
      continue;
    }
    std::cout << sim::to_json(c, *run).dump() << '\n';
  }
  return rc;
}

} // namespace caf::consensus::cli
