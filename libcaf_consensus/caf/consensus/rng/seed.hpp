// caf-consensus: integer seeds of any size, as Python's `random.seed(n)`
// takes them.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "caf/expected.hpp"
#include "caf/meta/type_name.hpp"

namespace caf::consensus::rng {

/// A signed integer of any size used as a seed. `hanzo` seeds CPython's
/// MT19937 with it exactly as `random.seed(n)` does (`init_by_array` over the
/// 32-bit words of |n|, least significant first), so every integer Python
/// accepts reproduces Python's draws: n >= 2^63, n >= 2^64, hundreds of
/// bits, negative n. The other policies derive their generators from
/// `low64()`, n modulo 2^64, which for a seed that fits 64 bits is its
/// two's-complement bit pattern (as before seeds could be larger).
class seed {
public:
  seed() = default;

  /// Any built-in integer (implicit, so that `ps.seed = 42` works).
  template <class T, class = std::enable_if_t<
                       std::is_integral_v<T> && !std::is_same_v<T, bool>>>
  seed(T x) { // NOLINT(google-explicit-constructor)
    if constexpr (std::is_signed_v<T>) {
      negative_ = x < 0;
      auto mag = negative_ ? uint64_t{0} - static_cast<uint64_t>(x)
                           : static_cast<uint64_t>(x);
      assign(mag);
    } else {
      assign(static_cast<uint64_t>(x));
    }
  }

  /// Parses a decimal integer with an optional sign (`+`/`-`), at most
  /// `max_digits` digits. `-0` is 0.
  static expected<seed> parse(std::string_view text);

  /// The most decimal digits `parse` accepts (about 33,000 bits).
  static constexpr size_t max_digits = 10000;

  /// Builds a seed from the 32-bit words of its magnitude, least significant
  /// first (as CPython's `init_by_array` key), and its sign.
  static seed from_words(std::vector<uint32_t> magnitude, bool negative);

  /// The 32-bit words of |n|, least significant first, without leading zero
  /// words (empty for 0).
  const std::vector<uint32_t>& words() const noexcept {
    return words_;
  }

  bool negative() const noexcept {
    return negative_;
  }

  /// The `init_by_array` key of `random.seed(n)`: the words of |n|, or `[0]`
  /// for 0.
  std::vector<uint32_t> python_key() const;

  /// n modulo 2^64.
  uint64_t low64() const noexcept;

  /// Whether 0 <= n < 2^64 (then `low64()` is n itself).
  bool fits_uint64() const noexcept {
    return !negative_ && words_.size() <= 2;
  }

  /// Whether n fits `int64_t`, and its value then.
  bool fits_int64() const noexcept;
  int64_t to_int64() const noexcept;

  /// The decimal text of n.
  std::string to_string() const;

  friend bool operator==(const seed& x, const seed& y) noexcept {
    return x.negative_ == y.negative_ && x.words_ == y.words_;
  }

  friend bool operator!=(const seed& x, const seed& y) noexcept {
    return !(x == y);
  }

  friend bool operator<(const seed& x, const seed& y) noexcept;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, seed& x) {
    return f(meta::type_name("caf_consensus_seed"), x.negative_, x.words_);
  }

private:
  void assign(uint64_t mag);

  /// |n| modulo 2^64.
  uint64_t low_magnitude() const noexcept;
  void trim();

  bool negative_ = false;
  std::vector<uint32_t> words_;
};

/// @relates seed
inline std::string to_string(const seed& x) {
  return x.to_string();
}

} // namespace caf::consensus::rng
