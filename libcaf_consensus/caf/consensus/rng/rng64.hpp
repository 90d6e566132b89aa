// caf-consensus: seed derivation and the generator used by every policy and
// model except `hanzo`'s reference sampling.

#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>

namespace caf::consensus::rng {

/// SplitMix64 finalizer (Steele, Lea, Flood 2014): a bijective 64-bit mix.
/// (Inline: every run derives a few hundred seeds.)
inline uint64_t mix64(uint64_t x) {
  auto z = x;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// Derives a stream seed from a base seed and a path of stable keys, e.g.
/// `derive(seed, {cell, replicate, agent, purpose})`:
/// h = mix64(base); for each key x: h = mix64(h ^ mix64(x +
/// 0x9e3779b97f4a7c15)).
uint64_t derive(uint64_t base, std::initializer_list<uint64_t> path);

/// The SplitMix64 increment (2^64 / golden ratio), used by `derive` and the
/// generator's seeding.
inline constexpr uint64_t golden_gamma = 0x9e3779b97f4a7c15ULL;

/// Extends a derived key by one more key: `extend(derive(base, {x...}), y)`
/// equals `derive(base, {x..., y})`. Callers that derive several streams
/// with a common path prefix derive the prefix once.
inline uint64_t extend(uint64_t key, uint64_t x) {
  return mix64(key ^ mix64(x + golden_gamma));
}

/// Stable 64-bit hash of a byte string (FNV-1a folded through mix64); used to
/// turn names (purposes, participant ids) into path keys.
uint64_t hash_name(const char* data, size_t size);

/// xoshiro256** (Blackman, Vigna 2018), state filled by SplitMix64 from a
/// 64-bit seed. Results are identical on every platform.
///
/// The seeding and the common draws are inline: most streams are seeded for
/// a draw or two (an agent's fault, latency or label in one call), and
/// inlined the compiler drops the state words those draws never read.
class rng64 {
public:
  explicit rng64(uint64_t seed = 0) {
    // Successive SplitMix64 outputs: x += gamma; out = mix64(x).
    auto x = seed;
    for (auto& word : s_) {
      x += golden_gamma;
      word = mix64(x);
    }
  }

  /// Returns the next 64-bit output.
  uint64_t next() {
    auto result = rotl(s_[1] * 5, 7) * 9;
    auto t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Returns a double uniform in [0, 1) with 53 random bits.
  double uniform() {
    return static_cast<double>(next() >> 11) * 0x1.0p-53;
  }

  /// Returns a double uniform in (0, 1] (safe for logarithms).
  double uniform_pos() {
    return static_cast<double>((next() >> 11) + 1) * 0x1.0p-53;
  }

  /// Returns an integer uniform in [0, n) without modulo bias; 0 when n == 0.
  uint64_t below(uint64_t n) {
    // Lemire (2019), "Fast Random Integer Generation in an Interval".
    if (n == 0)
      return 0;
    auto m = static_cast<uint128>(next()) * n;
    auto low = static_cast<uint64_t>(m);
    if (low < n)
      return below_rejecting(n, m);
    return static_cast<uint64_t>(m >> 64);
  }

  /// Returns true with probability p. Always consumes exactly one draw, so
  /// the stream position does not depend on p. uniform() < p is false for
  /// p <= 0 (and NaN), true for p >= 1.
  bool bernoulli(double p) {
    return uniform() < p;
  }

  /// Standard normal deviate (Box-Muller, one value per call, deterministic).
  double normal();

  /// Exponential deviate with the given mean.
  double exponential(double mean);

private:
  // GCC and Clang extension; __extension__ silences -Wpedantic.
  __extension__ typedef unsigned __int128 uint128;

  /// The rare end of `below`: the first product `m` fell below the
  /// rejection threshold's range.
  uint64_t below_rejecting(uint64_t n, uint128 m);

  static uint64_t rotl(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
  }

  uint64_t s_[4];
};

} // namespace caf::consensus::rng
