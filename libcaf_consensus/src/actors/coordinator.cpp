#include "caf/consensus/actors/coordinator.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <unordered_map>
#include <utility>

#include "caf/actor_clock.hpp"
#include "caf/mailbox_element.hpp"
#include "caf/stateful_actor.hpp"
#include "caf/typed_event_based_actor.hpp"

#include "caf/consensus/error.hpp"

namespace caf::consensus::actors {

namespace {

using coordinator_impl
  = coordinator_actor::extend<reacts_to<deadline_atom, uint64_t>>;

struct coordinator_state {
  std::vector<std::string> ids;
  std::vector<participant_actor> handles;
  /// Why a participant is gone, by slot (only the slots of dead ones).
  std::unordered_map<size_t, std::string> down;
  /// Parameters of a `run` without parameters.
  params ps;
  /// The current run's `params::timeout_ms`.
  int64_t timeout_ms = 0;
  engine_options opts;
  std::optional<engine> eng;
  typed_response_promise<state> promise;
  /// Guards against replies of earlier rounds.
  uint64_t epoch = 0;
  /// Deadline of the current round.
  actor_clock::time_point deadline;
  /// When the deadline messages in flight fire. Usually one is: a round
  /// that ends early leaves it armed, and when it fires before the current
  /// round's deadline it re-arms itself for the rest. (CAF 0.17 cannot
  /// cancel a delayed message; one timer per round would pile up stale
  /// timers, each a clock-thread wake-up.) A run with a shorter timeout than
  /// the runs before it adds one that fires in time.
  std::vector<actor_clock::time_point> timers;
  /// The current round's results by slot, and which ones are in (filled in
  /// place and handed to the engine as they are: no second copy per round).
  std::vector<consensus::result> results;
  std::vector<bool> filled;
  size_t missing = 0;
  /// The request IDs of the current round's execute requests (ascending:
  /// CAF numbers an actor's requests in order) and the slot each one asks.
  std::vector<uint64_t> asked_ids;
  std::vector<uint32_t> asked_slots;
  /// The next slot to ask in this round, and how many asked slots have not
  /// answered yet.
  size_t next_ask = 0;
  size_t in_flight = 0;
  /// At most this many requests in flight per round (0: no limit).
  size_t max_in_flight = 0;
  /// Whether rounds end at their deadline.
  bool deadline_on = true;
  /// True while `fan_out` sets up a round: a fill that completes the round
  /// then leaves advancing to `advance`'s loop (no recursion per round).
  bool starting = false;
  /// The participants' addresses with their slots, sorted by address (one
  /// actor may serve several slots), for down messages.
  std::vector<std::pair<actor_addr, size_t>> slot_of;
  static inline const char* name = "consensus.coordinator";
};

using self_ptr = coordinator_impl::stateful_pointer<coordinator_state>;

bool fan_out(self_ptr self);

/// Makes sure that a deadline message arrives by the current round's
/// deadline: arms one unless one in flight fires no later.
void arm(self_ptr self) {
  auto& st = self->state;
  for (auto t : st.timers)
    if (t <= st.deadline)
      return;
  st.timers.push_back(st.deadline);
  self->delayed_send(self, st.deadline - self->clock().now(),
                     deadline_atom::value, st.epoch);
}

/// Hands the complete round to the engine and starts the next one; loops
/// while rounds complete as they start (every participant down), so the
/// stack does not grow with the number of rounds.
void advance(self_ptr self) {
  auto& st = self->state;
  for (;;) {
    st.eng->complete(std::move(st.results));
    st.results = {};
    if (st.eng->done()) {
      auto out = st.eng->take();
      st.eng.reset();
      ++st.epoch; // ignore stragglers
      st.promise.deliver(std::move(out));
      return;
    }
    if (!fan_out(self))
      return;
  }
}

void fill(self_ptr self, size_t i, consensus::result r) {
  auto& st = self->state;
  if (st.filled[i])
    return;
  st.results[i] = std::move(r);
  st.filled[i] = true;
  if (--st.missing == 0 && !st.starting)
    advance(self);
}

/// Sends the current round's next requests, keeping at most `max_in_flight`
/// unanswered (0: no limit). Participants are asked in slot order.
void ask_more(self_ptr self) {
  auto& st = self->state;
  auto& reqs = st.eng->requests();
  auto n = reqs.size();
  while (st.next_ask < n
         && (st.max_in_flight == 0 || st.in_flight < st.max_in_flight)) {
    auto i = st.next_ask++;
    if (st.filled[i])
      continue; // down: failed when the round started or when it went down
    // No response handler: `coordinator_actor_impl::consume` files the reply
    // (CAF 0.17 keeps response handlers in an unsorted vector, so one handler
    // per participant costs O(n) per request and per reply).
    auto hdl = self->request(st.handles[i], infinite, execute_atom::value,
                             reqs[i]);
    st.asked_ids.push_back(hdl.id().request_id().integer_value());
    st.asked_slots.push_back(static_cast<uint32_t>(i));
    ++st.in_flight;
  }
}

/// Starts the engine's current round. Returns true when the round completed
/// while starting (every participant down); the caller then advances.
bool fan_out(self_ptr self) {
  auto& st = self->state;
  ++st.epoch;
  auto n = st.eng->requests().size();
  st.results.assign(n, consensus::result{});
  st.filled.assign(n, false);
  st.missing = n;
  st.asked_ids.clear();
  st.asked_slots.clear();
  st.next_ask = 0;
  st.in_flight = 0;
  // Set the round's deadline first. At most ~3 years: a larger timeout
  // would overflow the clock's nanoseconds.
  constexpr int64_t max_timeout_ms = int64_t{100'000'000'000};
  auto timeout = std::chrono::milliseconds{
    std::min<int64_t>(st.timeout_ms, max_timeout_ms)};
  st.deadline = self->clock().now() + timeout;
  if (st.deadline_on)
    arm(self);
  // Participants known to be down fail at once, whether or not a request
  // window would reach them before the deadline.
  st.starting = true;
  auto round = st.eng->round();
  for (auto& [i, why] : st.down)
    if (i < n)
      fill(self, i, make_failure(st.ids[i], round, "participant down: " + why));
  ask_more(self);
  st.starting = false;
  return st.missing == 0;
}

/// Files the result of slot `i`, whose request is in flight, and asks the
/// next participant if the round goes on.
void file_answer(self_ptr self, size_t i, consensus::result r) {
  auto& st = self->state;
  if (st.filled[i])
    return;
  --st.in_flight;
  auto epoch = st.epoch;
  fill(self, i, std::move(r));
  if (st.epoch == epoch)
    ask_more(self);
}

/// Files a reply to an execute request of the current round. Returns false
/// for a message that is not one (CAF handles it then).
bool file_reply(self_ptr self, mailbox_element& x) {
  auto& st = self->state;
  if (!st.eng || !x.mid.is_response())
    return false;
  auto id = x.mid.request_id().integer_value();
  auto i = std::lower_bound(st.asked_ids.begin(), st.asked_ids.end(), id);
  if (i == st.asked_ids.end() || *i != id)
    return false; // an earlier round's: CAF drops it
  auto slot = st.asked_slots[static_cast<size_t>(i - st.asked_ids.begin())];
  auto& msg = x.content();
  if (msg.match_elements<consensus::result>()) {
    file_answer(self, slot, msg.move_if_unshared<consensus::result>(0));
    return true;
  }
  auto err = msg.match_elements<error>()
               ? msg.get_as<error>(0)
               : make_error(sec::unexpected_response,
                            x.move_content_to_message());
  file_answer(self, slot,
              make_failure(st.ids[slot], st.eng->round(),
                           "error: " + render(err)));
  return true;
}

/// Starts a run on `prompt` with parameters `ps`.
caf::result<state> start(self_ptr self, std::string prompt, const params& ps) {
  auto& st = self->state;
  if (st.eng)
    return make_error(errc::busy, "coordinator is already running");
  if (st.handles.size() != st.ids.size())
    return make_error(errc::invalid_params,
                      "participant ids and handles differ in number");
  auto eng = engine::make(std::move(prompt), st.ids, ps, st.opts);
  if (!eng)
    return std::move(eng.error());
  st.eng.emplace(std::move(*eng));
  // The round deadline of this run.
  st.timeout_ms = ps.timeout_ms;
  st.promise = self->make_response_promise<state>();
  if (fan_out(self))
    advance(self);
  return st.promise;
}

/// Initializes the state and returns the behavior.
coordinator_impl::behavior_type
coordinator(self_ptr self, std::vector<std::string> ids,
            std::vector<participant_actor> handles, params ps,
            engine_options opts, coordinator_options copts) {
  auto& st = self->state;
  st.max_in_flight = copts.max_in_flight;
  st.deadline_on = copts.deadline;
  st.ids = std::move(ids);
  st.handles = std::move(handles);
  st.ps = std::move(ps);
  st.opts = std::move(opts);
  st.slot_of.reserve(st.handles.size());
  for (size_t i = 0; i < st.handles.size(); ++i) {
    st.slot_of.emplace_back(st.handles[i].address(), i);
    self->monitor(st.handles[i]);
  }
  std::sort(st.slot_of.begin(), st.slot_of.end());
  self->set_down_handler([self](down_msg& dm) {
    auto& st = self->state;
    auto key = std::make_pair(dm.source, size_t{0});
    for (auto j = std::lower_bound(st.slot_of.begin(), st.slot_of.end(), key);
         j != st.slot_of.end() && j->first == dm.source; ++j) {
      auto i = j->second;
      if (st.down.count(i) > 0)
        continue;
      auto why = dm.reason ? render(dm.reason) : "terminated";
      st.down.emplace(i, why);
      if (!st.eng || i >= st.filled.size() || st.filled[i])
        continue;
      auto r = make_failure(st.ids[i], st.eng->round(),
                            "participant down: " + why);
      if (i < st.next_ask)
        file_answer(self, i, std::move(r)); // asked: frees its place
      else
        fill(self, i, std::move(r));
    }
  });
  return {
    [self](run_atom, std::string& prompt) -> caf::result<state> {
      return start(self, std::move(prompt), self->state.ps);
    },
    [self](run_atom, std::string& prompt, params& ps) -> caf::result<state> {
      return start(self, std::move(prompt), ps);
    },
    [self](deadline_atom, uint64_t) {
      auto& st = self->state;
      // Timers fire in the order of their times: the earliest one did.
      if (!st.timers.empty())
        st.timers.erase(std::min_element(st.timers.begin(), st.timers.end()));
      if (!st.eng)
        return;
      if (self->clock().now() < st.deadline) {
        // Armed by an earlier round: wait for the rest of this one.
        arm(self);
        return;
      }
      auto epoch = st.epoch;
      auto round = st.eng->round();
      for (size_t i = 0; i < st.filled.size(); ++i) {
        if (st.filled[i])
          continue;
        auto r = make_failure(st.ids[i], round, "");
        r.timed_out = true;
        fill(self, i, std::move(r));
        if (st.epoch != epoch)
          return;
      }
    },
  };
}

/// The coordinator: a stateful typed actor that files the replies to its
/// execute requests itself (see `file_reply`).
class coordinator_actor_impl
  : public coordinator_impl::stateful_base<coordinator_state> {
public:
  using super = coordinator_impl::stateful_base<coordinator_state>;

  coordinator_actor_impl(actor_config& cfg, std::vector<std::string> ids,
                         std::vector<participant_actor> handles, params ps,
                         engine_options opts, coordinator_options copts)
    : super(cfg),
      ids_(std::move(ids)),
      handles_(std::move(handles)),
      ps_(std::move(ps)),
      opts_(std::move(opts)),
      copts_(copts) {
    // nop
  }

  behavior_type make_behavior() override {
    return coordinator(this, std::move(ids_), std::move(handles_),
                       std::move(ps_), std::move(opts_), copts_);
  }

  invoke_message_result consume(mailbox_element& x) override {
    current_element_ = &x;
    if (file_reply(this, x))
      return invoke_message_result::consumed;
    return super::consume(x);
  }

private:
  std::vector<std::string> ids_;
  std::vector<participant_actor> handles_;
  params ps_;
  engine_options opts_;
  coordinator_options copts_;
};

} // namespace

coordinator_actor
spawn_coordinator(actor_system& sys, std::vector<std::string> participants,
                  std::vector<participant_actor> handles, params ps,
                  engine_options opts, coordinator_options copts) {
  return sys.spawn<coordinator_actor_impl>(std::move(participants),
                                           std::move(handles), std::move(ps),
                                           std::move(opts), copts);
}

} // namespace caf::consensus::actors
