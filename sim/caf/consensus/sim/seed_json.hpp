// caf-consensus sim: a seed of any size as a JSON value.

#pragma once

#include <nlohmann/json.hpp>

#include "caf/consensus/rng/seed.hpp"

namespace caf::consensus::sim {

/// A seed in [-2^63, 2^64) as a JSON integer; any other as its decimal text
/// (JSON libraries read integers beyond 64 bits as doubles and lose digits).
inline nlohmann::json seed_json(const rng::seed& x) {
  if (x.fits_uint64())
    return x.low64();
  if (x.fits_int64())
    return x.to_int64();
  return x.to_string();
}

} // namespace caf::consensus::sim
