// caf-consensus sim: the random streams of a synthetic agent, one per run,
// agent, round and purpose (private header, not installed).
//
// Random streams. Every draw of `answer` comes from its own xoshiro256**
// stream seeded with
//
//   rng::derive(run_seed, {agent.index, round, purpose})
//
// where `purpose` is `rng::hash_name` of one of the names below. Streams are
// thus keyed by what they decide, never by call order, and independent of
// each other: changing a group's failure rate does not change its latencies
// or its labels (common random numbers across sweep cells).
//
//   "sim.agent.latency"  one latency sample (normal: redraws until >= 0)
//   "sim.agent.fault"    one uniform draw deciding no-answer / failure
//   "sim.agent.label"    categorical draws (initial answer, `resample`, and
//                        the fallback when the request shows no own label)
//   "sim.agent.refine"   the choice of a behaviour: `conform` coin,
//                        `copy-peer` pick
//   "sim.agent.noise"    word-level noise of the rendered text
//
// Default templates use a separate, scenario-independent generator seeded
// with `rng::hash_name(label)`.

#pragma once

#include <cstdint>
#include <cstring>

#include "caf/consensus/rng/rng64.hpp"

#include "caf/consensus/sim/agents/agents.hpp"

namespace caf::consensus::sim::agents_internal {

/// Returns the key of a stream purpose (`rng::hash_name` of its name).
inline uint64_t purpose_key(const char* name) {
  return rng::hash_name(name, std::strlen(name));
}

/// The keys of the purposes.
struct purposes {
  uint64_t latency = purpose_key("sim.agent.latency");
  uint64_t fault = purpose_key("sim.agent.fault");
  uint64_t label = purpose_key("sim.agent.label");
  uint64_t refine = purpose_key("sim.agent.refine");
  uint64_t noise = purpose_key("sim.agent.noise");
  uint64_t tokens = purpose_key("sim.agent.tokens");
};

/// Returns the keys of the purposes (computed once).
inline const purposes& purpose() {
  static const purposes instance;
  return instance;
}

/// Returns `rng::derive(run_seed, {index, round})`, the key that the streams
/// of one call extend by their purpose. A call draws from several streams in
/// a row, so the thread keeps the last key it derived.
inline uint64_t call_key(uint64_t run_seed, uint64_t index, uint64_t round) {
  struct last_key {
    uint64_t run_seed = 0;
    uint64_t index = 0;
    uint64_t round = 0;
    uint64_t key = 0;
    bool valid = false;
  };
  thread_local last_key last;
  if (!last.valid || last.run_seed != run_seed || last.index != index
      || last.round != round)
    last = last_key{run_seed, index, round,
                    rng::derive(run_seed, {index, round}), true};
  return last.key;
}

/// Returns the stream of agent `a` in `round` for `purpose`:
/// `rng::derive(run_seed, {a.index, round, purpose})`.
inline rng::rng64 stream(uint64_t run_seed, const agent& a, int32_t round,
                         uint64_t purpose) {
  auto r = static_cast<uint64_t>(static_cast<int64_t>(round));
  return rng::rng64{rng::extend(call_key(run_seed, a.index, r), purpose)};
}

} // namespace caf::consensus::sim::agents_internal
