// consensus-sim: shared command-line parsing helpers.

#pragma once

#include <cctype>
#include <iostream>
#include <optional>
#include <string>

#include <boost/program_options.hpp>

#include "cli/commands.hpp"

namespace caf::consensus::cli {

namespace po = boost::program_options;

/// The `--max-scenario-mib N` option (the largest scenario file a command
/// reads, in MiB; default 8, at most 64).
inline void add_scenario_limit(po::options_description& desc, int& mib) {
  desc.add_options()(
    "max-scenario-mib", po::value(&mib)->default_value(8),
    "largest scenario file to read, in MiB (at most 64): files are held in "
    "memory whole");
}

/// Checks `--max-scenario-mib`; returns the limit in bytes, or prints why
/// not and returns nullopt.
inline std::optional<size_t> scenario_limit(const std::string& cmd, int mib) {
  if (mib < 1 || mib > 64) {
    std::cerr << "consensus-sim " << cmd
              << ": --max-scenario-mib must be in [1, 64], got " << mib << '\n';
    return std::nullopt;
  }
  return static_cast<size_t>(mib) << 20;
}

/// Parses `xs` against `desc` (+ positionals). Prints help and returns 0, or
/// prints the error and returns 2; returns nullopt to go on.
inline std::optional<int> parse(const std::string& cmd, const args& xs,
                                const po::options_description& desc,
                                const po::positional_options_description& pos,
                                po::variables_map& vm, const char* synopsis) {
  try {
    po::store(po::command_line_parser(xs).options(desc).positional(pos).run(),
              vm);
    if (vm.count("help")) {
      std::cout << "usage: consensus-sim " << cmd << ' ' << synopsis << "\n\n"
                << desc << '\n';
      return 0;
    }
    po::notify(vm);
  } catch (const po::required_option& e) {
    auto name = e.get_option_name(); // "--file"
    while (!name.empty() && name.front() == '-')
      name.erase(name.begin());
    for (auto& c : name)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::cerr << "consensus-sim " << cmd << ": missing argument " << name
              << "\n"
              << "usage: consensus-sim " << cmd << ' '
              << std::string{synopsis}.substr(0,
                                              std::string{synopsis}.find('\n'))
              << "\nTry 'consensus-sim " << cmd << " --help'.\n";
    return 2;
  } catch (const po::error& e) {
    std::cerr << "consensus-sim " << cmd << ": " << e.what() << "\n"
              << "Try 'consensus-sim " << cmd << " --help'.\n";
    return 2;
  }
  return std::nullopt;
}

} // namespace caf::consensus::cli
