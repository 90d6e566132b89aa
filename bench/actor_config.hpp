// caf-consensus benchmarks: actor system configurations.

#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/atom.hpp"
#include "caf/string_view.hpp"

#include "caf/consensus/actors/polling_scheduler.hpp"

namespace caf::consensus::bench {

/// An actor system for one benchmark function (CAF pitfall: never keep a
/// system in static storage, never run two at once).
struct actor_env {
  /// `policy` is CAF's `scheduler.policy` (`sharing` is what
  /// `consensus-sim run` uses) or `polling` (`actors::use_polling_scheduler`,
  /// what `consensus` uses for a private actor system), `threads` its
  /// `scheduler.max-threads`.
  actor_env(const char* policy, size_t threads) {
    cfg.set("scheduler.max-threads", threads);
    string_view name{policy, std::char_traits<char>::length(policy)};
    if (name == "polling")
      actors::use_polling_scheduler(cfg);
    else
      cfg.set("scheduler.policy", atom_from_string(name));
    sys = std::make_unique<actor_system>(cfg);
  }

  actor_system_config cfg;
  std::unique_ptr<actor_system> sys;
};

} // namespace caf::consensus::bench
