// caf-consensus sim: the dispatcher's bookkeeping on its state: cutting
// batches in canonical order (guided sizes), skipping stored runs, the
// workers' busy clocks, taking batches back from a worker, and the final
// reports.

#include "caf/consensus/sim/sweep/internal/dispatcher_state.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace caf::consensus::sim {

namespace sweep_internal {

namespace {

double seconds(clock_type::duration d) {
  return std::chrono::duration<double>(d).count();
}

bool is_skipped(dispatcher_state& st, uint64_t idx) {
  if (!st.setup.skip)
    return false;
  auto reps = st.setup.plan->replicates;
  return st.setup.skip(idx / reps, idx % reps);
}

size_t total_credit(const dispatcher_state& st) {
  size_t n = 0;
  for (auto& w : st.workers)
    if (w.st == wstate::ready)
      n += w.credit;
  return n;
}

/// The most runs of the next batch.
size_t batch_limit(const dispatcher_state& st) {
  if (!st.setup.guided)
    return st.setup.batch_size;
  return guided_batch_size(st.total - st.cursor, total_credit(st),
                           st.setup.batch_size);
}

} // namespace

} // namespace sweep_internal

size_t guided_batch_size(uint64_t remaining, size_t slots, size_t most) {
  most = std::max<size_t>(1, most);
  auto share = remaining / std::max<uint64_t>(1, slots);
  return static_cast<size_t>(
    std::clamp<uint64_t>(share, std::min(min_guided_batch, most), most));
}

namespace sweep_internal {

std::string secs_text(std::chrono::milliseconds d) {
  auto ms = d.count();
  if (ms % 1000 == 0)
    return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

void event(dispatcher_actor* self, const std::string& line) {
  if (self->state.setup.on_event)
    self->state.setup.on_event(line);
}

/// Moves the cursor over skipped runs (they count as done).
void skip_ahead(dispatcher_state& st) {
  while (st.cursor < st.total && is_skipped(st, st.cursor)) {
    ++st.cursor;
    ++st.done;
  }
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
  auto limit = batch_limit(st);
  while (st.cursor < st.total && b.runs.size() < limit) {
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

} // namespace sweep_internal

} // namespace caf::consensus::sim
