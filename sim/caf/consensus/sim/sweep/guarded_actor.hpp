// caf-consensus sim: an event-based actor that remote peers cannot kill.

#pragma once

#include <functional>

#include "caf/behavior.hpp"
#include "caf/event_based_actor.hpp"

namespace caf::consensus::sim {

/// An event-based actor for handles that travel to other nodes (the gate,
/// sessions). In CAF 0.17 any peer that holds a handle can send it an
/// `exit_msg` with reason `kill`, which no exit handler can trap. This actor
/// drops every `exit_msg` unless it comes from a sender on its own node, and
/// answers unexpected messages with `sec::unexpected_message` instead of
/// printing them.
class guarded_actor : public event_based_actor {
public:
  using init_fn = std::function<behavior(guarded_actor*)>;

  guarded_actor(actor_config& cfg, init_fn init);

  void enqueue(mailbox_element_ptr what, execution_unit* ctx) override;

protected:
  behavior make_behavior() override;

private:
  init_fn init_;
};

} // namespace caf::consensus::sim
