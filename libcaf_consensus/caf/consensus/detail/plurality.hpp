// caf-consensus: counting votes for choice keys in the order they appear.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace caf::consensus::detail {

/// Votes per choice key, keys in order of their first vote. The leader is
/// the key with the most votes; ties go to the key voted first. `Key` is
/// `std::string` (the tally keeps copies) or `std::string_view` (the keys
/// must outlive the tally, e.g. the labels of a state being summarized).
template <class Key>
class basic_plurality {
public:
  /// Forgets every vote (keeps the capacity).
  void clear() {
    keys_.clear();
    votes_.clear();
    where_.clear();
    total_ = 0;
  }

  /// Counts one vote for `key` and returns its index (its rank - 1).
  size_t add(const Key& key) {
    auto i = find(key);
    if (i == keys_.size()) {
      keys_.push_back(key);
      votes_.push_back(0);
      if (keys_.size() > linear_limit) {
        if (where_.empty()) {
          for (size_t j = 0; j < keys_.size(); ++j)
            where_.emplace(keys_[j], j);
        } else {
          where_.emplace(key, i);
        }
      }
    }
    ++votes_[i];
    ++total_;
    return i;
  }

  bool empty() const {
    return keys_.empty();
  }

  /// Returns the index of the leading key (0 when empty).
  size_t leader() const {
    size_t best = 0;
    for (size_t j = 1; j < votes_.size(); ++j)
      if (votes_[j] > votes_[best])
        best = j;
    return best;
  }

  /// Returns the most votes of any key other than `i` (0 if none).
  uint64_t most_except(size_t i) const {
    uint64_t out = 0;
    for (size_t j = 0; j < votes_.size(); ++j)
      if (j != i && votes_[j] > out)
        out = votes_[j];
    return out;
  }

  /// Returns the votes of `key` (0 when it has none).
  uint64_t votes_of(const Key& key) const {
    auto i = find(key);
    return i == keys_.size() ? 0 : votes_[i];
  }

  const Key& key(size_t i) const {
    return keys_[i];
  }

  uint64_t votes(size_t i) const {
    return votes_[i];
  }

  uint64_t total() const {
    return total_;
  }

private:
  /// Up to this many keys a linear search finds a key (no hash table, no
  /// node per key: a run's votes usually go to a few keys).
  static constexpr size_t linear_limit = 16;

  /// Returns the index of `key`, or the number of keys when it has none.
  size_t find(const Key& key) const {
    if (keys_.size() <= linear_limit) {
      for (size_t j = 0; j < keys_.size(); ++j)
        if (keys_[j] == key)
          return j;
      return keys_.size();
    }
    auto i = where_.find(key);
    return i == where_.end() ? keys_.size() : i->second;
  }

  std::vector<Key> keys_;
  std::vector<uint64_t> votes_;
  /// Index of every key, once there are more than `linear_limit`.
  std::unordered_map<Key, size_t> where_;
  uint64_t total_ = 0;
};

/// A tally that keeps copies of its keys.
using plurality = basic_plurality<std::string>;

} // namespace caf::consensus::detail
