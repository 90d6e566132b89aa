// caf-consensus benchmarks, part 1: the floors every run stands on.
//
// - floor/tokenize/<shape>/w<words>: tokenizing every output of one run once
//   (n * (rounds + 1) outputs) with `text::tokenize` (sorted string sets,
//   the public function).
// - floor/tokenize_ids/<shape>/w<words>: the same with the interned token ids
//   the policies use (`detail::token_index`, a fresh index per run as in a
//   run). This is the floor the targets refer to.
// - floor/api_copies/<shape>/w<words>: the data a run must move because of
//   the request/result API alone: per call a result (sharing the scripted
//   output) and its record in the state; per refinement call a request with
//   the query, k = 3 peer views and the own text (all shared) and the
//   rendered prompt (fresh). No protocol logic, no tokenization.
// - floor/peer_reads/n=<n>: the memory traffic the protocol itself requires
//   of a run of `scaling/<policy>/n=<n>` (5 refinement rounds, k = 3, 50
//   words): in every refinement round each participant reads its 3 sampled
//   peers' ids, latest outputs (the prompt shows them; the run's own heap
//   strings) and token id sets (one flat buffer per round, as `metastable`
//   keeps them), at random positions. Nothing else: no requests, no
//   results, no scoring. Items are the run's execute calls (n x 6), so the
//   time per item compares with `scaling/`.
// - floor/api_copies/n=<n>: `floor/api_copies` for the same runs (peers are
//   the next three participants, not random: the streaming part of the
//   traffic); items are execute calls as well.
// - floor/api_copies_no_peers/n=<n>: the same with requests that carry the
//   query alone (policy `sequential`'s requests).
// - floor/round_trip/<sched>: one CAF request/response between two
//   event-based actors (what the coordinator pays per execute call), on one
//   scheduler thread: CAF's `sharing` or `stealing` policy, or `polling`
//   (`actors::use_polling_scheduler`).
// - floor/round_trip_blocking/<sched>: the same from a blocking caller
//   (`scoped_actor`; what `consensus::run` pays once per run).
// - floor/fan_out/<sched>/N=<n>: one coordinator sends one request to each
//   of N actors and waits for all replies (one round without any protocol).
//
// Names ending in a rate: items are runs (tokenize) or round trips.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "caf/actor.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"
#include "caf/stateful_actor.hpp"

#include "caf/consensus/detail/token_index.hpp"
#include "caf/consensus/request.hpp"
#include "caf/consensus/result.hpp"
#include "caf/consensus/rng/rng64.hpp"
#include "caf/consensus/state.hpp"
#include "caf/consensus/text/tokenizer.hpp"

#include "actor_config.hpp"
#include "workload.hpp"

using namespace caf::consensus;

namespace {

// -- tokenization floor -------------------------------------------------------

void tokenize_floor(benchmark::State& st, size_t n, int32_t rounds,
                    size_t words) {
  bench::workload w{n, rounds, words};
  for (auto _ : st) {
    for (auto& out : w.outputs()) {
      auto toks = text::tokenize(out);
      benchmark::DoNotOptimize(toks);
    }
  }
  st.SetItemsProcessed(st.iterations()); // runs
  st.counters["outputs"] = static_cast<double>(w.calls());
}

void tokenize_ids_floor(benchmark::State& st, size_t n, int32_t rounds,
                        size_t words) {
  bench::workload w{n, rounds, words};
  detail::token_index::id_set ids;
  for (auto _ : st) {
    detail::token_index index;
    for (auto& out : w.outputs()) {
      index.tokenize(out, ids);
      benchmark::DoNotOptimize(ids.data());
    }
  }
  st.SetItemsProcessed(st.iterations()); // runs
  st.counters["outputs"] = static_cast<double>(w.calls());
}

/// Reads every byte of `x` and returns a value computed from all of them
/// (a sum the compiler vectorizes: the floor measures reading, not hashing).
uint64_t fold_bytes(const std::string& x) {
  uint64_t h = x.size();
  for (auto c : x)
    h += static_cast<unsigned char>(c);
  return h;
}

/// What the participants of one run read of their peers: per round the flat
/// token id buffer of that round's outputs (participant j's ids at
/// `ids[r][begin[r][j]]` up to `ids[r][begin[r][j + 1]]`) and the latest
/// output of every participant (a flat array of shared texts, as
/// `metastable` keeps them), and the participant ids.
struct peer_data {
  static constexpr int32_t rounds = 5;
  static constexpr size_t k = 3;
  std::vector<std::vector<uint32_t>> ids;
  std::vector<std::vector<size_t>> begin;
  std::vector<std::vector<shared_text>> latest;
  const std::vector<std::string>* participants = nullptr;

