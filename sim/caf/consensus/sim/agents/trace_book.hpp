// caf-consensus sim: a trace indexed for replay and empirical agents.

#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "caf/expected.hpp"

#include "caf/consensus/connectors/trace.hpp"
#include "caf/consensus/rng/seed.hpp"
#include "caf/consensus/shared_text.hpp"

namespace caf::consensus::sim {

/// A trace read once and indexed by (run, participant, round).
struct trace_book {
  /// The file it was read from (for messages).
  std::string file;
  connectors::trace data;
  /// Run ids in order of their first call.
  std::vector<std::string> runs;
  /// Seed of every run (from its outcome line; runs without one have no
  /// seed and cannot be replayed).
  std::vector<std::optional<rng::seed>> seeds;
  /// Run index by the agents' seed of its run seed (`agents_seed`); runs
  /// that share a seed map to `runs.size()` (a replay cannot tell them
  /// apart).
  std::unordered_map<uint64_t, size_t> run_by_agents_seed;
  /// Call index per run by `key(participant, round)`.
  std::vector<std::unordered_map<uint64_t, size_t>> calls;
  /// The output of every call, shared by the results that replay it.
  std::vector<shared_text> outputs;
  /// Latencies (ms) of every call of each participant (aligned with the
  /// header's participants), for empirical agents.
  std::vector<std::vector<int64_t>> latencies;

  /// Returns the index of participant `id` in the header or
  /// `participants().size()`.
  size_t participant_index(const std::string& id) const;

  /// Returns the header's participants.
  const std::vector<connectors::trace_participant>& participants() const {
    return data.header.participants;
  }

  /// Returns the call of participant `p` in `round` of run `run`, if
  /// recorded.
  const connectors::trace_call* find(size_t run, size_t p, int32_t round) const;

  /// Returns the latest call of `p` in run `run` at or before `round`.
  const connectors::trace_call* latest(size_t run, size_t p,
                                       int32_t round) const;

  /// Returns the index of the call `find` returns, or `data.calls.size()`.
  size_t find_index(size_t run, size_t p, int32_t round) const {
    auto& m = calls[run];
    auto i = m.find(key(p, round));
    return i == m.end() ? data.calls.size() : i->second;
  }

  static uint64_t key(size_t p, int32_t round) {
    return (static_cast<uint64_t>(p) << 32)
           | static_cast<uint64_t>(static_cast<uint32_t>(round));
  }
};

/// Indexes `x` (read from `file`).
trace_book make_trace_book(connectors::trace x, std::string file);

} // namespace caf::consensus::sim
