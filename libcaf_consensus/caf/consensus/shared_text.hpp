// caf-consensus: an immutable, reference-counted string for the texts a run
// passes around (outputs, peer texts, prompts).

#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "caf/error.hpp"
#include "caf/meta/load_callback.hpp"

namespace caf::consensus {

/// An immutable string shared by reference: copying a `shared_text` copies a
/// pointer, not the characters. A run stores every output once and shows it
/// to peers, in prompts and in the final state without copying it again.
///
/// Reads like a `const std::string&` (it converts to one implicitly), is
/// assigned from strings, and serializes and prints exactly like a
/// `std::string`. Safe to share across threads (a shared text never changes;
/// `rewrite` reuses the storage only of a text nobody else holds).
class shared_text {
public:
  using const_iterator = std::string::const_iterator;

  // -- constructors -----------------------------------------------------------

  shared_text() noexcept = default;

  /// Takes ownership of `x` (no copy of the characters).
  shared_text(std::string x) {
    if (!x.empty())
      ptr_ = std::make_shared<std::string>(std::move(x));
  }

  shared_text(const char* x) : shared_text(std::string{x}) {
    // nop
  }

  explicit shared_text(std::string_view x) : shared_text(std::string{x}) {
    // nop
  }

  // -- observers --------------------------------------------------------------

  /// Returns the text.
  const std::string& str() const noexcept {
    return ptr_ ? *ptr_ : empty_string();
  }

  operator const std::string&() const noexcept {
    return str();
  }

  operator std::string_view() const noexcept {
    return str();
  }

  std::string_view view() const noexcept {
    return str();
  }

  bool empty() const noexcept {
    return !ptr_;
  }

  size_t size() const noexcept {
    return str().size();
  }

  const char* data() const noexcept {
    return str().data();
  }

  const char* c_str() const noexcept {
    return str().c_str();
  }

  const_iterator begin() const noexcept {
    return str().begin();
  }

  const_iterator end() const noexcept {
    return str().end();
  }

  char operator[](size_t i) const noexcept {
    return str()[i];
  }

  /// Returns whether `x` shares this text's storage (or both are empty).
  bool same_storage(const shared_text& x) const noexcept {
    return ptr_ == x.ptr_;
  }

  // -- modifiers --------------------------------------------------------------

  /// Replaces this text with `size` bytes that `fill(char* first)` writes.
  /// When no other `shared_text` shares the current text, its storage is
  /// reused (no allocation while the new text fits); otherwise the others
  /// keep the old text and this one gets fresh storage. Either way no other
  /// `shared_text` ever sees a change: the text they share stays immutable.
  template <class F>
  void rewrite(size_t size, F&& fill) {
    if (size == 0) {
      ptr_.reset();
      return;
    }
    // use_count() is a relaxed load; the fence orders it after the release
    // decrement of another thread that dropped the last other reference, so
    // that thread's reads of the text happen before the writes below.
    if (ptr_ && ptr_.use_count() == 1) {
      std::atomic_thread_fence(std::memory_order_acquire);
      if (ptr_->capacity() >= size)
        ptr_->resize(size);
      else
        *ptr_ = with_room(size);
      fill(ptr_->data());
      return;
    }
    auto x = with_room(size);
    fill(x.data());
    ptr_ = std::make_shared<std::string>(std::move(x));
  }

private:
  /// Returns `size` zero bytes in a string with room for an eighth more: a
  /// text rewritten each round (a prompt) varies in length by a few percent,
  /// and without the room every longer version would take a new allocation.
  /// Growing the old string instead would double its capacity.
  static std::string with_room(size_t size) {
    std::string x;
    x.reserve(size + size / 8);
    x.resize(size);
    return x;
  }

  static const std::string& empty_string() noexcept {
    static const std::string empty;
    return empty;
  }

  /// Never modified while shared (see `rewrite`).
  std::shared_ptr<std::string> ptr_;
};

// -- comparison ---------------------------------------------------------------

/// @relates shared_text
inline bool operator==(const shared_text& x, const shared_text& y) noexcept {
  return x.same_storage(y) || x.str() == y.str();
}

/// @relates shared_text
inline bool operator!=(const shared_text& x, const shared_text& y) noexcept {
  return !(x == y);
}

/// @relates shared_text
inline bool operator<(const shared_text& x, const shared_text& y) noexcept {
  return x.str() < y.str();
}

#define CAF_CONSENSUS_SHARED_TEXT_COMPARE(other)                               \
  inline bool operator==(const shared_text& x, other y) noexcept {             \
    return x.view() == std::string_view{y};                                    \
  }                                                                            \
  inline bool operator==(other y, const shared_text& x) noexcept {             \
    return x.view() == std::string_view{y};                                    \
  }                                                                            \
  inline bool operator!=(const shared_text& x, other y) noexcept {             \
    return x.view() != std::string_view{y};                                    \
  }                                                                            \
  inline bool operator!=(other y, const shared_text& x) noexcept {             \
    return x.view() != std::string_view{y};                                    \
  }

CAF_CONSENSUS_SHARED_TEXT_COMPARE(const std::string&)
CAF_CONSENSUS_SHARED_TEXT_COMPARE(const char*)
CAF_CONSENSUS_SHARED_TEXT_COMPARE(std::string_view)

#undef CAF_CONSENSUS_SHARED_TEXT_COMPARE

// -- concatenation: yields a std::string -------------------------------------

/// @relates shared_text
inline std::string operator+(const shared_text& x, const shared_text& y) {
  return x.str() + y.str();
}

/// @relates shared_text
inline std::string operator+(const shared_text& x, const std::string& y) {
  return x.str() + y;
}

/// @relates shared_text
inline std::string operator+(const std::string& x, const shared_text& y) {
  return x + y.str();
}

/// @relates shared_text
inline std::string operator+(const shared_text& x, const char* y) {
  return x.str() + y;
}

/// @relates shared_text
inline std::string operator+(const char* x, const shared_text& y) {
  return x + y.str();
}

/// @relates shared_text
inline std::ostream& operator<<(std::ostream& out, const shared_text& x) {
  return out << x.str();
}

// -- serialization: exactly like a std::string --------------------------------

/// @relates shared_text
template <class Inspector>
std::enable_if_t<Inspector::reads_state, typename Inspector::result_type>
inspect(Inspector& f, shared_text& x) {
  // Reading inspectors never modify the string.
  return f(const_cast<std::string&>(x.str()));
}

/// @relates shared_text
template <class Inspector>
std::enable_if_t<Inspector::writes_state, typename Inspector::result_type>
inspect(Inspector& f, shared_text& x) {
  std::string tmp;
  auto assign = meta::load_callback([&]() -> error {
    x = shared_text{std::move(tmp)};
    return {};
  });
  return f(tmp, assign);
}

} // namespace caf::consensus

namespace std {

template <>
struct hash<caf::consensus::shared_text> {
  size_t operator()(const caf::consensus::shared_text& x) const noexcept {
    return hash<string_view>{}(x.view());
  }
};

} // namespace std
