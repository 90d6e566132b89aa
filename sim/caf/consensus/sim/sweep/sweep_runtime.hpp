// caf-consensus sim: threads that several local sweeps share.

#pragma once

#include <cstddef>
#include <memory>

#include "caf/actor.hpp"
#include "caf/fwd.hpp"

namespace caf::consensus::sim {

struct remote_options;

/// The threads of local sweeps, kept from one sweep to the next: an actor
/// system for the sweeps' bookkeeping and a worker pool of `threads` threads
/// (with the actor engine's one-thread systems, see `actor_home`). A sweep
/// without a runtime starts and stops all of these itself, which takes
/// 0.3-2 ms on 2 cores (docs/performance.md); callers that run many sweeps
/// in a row (`tune`, `advice`, `report`'s baselines, a library user's loop)
/// keep one runtime and pass it in `sweep_options::runtime`. Results do not
/// depend on it.
///
/// Sweeps may use a runtime one after another or at the same time (they
/// then share its threads). A sweep with remote workers starts a system of
/// its own (it needs the network layer) and cannot use one. The destructor
/// stops the pool (a worker finishes the batch it is running first) and
/// waits for its threads; no sweep may be using the runtime then.
class sweep_runtime {
public:
  /// Starts the system and the pool (`threads` >= 1).
  explicit sweep_runtime(size_t threads);

  ~sweep_runtime();

  sweep_runtime(const sweep_runtime&) = delete;
  sweep_runtime& operator=(const sweep_runtime&) = delete;

  size_t threads() const noexcept {
    return threads_;
  }

  actor_system& system() noexcept {
    return *sys_;
  }

  const actor& pool() const noexcept {
    return pool_;
  }

private:
  size_t threads_;
  /// Declared before `sys_`, so destroyed after it.
  std::unique_ptr<actor_system_config> cfg_;
  std::unique_ptr<actor_system> sys_;
  actor pool_;
};

/// Returns a runtime for sweeps on `threads` local threads with the remote
/// workers of `remote`, or null where such sweeps cannot use one (no local
/// thread, or remote workers).
std::shared_ptr<sweep_runtime>
make_runtime_for(size_t threads,
                 const std::shared_ptr<const remote_options>& remote = nullptr);

/// Sets the scheduler of an actor system for the bookkeeping of local sweeps
/// on `threads` threads (what a runtime and a sweep without one use).
actor_system_config& configure_local_sweep(actor_system_config& cfg,
                                           size_t threads);

} // namespace caf::consensus::sim
