// caf-consensus sim: a cell's coordinator and participants, kept between its
// runs.

#include "caf/consensus/sim/engine/cell_actors.hpp"

#include "caf/abstract_actor.hpp"
#include "caf/actor_cast.hpp"
#include "caf/actor_system.hpp"
#include "caf/exit_reason.hpp"
#include "caf/logger.hpp"
#include "caf/send.hpp"

#include "caf/consensus/actors/participant.hpp"

namespace caf::consensus::sim {

namespace {

/// Drops the calling thread's reference to CAF's logger. CAF 0.17.6 records,
/// on every resume of an actor, the running actor's id in a map that one
/// spinlock guards for all threads, if the thread has a logger, which every
/// scheduler thread has and spawning sets, even though CAF's logging is
/// compiled out (CAF_LOG_LEVEL_QUIET): with two scheduler threads that shared
/// lock took about 9% of an actor-engine sweep's CPU time. Without a logger
/// the bookkeeping is skipped.
void drop_thread_logger() {
#if CAF_LOG_LEVEL == CAF_LOG_LEVEL_QUIET
  logger::set_current_actor_system(nullptr);
#endif
}

/// The same once per thread, for the participants' calls (on the threads of
/// the system they run in).
void drop_thread_logger_once() {
  static thread_local bool dropped = false;
  if (!dropped) {
    drop_thread_logger();
    dropped = true;
  }
}

/// Requests a coordinator keeps in flight per round. Synthetic agents answer
/// at once (their latency and timeouts are simulated) and the coordinator
/// arms no wall-clock deadline here, so a window changes no result. It keeps
/// the scheduler's queues short: CAF 0.17's work-stealing scheduler steals in
/// time linear in a queue's length, and a round of 100,000 participants woken
/// at once made two threads 8x slower than one.
constexpr size_t max_in_flight = 1024;

} // namespace

/// What the participants read per call.
struct cell_actors::context {
  /// The cell and its agents (fixed while the actors live).
  const scenario* cell = nullptr;
  /// Owns `cell`: held while a participant can still read it (a participant
  /// may answer a request that was queued before it was told to stop).
  std::shared_ptr<const void> owner;
  std::vector<agent> agents;
  /// The agent seed of the current run: set before the run goes to the
  /// coordinator, which orders the write before the participants' reads.
  std::atomic<uint64_t> agent_seed{0};
};

cell_actors::cell_actors() = default;

cell_actors::~cell_actors() {
  stop();
}

bool cell_actors::serve(actor_system& sys, const scenario& cell,
                        std::shared_ptr<const void> owner) {
  if (ctx_ != nullptr && ctx_->cell == &cell && owner_ == owner
      && !dead_->load())
    return false;
  stop();
  ctx_ = std::make_shared<context>();
  ctx_->cell = &cell;
  ctx_->owner = owner;
  ctx_->agents = make_agents(cell);
  dead_ = std::make_shared<std::atomic<bool>>(false);
  auto ids = participant_ids(cell);
  handles_.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    auto fn = [c = ctx_, i](const std::string&, const request& req) {
      drop_thread_logger_once();
      return answer(c->cell->world, c->agents[i],
                    c->agent_seed.load(std::memory_order_relaxed), req);
    };
    handles_.push_back(actors::spawn_participant(sys, ids[i], fn, false));
    watch(actor_cast<actor>(handles_.back()));
  }
  // No wall-clock deadline: the agents answer at once and simulate their
  // timeouts, so a round's real time must never turn into timeouts.
  coord_ = actors::spawn_coordinator(sys, std::move(ids), handles_, cell.ps, {},
                                     {max_in_flight, false});
  watch(actor_cast<actor>(coord_));
  // Spawning pointed this thread's logger to `sys`; on a thread of `sys`
  // (an actor that drives the runs there) it would stay for good.
  drop_thread_logger();
  owner_ = std::move(owner);
  ++spawns_;
  return true;
}

void cell_actors::set_run(uint64_t agent_seed) {
  ctx_->agent_seed.store(agent_seed, std::memory_order_relaxed);
}

std::function<void(uint64_t)> cell_actors::run_setter() const {
  return [c = ctx_](uint64_t agent_seed) {
    c->agent_seed.store(agent_seed, std::memory_order_relaxed);
  };
}

const actors::coordinator_actor& cell_actors::coordinator() const noexcept {
  return coord_;
}

const std::vector<agent>& cell_actors::agents() const noexcept {
  static const std::vector<agent> none;
  return ctx_ != nullptr ? ctx_->agents : none;
}

void cell_actors::watch(const actor& x) {
  actor_cast<abstract_actor*>(x)->attach_functor(
    [d = dead_](const error&) { d->store(true); });
}

void cell_actors::stop() {
  if (coord_)
    anon_send_exit(coord_, exit_reason::user_shutdown);
  for (auto& h : handles_)
    anon_send_exit(h, exit_reason::user_shutdown);
  coord_ = nullptr;
  handles_.clear();
  ctx_ = nullptr;
  dead_ = nullptr;
  owner_ = nullptr;
}

uint64_t cell_actors::spawns() const noexcept {
  return spawns_;
}

} // namespace caf::consensus::sim
