// Tests: what a worker's header guard lets unauthenticated peers do (suite
// basp_guard): only the client handshake first, then small messages, within
// a deadline; idle connections make room for newcomers; authenticated
// coordinators send messages of any allowed size.

#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/io/middleman.hpp"
#include "caf/scoped_actor.hpp"

#include "caf/consensus/sim/sweep/auth.hpp"
#include "caf/consensus/sim/sweep/basp_guard.hpp"
#include "caf/consensus/sim/sweep/distributed.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"
#include "caf/consensus/sim/sweep/sweep_messages.hpp"
#include "caf/consensus/sim/version.hpp"
#include "sim/sweep/distributed_helpers.hpp"
#include "sim/sweep/node_log.hpp"
#include "support/process.hpp"

using namespace caf::consensus;
using namespace caf::consensus::sim::test;
using namespace std::chrono_literals;

namespace {

std::unique_ptr<sim::worker_node>
start_logged(node_log& log, std::chrono::milliseconds handshake = 10s,
             std::chrono::milliseconds idle = 300s) {
  sim::worker_node_options o;
  o.threads = 1;
  o.secret = secret;
  o.log = log.sink();
  o.handshake_timeout = handshake;
  o.idle_timeout = idle;
  auto node = sim::worker_node::start(o);
  if (!node)
    throw std::runtime_error(msg(node.error()));
  return std::move(*node);
}

/// A client handshake as a CAF node sends it: a header and the node id.
std::string client_handshake(caf::actor_system& sys) {
  auto key = sim::node_key(sys, sys.node());
  return basp_header(0x01, static_cast<uint32_t>(key.size())) + key;
}

caf::actor_system_config& init(caf::actor_system_config& cfg) {
  sim::add_sweep_types(cfg);
  cfg.load<caf::io::middleman>();
  return cfg;
}

} // namespace

TEST(basp_guard, before_authentication_only_small_messages_pass) {
  node_log log;
  auto node = start_logged(log);
  caf::actor_system_config cfg;
  caf::actor_system sys{init(cfg)};
  // A message before the client handshake.
  auto early = send_raw(node->port(), basp_header(0x02, 100));
  // A client handshake, then 100,000 bytes announced (allowed once
  // authenticated, not before).
  auto big = send_raw(node->port(),
                      client_handshake(sys) + basp_header(0x02, 100000));
  // A client handshake that announces 4 GiB.
  auto huge = send_raw(node->port(), basp_header(0x01, 0xFFFFFFF0u));
  ASSERT_GE(early, 0);
  ASSERT_GE(big, 0);
  ASSERT_GE(huge, 0);
  EXPECT_TRUE(log.await(
    "a message before the BASP client handshake (operation 2)", 1, 60s))
    << log.dump();
  EXPECT_TRUE(log.await("oversized message before authentication (100000 "
                        "bytes announced, at most 65536)",
                        1, 60s))
    << log.dump();
  EXPECT_TRUE(log.await("oversized client handshake (4294967280 bytes "
                        "announced, at most 1024)",
                        1, 60s))
    << log.dump();
  for (auto fd : {early, big, huge}) {
    EXPECT_TRUE(closed_by_peer(fd, 60s));
    ::close(fd);
  }
}

TEST(basp_guard, unauthenticated_connections_together_stay_small) {
  // 256 connections (the most a worker keeps open) from 32 addresses, each a
  // handshake and a message announcing the largest payload allowed before
  // authentication, never sent: CAF allocates the announced size for each,
  // at most 256 x 64 KiB = 16 MiB together.
  node_log log;
  auto node = start_logged(log);
  caf::actor_system_config cfg;
  caf::actor_system sys{init(cfg)};
  auto before = test_util::rss_kb(::getpid());
  ASSERT_GT(before, 0);
  std::vector<int> fds;
  auto from = [](int i) { return "127.0.1." + std::to_string(1 + i / 8); };
  for (int i = 0; i < 256; ++i)
    fds.push_back(send_raw(
      node->port(), client_handshake(sys) + basp_header(0x02, 65536), from(i)));
  // 256 more from other addresses announcing the 64 MiB an authenticated
  // peer may send: refused before CAF sees them, and each closes the oldest
  // of the connections above to make room.
  auto other = [](int i) { return "127.0.2." + std::to_string(1 + i / 8); };
  for (int i = 0; i < 256; ++i)
    fds.push_back(send_raw(node->port(),
                           client_handshake(sys)
                             + basp_header(0x02, sim::max_message_bytes),
                           other(i)));
  EXPECT_TRUE(log.await("oversized message before authentication", 256, 120s))
    << log.dump();
  auto after = test_util::rss_kb(::getpid());
  std::cout << "[ measured ] RSS growth with 512 unauthenticated connections "
               "announcing their largest payloads: "
            << (after - before) / 1024 << " MB\n";
  EXPECT_LT(after - before, 64 * 1024) << "kB grown";
  for (auto fd : fds)
    if (fd >= 0)
      ::close(fd);
}

