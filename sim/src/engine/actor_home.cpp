// caf-consensus sim: a one-thread actor system that hosts the actors of the
// actor engines of one sweep thread.

#include "caf/consensus/sim/engine/actor_home.hpp"

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/atom.hpp"

namespace caf::consensus::sim {

actor_home::actor_home() = default;

// Members go in reverse order: the system before its configuration.
actor_home::~actor_home() = default;

actor_system& actor_home::system() {
  std::lock_guard<std::mutex> guard{mtx_};
  if (sys_ == nullptr) {
    cfg_ = std::make_unique<actor_system_config>();
    cfg_->set("scheduler.max-threads", 1);
    // One worker has nobody to steal from; its queue is the scheduler's
    // fastest path.
    cfg_->set("scheduler.policy", atom("stealing"));
    sys_ = std::make_unique<actor_system>(*cfg_);
  }
  return *sys_;
}

} // namespace caf::consensus::sim
