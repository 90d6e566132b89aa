#include "caf/consensus/actors/messages.hpp"

#include "caf/actor_system_config.hpp"

#include "caf/consensus/params.hpp"

namespace caf::consensus::actors {

void add_message_types(actor_system_config& cfg) {
  cfg.add_message_type<request>("caf::consensus::request");
  cfg.add_message_type<result>("caf::consensus::result");
  cfg.add_message_type<params>("caf::consensus::params");
  cfg.add_message_type<state>("caf::consensus::state");
  cfg.add_message_type<participant_actor>(
    "caf::consensus::actors::participant_actor");
  cfg.add_message_type<coordinator_actor>(
    "caf::consensus::actors::coordinator_actor");
}

} // namespace caf::consensus::actors
