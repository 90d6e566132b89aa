#include "caf/consensus/detail/sampling.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_set>
#include <utility>

namespace caf::consensus::detail {

namespace {

bool eligible_weight(double w) {
  return w > 0 && std::isfinite(w);
}

using key_vector = std::vector<std::pair<double, uint32_t>>;

/// Makes the membership flags of a population (ascending) and its eligible
/// part `items`: bit 0 of `flags[x]` for x in `population`, bit 1 for x in
/// `items`. Only for a dense population (participant indexes: the largest
/// at most 4n + 64); `flags` stays empty otherwise.
void mark_members(const std::vector<uint32_t>& population,
                  const std::vector<uint32_t>& items,
                  std::vector<uint8_t>& flags) {
  flags.clear();
  if (population.empty()
      || size_t{population.back()} > 4 * population.size() + 64)
    return;
  flags.resize(size_t{population.back()} + 1, 0);
  for (auto x : population)
    flags[x] = 1;
  for (auto x : items)
    flags[x] |= 2;
}

/// Whether `x` is in the sorted `xs`, answered by `flags` (bit `bit`) when
/// they were made.
bool is_member(const std::vector<uint8_t>& flags, uint8_t bit,
               const std::vector<uint32_t>& xs, uint32_t x) {
  if (flags.empty())
    return std::binary_search(xs.begin(), xs.end(), x);
  return x < flags.size() && (flags[x] & bit) != 0;
}

/// Efraimidis–Spirakis over `pool` with aligned weights `w`; `keys` is
/// scratch space.
template <class Out>
void es_sample(const std::vector<uint32_t>& pool, const std::vector<double>& w,
               size_t m, rng::rng64& gen, key_vector& keys, Out& out) {
  // Every element consumes one draw, so the stream does not depend on which
  // elements have positive weight.
  keys.clear();
  keys.reserve(pool.size());
  for (size_t j = 0; j < pool.size(); ++j) {
    auto u = gen.uniform_pos();
    if (eligible_weight(w[j]))
      keys.emplace_back(std::log(u) / w[j], pool[j]);
  }
  m = std::min(m, keys.size());
  // Larger keys win; ties keep pool order. Any stable sort gives the same
  // order: insertion sort (no allocation) for the usual small pools.
  if (keys.size() <= 64) {
    for (size_t i = 1; i < keys.size(); ++i) {
      auto x = keys[i];
      auto j = i;
      for (; j > 0 && keys[j - 1].first < x.first; --j)
        keys[j] = keys[j - 1];
      keys[j] = x;
    }
  } else {
    auto cmp = [](const auto& a, const auto& b) { return a.first > b.first; };
    std::stable_sort(keys.begin(), keys.end(), cmp);
  }
  out.clear();
  out.reserve(m);
  for (size_t i = 0; i < m; ++i)
    out.push_back(keys[i].second);
}

/// Elements drawn so far: a linear scan for the usual small samples, a hash
/// set for large ones.
class taken_set {
public:
  explicit taken_set(const sample_list& drawn) : drawn_(drawn) {
    // nop
  }

