// caf-consensus: a bit-exact port of CPython 3.12's `random` module subset
// used by the reference implementation (policy `hanzo`).

#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "caf/consensus/rng/seed.hpp"

namespace caf::consensus::rng {

/// MT19937 seeded like CPython's `random.seed(int)`: `init_by_array` with the
/// absolute value of the seed split into 32-bit words, least significant
/// first (key `[0]` for seed 0). Not `std::seed_seq`.
class python_random {
public:
  // -- constructors -----------------------------------------------------------

  /// Seeds like `random.seed(seed)`.
  explicit python_random(int64_t seed);

  /// Seeds like `random.seed(n)` for an integer of any size.
  explicit python_random(const seed& n);

  /// Seeds with an explicit `init_by_array` key.
  explicit python_random(const std::vector<uint32_t>& key);

  /// Restores the generator from the state `random.getstate()` holds: the 624
  /// words of the table and the position `pos` (0..624) of the next word.
  /// Fails when `words` has not 624 entries or `pos` is out of range.
  static expected<python_random> from_state(const std::vector<uint32_t>& words,
                                            size_t pos);

  // -- state ------------------------------------------------------------------

  /// Returns the 624 words of the table (as in `random.getstate()[1][:624]`).
  std::vector<uint32_t> state_words() const;

  /// Returns the position of the next word (`random.getstate()[1][624]`).
  size_t state_position() const noexcept {
    return mti_;
  }

  // -- draws ------------------------------------------------------------------

  /// Returns the next 32-bit output (`random.getrandbits(32)`).
  uint32_t next_u32();

  /// Returns `random.random()`: `((a >> 5) * 67108864 + (b >> 6)) / 2^53`.
  double random();

  /// Returns the indexes drawn by `random.choices(population, weights, k=k)`
  /// for a population of `weights.size()` elements: cumulative weights summed
  /// left to right, T = last cumulative value, each draw picks
  /// `bisect_right(cum, random() * T, 0, n - 1)`. `k <= 0` draws nothing.
  /// Fails like CPython when the total is <= 0 or not finite or when
  /// `weights` is empty.
  expected<std::vector<size_t>> choices(const std::vector<double>& weights,
                                        int64_t k);

  /// `choices`, writing the indexes to `out` (replacing its contents) and
  /// using `cum` for the cumulative weights: a caller that draws every round
  /// passes the same two buffers and allocates nothing. `out` is empty after
  /// an error.
  error choices_into(const std::vector<double>& weights, int64_t k,
                     std::vector<double>& cum, std::vector<size_t>& out);

private:
  python_random() = default;

  void init_genrand(uint32_t s);
  void init_by_array(const std::vector<uint32_t>& key);
  /// Twists word `kk` of the table (words below `kk` twisted already).
  void twist_one(size_t kk);

  std::array<uint32_t, 624> mt_{};
  size_t mti_ = 625;
  /// Words of the table twisted since the last draw at position 624 (624:
  /// none pending).
  size_t twisted_ = 624;
};

/// Returns `sum(xs)` as CPython 3.12 computes it for floats (Neumaier
/// compensated summation, compensation added at the end when finite).
double python_fsum(const std::vector<double>& xs);

} // namespace caf::consensus::rng
