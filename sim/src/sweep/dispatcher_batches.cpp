// caf-consensus sim: the dispatcher's batches: assigning them to workers,
// checking and delivering their results (in canonical order), and failing a
// worker, whose batches go back to the queue for the others.

#include "caf/consensus/sim/sweep/internal/dispatcher_state.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "caf/event_based_actor.hpp"

#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"
#include "caf/consensus/sim/sweep/sweep_messages.hpp"

namespace caf::consensus::sim::sweep_internal {

// -- failing a worker ---------------------------------------------------------

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
    if (m.rounds_executed < 0
        || m.trajectory.size() != static_cast<size_t>(m.rounds_executed) + 1)
      return "run (" + std::to_string(cell) + ", " + std::to_string(rep)
             + ") has " + std::to_string(m.trajectory.size())
             + " rounds of per-round data for "
             + std::to_string(m.rounds_executed) + " rounds executed";
  }
  return {};
}

namespace {

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

} // namespace

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

} // namespace caf::consensus::sim::sweep_internal
