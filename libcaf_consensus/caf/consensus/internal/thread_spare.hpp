// caf-consensus: one spare object per thread and type, so that a run's
// scratch buffers outlive the run and serve the next run on the same thread
// (private header, not installed).

#pragma once

#include <cstddef>
#include <memory>
#include <utility>

namespace caf::consensus::internal {

/// Holds one `T` per thread. A sweep runs many runs on each thread and every
/// run makes and destroys its policy: the policy takes the spare's buffers
/// when it is made and leaves its own when it is destroyed, so that a run
/// allocates its scratch space only when it needs more than the last run on
/// its thread did.
///
/// `T` must be swappable. `take` and `give` swap: the spare never shares
/// storage with a live object, and a thread that exits frees its spare.
template <class T>
class thread_spare {
public:
  /// Swaps this thread's spare into `x`. After `take`, `x` holds whatever the
  /// last `give` on this thread left (empty buffers on the first call); the
  /// caller resets the contents and keeps the capacities.
  static void take(T& x) {
    if (auto* s = slot(); s != nullptr) {
      using std::swap;
      swap(*s, x);
    }
  }

  /// Leaves `x`'s buffers for the next `take` on this thread (the previous
  /// spare ends up in `x` and is destroyed with it).
  static void give(T& x) {
    take(x);
  }

  /// Returns this thread's spare for a caller that moves parts of it, or
  /// null while the thread destroys it (at thread exit).
  static T* get() {
    return slot();
  }

private:
  struct holder {
    T value;
    bool* alive;

    explicit holder(bool* flag) : value(), alive(flag) {
      *alive = true;
    }

    ~holder() {
      *alive = false;
    }
  };

  /// Returns this thread's spare, or null while the thread destroys it.
  static T* slot() {
    // Trivially destructible: readable after `spare` is gone at thread exit,
    // when objects destroyed later must not touch it.
    thread_local bool alive = false;
    thread_local holder spare{&alive};
    return alive ? &spare.value : nullptr;
  }
};

/// Participants up to which a run leaves its scratch block on its thread
/// (a block sized for more stays with the run and is freed with it). A
/// policy's block for 16,384 participants holds a few MiB; a run of 10,000
/// participants that allocates it afresh spends 15% of its time on that.
inline constexpr size_t max_scratch_participants = 16384;

/// Returns this thread's spare scratch block of type `T`, or a new one when
/// the thread has none: its contents are the last run's, its capacities
/// stay.
template <class T>
std::unique_ptr<T> take_scratch() {
  std::unique_ptr<T> x;
  thread_spare<std::unique_ptr<T>>::take(x);
  if (!x)
    x = std::make_unique<T>();
  return x;
}

/// Leaves `x`, sized for `participants`, to the next `take_scratch` on this
/// thread (unless it serves more than `max_scratch_participants`).
template <class T>
void give_scratch(std::unique_ptr<T>& x, size_t participants) {
  if (x && participants <= max_scratch_participants)
    thread_spare<std::unique_ptr<T>>::give(x);
}

} // namespace caf::consensus::internal
