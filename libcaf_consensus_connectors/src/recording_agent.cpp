// caf-consensus: recording decorators (docs/traces.md).

#include "caf/consensus/connectors/recording_agent.hpp"

namespace caf::consensus::connectors {

recording_agent::recording_agent(agent_ptr inner, recording_target to,
                                 std::string model)
  : inner_(std::move(inner)), to_(std::move(to)), model_(std::move(model)) {
  if (model_.empty())
    model_ = inner_->describe();
}

const std::string& recording_agent::id() const {
  return inner_->id();
}

std::string recording_agent::describe() const {
  return inner_->describe();
}

result recording_agent::execute(const request& req) {
  auto res = inner_->execute(req);
  if (to_.writer)
    to_.writer->write(make_call(to_.run, to_.prompt_id, req, res, model_));
  return res;
}

readiness recording_agent::prepare(std::chrono::milliseconds timeout) {
  return inner_->prepare(timeout);
}

void recording_agent::close() {
  inner_->close();
}

agent_ptr record(agent_ptr inner, recording_target to, std::string model) {
  return std::make_unique<recording_agent>(std::move(inner), std::move(to),
                                           std::move(model));
}

actors::execute_fn
record(actors::execute_fn inner, recording_target to,
       std::function<std::string(const std::string&)> model) {
  return [inner = std::move(inner), to = std::move(to),
          model = std::move(model)](const std::string& id, const request& req) {
    auto res = inner(id, req);
    if (to.writer)
      to.writer->write(make_call(to.run, to.prompt_id, req, res,
                                 model ? model(id) : std::string{}));
    return res;
  };
}

} // namespace caf::consensus::connectors
