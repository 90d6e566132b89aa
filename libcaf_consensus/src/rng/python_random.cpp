// caf-consensus: bit-exact port of CPython 3.12's Mersenne Twister
// (Modules/_randommodule.c), `random.random()`, `random.choices()` and the
// float fast path of the builtin `sum()`.

#include "caf/consensus/rng/python_random.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "caf/error.hpp"
#include "caf/sec.hpp"

namespace caf::consensus::rng {

namespace {

// -- MT19937 parameters (mt19937ar.c) -----------------------------------------

constexpr size_t n = 624;

constexpr size_t m = 397;

constexpr uint32_t matrix_a = 0x9908b0dfU;

constexpr uint32_t upper_mask = 0x80000000U;

constexpr uint32_t lower_mask = 0x7fffffffU;

} // namespace

// -- constructors -------------------------------------------------------------

python_random::python_random(int64_t n) : python_random(seed{n}) {
  // nop
}

python_random::python_random(const seed& n) {
  init_by_array(n.python_key());
}

python_random::python_random(const std::vector<uint32_t>& key) {
  init_by_array(key);
}

expected<python_random>
python_random::from_state(const std::vector<uint32_t>& words, size_t pos) {
  // random_setstate: the table and an index in [0, N].
  if (words.size() != n)
    return make_error(sec::invalid_argument,
                      "python_random state: expected 624 words, got "
                        + std::to_string(words.size()));
  if (pos > n)
    return make_error(sec::invalid_argument,
                      "python_random state: invalid position "
                        + std::to_string(pos));
  python_random result;
  std::copy(words.begin(), words.end(), result.mt_.begin());
  result.mti_ = pos;
  result.twisted_ = n;
  return result;
}

// -- state --------------------------------------------------------------------

std::vector<uint32_t> python_random::state_words() const {
  // CPython twists the whole table at once: finish a lazy twist in a copy.
  auto copy = *this;
  for (auto kk = copy.twisted_; kk < n; ++kk)
    copy.twist_one(kk);
  return {copy.mt_.begin(), copy.mt_.end()};
}

// -- draws --------------------------------------------------------------------

uint32_t python_random::next_u32() {
  // The table is twisted one word at a time, as the words are drawn: a run
  // that draws a few dozen words does not twist all 624.
  if (mti_ >= n) {
    mti_ = 0;
    twisted_ = 0;
  }
  if (mti_ == twisted_)
    twist_one(twisted_++);
  auto y = mt_[mti_++];
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= (y >> 18);
  return y;
}

double python_random::random() {
  // random_random_impl: 53-bit resolution from two 32-bit outputs.
  auto a = next_u32() >> 5;
  auto b = next_u32() >> 6;
  return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

expected<std::vector<size_t>>
python_random::choices(const std::vector<double>& weights, int64_t k) {
  std::vector<double> cum;
  std::vector<size_t> out;
  if (auto err = choices_into(weights, k, cum, out))
    return err;
  return out;
}

error python_random::choices_into(const std::vector<double>& weights, int64_t k,
                                  std::vector<double>& cum,
                                  std::vector<size_t>& out) {
  // Mirrors Lib/random.py (3.12):
  //   cum_weights = list(_accumulate(weights))
  //   total = cum_weights[-1] + 0.0
  //   ...
  //   hi = n - 1
  //   return [population[bisect(cum_weights, random() * total, 0, hi)]
  //           for i in _repeat(None, k)]
  // The checks run before drawing, so they fail even for k <= 0.
  out.clear();
  if (weights.empty())
    return make_error(sec::invalid_argument,
                      std::string{"choices: empty population"});
  cum.clear();
  cum.reserve(weights.size());
  auto acc = 0.0;
  for (size_t i = 0; i < weights.size(); ++i) {
    // itertools.accumulate starts with the first element, not with 0 + x.
    acc = i == 0 ? weights[0] : acc + weights[i];
    cum.push_back(acc);
  }
  auto total = cum.back() + 0.0;
  if (total <= 0.0)
    return make_error(
      sec::invalid_argument,
      std::string{"Total of weights must be greater than zero"});
  if (!std::isfinite(total))
    return make_error(sec::invalid_argument,
                      std::string{"Total of weights must be finite"});
  if (k <= 0)
    return {};
  out.reserve(static_cast<size_t>(k));
  auto hi = cum.size() - 1;
  for (int64_t i = 0; i < k; ++i) {
    auto x = random() * total;
    // bisect_right(cum, x, 0, hi), spelled out to match CPython's probing
    // order even for (unsorted) cumulative sums of negative weights.
    size_t lo = 0;
    size_t up = hi;
    while (lo < up) {
      auto mid = lo + (up - lo) / 2;
      if (x < cum[mid])
        up = mid;
      else
        lo = mid + 1;
    }
    out.push_back(lo);
  }
  return {};
}

// -- MT19937 internals --------------------------------------------------------

void python_random::init_genrand(uint32_t s) {
  mt_[0] = s;
  for (size_t i = 1; i < n; ++i) {
    auto prev = mt_[i - 1];
    mt_[i] = 1812433253U * (prev ^ (prev >> 30)) + static_cast<uint32_t>(i);
  }
  mti_ = n;
  twisted_ = n;
}

void python_random::init_by_array(const std::vector<uint32_t>& key) {
  // CPython never passes an empty key (seed 0 becomes [0]); do the same here
  // instead of reading out of bounds.
  static const std::vector<uint32_t> zero_key{0};
  const auto& init_key = key.empty() ? zero_key : key;
  auto key_length = init_key.size();
  // init_genrand(19650218) always gives the same table: compute it once.
  // (Same recurrence as `init_genrand`.)
  static const auto initial = [] {
    std::array<uint32_t, n> mt{};
    mt[0] = 19650218U;
    for (size_t i = 1; i < n; ++i) {
      auto prev = mt[i - 1];
      mt[i] = 1812433253U * (prev ^ (prev >> 30)) + static_cast<uint32_t>(i);
    }
    return mt;
  }();
  mti_ = n;
  twisted_ = n;
  // Seeding is a serial chain of 1,247 steps (a few microseconds), and runs
  // often repeat a seed (every run of one `consensus` with fixed parameters):
  // each thread keeps the table of the last key it seeded and copies it when
  // the key repeats.
  struct seeded_table {
    std::vector<uint32_t> key;
    std::array<uint32_t, n> mt;
  };
  thread_local seeded_table last{{}, {}};
  if (!last.key.empty() && last.key == init_key) {
    mt_ = last.mt;
    return;
  }
  mt_ = initial;
  size_t i = 1;
  size_t j = 0;
  for (auto k = n > key_length ? n : key_length; k != 0; --k) {
    auto prev = mt_[i - 1];
    mt_[i] = (mt_[i] ^ ((prev ^ (prev >> 30)) * 1664525U)) + init_key[j]
             + static_cast<uint32_t>(j); // non linear
    ++i;
    ++j;
    if (i >= n) {
      mt_[0] = mt_[n - 1];
      i = 1;
    }
    if (j >= key_length)
      j = 0;
  }
  for (auto k = n - 1; k != 0; --k) {
    auto prev = mt_[i - 1];
    mt_[i] = (mt_[i] ^ ((prev ^ (prev >> 30)) * 1566083941U))
             - static_cast<uint32_t>(i); // non linear
    ++i;
    if (i >= n) {
      mt_[0] = mt_[n - 1];
      i = 1;
    }
  }
  mt_[0] = 0x80000000U; // MSB is 1; assuring non-zero initial array
  last.key = init_key;
  last.mt = mt_;
}

void python_random::twist_one(size_t kk) {
  // Word kk of CPython's genrand_uint32 twist: it reads word kk + 1 and word
  // kk + m (mod n) as the full twist would at that point (words below kk
  // already twisted, the others not yet).
  static constexpr uint32_t mag01[2] = {0x0U, matrix_a};
  auto next = kk + 1 == n ? 0 : kk + 1;
  auto far = kk + m < n ? kk + m : kk + m - n;
  auto y = (mt_[kk] & upper_mask) | (mt_[next] & lower_mask);
  mt_[kk] = mt_[far] ^ (y >> 1) ^ mag01[y & 0x1U];
}

// -- free functions -----------------------------------------------------------

double python_fsum(const std::vector<double>& xs) {
  // builtin_sum_impl (3.12): the int start 0 plus the first float gives the
  // initial float result, then Neumaier summation over the remaining items.
  if (xs.empty())
    return 0.0;
  auto f = 0.0 + xs[0];
  auto c = 0.0;
  for (size_t i = 1; i < xs.size(); ++i) {
    auto x = xs[i];
    auto t = f + x;
    if (std::fabs(f) >= std::fabs(x))
      c += (f - t) + x;
    else
      c += (x - t) + f;
    f = t;
  }
  // Avoid losing the sign on a negative result, and don't let adding the
  // compensation convert an infinite or overflowed sum to a NaN.
  if (c != 0.0 && std::isfinite(c))
    f += c;
  return f;
}

} // namespace caf::consensus::rng
