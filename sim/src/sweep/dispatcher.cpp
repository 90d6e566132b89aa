#include "caf/consensus/sim/sweep/dispatcher.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <exception>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/io/middleman.hpp"
#include "caf/io/middleman_actor.hpp"
#include "caf/openssl/manager.hpp"
#include "caf/stateful_actor.hpp"

#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/sweep/auth.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"
#include "caf/consensus/sim/version.hpp"

namespace caf::consensus::sim {

namespace {

using clock_type = std::chrono::steady_clock;
using time_point = clock_type::time_point;

double seconds(clock_type::duration d) {
  return std::chrono::duration<double>(d).count();
}

std::string secs_text(std::chrono::milliseconds d) {
  auto ms = d.count();
  if (ms % 1000 == 0)
    return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

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

// -- helpers ------------------------------------------------------------------

void event(dispatcher_actor* self, const std::string& line) {
  if (self->state.setup.on_event)
    self->state.setup.on_event(line);
}

void finish(dispatcher_actor* self);
void abort_sweep(dispatcher_actor* self, error err);
void conclude(dispatcher_actor* self);
void pump(dispatcher_actor* self);
void connect(dispatcher_actor* self, size_t idx);

bool is_skipped(dispatcher_state& st, uint64_t idx) {
  if (!st.setup.skip)
    return false;
  auto reps = st.setup.plan->replicates;
  return st.setup.skip(idx / reps, idx % reps);
}

/// Moves the cursor over skipped runs (they count as done).
void skip_ahead(dispatcher_state& st) {
  while (st.cursor < st.total && is_skipped(st, st.cursor)) {
    ++st.cursor;
    ++st.done;
  }
}

size_t total_credit(const dispatcher_state& st) {
  size_t n = 0;
  for (auto& w : st.workers)
    if (w.st == wstate::ready)
      n += w.credit;
  return n;
}

/// Returns the id of the next batch to hand out, if any.
std::optional<uint64_t> next_batch(dispatcher_state& st) {
  if (!st.retry.empty()) {
    auto id = st.retry.front();
    st.retry.pop_front();
    return id;
  }
  if (st.setup.on_run) {
    // Bounded reorder window: do not run too far ahead of delivery.
    auto window = std::max<uint64_t>(16, 4 * total_credit(st));
    if (st.next_id >= st.next_deliver + window)
      return std::nullopt;
  }
  batch_info b;
  while (st.cursor < st.total && b.runs.size() < st.setup.batch_size) {
    if (is_skipped(st, st.cursor))
      ++st.done;
    else
      b.runs.push_back(st.cursor);
    ++st.cursor;
  }
  if (b.runs.empty())
    return std::nullopt;
  auto id = st.next_id++;
  st.batches.emplace(id, std::move(b));
  return id;
}

void progress(dispatcher_state& st) {
  if (st.setup.on_progress)
    st.setup.on_progress(st.done, st.total);
}

/// Stops the busy clock of a worker that has nothing in flight.
void settle(worker& w, time_point now) {
  if (w.in_flight.empty() && w.busy_since != time_point{}) {
    w.report.busy_seconds += seconds(now - w.busy_since);
    w.busy_since = time_point{};
  }
}

/// Takes every batch from `w` and queues it for other workers.
void take_back(dispatcher_state& st, worker& w) {
  auto now = clock_type::now();
  uint64_t n = 0;
  for (auto id : w.in_flight) {
    auto i = st.batches.find(id);
    if (i == st.batches.end() || i->second.worker < 0)
      continue;
    if (&st.workers[static_cast<size_t>(i->second.worker)] != &w)
      continue;
    i->second.worker = -1;
    st.retry.push_back(id);
    ++n;
  }
  // Oldest batches first: they hold up canonical delivery.
  std::sort(st.retry.begin(), st.retry.end());
  w.in_flight.clear();
  settle(w, now);
  w.report.reassigned += n;
}

/// Fails `w`: transient failures are tried again later, permanent ones not.
void fail_worker(dispatcher_actor* self, size_t idx, const std::string& why,
                 bool permanent) {
  auto& st = self->state;
  auto& w = st.workers[idx];
  auto was_ready = w.st == wstate::ready;
  auto in_flight = w.in_flight.size();
  if (w.handle)
    self->demonitor(w.handle);
  take_back(st, w);
  w.handle = actor{};
  w.token.clear();
  ++w.epoch;
  // Keep the reason a worker was lost (or refused) rather than the connect
  // errors of the attempts to get it back.
  if (was_ready || permanent || w.report.problem.empty())
    w.report.problem = (was_ready ? "lost: " : "") + why;
  if (permanent) {
    w.st = wstate::failed;
  } else {
    w.st = wstate::down;
    w.next_retry = clock_type::now() + st.setup.remote->retry_interval;
  }
  std::string line = "worker " + w.name + " ";
  if (was_ready)
    line += "lost: " + why + "; " + std::to_string(in_flight)
            + (in_flight == 1 ? " batch" : " batches") + " reassigned";
  else
    line += (permanent ? "refused: " : "unavailable: ") + why;
  if (!permanent && !was_ready)
    line += " (trying again every " + secs_text(st.setup.remote->retry_interval)
            + ")";
  if (line != w.last_event) {
    w.last_event = line;
    event(self, line);
  }
  // Nobody left that could ever run the sweep?
  bool hope = false;
  for (auto& x : st.workers)
    if (x.st != wstate::failed)
      hope = true;
  if (!hope) {
    std::string why_all;
    for (auto& x : st.workers)
      why_all += "; " + x.name + ": " + x.report.problem;
    abort_sweep(self, make_error(sweep_errc::no_workers,
                                 "no worker can run the sweep" + why_all));
    return;
  }
  pump(self);
}

/// Returns whether an error from a worker means it will not work with us.
bool is_permanent(const error& err) {
  if (err.category() != sweep_errc_category)
    return false;
  auto code = static_cast<sweep_errc>(err.code());
  return code == sweep_errc::refused || code == sweep_errc::incompatible
         || code == sweep_errc::bad_message
         || code == sweep_errc::bad_credentials;
}

/// Checks the results of a batch against the batch itself.
std::string check_result(const dispatcher_state& st, uint64_t id,
                         const batch_info& b, const batch_result& r) {
  if (r.id != id)
    return "results for batch " + std::to_string(r.id) + " in reply to batch "
           + std::to_string(id);
  if (r.runs.size() != b.runs.size())
    return std::to_string(r.runs.size()) + " results for a batch of "
           + std::to_string(b.runs.size()) + " runs";
  auto& p = *st.setup.plan;
  for (size_t i = 0; i < r.runs.size(); ++i) {
    auto& m = r.runs[i];
    auto idx = b.runs[i];
    auto cell = idx / p.replicates;
    auto rep = idx % p.replicates;
    if (m.cell != cell || m.replicate != rep)
      return "result " + std::to_string(i) + " is run ("
             + std::to_string(m.cell) + ", " + std::to_string(m.replicate)
             + "), expected (" + std::to_string(cell) + ", "
             + std::to_string(rep) + ")";
    if (m.seed != run_seed(p.base, cell, rep))
      return "run (" + std::to_string(cell) + ", " + std::to_string(rep)
             + ") has the wrong seed";
    if (p.agent_rows && m.agents.size() != st.agent_counts[cell])
      return "run (" + std::to_string(cell) + ", " + std::to_string(rep)
             + ") has " + std::to_string(m.agents.size()) + " agent rows";
  }
  return {};
}

// -- results ------------------------------------------------------------------

void on_result(dispatcher_actor* self, size_t idx, uint64_t epoch, uint64_t id,
               batch_result& r) {
  auto& st = self->state;
  if (!st.running)
    return;
  auto& w = st.workers[idx];
  auto now = clock_type::now();
  auto current = w.epoch == epoch && w.in_flight.erase(id) > 0;
  if (current) {
    w.last_progress = now;
    settle(w, now);
  }
  auto i = st.batches.find(id);
  if (i == st.batches.end()) {
    // Finished by another worker already (a reassigned batch): drop it.
    pump(self);
    return;
  }
  if (auto problem = check_result(st, id, i->second, r); !problem.empty()) {
    if (!w.remote)
      abort_sweep(self, make_error(sweep_errc::worker_failed,
                                   "the local worker pool returned results "
                                   "that do not match its batch: "
                                     + problem));
    else if (current)
      fail_worker(self, idx,
                  "sent results that do not match its batch: " + problem, true);
    else
      pump(self);
    return;
  }
  // If the batch is also in flight elsewhere, that copy's reply is dropped.
  st.batches.erase(i);
  // A batch this worker was no longer assigned may still sit in the retry
  // queue: it is done now.
  st.retry.erase(std::remove(st.retry.begin(), st.retry.end(), id),
                 st.retry.end());
  w.report.runs += r.runs.size();
  w.report.batches += 1;
  if (st.setup.on_batch) {
    if (auto err = st.setup.on_batch(r.runs)) {
      abort_sweep(self, std::move(err));
      return;
    }
  }
  st.done += r.runs.size();
  if (st.setup.on_run) {
    st.finished.emplace(id, std::move(r.runs));
    for (auto j = st.finished.begin();
         j != st.finished.end() && j->first == st.next_deliver;
         j = st.finished.erase(j)) {
      for (auto& m : j->second)
        st.setup.on_run(m);
      ++st.next_deliver;
    }
  }
  progress(st);
  pump(self);
}

void on_batch_error(dispatcher_actor* self, size_t idx, uint64_t epoch,
                    uint64_t id, error& err) {
  auto& st = self->state;
  if (!st.running)
    return;
  auto& w = st.workers[idx];
  if (w.epoch != epoch || w.in_flight.count(id) == 0)
    return; // from a connection we gave up on already
  if (err.category() == sweep_errc_category || err.category() == atom("system")
      || err.category() == atom("exit")) {
    // The worker (or the way to it) failed, not the run.
    if (!w.remote) {
      abort_sweep(self, make_error(sweep_errc::worker_failed,
                                   "the local worker pool failed: "
                                     + render_sweep_error(err)));
      return;
    }
    fail_worker(self, idx, render_sweep_error(err), is_permanent(err));
    return;
  }
  // A run failed: the same run fails everywhere, so the sweep fails.
  abort_sweep(self, std::move(err));
}

// -- assigning work -----------------------------------------------------------

void assign(dispatcher_actor* self, size_t idx, uint64_t id) {
  auto& st = self->state;
  auto& w = st.workers[idx];
  auto& b = st.batches.at(id);
  b.worker = static_cast<int>(idx);
  auto now = clock_type::now();
  if (w.in_flight.empty()) {
    w.busy_since = now;
    w.last_progress = now;
  }
  w.in_flight.insert(id);
  auto epoch = w.epoch;
  self
    ->request(w.handle, infinite, batch_atom::value, w.token,
              run_batch{id, b.runs})
    .then([=](batch_result& r) { on_result(self, idx, epoch, id, r); },
          [=](error& err) { on_batch_error(self, idx, epoch, id, err); });
}

void check_done(dispatcher_actor* self) {
  auto& st = self->state;
  if (!st.running)
    return;
  skip_ahead(st);
  if (st.cursor >= st.total && st.batches.empty() && st.retry.empty())
    finish(self);
}

void pump(dispatcher_actor* self) {
  auto& st = self->state;
  if (!st.running)
    return;
  auto n = st.workers.size();
  for (bool assigned = true; assigned;) {
    assigned = false;
    for (size_t k = 0; k < n; ++k) {
      auto idx = (st.round_robin + k) % n;
      auto& w = st.workers[idx];
      if (w.st != wstate::ready || w.in_flight.size() >= w.credit)
        continue;
      auto id = next_batch(st);
      if (!id)
        break;
      assign(self, idx, *id);
      assigned = true;
    }
    st.round_robin = (st.round_robin + 1) % std::max<size_t>(n, 1);
  }
  check_done(self);
}

// -- remote workers: connect and handshake ------------------------------------

void joined(dispatcher_actor* self, size_t idx, actor session,
            std::string token, uint32_t threads) {
  auto& st = self->state;
  auto& w = st.workers[idx];
  w.st = wstate::ready;
  w.handle = std::move(session);
  w.token = std::move(token);
  w.threads = threads;
  w.report.threads = threads;
  w.credit = std::min<size_t>(2 * threads, 256);
  if (w.report.joins == 0)
    w.report.problem.clear(); // it failed to connect before, but it is here
  w.report.joins += 1;
  w.last_progress = clock_type::now();
  w.last_event.clear();
  event(self, "worker " + w.name + " joined (" + std::to_string(threads)
                + (threads == 1 ? " thread)" : " threads)"));
  pump(self);
}

void handshake_failed(dispatcher_actor* self, size_t idx, uint64_t epoch,
                      const std::string& step, const error& err) {
  auto& w = self->state.workers[idx];
  if (w.epoch != epoch || w.st != wstate::connecting)
    return;
  if (err == sec::unexpected_message) {
    fail_worker(self, idx,
                step
                  + ": the actor published at this address is not a "
                    "consensus-sim worker",
                true);
    return;
  }
  fail_worker(self, idx, step + ": " + render_sweep_error(err),
              is_permanent(err));
}

void load(dispatcher_actor* self, size_t idx, uint64_t epoch, actor session,
          std::string token, uint32_t threads) {
  auto& st = self->state;
  auto timeout = std::max(st.setup.remote->connect_timeout,
                          std::chrono::milliseconds{30000});
  self->request(session, timeout, load_atom::value, token, st.setup.spec)
    .then(
      [=](uint64_t total) mutable {
        auto& w = self->state.workers[idx];
        if (w.epoch != epoch || w.st != wstate::connecting)
          return;
        if (total != self->state.total) {
          fail_worker(self, idx,
                      "the worker counts " + std::to_string(total)
                        + " runs in this sweep, the coordinator "
                        + std::to_string(self->state.total),
                      true);
          return;
        }
        joined(self, idx, std::move(session), std::move(token), threads);
      },
      [=](error& err) {
        handshake_failed(self, idx, epoch, "loading the sweep failed", err);
      });
}

void authenticate(dispatcher_actor* self, size_t idx, uint64_t epoch,
                  actor gate) {
  auto& st = self->state;
  auto timeout = st.setup.remote->connect_timeout;
  self
    ->request(gate, timeout, hello_atom::value, sweep_protocol_version,
              std::string{program_version})
    .then(
      [=](std::string& challenge) {
        auto& st = self->state;
        auto& w = st.workers[idx];
        if (w.epoch != epoch || w.st != wstate::connecting)
          return;
        if (!is_hex(challenge, 2 * nonce_bytes)) {
          fail_worker(self, idx, "sent a malformed challenge", true);
          return;
        }
        auto& secret = st.setup.remote->secret;
        auto mine = random_hex(nonce_bytes);
        auto proof = auth_mac(secret, client_proof_label, challenge, mine);
        self->request(gate, timeout, auth_atom::value, challenge, mine, proof)
          .then(
            [=](actor& session, uint32_t threads, std::string& server_proof) {
              auto& st = self->state;
              auto& w = st.workers[idx];
              if (w.epoch != epoch || w.st != wstate::connecting)
                return;
              auto& secret = st.setup.remote->secret;
              auto want = auth_mac(secret, server_proof_label, challenge, mine);
              if (!equal_secure(server_proof, want)) {
                fail_worker(self, idx,
                            "the worker does not prove that it knows the "
                            "shared secret",
                            true);
                return;
              }
              if (!session || threads == 0 || threads > 4096) {
                fail_worker(self, idx, "sent a malformed session", true);
                return;
              }
              auto token = auth_mac(secret, session_token_label, challenge,
                                    mine);
              self->monitor(session);
              w.handle = session; // so that a down_msg finds it
              load(self, idx, epoch, std::move(session), std::move(token),
                   threads);
            },
            [=](error& err) {
              handshake_failed(self, idx, epoch, "authentication failed", err);
            });
      },
      [=](error& err) {
        handshake_failed(self, idx, epoch, "handshake failed", err);
      });
}

void connect(dispatcher_actor* self, size_t idx) {
  auto& st = self->state;
  auto& w = st.workers[idx];
  w.st = wstate::connecting;
  auto epoch = ++w.epoch;
  auto& sys = self->system();
  io::middleman_actor mm = st.setup.remote->tls.enabled()
                             ? sys.openssl_manager().actor_handle()
                             : sys.middleman().actor_handle();
  ++st.connecting;
  self
    ->request(mm, st.setup.remote->connect_timeout, connect_atom::value,
              w.ep.host, w.ep.port)
    .then(
      [=](const node_id&, strong_actor_ptr& gate,
          const std::set<std::string>&) {
        --self->state.connecting;
        if (self->state.ended) {
          conclude(self);
          return;
        }
        auto& w = self->state.workers[idx];
        if (w.epoch != epoch || w.st != wstate::connecting)
          return;
        if (!gate) {
          fail_worker(self, idx, "no worker is published at this address",
                      false);
          return;
        }
        authenticate(self, idx, epoch, actor_cast<actor>(gate));
      },
      [=](error& err) {
        --self->state.connecting;
        if (self->state.ended) {
          auto& w = self->state.workers[idx];
          if (w.report.problem.empty())
            w.report.problem = "cannot connect: " + render_sweep_error(err);
          conclude(self);
          return;
        }
        std::string why = "cannot connect";
        if (self->state.setup.remote->tls.enabled())
          why += " (TLS: is the worker started with TLS and a certificate "
                 "our CA file accepts?)";
        handshake_failed(self, idx, epoch, why, err);
      });
}

// -- periodic checks ----------------------------------------------------------

void tick(dispatcher_actor* self) {
  auto& st = self->state;
  if (!st.running)
    return;
  auto now = clock_type::now();
  bool any_ready = false;
  for (size_t idx = 0; idx < st.workers.size() && st.running; ++idx) {
    auto& w = st.workers[idx];
    if (w.st == wstate::ready) {
      any_ready = true;
      if (w.remote && !w.in_flight.empty()
          && now - w.last_progress > st.setup.remote->batch_timeout)
        fail_worker(self, idx,
                    "no reply within "
                      + secs_text(st.setup.remote->batch_timeout)
                      + " (hung or overloaded?)",
                    false);
    } else if (w.st == wstate::down && now >= w.next_retry) {
      connect(self, idx);
    }
  }
  if (!st.running)
    return;
  if (any_ready) {
    st.last_ready = now;
  } else if (st.setup.remote
             && now - st.last_ready > st.setup.remote->stall_timeout) {
    std::string why_all;
    for (auto& x : st.workers)
      why_all += "; " + x.name + ": "
                 + (x.report.problem.empty() ? "still connecting"
                                             : x.report.problem);
    abort_sweep(self, make_error(sweep_errc::no_workers,
                                 "no worker was available for "
                                   + secs_text(st.setup.remote->stall_timeout)
                                   + why_all));
    return;
  }
  self->delayed_send(self, st.tick_interval, tick_atom::value);
}

// -- the end ------------------------------------------------------------------

std::vector<worker_report> reports(dispatcher_state& st) {
  auto now = clock_type::now();
  std::vector<worker_report> out;
  for (auto& w : st.workers) {
    if (!w.in_flight.empty() && w.busy_since != time_point{})
      w.report.busy_seconds += seconds(now - w.busy_since);
    w.busy_since = time_point{};
    if (w.remote && w.report.joins == 0 && w.report.problem.empty())
      w.report.problem = "never joined (still connecting when the sweep "
                         "ended)";
    out.push_back(w.report);
  }
  return out;
}

void finish(dispatcher_actor* self) {
  auto& st = self->state;
  st.running = false;
  st.ended = true;
  conclude(self);
}

void abort_sweep(dispatcher_actor* self, error err) {
  auto& st = self->state;
  if (!st.running)
    return;
  st.running = false;
  st.ended = true;
  st.outcome = std::move(err);
  conclude(self);
}

/// Delivers the outcome once no connect request is in flight (each has a
/// timeout, so this waits at most `connect_timeout`).
void conclude(dispatcher_actor* self) {
  auto& st = self->state;
  if (!st.ended || st.connecting > 0 || !st.rp.pending())
    return;
  if (st.outcome)
    st.rp.deliver(std::move(st.outcome));
  else
    st.rp.deliver(reports(st));
  self->quit();
}

// -- the actor ----------------------------------------------------------------

behavior dispatcher(dispatcher_actor* self, dispatch_setup setup) {
  auto& st = self->state;
  st.setup = std::move(setup);
  st.total = st.setup.plan->total;
  if (st.setup.plan->agent_rows)
    for (auto& cell : st.setup.plan->cells)
      st.agent_counts.push_back(participant_ids(cell).size());
  if (st.setup.local) {
    worker w;
    w.name = "local";
    w.st = wstate::ready;
    w.handle = st.setup.local;
    w.threads = st.setup.local_threads;
    w.credit = 2 * static_cast<size_t>(w.threads);
    w.report.name = w.name;
    w.report.threads = w.threads;
    w.report.joins = 1;
    st.workers.push_back(std::move(w));
  }
  if (st.setup.remote) {
    for (auto& ep : st.setup.remote->workers) {
      worker w;
      w.name = to_string(ep);
      w.remote = true;
      w.ep = ep;
      w.report.name = w.name;
      st.workers.push_back(std::move(w));
    }
    auto& ro = *st.setup.remote;
    auto t = std::min({std::chrono::milliseconds{250}, ro.batch_timeout / 4,
                       ro.retry_interval / 2});
    st.tick_interval = std::max(t, std::chrono::milliseconds{10});
  }
  self->set_down_handler([=](down_msg& dm) {
    auto& st = self->state;
    for (size_t idx = 0; idx < st.workers.size(); ++idx) {
      auto& w = st.workers[idx];
      if (w.handle && w.handle.address() == dm.source
          && (w.st == wstate::ready || w.st == wstate::connecting)) {
        fail_worker(self, idx,
                    "connection lost (" + render_sweep_error(dm.reason) + ")",
                    false);
        return;
      }
    }
  });
  self->set_exception_handler(
    [=](scheduled_actor*, std::exception_ptr& eptr) -> error {
      std::string what = "unknown exception";
      try {
        std::rethrow_exception(eptr);
      } catch (const std::exception& e) {
        what = e.what();
      } catch (...) {
        // keep the default text
      }
      auto err = make_error(sweep_errc::worker_failed,
                            "the sweep stopped on an exception: " + what);
      if (self->state.running) {
        self->state.running = false;
        self->state.rp.deliver(err);
      }
      return err;
    });
  return {
    [=](start_atom) {
      auto& st = self->state;
      if (st.running || st.rp.pending()) {
        self->make_response_promise().deliver(
          make_error(sweep_errc::bad_message, "sweep already started"));
        return;
      }
      st.rp = self->make_response_promise();
      st.running = true;
      st.last_ready = clock_type::now();
      skip_ahead(st);
      progress(st);
      for (size_t idx = 0; idx < st.workers.size(); ++idx)
        if (st.workers[idx].remote)
          connect(self, idx);
      if (st.setup.remote)
        self->delayed_send(self, st.tick_interval, tick_atom::value);
      pump(self);
    },
    [=](tick_atom) { tick(self); },
  };
}

} // namespace

actor spawn_dispatcher(actor_system& sys, dispatch_setup setup) {
  // Not detached: a detached actor's thread waits until the actor object is
  // destroyed, and after talking to remote nodes CAF 0.17 may keep a
  // reference to it for a while, which made the end of a sweep hang.
  return sys.spawn(dispatcher, std::move(setup));
}

} // namespace caf::consensus::sim
