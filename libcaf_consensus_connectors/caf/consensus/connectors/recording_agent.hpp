// caf-consensus: recording decorators that write every call of a participant
// to a trace (docs/traces.md).

#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "caf/consensus/actors/messages.hpp"
#include "caf/consensus/connectors/agent.hpp"
#include "caf/consensus/connectors/trace.hpp"

namespace caf::consensus::connectors {

/// Where recorded calls go: a writer and the run they belong to.
struct recording_target {
  std::shared_ptr<trace_writer> writer;
  /// Run id and prompt id written with every call.
  std::string run = "run-1";
  std::string prompt_id = "prompt-1";
};

/// An agent that passes every call to the agent it wraps and writes the call
/// (request and result) to a trace before returning the result unchanged.
class recording_agent : public agent {
public:
  /// Records the calls of `inner` to `to`; the trace names the model
  /// `model` (default: `inner->describe()`).
  recording_agent(agent_ptr inner, recording_target to, std::string model = "");

  const std::string& id() const override;

  std::string describe() const override;

  result execute(const request& req) override;

  readiness prepare(std::chrono::milliseconds timeout) override;

  void close() override;

private:
  agent_ptr inner_;
  recording_target to_;
  std::string model_;
};

/// Returns `inner` wrapped in a `recording_agent`.
agent_ptr record(agent_ptr inner, recording_target to, std::string model = "");

/// Returns an `execute` for `consensus` that calls `inner` and writes every
/// call to `to`; `model(id)` names each participant's model in the trace
/// (default: empty).
actors::execute_fn
record(actors::execute_fn inner, recording_target to,
       std::function<std::string(const std::string&)> model = nullptr);

} // namespace caf::consensus::connectors
