// caf-consensus benchmarks: actor system configurations.

#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/atom.hpp"
#include "caf/string_view.hpp"

namespace caf::consensus::bench {

/// An actor system for one benchmark function (CAF pitfall: never keep a
/// system in static storage, never run two at once).
struct actor_env {
  /// `policy` is CAF's `scheduler.policy` (`sharing` is what
  /// `consensus-sim run` uses), `threads` its `scheduler.max-threads`.
  actor_env(const char* policy, size_t threads) {
    cfg.set("scheduler.max-threads", threads);
    cfg.set("scheduler.policy",
            atom_from_string(
              string_view{policy, std::char_traits<char>::length(policy)}));
    sys = std::make_unique<actor_system>(cfg);
  }

  actor_system_config cfg;
  std::unique_ptr<actor_system> sys;
};

} // namespace caf::consensus::bench