  explicit peer_data(const bench::workload& w) {
    auto n = w.n();
    auto& outs = w.outputs();
    participants = &w.ids();
    ids.resize(rounds + 1);
    begin.resize(rounds + 1);
    latest.resize(rounds + 1);
    detail::token_index index;
    detail::token_index::id_set tmp;
    for (int32_t r = 0; r <= rounds; ++r) {
      auto first = static_cast<size_t>(r) * n;
      begin[r].resize(n + 1);
      for (size_t j = 0; j < n; ++j) {
        begin[r][j] = ids[r].size();
        index.tokenize(outs[first + j], tmp);
        ids[r].insert(ids[r].end(), tmp.begin(), tmp.end());
      }
      begin[r][n] = ids[r].size();
      latest[r].assign(outs.begin() + static_cast<ptrdiff_t>(first),
                       outs.begin() + static_cast<ptrdiff_t>(first + n));
    }
  }
};

/// One run's peer reads: in each refinement round r, each participant reads
/// k random peers' ids, round r - 1 outputs and token ids. Returns a value
/// computed from every byte read.
[[gnu::noinline]] uint64_t peer_reads_run(const peer_data& d, uint64_t seed) {
  auto& names = *d.participants;
  auto n = names.size();
  uint64_t sum = 0;
  rng::rng64 gen{seed};
  for (int32_t r = 1; r <= peer_data::rounds; ++r) {
    auto& ids = d.ids[r - 1];
    auto& begin = d.begin[r - 1];
    auto& latest = d.latest[r - 1];
    for (size_t i = 0; i < n; ++i)
      for (size_t s = 0; s < peer_data::k; ++s) {
        auto j = static_cast<size_t>(gen.below(n - 1));
        j += j >= i ? 1 : 0; // never oneself
        sum += names[j].size() + fold_bytes(latest[j]);
        for (auto x = begin[j]; x < begin[j + 1]; ++x)
          sum += ids[x];
      }
  }
  return sum;
}

void peer_reads_floor(benchmark::State& st, size_t n) {
  bench::workload w{n, peer_data::rounds, 50};
  peer_data d{w};
  uint64_t seed = 1;
  for (auto _ : st) {
    auto sum = peer_reads_run(d, seed++);
    benchmark::DoNotOptimize(sum);
    benchmark::ClobberMemory();
  }
  st.SetItemsProcessed(st.iterations() * static_cast<int64_t>(w.calls()));
}

/// One run's worth of the API's data movement (see `floor/api_copies`).
/// With `with_peers` false, requests carry the query alone (what `sequential`
/// sends).
[[gnu::noinline]] void api_copies_run(const bench::workload& w,
                                      const shared_text& query,
                                      bool with_peers) {
  auto n = w.n();
  auto rounds = w.rounds();
  std::vector<std::vector<response>> responses(n);
  for (int32_t r = 0; r <= rounds; ++r) {
    std::vector<request> reqs(n);
    std::vector<result> results;
    results.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      auto& req = reqs[i];
      req.participant = w.ids()[i];
      req.index = static_cast<uint32_t>(i);
      req.round = r;
      req.query = query;
      if (r > 0 && with_peers) {
        for (size_t s = 1; s <= 3; ++s) {
          auto j = (i + s) % n;
          auto& peer = responses[j].back();
          req.peers.push_back(peer_view{w.ids()[j], peer.text, peer.label});
        }
        req.prompt = render_prompt(query, req.peers);
        req.own_text = responses[i].back().text;
      } else {
        req.prompt = query;
      }
      results.push_back(w.answer(req));
    }
    for (size_t i = 0; i < n; ++i) {
      auto& x = results[i];
      responses[i].push_back(
        response{x.round, x.output, x.ok, x.label, x.ms, x.error, x.words});
    }
    benchmark::DoNotOptimize(reqs.data());
  }
  benchmark::DoNotOptimize(responses.data());
}

