// caf-consensus sim: Snow study files (scenarios/studies/*.yaml): a network,
// its variants ("arms") and an optional baseline they are paired with.

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/snow/network.hpp"
#include "caf/expected.hpp"

namespace caf::consensus::sim::snow {

/// One variant of the study's network.
struct study_arm {
  std::string name;
  config cfg;
};

/// A parsed study file (format: docs/studies.md).
struct study_file {
  std::string name;
  uint64_t runs = 1000;
  uint64_t seed = 2026;
  /// The arms, in file order (a study without `arms` or `sweep` has one,
  /// named after the study).
  std::vector<study_arm> arms;
  /// Runs on the same seeds; every arm is compared with it, paired.
  std::optional<study_arm> baseline;
};

/// Parses the YAML text of a study; `file` names it in error messages
/// (`FILE: key 'PATH': PROBLEM`).
expected<study_file> parse_study(const std::string& text,
                                 const std::string& file);

/// Reads and parses `path`.
expected<study_file> load_study(const std::string& path);

} // namespace caf::consensus::sim::snow
