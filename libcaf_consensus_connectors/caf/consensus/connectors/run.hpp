// caf-consensus: one consensus among real agents, with live observers.

#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/expected.hpp"

#include "caf/consensus/connectors/agent.hpp"
#include "caf/consensus/engine.hpp"
#include "caf/consensus/params.hpp"
#include "caf/consensus/result.hpp"
#include "caf/consensus/round_summary.hpp"
#include "caf/consensus/state.hpp"

namespace caf::consensus::connectors {

/// What a round looked like once the policy absorbed it.
struct round_event {
  int32_t round = 0;
  std::vector<std::string> participants;
  /// The round's results in participant order (timeouts included).
  std::vector<result> results;
  /// Everyone's confidence after the round.
  std::vector<double> confidence;
  /// The round in numbers; its reference answer is the current leader's
  /// (the participant with the highest confidence so far).
  round_summary summary;
};

/// Called once per round on the coordinator's thread.
using round_callback = std::function<void(const round_event&)>;

/// Called once per agent when its start-up ended (on a thread of its own:
/// calls may run concurrently).
using ready_callback
  = std::function<void(const std::string& id, const readiness& r)>;

/// Options of `run_agents`.
struct run_options {
  /// Every answer as soon as an agent produced it (participant threads).
  answer_callback on_answer;
  /// Every round once it is complete (coordinator thread).
  round_callback on_round;
  /// Bound of every agent's start-up (`agent::prepare`), which runs for all
  /// agents at once before round 0 and does not count against
  /// `params::timeout_ms`. Zero: no start-up; agents connect on their first
  /// call.
  std::chrono::milliseconds startup_timeout{30000};
  /// Every agent's start-up once it ended.
  ready_callback on_ready;
  /// Actor system to run in (default: a private one for the run).
  actor_system* system = nullptr;
  /// Similarity and policy override, as for `consensus`.
  engine_options engine;
};

/// Runs one consensus on `prompt` among `agents`: one participant actor per
/// agent (owning its connection, on its own thread) and the library's
/// coordinator actor. Invalid input (no agents, duplicate ids, parameters
/// out of range, unknown policy) is an error before any agent is contacted.
/// Then every agent starts up (see `run_options::startup_timeout`); an agent
/// whose configuration is wrong (no such tool, no such prompt argument)
/// makes the run an error before round 0, naming each such agent. An agent
/// that is merely unreachable takes part and fails until it answers.
/// A run never hangs on an agent: every call ends by the agent's timeout and
/// every round by `params::timeout_ms`.
expected<state> run_agents(const std::string& prompt,
                           std::vector<agent_ptr> agents, params ps,
                           run_options opts = {});

} // namespace caf::consensus::connectors
