#include "caf/consensus/actors/participant.hpp"

#include <atomic>
#include <exception>
#include <memory>
#include <unordered_map>

#include "caf/actor_cast.hpp"
#include "caf/send.hpp"
#include "caf/stateful_actor.hpp"
#include "caf/typed_event_based_actor.hpp"

namespace caf::consensus::actors {

namespace {

consensus::result from_exception(const std::string& id, const request& req,
                                 std::exception_ptr ep) {
  std::string what = "unknown";
  try {
    std::rethrow_exception(ep);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
    // keep "unknown"
  }
  return make_failure(id, req.round, "exception in execute: " + what);
}

participant_actor::behavior_type
sync_participant(participant_actor::pointer, std::string id, execute_fn fn) {
  return {
    [id, fn](execute_atom, const request& req) -> consensus::result {
      try {
        return fn(id, req);
      } catch (...) {
        return from_exception(id, req, std::current_exception());
      }
    },
  };
}

using async_impl = participant_actor::extend<
  reacts_to<done_atom, uint64_t, consensus::result>>;

struct async_state {
  uint64_t next_ticket = 0;
  std::unordered_map<uint64_t, typed_response_promise<consensus::result>>
    pending;
  static inline const char* name = "consensus.participant";
};

async_impl::behavior_type
async_participant(async_impl::stateful_pointer<async_state> self,
                  std::string id, async_execute_fn fn) {
  return {
    [self, id, fn](execute_atom,
                   const request& req) -> caf::result<consensus::result> {
      auto ticket = self->state.next_ticket++;
      auto rp = self->make_response_promise<consensus::result>();
      self->state.pending.emplace(ticket, rp);
      // The callback holds only a weak reference: an agent that never calls
      // back cannot keep the actor alive.
      auto addr = self->address();
      auto fired = std::make_shared<std::atomic<bool>>(false);
      result_callback done = [addr, ticket, fired](consensus::result r) {
        if (fired->exchange(true))
          return; // at most once
        if (auto hdl = actor_cast<actor>(addr))
          anon_send(hdl, done_atom::value, ticket, std::move(r));
      };
      try {
        fn(id, req, std::move(done));
      } catch (...) {
        auto i = self->state.pending.find(ticket);
        if (i != self->state.pending.end()) {
          i->second.deliver(from_exception(id, req, std::current_exception()));
          self->state.pending.erase(i);
        }
      }
      return rp;
    },
    [self](done_atom, uint64_t ticket, consensus::result& r) {
      auto i = self->state.pending.find(ticket);
      if (i == self->state.pending.end())
        return;
      i->second.deliver(std::move(r));
      self->state.pending.erase(i);
    },
  };
}

} // namespace

participant_actor spawn_participant(actor_system& sys, std::string id,
                                    execute_fn fn, bool blocking) {
  if (blocking)
    return sys.spawn<detached>(sync_participant, std::move(id), std::move(fn));
  return sys.spawn(sync_participant, std::move(id), std::move(fn));
}

participant_actor spawn_async_participant(actor_system& sys, std::string id,
                                          async_execute_fn fn) {
  return sys.spawn(async_participant, std::move(id), std::move(fn));
}

} // namespace caf::consensus::actors