void api_copies_floor(benchmark::State& st, size_t n, int32_t rounds,
                      size_t words, bool items_are_calls, bool with_peers) {
  bench::workload w{n, rounds, words};
  auto& outs = w.outputs();
  shared_text query = bench::prompt;
  for (auto _ : st)
    api_copies_run(w, query, with_peers);
  if (items_are_calls)
    st.SetItemsProcessed(st.iterations() * static_cast<int64_t>(outs.size()));
  else
    st.SetItemsProcessed(st.iterations()); // runs
  st.counters["outputs"] = static_cast<double>(outs.size());
}

// -- CAF round trip -----------------------------------------------------------

caf::behavior pong_actor() {
  return {
    [](int32_t x) { return x; },
  };
}

/// Sends `left` sequential requests to `buddy`, then delivers `rp`.
void ping_loop(caf::event_based_actor* self, caf::actor buddy, int32_t left,
               caf::typed_response_promise<int32_t> rp) {
  if (left == 0) {
    rp.deliver(int32_t{0});
    return;
  }
  self->request(buddy, caf::infinite, left)
    .then([self, buddy, left, rp](int32_t) mutable {
      ping_loop(self, buddy, left - 1, std::move(rp));
    });
}

caf::behavior ping_actor(caf::event_based_actor* self, caf::actor buddy) {
  return {
    [self, buddy](int32_t n) -> caf::result<int32_t> {
      auto rp = self->make_response_promise<int32_t>();
      ping_loop(self, buddy, n, rp);
      return rp;
    },
  };
}

constexpr int32_t round_trips_per_iteration = 1000;

