// caf-consensus sim: the merged runs of several traces with their answers
// clustered (private header of the trace fit, not installed).

#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "caf/consensus/connectors/trace.hpp"
#include "caf/consensus/params.hpp"

namespace caf::consensus::sim {

/// One recorded run: its calls per participant by round, its outcome (null:
/// none) and its key's cluster (-1: none).
struct trace_run {
  std::string prompt;
  std::vector<std::map<int32_t, const connectors::trace_call*>> calls;
  const connectors::trace_outcome* outcome = nullptr;
  int key = -1;
};

/// Runs of traces that outlive it (it points into them).
struct trace_runs {
  params ps;
  std::vector<connectors::trace_participant> participants;
  std::vector<trace_run> runs;
  /// Cluster of every ok call.
  std::unordered_map<const connectors::trace_call*, int> cluster;
  std::vector<std::string> labels;
  /// Cluster of the first key found (-1: none).
  int truth = -1;

  size_t index_of(const std::string& id) const {
    for (size_t i = 0; i < participants.size(); ++i)
      if (participants[i].id == id)
        return i;
    return participants.size();
  }

  /// Returns the cluster of `p`'s latest ok answer in run `run` at or before
  /// `round` (-1: none).
  int latest_ok(size_t run, size_t p, int32_t round) const {
    if (p >= participants.size())
      return -1;
    auto& calls = runs[run].calls[p];
    for (auto i = calls.upper_bound(round); i != calls.begin();) {
      --i;
      if (i->second->ok())
        return cluster.at(i->second);
    }
    return -1;
  }
};

} // namespace caf::consensus::sim
