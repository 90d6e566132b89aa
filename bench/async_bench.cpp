// caf-consensus benchmarks, part 2b: whole runs per second for a caller that
// is itself an actor (the asynchronous form, `consensus::spawn`).
//
// - run/<shape>/w<words>/<policy>[/beta_1=0.5]/actors_async: one set of
//   actors from `consensus::spawn` (a coordinator and its participants) and
//   an event-based driver actor that sends `run` requests one after the
//   other, each when the last state arrived; one scheduler thread (`sharing`).
//   No thread blocks per run: the benchmark thread waits once per batch of
//   runs (`batch_runs`), so a run costs the protocol's work and its messages
//   (calls, replies, the run request and its state), without the blocking
//   hand-over of `actors` (`floor/round_trip_blocking`).
//
// Shapes as in runs_bench.cpp. Items are runs.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <future>
#include <string>

#include "caf/deep_to_string.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/stateful_actor.hpp"

#include "caf/consensus/actors/messages.hpp"
#include "caf/consensus/consensus.hpp"
#include "caf/consensus/error.hpp"

#include "actor_config.hpp"
#include "workload.hpp"

using namespace caf::consensus;

namespace {

/// Runs per benchmark iteration for `n` participants (S: 200, M: 20): the
/// one blocking wait per batch (tens of microseconds) is then below 1% of
/// the batch for every shape.
size_t batch_runs(size_t n) {
  return std::max<size_t>(1, 1000 / n);
}

struct driver_state {
  actors::coordinator_actor coord;
  size_t left = 0;
  std::string first; // deep_to_string of the first state, when asked
  bool keep_first = false;
  std::promise<std::string>* done = nullptr;
};

using driver_actor = caf::stateful_actor<driver_state>;

/// Sends the next run request, or reports the batch done and quits.
void next_run(driver_actor* self) {
  auto& st = self->state;
  if (st.left == 0) {
    st.done->set_value(std::move(st.first));
    self->quit();
    return;
  }
  --st.left;
  self
    ->request(st.coord, caf::infinite, actors::run_atom::value,
              std::string{bench::prompt})
    .then(
      [self](state& out) {
        if (self->state.keep_first) {
          self->state.first = caf::deep_to_string(out);
          self->state.keep_first = false;
        }
        benchmark::DoNotOptimize(out);
        next_run(self);
      },
      [self](caf::error& err) {
        self->state.done->set_value("error: " + render(err));
        self->quit();
      });
}

/// A driver for one batch: `runs` runs on `coord`, one after the other; sets
/// `done` to the first state (rendered) when `keep_first`, to "" otherwise,
/// or to "error: ...".
caf::behavior driver(driver_actor* self, actors::coordinator_actor coord,
                     size_t runs, bool keep_first,
                     std::promise<std::string>* done) {
  auto& st = self->state;
  st.coord = std::move(coord);
  st.left = runs;
  st.keep_first = keep_first;
  st.done = done;
  next_run(self);
  return {[](caf::unit_t) {
    // nop: the driver only waits for its replies
  }};
}

/// Runs `runs` runs on `coord` from a driver actor and waits for the last.
std::string batch(caf::actor_system& sys,
                  const actors::coordinator_actor& coord, size_t runs,
                  bool keep_first) {
  std::promise<std::string> done;
  auto result = done.get_future();
  sys.spawn(driver, coord, runs, keep_first, &done);
  return result.get();
}

void run_actors_async_bench(benchmark::State& st, size_t n, int32_t rounds,
                            size_t words, std::string policy, double beta_1) {
  bench::workload w{n, rounds, words};
  auto ps = w.parameters(policy, beta_1);
  bench::actor_env env{"sharing", 1};
  consensus c{
    w.ids(),
    [&w](const std::string&, const request& req) { return w.answer(req); }, ps};
  c.system(*env.sys).blocking(false);
  auto coord = c.spawn(*env.sys);
  // Not timed: the actor engine gives the inline engine's state.
  auto expected = w.run_inline(ps);
  auto first = batch(*env.sys, coord, 1, true);
  if (!expected || first != caf::deep_to_string(*expected)) {
    st.SkipWithError(first.rfind("error: ", 0) == 0
                       ? first.c_str()
                       : "actor and inline engines disagree");
  } else {
    for (auto _ : st) {
      auto out = batch(*env.sys, coord, batch_runs(n), false);
      if (!out.empty()) {
        st.SkipWithError(out.c_str());
        break;
      }
    }
    st.SetItemsProcessed(static_cast<int64_t>(st.iterations() * batch_runs(n)));
  }
  // The coordinator stops its participants (they are linked to it).
  caf::anon_send_exit(coord, caf::exit_reason::user_shutdown);
}

int register_async_runs() {
  for (auto sh : bench::shapes)
    for (size_t words : {50, 300})
      for (auto policy : {"hanzo", "metastable"})
        for (double beta_1 : {2.0, 0.5}) {
          auto name = std::string{"run/"} + sh.name + "/w"
                      + std::to_string(words) + "/" + policy + "/"
                      + (beta_1 == 2.0 ? "" : "beta_1=0.5/") + "actors_async";
          benchmark::RegisterBenchmark(name.c_str(), run_actors_async_bench,
                                       sh.n, sh.rounds, words, policy, beta_1)
            ->UseRealTime();
        }
  return 0;
}

[[maybe_unused]] const int async_runs_registered = register_async_runs();

} // namespace
