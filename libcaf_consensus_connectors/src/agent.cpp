#include "caf/consensus/connectors/agent.hpp"

#include <exception>

#include "caf/spawn_options.hpp"
#include "caf/stateful_actor.hpp"
#include "caf/typed_event_based_actor.hpp"

namespace caf::consensus::connectors {

agent::~agent() {
  // nop
}

void agent::close() {
  // nop
}

readiness agent::prepare(std::chrono::milliseconds) {
  return {};
}

namespace {

struct agent_participant_state {
  agent_ptr self_agent;
  answer_callback on_answer;

  ~agent_participant_state() {
    if (self_agent)
      self_agent->close();
  }

  static inline const char* name = "consensus.agent";
};

actors::participant_actor::behavior_type agent_participant(
  actors::participant_actor::stateful_pointer<agent_participant_state> self,
  agent_ptr x, answer_callback on_answer) {
  self->state.self_agent = std::move(x);
  self->state.on_answer = std::move(on_answer);
  return {
    [self](actors::execute_atom, const request& req) -> consensus::result {
      auto& st = self->state;
      consensus::result r;
      try {
        r = st.self_agent->execute(req);
      } catch (const std::exception& e) {
        r = make_failure(st.self_agent->id(), req.round,
                         std::string{"exception in agent: "} + e.what());
      } catch (...) {
        r = make_failure(st.self_agent->id(), req.round,
                         "exception in agent: unknown");
      }
      r.round = req.round;
      if (st.on_answer) {
        try {
          st.on_answer(r);
        } catch (...) {
          // an observer must not fail the call
        }
      }
      return r;
    },
  };
}

} // namespace

actors::participant_actor spawn_agent_participant(actor_system& sys,
                                                  agent_ptr x,
                                                  answer_callback on_answer) {
  return sys.spawn<detached>(agent_participant, std::move(x),
                             std::move(on_answer));
}

} // namespace caf::consensus::connectors
