#include "caf/consensus/detail/sampling.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace caf::consensus::detail {

std::vector<uint32_t> weighted_sample(const std::vector<uint32_t>& pool,
                                      const std::vector<double>& weight,
                                      size_t m, rng::rng64& gen) {
  // Every element consumes one draw, so the stream does not depend on which
  // elements have positive weight.
  std::vector<std::pair<double, uint32_t>> keys;
  keys.reserve(pool.size());
  for (auto x : pool) {
    auto u = gen.uniform_pos();
    auto w = weight[x];
    if (w > 0 && std::isfinite(w))
      keys.emplace_back(std::log(u) / w, x);
  }
  m = std::min(m, keys.size());
  // Larger keys win; ties keep pool order (stable by construction below).
  auto cmp = [](const auto& a, const auto& b) { return a.first > b.first; };
  std::stable_sort(keys.begin(), keys.end(), cmp);
  std::vector<uint32_t> out;
  out.reserve(m);
  for (size_t i = 0; i < m; ++i)
    out.push_back(keys[i].second);
  return out;
}

std::vector<uint32_t> uniform_sample(std::vector<uint32_t> pool, size_t m,
                                     rng::rng64& gen) {
  m = std::min(m, pool.size());
  for (size_t i = 0; i < m; ++i) {
    auto j = i + gen.below(pool.size() - i);
    std::swap(pool[i], pool[j]);
  }
  pool.resize(m);
  return pool;
}

} // namespace caf::consensus::detail
