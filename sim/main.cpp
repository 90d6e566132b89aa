// consensus-sim: the command-line front end of caf-consensus.

#include <cstring>
#include <exception>
#include <iostream>
#include <string>

#include "caf/config.hpp"

#include "caf/consensus/sim/version.hpp"
#include "cli/commands.hpp"

namespace {

struct command {
  const char* name;
  int (*fn)(const caf::consensus::cli::args&);
  const char* summary;
};

const command commands[] = {
  {"run", caf::consensus::cli::run,
   "run a scenario (a sweep if it has one) and summarize it"},
  {"export", caf::consensus::cli::export_runs,
   "print the runs of a results store as CSV or JSON Lines"},
  {"summarize", caf::consensus::cli::summarize,
   "summarize the runs of a results store per sweep cell"},
  {"worker", caf::consensus::cli::worker,
   "serve batches of distributed sweeps to coordinators (shared secret)"},
  {"validate", caf::consensus::cli::validate,
   "check a scenario file without running it"},
  {"conform", caf::consensus::cli::conform,
   "replay a conformance file through the actors and compare every field"},
  {"replay", caf::consensus::cli::replay,
   "replay a conformance file's scripts under any policy, print JSON lines"},
  {"report", caf::consensus::cli::report,
   "charts and a self-contained HTML page of a results directory"},
  {"advice", caf::consensus::cli::advice,
   "test the published tuning advice with sweeps, print verdicts"},
  {"tune", caf::consensus::cli::tune,
   "find a sweep grid's best settings by racing cells on common seeds"},
  {"calibrate", caf::consensus::cli::calibrate,
   "fit or apply a map from winner confidence to P(right)"},
  {"fit", caf::consensus::cli::fit,
   "estimate a scenario from traces of real agents; check it on a holdout"},
  {"record", caf::consensus::cli::record,
   "record a scenario's simulated runs as a trace"},
  {"snow", caf::consensus::cli::snow,
   "run Snow-family studies: safety and speed with exact bounds"},
  {"ask", caf::consensus::cli::ask,
   "ask real agents (MCP servers, OpenAI-compatible models) to agree"},
  {"mcp-serve", caf::consensus::cli::mcp_serve,
   "serve a 'consensus' tool over MCP (stdio or Streamable HTTP)"},
};

void usage(std::ostream& out) {
  out << "usage: consensus-sim <command> [options]\n\n"
         "Metastable consensus among agents: simulator and tools.\n\n"
         "commands:\n";
  for (auto& c : commands)
    out << "  " << c.name << std::string(10 - std::strlen(c.name), ' ')
        << c.summary << '\n';
  out << "\nRun 'consensus-sim help <command>' (or 'consensus-sim <command> "
         "--help')\nfor a command's options, 'consensus-sim --version' for "
         "the version.\n";
}

void version(std::ostream& out) {
  out << "consensus-sim (" << caf::consensus::sim::program_version
      << ", commit " << caf::consensus::sim::program_commit << ", CAF "
      << CAF_MAJOR_VERSION << '.' << CAF_MINOR_VERSION << '.'
      << CAF_PATCH_VERSION << ")\n";
}

const command* find(const std::string& name) {
  for (auto& c : commands)
    if (name == c.name)
      return &c;
  return nullptr;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(std::cerr);
    return 2;
  }
  std::string name = argv[1];
  if (name == "--version" || name == "-V" || name == "version") {
    version(std::cout);
    return 0;
  }
  if (name == "help" && argc >= 3) {
    // `consensus-sim help COMMAND` = `consensus-sim COMMAND --help`.
    if (auto* c = find(argv[2]))
      return c->fn({"--help"});
    std::cerr << "consensus-sim help: unknown command '" << argv[2] << "'\n\n";
    usage(std::cerr);
    return 2;
  }
  if (name == "--help" || name == "-h" || name == "help") {
    usage(std::cout);
    return 0;
  }
  if (auto* c = find(name)) {
    caf::consensus::cli::args xs(argv + 2, argv + argc);
    try {
      return c->fn(xs);
    } catch (const std::exception& e) {
      std::cerr << "consensus-sim " << name << ": error: " << e.what() << '\n';
      return 1;
    }
  }
  std::cerr << "consensus-sim: unknown command '" << name << "'\n\n";
  usage(std::cerr);
  return 2;
}
