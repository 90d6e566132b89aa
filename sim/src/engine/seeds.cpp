// caf-consensus sim: run seeds, agent seeds and run parameters.

#include "caf/consensus/sim/engine/seeds.hpp"

#include "caf/consensus/rng/rng64.hpp"

namespace caf::consensus::sim {

rng::seed run_seed(const scenario& s, uint64_t cell, uint64_t replicate) {
  if (!s.seeds.empty())
    return s.seeds[replicate % s.seeds.size()];
  return rng::derive(s.seed.low64(), {cell, replicate});
}

params run_params(const scenario& cell, const rng::seed& seed) {
  auto ps = cell.ps;
  ps.seed = seed; // the exact run seed: hanzo seeds Python's generator with it
  return ps;
}

} // namespace caf::consensus::sim
