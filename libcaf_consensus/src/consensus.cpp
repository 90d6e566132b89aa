#include "caf/consensus/consensus.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>

#include "caf/abstract_actor.hpp"
#include "caf/actor_cast.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/exit_reason.hpp"
#include "caf/logger.hpp"
#include "caf/mailbox_element.hpp"
#include "caf/message_id.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"

#include "caf/consensus/actors/participant.hpp"
#include "caf/consensus/actors/polling_scheduler.hpp"
#include "caf/consensus/error.hpp"

namespace caf::consensus {

namespace {

/// Puts an error reply with the response id `id` (what `request` returned)
/// into `caller`'s mailbox: the coordinator that should have answered
/// terminated.
void fail_pending(const actor_addr& caller, uint64_t id, const error& reason) {
  auto hdl = actor_cast<strong_actor_ptr>(caller);
  if (!hdl)
    return;
  auto err = make_error(errc::execute_failed,
                        "the coordinator terminated during the run"
                          + (reason ? ": " + to_string(reason) : std::string{}));
  hdl->enqueue(make_mailbox_element(nullptr, message_id{id}, {}, std::move(err)),
               nullptr);
}

/// One coordinator with its participants and the blocking caller that talks
/// to it, used by one run at a time.
struct actor_set {
  actors::coordinator_actor coord;
  std::vector<actors::participant_actor> participants;
  /// Set when any of the actors terminated.
  std::shared_ptr<std::atomic<bool>> dead;
  /// The `consensus::impl::generation` the set was spawned in.
  uint64_t generation = 0;
  std::unique_ptr<scoped_actor> caller;
  /// Id of the `run` request the caller waits for (0: none). If the
  /// coordinator terminates while it is set, the caller gets an error reply
  /// instead of waiting forever (CAF 0.17 does not answer a request whose
  /// response promise dies with its actor).
  std::shared_ptr<std::atomic<uint64_t>> pending;

  /// Returns whether every actor of the set is still running. The flag is
  /// set by functors attached to the actors; the terminated flag of each
  /// actor closes the window in which a dying actor has already notified its
  /// monitors (CAF sets the flag first) but not yet run our functor.
  bool alive() const {
    if (dead->load())
      return false;
    auto gone = [](const auto& hdl) {
      return actor_cast<abstract_actor*>(hdl)->getf(
        abstract_actor::is_terminated_flag);
    };
    if (gone(coord))
      return false;
    return std::none_of(participants.begin(), participants.end(), gone);
  }

  /// Sends every actor of the set an exit message and drops the caller.
  void stop() {
    caller.reset();
    if (coord)
      anon_send_exit(coord, exit_reason::user_shutdown);
    for (auto& h : participants)
      anon_send_exit(h, exit_reason::user_shutdown);
  }
};

/// Spawns participant actors for `ids`.
std::vector<actors::participant_actor>
spawn_participants(actor_system& sys, const std::vector<std::string>& ids,
                   const execute_fn& sync, const async_execute_fn& async,
                   bool blocking) {
  std::vector<actors::participant_actor> handles;
  handles.reserve(ids.size());
  for (auto& id : ids) {
    if (sync)
      handles.push_back(actors::spawn_participant(sys, id, sync, blocking));
    else
      handles.push_back(actors::spawn_async_participant(sys, id, async));
  }
  return handles;
}

/// Makes the coordinator take its participants down with it.
void link_lifetimes(const actors::coordinator_actor& coord,
                    std::vector<actors::participant_actor> handles) {
  actor_cast<abstract_actor*>(coord)->attach_functor(
    [handles{std::move(handles)}](const error&) {
      for (auto& h : handles)
        anon_send_exit(h, exit_reason::user_shutdown);
    });
}

} // namespace

struct consensus::impl {
  execute_fn sync;
  async_execute_fn async;
  bool blocking = true;
  engine_options opts;
  spawn_observer observer;
  actor_system* external = nullptr;
  // Created on first use when no external system is given.
  std::unique_ptr<actor_system_config> cfg;
  std::unique_ptr<actor_system> own;

  // -- the pool of idle actor sets (guarded by `mtx`) -------------------------

