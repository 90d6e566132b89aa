#include "caf/consensus/actors/polling_scheduler.hpp"

#include "caf/atom.hpp"

namespace caf::consensus::actors {

void use_polling_scheduler(actor_system_config& cfg, size_t attempts) {
  cfg.set("scheduler.policy", atom("stealing"));
  cfg.set("work-stealing.aggressive-poll-attempts", attempts);
}

} // namespace caf::consensus::actors
