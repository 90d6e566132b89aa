// caf-consensus sim: run seeds, agent seeds and run parameters.

#include "caf/consensus/sim/engine/seeds.hpp"

#include "caf/consensus/rng/rng64.hpp"

namespace caf::consensus::sim {

rng::seed run_seed(const scenario& s, uint64_t cell, uint64_t replicate) {
  if (!s.seeds.empty())
    return s.seeds[replicate % s.seeds.size()];
  return rng::derive(s.seed.low64(), {cell, replicate});
}

uint64_t agents_seed(const rng::seed& seed) {
  static const uint64_t tag = rng::hash_name("agents", 6);
  return rng::derive(seed.low64(), {tag});
}

params run_params(const scenario& cell, const rng::seed& seed) {
  auto ps = cell.ps;
  ps.seed = seed; // the exact run seed: hanzo seeds Python's generator with it
  return ps;
}

} // namespace caf::consensus::sim