  bool contains(uint32_t x) {
    if (drawn_.size() <= linear_limit)
      return std::find(drawn_.begin(), drawn_.end(), x) != drawn_.end();
    for (; indexed_ < drawn_.size(); ++indexed_)
      set_.insert(drawn_[indexed_]);
    return set_.count(x) != 0;
  }

private:
  static constexpr size_t linear_limit = 32;
  const sample_list& drawn_;
  std::unordered_set<uint32_t> set_;
  size_t indexed_ = 0;
};

} // namespace

// -- reference algorithms -----------------------------------------------------

std::vector<uint32_t> weighted_sample(const std::vector<uint32_t>& pool,
                                      const std::vector<double>& weight,
                                      size_t m, rng::rng64& gen) {
  std::vector<double> w;
  w.reserve(pool.size());
  for (auto x : pool)
    w.push_back(weight[x]);
  key_vector keys;
  std::vector<uint32_t> out;
  es_sample(pool, w, m, gen, keys, out);
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

// -- weighted_sampler ---------------------------------------------------------

weighted_sampler::weighted_sampler(std::vector<uint32_t> population,
                                   const std::vector<double>& weight) {
  population_ = std::move(population);
  prepare(weight);
}

void weighted_sampler::reset(const std::vector<uint32_t>& population,
                             const std::vector<double>& weight) {
  population_.assign(population.begin(), population.end());
  prepare(weight);
}

void weighted_sampler::prepare(const std::vector<double>& weight) {
  weight_.clear();
  items_.clear();
  item_weight_.clear();
  cum_.clear();
  weight_.reserve(population_.size());
  items_.reserve(population_.size());
  item_weight_.reserve(population_.size());
  cum_.reserve(population_.size());
  double sum = 0;
  for (auto x : population_) {
    auto w = weight[x];
    weight_.push_back(w);
    if (!eligible_weight(w))
      continue;
    sum += w;
    items_.push_back(x);
    item_weight_.push_back(w);
    cum_.push_back(sum);
  }
  cum_.finish();
  mark_members(population_, items_, member_);
}

void weighted_sampler::draw(uint32_t self, size_t m, rng::rng64& gen,
                            sample_list& out) {
  out.clear();
  auto self_in = is_member(member_, 1, population_, self);
  auto self_eligible = is_member(member_, 2, items_, self);
  auto others = population_.size() - (self_in ? 1 : 0);
  auto eligible = items_.size() - (self_eligible ? 1 : 0);
  m = std::min(m, eligible);
  if (others <= small_pool || 2 * m > eligible) {
    // The reference algorithm on the explicit pool (the population without
    // `self`, in order).
    pool_.clear();
    pool_weight_.clear();
    pool_.reserve(population_.size());
    pool_weight_.reserve(population_.size());
    for (size_t j = 0; j < population_.size(); ++j)
      if (population_[j] != self) {
        pool_.push_back(population_[j]);
        pool_weight_.push_back(weight_[j]);
      }
    es_sample(pool_, pool_weight_, m, gen, keys_, out);
    return;
  }
  if (m == 0)
    return;
  out.reserve(m);
  taken_set taken{out};
  auto total = cum_.back();
  while (out.size() < m) {
    size_t rejections = 0;
    for (;;) {
      if (rejections == max_rejections) {
        out.push_back(exact_draw(out, self, gen));
        break;
      }
      auto x = gen.uniform() * total;
      auto i = cum_.find(x);
      auto c = items_[std::min(i, items_.size() - 1)];
      if (c == self || taken.contains(c)) {
        ++rejections;
        continue;
      }
      out.push_back(c);
      break;
    }
  }
}

uint32_t weighted_sampler::exact_draw(const sample_list& taken, uint32_t self,
                                      rng::rng64& gen) const {
  std::unordered_set<uint32_t> skip(taken.begin(), taken.end());
  skip.insert(self);
  double sum = 0;
  for (size_t i = 0; i < items_.size(); ++i)
    if (skip.count(items_[i]) == 0)
      sum += item_weight_[i];
  auto x = gen.uniform() * sum;
  double acc = 0;
  uint32_t last = 0;
  for (size_t i = 0; i < items_.size(); ++i) {
    if (skip.count(items_[i]) != 0)
      continue;
    acc += item_weight_[i];
    last = items_[i];
    if (x < acc)
      return last;
  }
  return last; // x rounded up to the sum: the last remaining element
}

// -- uniform_sampler ----------------------------------------------------------

uniform_sampler::uniform_sampler(std::vector<uint32_t> population)
  : population_(std::move(population)) {
  // nop
}

void uniform_sampler::draw(uint32_t self, size_t m, rng::rng64& gen,
                           sample_list& out) {
  out.clear();
  auto self_in = std::binary_search(population_.begin(), population_.end(),
                                    self);
  auto others = population_.size() - (self_in ? 1 : 0);
  m = std::min(m, others);
  if (others <= small_pool || 2 * m > others) {
    // The reference algorithm (partial Fisher–Yates) on the explicit pool.
    pool_.clear();
    for (auto x : population_)
      if (x != self)
        pool_.push_back(x);
    for (size_t i = 0; i < m; ++i) {
      auto j = i + gen.below(pool_.size() - i);
      std::swap(pool_[i], pool_[j]);
    }
    out.assign(pool_.begin(), pool_.begin() + static_cast<ptrdiff_t>(m));
    return;
  }
  out.reserve(m);
  taken_set taken{out};
  while (out.size() < m) {
    size_t rejections = 0;
    for (;;) {
      if (rejections == weighted_sampler::max_rejections) {
        // Exact: uniform among the elements not yet excluded.
        std::unordered_set<uint32_t> skip(out.begin(), out.end());
        std::vector<uint32_t> rest;
        for (auto x : population_)
          if (x != self && skip.count(x) == 0)
            rest.push_back(x);
        out.push_back(rest[gen.below(rest.size())]);
        break;
      }
      auto c = population_[gen.below(population_.size())];
      if (c == self || taken.contains(c)) {
        ++rejections;
        continue;
      }
      out.push_back(c);
      break;
    }
  }
}

} // namespace caf::consensus::detail