  mutable std::mutex mtx;
  std::vector<actor_set> idle;
  /// Incremented whenever a property changes: sets of an older generation
  /// are stopped instead of going back to `idle`.
  uint64_t generation = 0;
  /// The parameters the current generation's sets were spawned with.
  params snapshot;

  ~impl() {
    drop();
    // Waits for every actor of the private system, stopped ones included.
    own.reset();
  }

  actor_system& sys() {
    if (external != nullptr)
      return *external;
    if (!own) {
      cfg = std::make_unique<actor_system_config>();
      // Short runs hand over to a scheduler worker and back: keep idle
      // workers polling for a moment instead of sleeping at once.
      actors::use_polling_scheduler(*cfg);
      own = std::make_unique<actor_system>(*cfg);
    }
    return *own;
  }

  /// Stops the idle sets and starts a new generation.
  void drop() {
    std::vector<actor_set> xs;
    {
      std::lock_guard<std::mutex> guard{mtx};
      xs.swap(idle);
      ++generation;
    }
    for (auto& x : xs)
      x.stop();
  }

  /// Returns an idle set for a run with parameters `ps`, or spawns one.
  actor_set take(const std::vector<std::string>& ids, const params& ps) {
    std::vector<actor_set> stale;
    std::optional<actor_set> found;
    actor_system* home = nullptr;
    uint64_t gen = 0;
    spawn_observer obs;
    {
      std::lock_guard<std::mutex> guard{mtx};
      if (ps != snapshot) {
        // Changed through the mutable `parameters()`.
        stale.swap(idle);
        ++generation;
        snapshot = ps;
      }
      while (!found && !idle.empty()) {
        if (idle.back().alive())
          found = std::move(idle.back());
        else
          stale.push_back(std::move(idle.back()));
        idle.pop_back();
      }
      if (!found) {
        home = &sys();
        gen = generation;
        obs = observer;
      }
    }
    for (auto& y : stale)
      y.stop();
    if (found)
      return std::move(*found);
    actor_set x;
    x.generation = gen;
    x.dead = std::make_shared<std::atomic<bool>>(false);
    x.participants = spawn_participants(*home, ids, sync, async, blocking);
    x.pending = std::make_shared<std::atomic<uint64_t>>(0);
    auto mark = [dead = x.dead](const error&) { dead->store(true); };
    for (auto& h : x.participants)
      actor_cast<abstract_actor*>(h)->attach_functor(mark);
    x.caller = std::make_unique<scoped_actor>(*home);
    x.coord = actors::spawn_coordinator(*home, ids, x.participants, ps, opts);
    actor_cast<abstract_actor*>(x.coord)->attach_functor(
      [dead = x.dead, pending = x.pending,
       caller = actor_cast<actor_addr>(*x.caller)](const error& reason) {
        dead->store(true);
        if (auto id = pending->exchange(0); id != 0)
          fail_pending(caller, id, reason);
      });
    link_lifetimes(x.coord, x.participants);
    // CAF 0.17: a scoped_actor leaves a reference to its system's logger in
    // the constructing thread's storage, and the system's destructor waits
    // for the logger. Drop that reference, or destroying this object (and
    // its private system) on another thread than a former caller's would
    // hang. (The library logs nothing; CAF's own logging is compiled out.)
    logger::set_current_actor_system(nullptr);
    if (obs)
      obs(x.coord, x.participants);
    return x;
  }

