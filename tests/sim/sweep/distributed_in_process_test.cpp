// Tests: worker pools of any size and remote worker nodes in this process,
// refused secrets and garbage on the wire (suite distributed_in_process).

#include <gtest/gtest.h>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/sweep/distributed.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"
#include "sim/sweep/distributed_helpers.hpp"
#include "sim/sweep/node_log.hpp"
#include "support/process.hpp"

using namespace caf::consensus;
using namespace caf::consensus::sim::test;
using namespace std::chrono_literals;

// -- in-process: worker pools and remote nodes --------------------------------

TEST(distributed_in_process, worker_pools_of_any_size_agree) {
  auto s = load("snowball-polls.yaml", 20);
  auto ref = local_csv(s, true);
  for (size_t threads : {1, 3}) {
    for (size_t batch : {1, 5, 64}) {
      std::string out = sim::runs_csv_header() + "\n";
      sim::sweep_options opts;
      opts.engine = sim::engine_kind::actors;
      opts.threads = threads;
      opts.batch_size = batch;
      opts.agent_rows = true;
      opts.on_run = [&](const sim::run_metrics& m) {
        out += sim::to_csv(m) + "\n" + sim::agents_csv(m);
      };
      std::vector<sim::worker_report> reports;
      opts.on_report = [&](const std::vector<sim::worker_report>& xs) {
        reports = xs;
      };
      ASSERT_FALSE(sim::run_sweep(s, opts));
      EXPECT_EQ(out, ref) << threads << " threads, batch " << batch;
      ASSERT_EQ(reports.size(), 1u);
      EXPECT_EQ(reports[0].name, "local");
      EXPECT_EQ(reports[0].runs, sim::cell_count(s) * 20);
    }
  }
  sim::sweep_options none;
  none.threads = 0;
  EXPECT_TRUE(contains(msg(sim::run_sweep(s, none)), "at least one"));
}

TEST(distributed_in_process, two_remote_workers_equal_the_local_result) {
  auto s = load("quickstart.yaml", 60);
  auto ref = local_csv(s);
  auto a = start_node(secret, 2);
  auto b = start_node(secret, 1);
  std::string out = sim::runs_csv_header() + "\n";
  sim::sweep_options opts;
  opts.engine = sim::engine_kind::actors;
  opts.threads = 0;
  opts.batch_size = 8;
  opts.remote = remotes({a->port(), b->port()});
  opts.on_run = [&](const sim::run_metrics& m) {
    out += sim::to_csv(m) + "\n";
  };
  std::vector<sim::worker_report> reports;
  opts.on_report = [&](const std::vector<sim::worker_report>& xs) {
    reports = xs;
  };
  ASSERT_FALSE(sim::run_sweep(s, opts));
  EXPECT_EQ(out, ref);
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].threads, 2u);
  EXPECT_EQ(reports[0].runs + reports[1].runs, 4u * 60u);
  EXPECT_GT(reports[0].runs, 0u);
  EXPECT_GT(reports[1].runs, 0u);
  EXPECT_TRUE(reports[0].problem.empty()) << reports[0].problem;
}

TEST(distributed_in_process, a_wrong_secret_is_refused_on_both_sides) {
  auto s = load("quickstart.yaml", 5);
  auto a = start_node(secret);
  sim::sweep_options opts;
  opts.threads = 0;
  opts.remote = remotes({a->port()}, other_secret);
  std::vector<std::string> events;
  opts.on_event = [&](const std::string& x) { events.push_back(x); };
  auto err = sim::run_sweep(s, opts);
  ASSERT_TRUE(err);
  EXPECT_EQ(err.code(), static_cast<uint8_t>(sim::sweep_errc::no_workers));
  EXPECT_TRUE(contains(msg(err), "shared secret does not match")) << msg(err);
  EXPECT_FALSE(contains(msg(err), secret));
  EXPECT_FALSE(contains(msg(err), other_secret));
  ASSERT_FALSE(events.empty());
  EXPECT_TRUE(contains(events[0], "refused")) << events[0];
  // With local threads, the sweep goes on without the refusing worker.
  opts.threads = 1;
  uint64_t runs = 0;
  opts.on_run = [&](const sim::run_metrics&) { ++runs; };
  EXPECT_FALSE(sim::run_sweep(s, opts));
  EXPECT_EQ(runs, 20u);
}

