// caf-consensus: the participants one sample drew, as kept in a round's
// trace.

#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <vector>

namespace caf::consensus {

/// A list of participant indexes (a sample, in draw order). Behaves like
/// `std::vector<uint32_t>` for reading, comparing, copying, printing and
/// serializing, but keeps up to `inline_size` entries inside the object: a
/// round's trace holds one or two samples per participant (the sample and
/// the agreement record), and with the usual k <= 4 none of them takes a heap
/// block. Longer lists move to the heap.
class sample_list {
public:
  using value_type = uint32_t;
  using size_type = size_t;
  using difference_type = ptrdiff_t;
  using reference = uint32_t&;
  using const_reference = const uint32_t&;
  using pointer = uint32_t*;
  using const_pointer = const uint32_t*;
  using iterator = uint32_t*;
  using const_iterator = const uint32_t*;

  /// Entries kept without a heap block.
  static constexpr size_t inline_size = 4;

  // -- constructors, destructors, and assignment operators --------------------

  sample_list() noexcept = default;

  sample_list(std::initializer_list<uint32_t> xs) {
    assign(xs.begin(), xs.end());
  }

  explicit sample_list(const std::vector<uint32_t>& xs) {
    assign(xs.begin(), xs.end());
  }

  sample_list(const sample_list& other) {
    assign(other.begin(), other.end());
  }

  sample_list(sample_list&& other) noexcept {
    steal(other);
  }

  sample_list& operator=(const sample_list& other) {
    if (this != &other)
      assign(other.begin(), other.end());
    return *this;
  }

  sample_list& operator=(sample_list&& other) noexcept {
    if (this != &other) {
      release();
      steal(other);
    }
    return *this;
  }

  ~sample_list() {
    release();
  }

  // -- observers --------------------------------------------------------------

  size_t size() const noexcept {
    return size_;
  }

  bool empty() const noexcept {
    return size_ == 0;
  }

  size_t capacity() const noexcept {
    return heap_ ? capacity_ : inline_size;
  }

  const uint32_t* data() const noexcept {
    return heap_ ? heap_.get() : local_;
  }

  uint32_t* data() noexcept {
    return heap_ ? heap_.get() : local_;
  }

  const_iterator begin() const noexcept {
    return data();
  }

  const_iterator end() const noexcept {
    return data() + size_;
  }

  iterator begin() noexcept {
    return data();
  }

  iterator end() noexcept {
    return data() + size_;
  }

  const_iterator cbegin() const noexcept {
    return begin();
  }

  const_iterator cend() const noexcept {
    return end();
  }

  uint32_t operator[](size_t i) const noexcept {
    return data()[i];
  }

  uint32_t& operator[](size_t i) noexcept {
    return data()[i];
  }

  uint32_t front() const noexcept {
    return data()[0];
  }

  uint32_t back() const noexcept {
    return data()[size_ - 1];
  }

  /// Returns the entries as a vector.
  std::vector<uint32_t> to_vector() const {
    return {begin(), end()};
  }

  // -- modifiers --------------------------------------------------------------

  void clear() noexcept {
    size_ = 0;
  }

  void reserve(size_t n) {
    if (n <= capacity())
      return;
    auto grown = std::make_unique<uint32_t[]>(n);
    if (size_ > 0)
      std::memcpy(grown.get(), data(), size_ * sizeof(uint32_t));
    heap_ = std::move(grown);
    capacity_ = n;
  }

  void push_back(uint32_t x) {
    if (size_ == capacity())
      reserve(std::max<size_t>(2 * size_, inline_size * 2));
    data()[size_++] = x;
  }

  /// Inserts `x` before `pos` (what `std::inserter` calls).
  iterator insert(const_iterator pos, uint32_t x) {
    auto at = static_cast<size_t>(pos - begin());
    push_back(x);
    auto* xs = data();
    std::rotate(xs + at, xs + size_ - 1, xs + size_);
    return xs + at;
  }

  template <class Iterator>
  void assign(Iterator first, Iterator last) {
    size_ = 0;
    reserve(static_cast<size_t>(std::distance(first, last)));
    auto* xs = data();
    for (; first != last; ++first)
      xs[size_++] = static_cast<uint32_t>(*first);
  }

  void resize(size_t n) {
    reserve(n);
    for (auto i = size_; i < n; ++i)
      data()[i] = 0;
    size_ = static_cast<uint32_t>(n);
  }

private:
  void release() noexcept {
    heap_.reset();
    size_ = 0;
  }

  void steal(sample_list& other) noexcept {
    size_ = other.size_;
    if (other.heap_) {
      heap_ = std::move(other.heap_);
      capacity_ = other.capacity_;
    } else {
      std::memcpy(local_, other.local_, sizeof(local_));
    }
    other.size_ = 0;
  }

  uint32_t size_ = 0;
  uint32_t capacity_ = 0;
  uint32_t local_[inline_size] = {};
  std::unique_ptr<uint32_t[]> heap_;
};

/// @relates sample_list
inline bool operator==(const sample_list& x, const sample_list& y) noexcept {
  return std::equal(x.begin(), x.end(), y.begin(), y.end());
}

/// @relates sample_list
inline bool operator!=(const sample_list& x, const sample_list& y) noexcept {
  return !(x == y);
}

/// @relates sample_list
inline bool operator==(const sample_list& x,
                       const std::vector<uint32_t>& y) noexcept {
  return std::equal(x.begin(), x.end(), y.begin(), y.end());
}

/// @relates sample_list
inline bool operator==(const std::vector<uint32_t>& x,
                       const sample_list& y) noexcept {
  return y == x;
}

/// @relates sample_list
inline bool operator!=(const sample_list& x,
                       const std::vector<uint32_t>& y) noexcept {
  return !(x == y);
}

/// @relates sample_list
inline bool operator!=(const std::vector<uint32_t>& x,
                       const sample_list& y) noexcept {
  return !(y == x);
}

/// @relates sample_list
inline bool operator<(const sample_list& x, const sample_list& y) noexcept {
  return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end());
}

} // namespace caf::consensus
