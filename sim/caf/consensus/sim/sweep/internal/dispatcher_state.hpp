// caf-consensus sim: the dispatcher's state (workers, batches, delivery) and
// the steps its source files share (private header, not installed).
//
// The dispatcher is one actor spread over four files: dispatcher.cpp (the
// actor: setup, start, the end), dispatcher_state.cpp (bookkeeping on the
// state), dispatcher_batches.cpp (assigning batches, results, failing a
// worker) and dispatcher_remote.cpp (connecting remote workers, periodic
// checks). All of them run on the dispatcher's thread.

#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/error.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/response_promise.hpp"
#include "caf/stateful_actor.hpp"

#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/sweep/dispatch_setup.hpp"
#include "caf/consensus/sim/sweep/distributed.hpp"

namespace caf::consensus::sim::sweep_internal {

using clock_type = std::chrono::steady_clock;
using time_point = clock_type::time_point;

/// Where a worker stands.
enum class wstate {
  /// Not connected; tried again at `next_retry`.
  down,
  /// Connecting or in the handshake.
  connecting,
  /// Takes batches.
  ready,
  /// Refused us or misbehaved: not tried again.
  failed,
};

struct worker {
  std::string name;
  bool remote = false;
  endpoint ep;
  wstate st = wstate::down;
  actor handle;
  std::string token;
  uint32_t threads = 0;
  size_t credit = 0;
  std::set<uint64_t> in_flight;
  /// Incremented on every connection attempt and every loss: replies and
  /// handshake steps of an older epoch are ignored.
  uint64_t epoch = 0;
  time_point last_progress;
  time_point busy_since;
  time_point next_retry;
  worker_report report;
  /// The last failure we told the user about (to not repeat it).
  std::string last_event;
};

struct batch_info {
  std::vector<uint64_t> runs;
  /// Worker it is assigned to (-1: waiting in the retry queue).
  int worker = -1;
};

struct dispatcher_state {
  static inline const char* name = "sweep_dispatcher";

  dispatch_setup setup;
  std::vector<worker> workers;
  /// Batches created and not yet finished.
  std::map<uint64_t, batch_info> batches;
  /// Batches taken from failed workers, first in line.
  std::deque<uint64_t> retry;
  /// Next canonical run index to cut a batch from, next batch id.
  uint64_t cursor = 0;
  uint64_t next_id = 0;
  /// Canonical delivery (only with `on_run`): results by batch id.
  std::map<uint64_t, std::vector<run_metrics>> finished;
  uint64_t next_deliver = 0;
  /// Runs done (stored or skipped) and in total.
  uint64_t done = 0;
  uint64_t total = 0;
  response_promise rp;
  bool running = false;
  size_t round_robin = 0;
  /// Last time some worker was ready (for the stall timeout).
  time_point last_ready;
  std::chrono::milliseconds tick_interval{250};
  /// Participants per cell (to check agent rows).
  std::vector<size_t> agent_counts;
  /// Connect requests to the middleman in flight. The sweep ends only when
  /// none is: CAF 0.17's actor system hangs on shutdown while a connection
  /// handshake it started is pending (its middleman actor never goes away).
  size_t connecting = 0;
  /// The outcome, kept until `connecting` drops to 0.
  bool ended = false;
  error outcome;
};

using dispatcher_actor = stateful_actor<dispatcher_state>;

// -- bookkeeping (dispatcher_state.cpp) ---------------------------------------

/// Renders a duration for messages: "2 s" or "250 ms".
std::string secs_text(std::chrono::milliseconds d);

/// Tells the user about `line` (`on_event`), if anyone listens.
void event(dispatcher_actor* self, const std::string& line);

/// Moves the cursor over skipped runs (they count as done).
void skip_ahead(dispatcher_state& st);

/// Returns the id of the next batch to hand out, if any.
std::optional<uint64_t> next_batch(dispatcher_state& st);

/// Reports the runs done so far (`on_progress`).
void progress(dispatcher_state& st);

/// Stops the busy clock of a worker that has nothing in flight.
void settle(worker& w, time_point now);

/// Takes every batch from `w` and queues it for other workers.
void take_back(dispatcher_state& st, worker& w);

/// Returns one report per worker, its busy clock stopped.
std::vector<worker_report> reports(dispatcher_state& st);

// -- batches and results (dispatcher_batches.cpp) -----------------------------

/// Hands out batches to every ready worker with credit left, then ends the
/// sweep if nothing is left to do.
void pump(dispatcher_actor* self);

/// Fails `w`: transient failures are tried again later, permanent ones not.
void fail_worker(dispatcher_actor* self, size_t idx, const std::string& why,
                 bool permanent);

/// Returns whether an error from a worker means it will not work with us.
bool is_permanent(const error& err);

/// Checks the results `r` a worker sent for batch `id` (`b`) against the
/// batch and the plan: batch id, number and order of the runs, their seeds,
/// agent rows and per-round data. Returns what is wrong (empty: nothing).
std::string check_result(const dispatcher_state& st, uint64_t id,
                         const batch_info& b, const batch_result& r);

// -- remote workers (dispatcher_remote.cpp) -----------------------------------

/// Connects to remote worker `idx` and runs the handshake.
void connect(dispatcher_actor* self, size_t idx);

/// The periodic checks: batch timeouts, retries, the stall timeout.
void tick(dispatcher_actor* self);

// -- the end (dispatcher.cpp) -------------------------------------------------

/// Ends the sweep with the workers' reports.
void finish(dispatcher_actor* self);

/// Ends the sweep with `err` (once).
void abort_sweep(dispatcher_actor* self, error err);

/// Delivers the outcome once no connect request is in flight.
void conclude(dispatcher_actor* self);

} // namespace caf::consensus::sim::sweep_internal
