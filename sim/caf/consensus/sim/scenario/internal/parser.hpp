// caf-consensus sim: the scenario file parser: walks the YAML document key
// by key, with the line of every key, into a checked scenario.

#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "caf/consensus/params.hpp"
#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/sim/scenario/internal/value.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::sim::scenario_internal {

/// One entry of a YAML map.
struct entry {
  std::string name;
  YAML::Node node;
  /// Dotted path of the entry.
  std::string key;
  int key_line = 0;
  /// Line of the value (the key's line for null values).
  int line = 0;

  value val() const {
    return from_node(node, key, line);
  }
};

/// Returns the 1-based line of node `n` (`fallback` for null nodes).
int line_of(const YAML::Node& n, int fallback);

/// Parses one scenario document. Throws a `failure` at the first problem.
/// The sections are parsed in `parser.cpp`, except the agent groups
/// (`parse_agents.cpp`) and the sweep (`parse_sweep.cpp`).
class parser {
public:
  explicit parser(std::string origin) : origin_(std::move(origin)) {
    // nop
  }

  /// Parses the document `root` (a map) into a checked scenario.
  scenario run(const YAML::Node& root);

  /// Returns the line recorded for `key` or its closest ancestor.
  int line_for(std::string key) const;

private:
  /// Returns the entries of map `n` at `path`, rejecting duplicate keys and
  /// keys outside `ok` (unless `ok` is null).
  std::vector<entry> entries(const YAML::Node& n, const std::string& path,
                             int line, const std::vector<std::string>* ok,
                             const std::string& what);

  /// Returns the entry named `name` (null if absent).
  const entry* find(const std::vector<entry>& es, const std::string& name);

  /// Fails: `missing required key` (plus `extra`).
  [[noreturn]] void missing(int line, const std::string& key,
                            const std::string& extra = "");

  /// Parses `params` into `ps`.
  void parse_params(const entry& e, params& ps);

  /// Parses `labels` (a list or a map of label: template) into `world`.
  void parse_labels(const entry& e, agent_world& world);

  /// Parses group `index` of `agents`.
  agent_group parse_group(const YAML::Node& n, size_t index, int line);

  /// Parses a group's `latency` (ms, or a map with `dist`).
  latency_model parse_latency(const entry& e);

  /// Parses `seeds` (a list or a from/to range) into `s.seeds`.
  void parse_seeds(const entry& e, scenario& s);

  /// Parses `sweep` into `s.sweep`, checking every value against `s`.
  void parse_sweep(const entry& e, scenario& s);

  std::string origin_;
  std::map<std::string, int> lines_;
};

} // namespace caf::consensus::sim::scenario_internal