  /// Puts `x` back into the pool if it may serve another run, else stops it.
  void give_back(actor_set x, bool reusable) {
    if (reusable && x.alive()) {
      std::lock_guard<std::mutex> guard{mtx};
      if (x.generation == generation) {
        idle.push_back(std::move(x));
        return;
      }
    }
    x.stop();
  }
};

consensus::consensus(std::vector<std::string> participants, execute_fn execute,
                     params ps)
  : impl_(std::make_unique<impl>()),
    participants_(std::move(participants)),
    ps_(std::move(ps)) {
  impl_->sync = std::move(execute);
  impl_->snapshot = ps_;
}

consensus::consensus(std::vector<std::string> participants,
                     async_execute_fn execute, params ps)
  : impl_(std::make_unique<impl>()),
    participants_(std::move(participants)),
    ps_(std::move(ps)) {
  impl_->async = std::move(execute);
  impl_->snapshot = ps_;
}

consensus::~consensus() {
  // nop: impl's destructor stops the idle actors
}

consensus::consensus(consensus&&) noexcept = default;

consensus& consensus::operator=(consensus&&) noexcept = default;

consensus& consensus::system(actor_system& sys) {
  impl_->drop();
  impl_->external = &sys;
  return *this;
}

consensus& consensus::similarity(std::shared_ptr<const text::similarity> sim) {
  impl_->drop();
  impl_->opts.similarity = std::move(sim);
  return *this;
}

consensus& consensus::policy(policy::policy_factory factory) {
  impl_->drop();
  impl_->opts.factory = std::move(factory);
  return *this;
}

consensus& consensus::blocking(bool value) {
  impl_->drop();
  impl_->blocking = value;
  return *this;
}

consensus& consensus::observe_spawns(spawn_observer f) {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  impl_->observer = std::move(f);
  return *this;
}

error consensus::validate() const {
  if (!impl_->sync && !impl_->async)
    return make_error(errc::invalid_params, "no execute function given");
  auto eng = engine::make({}, participants_, ps_, impl_->opts);
  if (!eng)
    return std::move(eng.error());
  return {};
}

actors::coordinator_actor consensus::spawn(actor_system& sys) const {
  auto handles = spawn_participants(sys, participants_, impl_->sync,
                                    impl_->async, impl_->blocking);
  auto coord = actors::spawn_coordinator(sys, participants_, handles, ps_,
                                         impl_->opts);
  // The participants belong to this coordinator: stop them with it.
  link_lifetimes(coord, std::move(handles));
  return coord;
}

expected<state> consensus::run(const std::string& prompt) {
  // The coordinator checks participants and parameters (engine::make) before
  // it calls anyone and replies with the same error `validate` would give;
  // building a second engine here only to throw it away doubled that cost.
  if (!impl_->sync && !impl_->async)
    return make_error(errc::invalid_params, "no execute function given");
  auto set = impl_->take(participants_, ps_);
  expected<state> out{make_error(errc::execute_failed, "no reply")};
  auto& self = *set.caller;
  auto pending = self->request(set.coord, infinite, actors::run_atom::value,
                               prompt);
  auto id = pending.id().integer_value();
  set.pending->store(id);
  if (actor_cast<abstract_actor*>(set.coord)->getf(
        abstract_actor::is_terminated_flag)
      && set.pending->exchange(0) == id) {
    // Terminated before `pending` was set: its functor could not answer.
    // A reply it sent before terminating is ahead of this one in the mailbox.
    fail_pending(actor_cast<actor_addr>(self), id, error{});
  }
  // Short runs (instant agents) finish within microseconds: poll for the
  // reply for a moment before blocking, which saves the caller a thread
  // wake-up (tens of microseconds on an idle virtual machine). Runs that
  // call real agents block after the budget as before.
  constexpr auto spin_budget = std::chrono::microseconds{200};
  auto spin_until = std::chrono::steady_clock::now() + spin_budget;
  while (!self->has_next_message()
         && std::chrono::steady_clock::now() < spin_until)
    std::this_thread::yield();
  pending.receive([&](state& st) { out = std::move(st); },
                  [&](error& err) { out = std::move(err); });
  set.pending->store(0);
  // After a failed or timed-out call a participant may be gone or still
  // busy; after an error the coordinator may be gone. Start over then.
  auto reusable = out && out->failures == 0 && out->timeouts == 0;
  impl_->give_back(std::move(set), reusable);
  return out;
}

size_t consensus::idle_sets() const {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  return impl_->idle.size();
}

expected<state> run(const std::string& prompt,
                    std::vector<std::string> participants, execute_fn execute,
                    params ps) {
  consensus c{std::move(participants), std::move(execute), std::move(ps)};
  return c.run(prompt);
}

expected<state> run(const std::string& prompt,
                    std::vector<std::string> participants,
                    async_execute_fn execute, params ps) {
  consensus c{std::move(participants), std::move(execute), std::move(ps)};
  return c.run(prompt);
}

} // namespace caf::consensus
