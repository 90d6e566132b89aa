// caf-consensus: seed derivation (SplitMix64) and xoshiro256**.

#include "caf/consensus/rng/rng64.hpp"

#include <cmath>

namespace caf::consensus::rng {

namespace {

constexpr uint64_t fnv_offset_basis = 0xcbf29ce484222325ULL;

constexpr uint64_t fnv_prime = 0x100000001b3ULL;

// GCC and Clang extension; __extension__ silences -Wpedantic.
__extension__ typedef unsigned __int128 uint128;

constexpr double two_pi = 6.283185307179586476925286766559;

} // namespace

// -- seed derivation ----------------------------------------------------------

uint64_t derive(uint64_t base, std::initializer_list<uint64_t> path) {
  auto h = mix64(base);
  for (auto x : path)
    h = extend(h, x);
  return h;
}

uint64_t hash_name(const char* data, size_t size) {
  auto h = fnv_offset_basis;
  for (size_t i = 0; i < size; ++i) {
    h ^= static_cast<unsigned char>(data[i]);
    h *= fnv_prime;
  }
  return mix64(h);
}

// -- rng64 --------------------------------------------------------------------

rng64::rng64(uint64_t seed) {
  // Successive SplitMix64 outputs: x += gamma; out = mix64(x).
  auto x = seed;
  for (auto& word : s_) {
    x += golden_gamma;
    word = mix64(x);
  }
}

uint64_t rng64::below(uint64_t n) {
  // Lemire (2019), "Fast Random Integer Generation in an Interval".
  if (n == 0)
    return 0;
  auto m = static_cast<uint128>(next()) * n;
  auto low = static_cast<uint64_t>(m);
  if (low < n) {
    auto threshold = (uint64_t{0} - n) % n;
    while (low < threshold) {
      m = static_cast<uint128>(next()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

bool rng64::bernoulli(double p) {
  // Always consumes exactly one draw, so the stream position does not depend
  // on p. uniform() < p is false for p <= 0 (and NaN), true for p >= 1.
  return uniform() < p;
}

double rng64::normal() {
  auto u1 = uniform_pos();
  auto u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(two_pi * u2);
}

double rng64::exponential(double mean) {
  return -mean * std::log(uniform_pos());
}

} // namespace caf::consensus::rng