TEST(basp_guard, silent_connections_are_closed_after_the_handshake_deadline) {
  node_log log;
  auto node = start_logged(log, 200ms);
  auto fd = send_raw(node->port(), "");
  ASSERT_GE(fd, 0);
  EXPECT_TRUE(log.await("no authentication within 200 ms", 1, 60s))
    << log.dump();
  EXPECT_TRUE(closed_by_peer(fd, 60s));
  ::close(fd);
}

TEST(basp_guard, idle_connections_do_not_lock_coordinators_out) {
  // 300 connections that send nothing: more than the 256 connections a
  // worker keeps open, 16 of them from one address at most. An honest
  // coordinator still gets in, at once.
  node_log log;
  auto node = start_logged(log);
  std::vector<int> fds;
  for (int i = 0; i < 300; ++i)
    fds.push_back(send_raw(node->port(), ""));
  EXPECT_TRUE(log.await("to make room: 16 unauthenticated connections from "
                        "127.0.0.1",
                        300 - 16, 60s))
    << log.dump();
  auto s = load("quickstart.yaml", 10);
  sim::sweep_options opts;
  opts.threads = 0;
  opts.remote = remotes({node->port()});
  auto t0 = std::chrono::steady_clock::now();
  std::string out = sim::runs_csv_header() + "\n";
  opts.on_run = [&](const sim::run_metrics& m) {
    out += sim::to_csv(m) + "\n";
  };
  ASSERT_FALSE(sim::run_sweep(s, opts));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
              std::chrono::steady_clock::now() - t0)
              .count();
  std::cout << "[ measured ] a 40-run sweep through a worker with 300 idle "
               "connections opened: "
            << ms << " ms\n";
  EXPECT_EQ(out, local_csv(s));
  for (auto fd : fds)
    if (fd >= 0)
      ::close(fd);
}

TEST(basp_guard, authenticated_coordinators_send_large_messages) {
  // The sweep's scenario text travels to the worker after authentication:
  // 5 MB, far above the unauthenticated limit and within the 8 MiB a
  // scenario file may have (workers once stopped at 4 MiB).
  node_log log;
  auto node = start_logged(log);
  // 5 MB of comment before the quickstart scenario.
  auto path = std::string{::testing::TempDir()} + "/big-quickstart.yaml";
  {
    std::ofstream out{path, std::ios::binary};
    out << "# " << std::string(5000000, 'x') << "\n"
        << test_util::slurp(scenarios + "/quickstart.yaml");
  }
  auto big = sim::load_scenario(path);
  ASSERT_TRUE(big) << msg(big.error());
  big->replicates = 5;
  sim::sweep_options opts;
  opts.threads = 0;
  opts.remote = remotes({node->port()});
  size_t runs = 0;
  opts.on_run = [&](const sim::run_metrics&) { ++runs; };
  ASSERT_FALSE(sim::run_sweep(*big, opts)) << log.dump();
  EXPECT_EQ(runs, 5u * 4u);
  EXPECT_EQ(log.count("before authentication"), 0u) << log.dump();
}

TEST(basp_guard, silent_authenticated_connections_are_closed_when_idle) {
  node_log log;
  auto node = start_logged(log, 10s, 300ms);
  caf::actor_system_config cfg;
  caf::actor_system sys{init(cfg)};
  auto gate = sys.middleman().remote_actor("127.0.0.1", node->port());
  ASSERT_TRUE(gate) << msg(gate.error());
  caf::scoped_actor self{sys};
  std::string nonce;
  self
    ->request(*gate, 5s, sim::hello_atom::value, sim::sweep_protocol_version,
              std::string{sim::program_version})
    .receive([&](std::string& x) { nonce = x; },
             [&](caf::error& err) { FAIL() << msg(err); });
  auto mine = sim::random_hex(sim::nonce_bytes);
  self
    ->request(*gate, 5s, sim::auth_atom::value, nonce, mine,
              sim::auth_mac(secret, sim::client_proof_label, nonce, mine))
    .receive([&](caf::actor&, uint32_t, std::string&) {},
             [&](caf::error& err) { FAIL() << msg(err); });
  EXPECT_TRUE(log.await("authenticated node", 1, 60s)) << log.dump();
  EXPECT_TRUE(log.await("idle for 300 ms", 1, 60s)) << log.dump();
  EXPECT_EQ(log.count("no authentication within"), 0u) << log.dump();
}
