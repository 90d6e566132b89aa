// caf-consensus sim: run seeds, agent seeds and run parameters.

#include "caf/consensus/sim/engine/seeds.hpp"

#include "caf/consensus/rng/rng64.hpp"

namespace caf::consensus::sim {

uint64_t run_seed(const scenario& s, uint64_t cell, uint64_t replicate) {
  if (!s.seeds.empty())
    return s.seeds[replicate % s.seeds.size()];
  return rng::derive(s.seed, {cell, replicate});
}

uint64_t agents_seed(uint64_t seed) {
  static const uint64_t tag = rng::hash_name("agents", 6);
  return rng::derive(seed, {tag});
}

params run_params(const scenario& cell, uint64_t seed) {
  auto ps = cell.ps;
  ps.seed = seed; // the exact run seed: hanzo seeds Python's generator with it
  return ps;
}

} // namespace caf::consensus::sim
