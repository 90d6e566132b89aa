// caf-consensus: sampling peers without replacement.

#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "caf/consensus/detail/guided_sums.hpp"
#include "caf/consensus/rng/rng64.hpp"
#include "caf/consensus/sample_list.hpp"

namespace caf::consensus::detail {

/// Candidate pools of at most this many elements are sampled with the
/// reference algorithms below (`weighted_sample`, `uniform_sample`) on an
/// explicit pool; larger pools use the samplers' O(m) expected draws. Both give
/// the same distribution; the threshold keeps the random streams of small
/// runs unchanged.
constexpr size_t small_pool = 32;

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

/// Weighted sampling without replacement from one population with fixed
/// weights, repeated for many participants that must not draw themselves
/// (one sample per participant per round). Construction is O(n); a draw of
/// m elements from a population of more than `small_pool` others costs O(m)
/// expected when no weight dominates (O(m log n) at worst): successive draws
/// from the cumulative weight table (looked up through its guide table,
/// `guided_sums`), rejecting the excluded participant and elements already
/// drawn; after `max_rejections` rejections in a row one exact draw over the
/// remaining elements (O(n)) takes over. Each draw picks element x with
/// probability weight[x] / (sum of the weights not yet excluded), i.e. the
/// distribution of `weighted_sample` (successive sampling), draw order
/// included.
class weighted_sampler {
public:
  /// Rejections in a row before an exact draw.
  static constexpr size_t max_rejections = 16;

  /// Prepares sampling from `population` (ascending, distinct) with weights
  /// `weight[x]`; elements whose weight is not positive and finite are never
  /// drawn.
  weighted_sampler(std::vector<uint32_t> population,
                   const std::vector<double>& weight);

  /// An empty sampler; call `reset` before drawing.
  weighted_sampler() = default;

  /// Prepares sampling as the constructor does, reusing this sampler's
  /// buffers (one sampler can serve every round of a run).
  void reset(const std::vector<uint32_t>& population,
             const std::vector<double>& weight);

  /// Writes to `out` min(m, eligible) distinct elements of the population
  /// other than `self`, in draw order (eligible: positive finite weight).
  /// Consumes only `gen`.
  void draw(uint32_t self, size_t m, rng::rng64& gen, sample_list& out);

private:
  /// Builds the weight tables of `population_`.
  void prepare(const std::vector<double>& weight);

  /// One exact draw among the eligible elements not in `taken`.
  uint32_t exact_draw(const sample_list& taken, uint32_t self,
                      rng::rng64& gen) const;

  std::vector<uint32_t> population_;
  /// Weights aligned with `population_`.
  std::vector<double> weight_;
  /// Elements with positive finite weight, their weights and running sums.
  std::vector<uint32_t> items_;
  std::vector<double> item_weight_;
  guided_sums cum_;
  /// Per element value x < member_.size(): whether x is in the population
  /// (bit 0) and eligible (bit 1). Empty for a sparse population (then
  /// binary searches answer).
  std::vector<uint8_t> member_;
  /// Scratch buffers of the reference path.
  std::vector<uint32_t> pool_;
  std::vector<double> pool_weight_;
  std::vector<std::pair<double, uint32_t>> keys_;
};

/// Uniform sampling without replacement from one population, repeated for
/// many participants that must not draw themselves. For more than
/// `small_pool` others and m at most half of them, a draw costs O(m) expected
/// (uniform indexes, rejecting `self` and repeats, with an exact fallback as
/// above); otherwise it is `uniform_sample` on the explicit pool.
class uniform_sampler {
public:
  /// Prepares sampling from `population` (ascending, distinct).
  explicit uniform_sampler(std::vector<uint32_t> population);

  /// Writes to `out` min(m, candidates) distinct elements of the population
  /// other than `self`, uniformly, in draw order. Consumes only `gen`.
  void draw(uint32_t self, size_t m, rng::rng64& gen, sample_list& out);

private:
  std::vector<uint32_t> population_;
  /// Scratch buffer of the reference path.
  std::vector<uint32_t> pool_;
};

/// Purposes of random streams, mixed into `rng::derive` paths.
enum class stream : uint64_t {
  sample = 1,
};

} // namespace caf::consensus::detail
