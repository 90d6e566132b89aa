#include "caf/consensus/sim/sweep/guarded_actor.hpp"

#include "caf/actor_system.hpp"
#include "caf/mailbox_element.hpp"
#include "caf/sec.hpp"
#include "caf/system_messages.hpp"

namespace caf::consensus::sim {

guarded_actor::guarded_actor(actor_config& cfg, init_fn init)
  : event_based_actor(cfg), init_(std::move(init)) {
  // nop
}

void guarded_actor::enqueue(mailbox_element_ptr what, execution_unit* ctx) {
  if (what != nullptr && what->content().match_elements<exit_msg>()) {
    auto& src = what->sender;
    if (src == nullptr || src->node() != home_system().node())
      return; // a remote (or anonymous) peer may not stop us
  }
  event_based_actor::enqueue(std::move(what), ctx);
}

behavior guarded_actor::make_behavior() {
  set_default_handler(
    [](scheduled_actor*, message_view&) -> caf::result<message> {
      return sec::unexpected_message;
    });
  return init_(this);
}

} // namespace caf::consensus::sim
