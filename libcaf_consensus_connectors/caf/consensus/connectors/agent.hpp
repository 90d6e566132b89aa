// caf-consensus: a real agent behind a connection (MCP server, model API).

#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "caf/actor_system.hpp"

#include "caf/consensus/actors/messages.hpp"
#include "caf/consensus/request.hpp"
#include "caf/consensus/result.hpp"

namespace caf::consensus::connectors {

/// What `agent::prepare` found out about an agent before round 0.
struct readiness {
  /// No error: the agent is ready to answer.
  error err;
  /// Set when the agent's configuration is wrong, so that retrying cannot
  /// help: the name of the agent setting that fixes it (`tool`,
  /// `prompt_argument`, as in `mcp_agent`).
  std::string setting;
  /// What the preparation picked, for the user (`tool think`).
  std::string detail;
  /// How long the preparation took.
  std::chrono::milliseconds took{0};

  /// Returns whether the agent's configuration is wrong.
  bool misconfigured() const noexcept {
    return !setting.empty();
  }
};

/// An agent that answers one request at a time over a connection it owns
/// (connecting on first use). `execute` blocks, never throws and never
/// blocks past the agent's own per-call timeout: every failure, including a
/// timeout, is a failed result with a clear error.
class agent {
public:
  virtual ~agent();

  /// Returns the participant id.
  virtual const std::string& id() const = 0;

  /// Returns a short description (`mcp+stdio: node server.mjs`).
  virtual std::string describe() const = 0;

  /// Answers `req` (reads `req.prompt`).
  virtual result execute(const request& req) = 0;

  /// Gets ready before round 0, bounded by `timeout` instead of the per-call
  /// timeout (an MCP server: start it, initialize the session, list its tools
  /// and check the tool and its prompt argument). Never throws. The default
  /// does nothing (agents that connect per call).
  virtual readiness prepare(std::chrono::milliseconds timeout);

  /// Ends the connection.
  virtual void close();
};

using agent_ptr = std::unique_ptr<agent>;

/// Called with every result right after an agent produced it (on the
/// participant's thread: calls may run concurrently).
using answer_callback = std::function<void(const result&)>;

/// Spawns a participant actor that owns `x` and calls it on a thread of its
/// own (`detached`): the connection lives and dies with the actor.
actors::participant_actor
spawn_agent_participant(actor_system& sys, agent_ptr x,
                        answer_callback on_answer = nullptr);

} // namespace caf::consensus::connectors