void round_trip(benchmark::State& st, const char* sched) {
  bench::actor_env env{sched, 1};
  auto& sys = *env.sys;
  auto pong = sys.spawn(pong_actor);
  auto ping = sys.spawn(ping_actor, pong);
  {
    caf::scoped_actor self{sys};
    for (auto _ : st)
      self->request(ping, caf::infinite, round_trips_per_iteration)
        .receive([](int32_t) {},
                 [&](caf::error& err) {
                   st.SkipWithError(sys.render(err).c_str());
                 });
  }
  st.SetItemsProcessed(st.iterations() * round_trips_per_iteration);
  caf::anon_send_exit(ping, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(pong, caf::exit_reason::user_shutdown);
}

void round_trip_blocking(benchmark::State& st, const char* sched) {
  bench::actor_env env{sched, 1};
  auto& sys = *env.sys;
  auto pong = sys.spawn(pong_actor);
  {
    caf::scoped_actor self{sys};
    for (auto _ : st)
      self->request(pong, caf::infinite, int32_t{1})
        .receive([](int32_t) {},
                 [&](caf::error& err) {
                   st.SkipWithError(sys.render(err).c_str());
                 });
  }
  st.SetItemsProcessed(st.iterations());
  caf::anon_send_exit(pong, caf::exit_reason::user_shutdown);
}

// -- fan-out / fan-in ---------------------------------------------------------

struct fan_state {
  std::vector<caf::actor> workers;
  size_t missing = 0;
  int32_t rounds_left = 0;
  caf::typed_response_promise<int32_t> rp;
};

using fan_ptr = caf::stateful_actor<fan_state>*;

void fan_round(fan_ptr self) {
  auto& s = self->state;
  if (s.rounds_left == 0) {
    s.rp.deliver(int32_t{0});
    return;
  }
  --s.rounds_left;
  s.missing = s.workers.size();
  for (size_t i = 0; i < s.workers.size(); ++i)
    self->request(s.workers[i], caf::infinite, static_cast<int32_t>(i))
      .then([self](int32_t) {
        if (--self->state.missing == 0)
          fan_round(self);
      });
}

caf::behavior fan_coordinator(fan_ptr self, std::vector<caf::actor> workers) {
  self->state.workers = std::move(workers);
  return {
    [self](int32_t rounds) -> caf::result<int32_t> {
      self->state.rounds_left = rounds;
      self->state.rp = self->make_response_promise<int32_t>();
      fan_round(self);
      return self->state.rp;
    },
  };
}

void fan_out(benchmark::State& st, const char* sched, size_t n) {
  bench::actor_env env{sched, 1};
  auto& sys = *env.sys;
  std::vector<caf::actor> workers;
  for (size_t i = 0; i < n; ++i)
    workers.push_back(sys.spawn(pong_actor));
  auto coord = sys.spawn(fan_coordinator, workers);
  // Enough rounds per iteration that the blocking hand-off is noise.
  auto rounds = static_cast<int32_t>(std::max<size_t>(1, 2000 / n));
  {
    caf::scoped_actor self{sys};
    for (auto _ : st)
      self->request(coord, caf::infinite, rounds)
        .receive([](int32_t) {},
                 [&](caf::error& err) {
                   st.SkipWithError(sys.render(err).c_str());
                 });
  }
  // Items: request/reply pairs.
  st.SetItemsProcessed(st.iterations() * rounds * static_cast<int64_t>(n));
  st.counters["rounds_per_iteration"] = rounds;
  caf::anon_send_exit(coord, caf::exit_reason::user_shutdown);
  for (auto& w : workers)
    caf::anon_send_exit(w, caf::exit_reason::user_shutdown);
}

// -- registration -------------------------------------------------------------

int register_floors() {
  for (auto sh : bench::shapes)
    for (size_t words : {50, 300}) {
      auto name = std::string{"floor/tokenize/"} + sh.name + "/w"
                  + std::to_string(words);
      benchmark::RegisterBenchmark(name.c_str(), tokenize_floor, sh.n,
                                   sh.rounds, words)
        ->UseRealTime();
      name = std::string{"floor/tokenize_ids/"} + sh.name + "/w"
             + std::to_string(words);
      benchmark::RegisterBenchmark(name.c_str(), tokenize_ids_floor, sh.n,
                                   sh.rounds, words)
        ->UseRealTime();
      name = std::string{"floor/api_copies/"} + sh.name + "/w"
             + std::to_string(words);
      benchmark::RegisterBenchmark(name.c_str(), api_copies_floor, sh.n,
                                   sh.rounds, words, false, true)
        ->UseRealTime();
    }
  for (size_t n : {100, 1000, 10000}) {
    auto suffix = "/n=" + std::to_string(n);
    benchmark::RegisterBenchmark(("floor/peer_reads" + suffix).c_str(),
                                 peer_reads_floor, n)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("floor/api_copies" + suffix).c_str(),
                                 api_copies_floor, n, 5, 50, true, true)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("floor/api_copies_no_peers" + suffix).c_str(),
                                 api_copies_floor, n, 5, 50, true, false)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  }
  for (auto sched : {"sharing", "stealing", "polling"}) {
    benchmark::RegisterBenchmark(
      (std::string{"floor/round_trip/"} + sched).c_str(), round_trip, sched)
      ->UseRealTime();
    benchmark::RegisterBenchmark(
      (std::string{"floor/round_trip_blocking/"} + sched).c_str(),
      round_trip_blocking, sched)
      ->UseRealTime();
  }
  for (size_t n : {5, 50, 1000})
    benchmark::RegisterBenchmark(
      ("floor/fan_out/sharing/N=" + std::to_string(n)).c_str(), fan_out,
      "sharing", n)
      ->UseRealTime();
  return 0;
}

[[maybe_unused]] const int floors_registered = register_floors();

} // namespace
