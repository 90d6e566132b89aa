// caf-consensus sim: the scenario file parser: walks the YAML document key
// by key, with the line of every key, into a checked scenario.

#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "caf/consensus/params.hpp"
#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/sim/agents/trace_book.hpp"
#include "caf/consensus/sim/scenario/internal/failure.hpp"
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

/// Parses one scenario document. A problem with one key is recorded and the
/// parser goes on with the next key (or list element) where that makes
/// sense; checks that depend on a part that failed are skipped rather than
/// reporting its consequences. The sections are parsed in `parser.cpp`,
/// except the agent groups (`parse_agents.cpp`) and the sweep
/// (`parse_sweep.cpp`).
class parser {
public:
  explicit parser(std::string origin, size_t limit = max_scenario_problems)
    : origin_(std::move(origin)), problems_(limit) {
    // nop
  }

  /// Parses the document `root` (a map) into a scenario, which is checked
  /// when `problems()` is empty.
  scenario run(const YAML::Node& root);

  /// The problems found, in file order.
  const failure_list& problems() const {
    return problems_;
  }

  /// Returns the line recorded for `key` or its closest ancestor.
  int line_for(std::string key) const;

private:
  /// What the sweep's checks may rely on.
  struct sweep_scope {
    /// Whether the agents parsed (keys naming a group can only be judged
    /// then).
    bool groups = true;
    /// Whether the labels parsed (for keys naming a label).
    bool labels = true;
    /// Whether the scenario had no problem before the sweep (each value is
    /// checked against it).
    bool clean = true;
    /// Whether `replicates` and `seeds` parsed (for the cap on runs).
    bool runs = true;
  };

  /// Records failure `x`.
  void report(failure x) {
    problems_.add(std::move(x));
  }

  /// Runs `f`, recording the failure it throws. Returns whether it did not.
  template <class F>
  bool attempt(F&& f) {
    try {
      f();
      return true;
    } catch (failure& x) {
      report(std::move(x));
      return false;
    }
  }

  /// Returns the number of problems so far, for `clean_since`.
  size_t mark() const {
    return problems_.total();
  }

  /// Returns whether no problem was found since `mark`.
  bool clean_since(size_t mark) const {
    return problems_.total() == mark;
  }

  /// Returns the entries of map `n` at `path` (fails unless it is a map).
  /// Reports and leaves out keys that are not plain, duplicate keys and keys
  /// outside `ok` (unless `ok` is null).
  std::vector<entry> entries(const YAML::Node& n, const std::string& path,
                             int line, const std::vector<std::string>* ok,
                             const std::string& what);

  /// Returns the entry named `name` (null if absent).
  const entry* find(const std::vector<entry>& es, const std::string& name);

  /// Reports `missing required key` (plus `extra`).
  void missing(int line, const std::string& key, const std::string& extra = "");

  /// Parses `params` into `ps`.
  void parse_params(const entry& e, params& ps);

  /// Parses `labels` (a list or a map of label: template) into `world`.
  void parse_labels(const entry& e, agent_world& world);

  /// Parses group `index` of `agents`; sets `named` if its name parsed.
  agent_group parse_group(const YAML::Node& n, size_t index, int line,
                          bool& named);

  /// Parses the `kind`, `trace` and `participant` of a replay or empirical
  /// group into `g` (`kind` already set).
  void parse_recorded(const std::vector<entry>& es, agent_group& g, int line,
                      const std::string& path);

  /// Returns the trace at `path` (relative to the scenario file's folder),
  /// read once per parser.
  std::shared_ptr<const trace_book> load_trace(const entry& e);

  /// Parses a group's `answers` into `g`.
  void parse_answers(const entry& e, agent_group& g);

  /// Parses a group's `latency` (ms, or a map with `dist`).
  /// Parses a latency (`tokens` false: fields `ms`, `min_ms`, ...) or a
  /// token-count distribution (fields `value`, `min`, ...).
  latency_model parse_latency(const entry& e, bool tokens = false);

  /// Parses `seeds` (a list or a from/to range) into `s.seeds`.
  void parse_seeds(const entry& e, scenario& s);

  /// Parses `sweep` into `s.sweep`, checking every value against `s`.
  void parse_sweep(const entry& e, scenario& s, const sweep_scope& scope);

  /// Parses sweep axis `x` and checks its values; false on a problem.
  bool parse_axis(const entry& x, scenario& s, const sweep_scope& scope);

  /// Reads the values of sweep axis `x` (a list or a range) into `axis`.
  void axis_values(const entry& x, sweep_axis& axis);

  /// Reads a log range (`from`, `to`, `factor`) into `axis`.
  void log_range(const entry& x, const entry& from, double lo, double hi,
                 double times, sweep_axis& axis);

  std::string origin_;
  std::map<std::string, std::shared_ptr<const trace_book>> traces_;
  std::map<std::string, int> lines_;
  failure_list problems_;
};

} // namespace caf::consensus::sim::scenario_internal
