// caf-consensus sim: a one-thread actor system that hosts the actors of the
// actor engines of one sweep thread.

#pragma once

#include <memory>
#include <mutex>

#include "caf/fwd.hpp"

namespace caf::consensus::sim {

/// A private actor system with one scheduler thread, started on first use,
/// for the actor engines of one of a sweep's threads. A run's coordinator
/// and participants then stay on that thread: the threads of a sweep share
/// its runs, not the messages of one run. (With one shared work-stealing
/// scheduler, a second thread stole single participants of a round from the
/// coordinator's queue, which CAF 0.17 does in time linear in the queue's
/// length, and woke sleeping threads for them: a run of 100,000 agents took
/// up to 2.1x as long with 2 threads as with 1: docs/performance.md.)
///
/// Thread-safe. The home must outlive every engine that uses it; its
/// destructor waits until the actors of its system are gone and no thread's
/// CAF logger points to its system any more (spawning points the calling
/// thread's to it: `actor_engine`'s destructor points it back).
class actor_home {
public:
  actor_home();

  ~actor_home();

  actor_home(const actor_home&) = delete;
  actor_home& operator=(const actor_home&) = delete;

  /// Returns the system, starting it on the first call.
  actor_system& system();

private:
  std::mutex mtx_;
  /// Declared before `sys_`, so destroyed after it.
  std::unique_ptr<actor_system_config> cfg_;
  std::unique_ptr<actor_system> sys_;
};

} // namespace caf::consensus::sim
