// caf-consensus: the coordinator actor that drives the rounds.

#pragma once

#include <string>
#include <vector>

#include "caf/actor_system.hpp"

#include "caf/consensus/actors/messages.hpp"
#include "caf/consensus/engine.hpp"
#include "caf/consensus/params.hpp"

namespace caf::consensus::actors {

/// How a coordinator asks its participants (see `spawn_coordinator`).
struct coordinator_options {
  /// At most this many requests of a round unanswered (0: no limit).
  size_t max_in_flight = 0;
  /// Whether a round ends at its deadline (`params::timeout_ms`, wall-clock
  /// time).
  bool deadline = true;
};

/// Spawns a coordinator over `participants` (ids aligned with `handles`).
///
/// Per round it sends one `execute` request to every participant (fan-out),
/// arms one deadline of `params::timeout_ms` for the whole round, and files
/// the replies in participant order whatever order they arrive in (fan-in).
/// A participant that has not answered at the deadline gets a timed-out
/// result; one that terminates (monitored) fails at once, in this and every
/// later round; an error reply becomes a failed result. The round driver is
/// the same `engine` the inline mode uses. The coordinator runs one consensus
/// at a time; a `run` while busy fails with `errc::busy`. It may run any
/// number of consensus runs one after another: a `run` without parameters
/// uses `ps`, a `run` with parameters uses those (e.g. another seed or
/// timeout) for that run only.
///
/// With `copts.max_in_flight > 0` the coordinator keeps at most that many
/// requests of a round unanswered: it asks the participants in order and asks
/// the next one whenever one answers. The round's deadline still counts from
/// the round's start, so a participant not yet asked by then times out. This
/// suits many participants that answer at once (synthetic agents): CAF
/// 0.17's work-stealing scheduler steals a job in time linear in its queue's
/// length, and a round that wakes 100,000 participants at once fills one
/// queue with all of them. With 0 (the default) every participant is asked
/// at the round's start, which is what slow agents (model calls) need.
///
/// With `deadline == false` no deadline is armed: a round waits for every
/// participant to answer or terminate. Only for participants that always
/// answer at once and simulate their own timeouts (the simulator's agents):
/// then no result depends on how fast the machine is.
coordinator_actor
spawn_coordinator(actor_system& sys, std::vector<std::string> participants,
                  std::vector<participant_actor> handles, params ps,
                  engine_options opts = {}, coordinator_options copts = {});

} // namespace caf::consensus::actors