TEST(distributed_in_process, garbage_and_oversized_frames_do_not_hurt) {
  node_log log;
  sim::worker_node_options nopts;
  nopts.threads = 1;
  nopts.secret = secret;
  nopts.log = log.sink();
  auto started = sim::worker_node::start(nopts);
  ASSERT_TRUE(started) << msg(started.error());
  auto node = std::move(*started);
  auto port = node->port();
  std::mt19937 gen{7};
  std::vector<int> fds;
  for (int i = 0; i < 3; ++i) {
    std::string junk(4096, '\0');
    for (auto& c : junk)
      c = static_cast<char>(gen());
    fds.push_back(send_raw(port, junk));
  }
  // 4 GiB announced (CAF alone would allocate it), twice, kept open.
  auto before = test_util::rss_kb(::getpid());
  ASSERT_GT(before, 0);
  auto huge_a = send_raw(port, basp_header(0x02, 0xFFFFFFF0u));
  auto huge_b
    = send_raw(port, basp_header(0x01, 0xFFFFFFF0u) + std::string(65536, '\0'));
  ASSERT_GE(huge_a, 0);
  ASSERT_GE(huge_b, 0);
  fds.push_back(huge_a);
  fds.push_back(huge_b);
  // A valid-looking header followed by garbage payload.
  fds.push_back(send_raw(port, basp_header(0x01, 64) + std::string(64, 'x')));
  // The node has read both headers once it says so and has closed both
  // connections: no waiting for a fixed time. Before authentication, a
  // message must follow a client handshake, and a handshake is small.
  EXPECT_TRUE(log.await("a message before the BASP client handshake", 1,
                        std::chrono::seconds{60}))
    << log.dump();
  EXPECT_TRUE(log.await("oversized client handshake (4294967280 bytes "
                        "announced",
                        1, std::chrono::seconds{60}))
    << log.dump();
  EXPECT_TRUE(closed_by_peer(huge_a, std::chrono::seconds{60}));
  EXPECT_TRUE(closed_by_peer(huge_b, std::chrono::seconds{60}));
  auto after = test_util::rss_kb(::getpid());
  EXPECT_LT(after - before, 200 * 1024) << "kB grown";
  for (auto fd : fds)
    if (fd >= 0)
      ::close(fd);
  // The node still serves a proper coordinator.
  auto s = load("quickstart.yaml", 10);
  std::string out = sim::runs_csv_header() + "\n";
  sim::sweep_options opts;
  opts.threads = 0;
  opts.remote = remotes({port});
  opts.on_run = [&](const sim::run_metrics& m) {
    out += sim::to_csv(m) + "\n";
  };
  ASSERT_FALSE(sim::run_sweep(s, opts));
  EXPECT_EQ(out, local_csv(s));
}

TEST(distributed_in_process, workers_read_large_scenarios_only_when_asked) {
  // A 9 MB scenario (a long comment before the quickstart scenario): above a
  // worker's default 8 MiB, within what `--max-scenario-mib 16` allows.
  auto path = std::string{::testing::TempDir()} + "/nine-mb.yaml";
  {
    std::ofstream out{path, std::ios::binary};
    out << "# " << std::string(9000000, 'x') << "\n"
        << test_util::slurp(scenarios + "/quickstart.yaml");
  }
  auto s = sim::load_scenario(path, size_t{16} << 20);
  ASSERT_TRUE(s) << msg(s.error());
  s->replicates = 2;
  // A refusal is permanent (the sweep ends after `stall`); a worker that
  // takes the scenario parses 9 MB first (seconds under the sanitizers).
  auto sweep_on = [&](size_t max_bytes, std::chrono::milliseconds stall) {
    sim::worker_node_options o;
    o.threads = 1;
    o.secret = secret;
    o.max_scenario_bytes = max_bytes;
    auto node = sim::worker_node::start(o);
    if (!node)
      throw std::runtime_error(msg(node.error()));
    sim::sweep_options opts;
    opts.threads = 0;
    auto ro = remotes({(*node)->port()});
    ro->stall_timeout = stall;
    opts.remote = ro;
    std::string events;
    opts.on_event = [&](const std::string& x) { events += x + "\n"; };
    auto err = sim::run_sweep(*s, opts);
    return std::make_pair(std::move(err), events);
  };
  auto [refused, why] = sweep_on(sim::max_scenario_file_bytes, 2s);
  EXPECT_TRUE(refused);
  EXPECT_TRUE(contains(why, "this worker reads at most 8388608 (start it with "
                            "--max-scenario-mib 9 or more)"))
    << why;
  auto [accepted, events] = sweep_on(size_t{16} << 20, 120s);
  EXPECT_FALSE(accepted) << msg(accepted) << events;
}
