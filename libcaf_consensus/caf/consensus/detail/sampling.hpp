// caf-consensus: weighted sampling without replacement.

#pragma once

#include <cstdint>
#include <vector>

#include "caf/consensus/rng/rng64.hpp"

namespace caf::consensus::detail {

/// Draws `m` distinct elements of `pool` with probability proportional to
/// `weight[pool[j]]` (Efraimidis–Spirakis: the `m` largest keys
/// `log(u) / w`; elements of weight <= 0 are never drawn). Returns them in
/// draw order (decreasing key). Deterministic for a given generator state.
std::vector<uint32_t> weighted_sample(const std::vector<uint32_t>& pool,
                                      const std::vector<double>& weight,
                                      size_t m, rng::rng64& gen);

/// Draws `m` distinct elements of `pool` uniformly (partial Fisher–Yates).
std::vector<uint32_t> uniform_sample(std::vector<uint32_t> pool, size_t m,
                                     rng::rng64& gen);

/// Purposes of random streams, mixed into `rng::derive` paths.
enum class stream : uint64_t {
  sample = 1,
};

} // namespace caf::consensus::detail
