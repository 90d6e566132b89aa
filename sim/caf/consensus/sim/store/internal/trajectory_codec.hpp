// caf-consensus sim: a run's per-round numbers packed into one small blob of
// the results store (private header, not installed).

#pragma once

#include <optional>
#include <string>
#include <vector>

#include "caf/consensus/round_summary.hpp"

namespace caf::consensus::sim::store_internal {

/// Packs `xs` (rounds 0, 1, ... in order): a format byte (1), the number of
/// rounds, then per round the counts as LEB128 varints, a flags byte
/// (stopped; each confidence 0.0, 1.0 or stored) and the stored confidences
/// as 8 little-endian bytes each, so that every double comes back bit for
/// bit. A quickstart run takes about 30 bytes.
std::string encode_trajectory(const std::vector<round_summary>& xs);

/// Unpacks a blob of `encode_trajectory`; nullopt when it is damaged
/// (truncated, trailing bytes, unknown format, values out of range).
std::optional<std::vector<round_summary>>
decode_trajectory(const std::string& blob);

} // namespace caf::consensus::sim::store_internal
