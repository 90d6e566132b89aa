// caf-consensus: seed derivation (SplitMix64) and xoshiro256**.

#include "caf/consensus/rng/rng64.hpp"

#include <cmath>

namespace caf::consensus::rng {

namespace {

constexpr uint64_t fnv_offset_basis = 0xcbf29ce484222325ULL;

constexpr uint64_t fnv_prime = 0x100000001b3ULL;

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

uint64_t rng64::below_rejecting(uint64_t n, uint128 m) {
  auto low = static_cast<uint64_t>(m);
  auto threshold = (uint64_t{0} - n) % n;
  while (low < threshold) {
    m = static_cast<uint128>(next()) * n;
    low = static_cast<uint64_t>(m);
  }
  return static_cast<uint64_t>(m >> 64);
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
