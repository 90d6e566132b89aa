// Tests: a raw CAF client that talks to a worker node's gate and sessions
// without following the rules (suite distributed_rogue_client).

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/io/middleman.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"

#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/sweep/auth.hpp"
#include "caf/consensus/sim/sweep/distributed.hpp"
#include "caf/consensus/sim/sweep/sweep_messages.hpp"
#include "caf/consensus/sim/version.hpp"
#include "sim/sweep/distributed_helpers.hpp"
#include "support/process.hpp"

using namespace caf::consensus;
using namespace caf::consensus::sim::test;
using namespace std::chrono_literals;

/// A raw CAF client that talks to a node's gate without following the rules.
class distributed_rogue_client : public ::testing::Test {
protected:
  static caf::actor_system_config& init(caf::actor_system_config& cfg) {
    sim::add_sweep_types(cfg);
    cfg.load<caf::io::middleman>();
    return cfg;
  }

  distributed_rogue_client() : sys(init(cfg)) {
    node = start_node(secret, 1);
    auto g = sys.middleman().remote_actor("127.0.0.1", node->port());
    if (!g)
      throw std::runtime_error(msg(g.error()));
    gate = *g;
  }

  /// Sends `xs` to `dest` and returns the error reply (empty on success,
  /// then a string reply lands in `reply`).
  template <class... Ts>
  caf::error ask(const caf::actor& dest, std::string* reply, Ts&&... xs) {
    caf::error result;
    me->request(dest, 5s, std::forward<Ts>(xs)...)
      .receive(
        [&](std::string& x) {
          if (reply != nullptr)
            *reply = std::move(x);
        },
        [&](caf::error& err) { result = std::move(err); });
    return result;
  }

  /// Completes the handshake; returns (session, token).
  std::pair<caf::actor, std::string> login(caf::scoped_actor& self) {
    std::string nonce;
    self
      ->request(gate, 5s, sim::hello_atom::value, sim::sweep_protocol_version,
                std::string{sim::program_version})
      .receive([&](std::string& x) { nonce = x; },
               [&](caf::error& err) { ADD_FAILURE() << msg(err); });
    auto mine = sim::random_hex(sim::nonce_bytes);
    caf::actor session;
    self
      ->request(gate, 5s, sim::auth_atom::value, nonce, mine,
                sim::auth_mac(secret, sim::client_proof_label, nonce, mine))
      .receive([&](caf::actor& s, uint32_t,
                   std::string&) { session = std::move(s); },
               [&](caf::error& err) { ADD_FAILURE() << msg(err); });
    return {session,
            sim::auth_mac(secret, sim::session_token_label, nonce, mine)};
  }

  caf::actor_system_config cfg;
  caf::actor_system sys;
  /// One client actor: challenges are bound to the actor that asked.
  caf::scoped_actor me{sys};
  std::unique_ptr<sim::worker_node> node;
  caf::actor gate;
};

TEST_F(distributed_rogue_client, the_gate_does_no_work_without_the_secret) {
  // No work without the handshake.
  auto err = ask(gate, nullptr, sim::batch_atom::value, std::string{},
                 sim::run_batch{0, {0, 1}});
  ASSERT_TRUE(err);
  EXPECT_EQ(err.code(), static_cast<uint8_t>(caf::sec::unexpected_message));
  EXPECT_TRUE(ask(gate, nullptr, std::string{"hello?"}));
  // Wrong protocol or program version.
  err = ask(gate, nullptr, sim::hello_atom::value, uint32_t{99},
            std::string{sim::program_version});
  EXPECT_TRUE(contains(msg(err), "protocol version 99")) << msg(err);
  err = ask(gate, nullptr, sim::hello_atom::value, sim::sweep_protocol_version,
            std::string(30000, 'v'));
  EXPECT_TRUE(contains(msg(err), "incompatible")) << msg(err);
  // A wrong MAC, then the same challenge again.
  std::string nonce;
  ASSERT_FALSE(ask(gate, &nonce, sim::hello_atom::value,
                   sim::sweep_protocol_version,
                   std::string{sim::program_version}));
  EXPECT_TRUE(sim::is_hex(nonce, 64));
  auto mine = sim::random_hex(sim::nonce_bytes);
  auto wrong = sim::auth_mac(other_secret, sim::client_proof_label, nonce,
                             mine);
  err = ask(gate, nullptr, sim::auth_atom::value, nonce, mine, wrong);
  EXPECT_TRUE(contains(msg(err), "shared secret does not match")) << msg(err);
  auto right = sim::auth_mac(secret, sim::client_proof_label, nonce, mine);
  err = ask(gate, nullptr, sim::auth_atom::value, nonce, mine, right);
  EXPECT_TRUE(contains(msg(err), "unknown or expired challenge")) << msg(err);
  // A challenge answered by another actor than the one that asked for it.
  ASSERT_FALSE(ask(gate, &nonce, sim::hello_atom::value,
                   sim::sweep_protocol_version,
                   std::string{sim::program_version}));
  right = sim::auth_mac(secret, sim::client_proof_label, nonce, mine);
  {
    caf::scoped_actor other{sys};
    other->request(gate, 5s, sim::auth_atom::value, nonce, mine, right)
      .receive([](caf::actor&, uint32_t,
                  std::string&) { ADD_FAILURE() << "accepted"; },
               [&](caf::error& e) { err = e; });
  }
  EXPECT_TRUE(contains(msg(err), "unknown or expired challenge")) << msg(err);
  // Malformed authentication messages (below the 64 KiB a peer may send
  // before it has authenticated: larger ones close the connection, see
  // basp_guard_test.cpp).
  err = ask(gate, nullptr, sim::auth_atom::value, std::string(60000, 'a'), mine,
            right);
  EXPECT_TRUE(contains(msg(err), "malformed")) << msg(err);
  // A remote exit message does not stop the gate.
  {
    caf::scoped_actor self{sys};
    self->send_exit(gate, caf::exit_reason::kill);
    caf::anon_send_exit(gate, caf::exit_reason::kill);
  }
  EXPECT_FALSE(ask(gate, nullptr, sim::hello_atom::value,
                   sim::sweep_protocol_version,
                   std::string{sim::program_version}));
}

TEST_F(distributed_rogue_client, sessions_check_sender_token_and_every_batch) {
  caf::scoped_actor self{sys};
  auto [session, token] = login(self);
  ASSERT_TRUE(session);
  auto s = load("quickstart.yaml", 3);
  auto plan = sim::make_plan(s, sim::engine_kind::inline_calls, false);
  ASSERT_TRUE(plan);
  auto spec = sim::make_spec(**plan, test_util::slurp(s.file));
  // Another actor (not the one that logged in) with the right token.
  caf::scoped_actor intruder{sys};
  caf::error err;
  intruder->request(session, 5s, sim::load_atom::value, token, spec)
    .receive([](uint64_t) {}, [&](caf::error& e) { err = e; });
  EXPECT_TRUE(contains(msg(err), "not the authenticated coordinator"))
    << msg(err);
  // The right actor with a wrong token.
  err = caf::error{};
  self->request(session, 5s, sim::load_atom::value, token + "0", spec)
    .receive([](uint64_t) {}, [&](caf::error& e) { err = e; });
  EXPECT_TRUE(contains(msg(err), "wrong session token")) << msg(err);
  // A spec that does not match its fingerprint, and garbage scenarios.
  for (auto change : {0, 1, 2}) {
    auto bad = spec;
    if (change == 0)
      bad.fingerprint = std::string(64, '0');
    else if (change == 1)
      bad.text = "agents: [{";
    else
      bad.text = std::string(sim::max_scenario_bytes + 1, 'x');
    err = caf::error{};
    self->request(session, 5s, sim::load_atom::value, token, bad)
      .receive([](uint64_t) {}, [&](caf::error& e) { err = e; });
    EXPECT_TRUE(err) << change;
  }
  // Batches before a load, then bad batches after it.
  err = caf::error{};
  self
    ->request(session, 5s, sim::batch_atom::value, token,
              sim::run_batch{1, {0}})
    .receive([](sim::batch_result&) {}, [&](caf::error& e) { err = e; });
  EXPECT_TRUE(contains(msg(err), "no sweep loaded")) << msg(err);
  uint64_t total = 0;
  self->request(session, 5s, sim::load_atom::value, token, spec)
    .receive([&](uint64_t n) { total = n; },
             [&](caf::error& e) { ADD_FAILURE() << msg(e); });
  EXPECT_EQ(total, 12u);
  std::vector<std::pair<std::vector<uint64_t>, std::string>> bad_batches{
    {{}, "empty batch"},
    {{12}, "outside the sweep"},
    {{3, 2}, "not strictly increasing"},
    {std::vector<uint64_t>(sim::max_batch_runs + 1, 0), "at most"},
  };
  for (auto& [runs, needle] : bad_batches) {
    err = caf::error{};
    self
      ->request(session, 5s, sim::batch_atom::value, token,
                sim::run_batch{2, runs})
      .receive([](sim::batch_result&) {}, [&](caf::error& e) { err = e; });
    EXPECT_TRUE(contains(msg(err), needle)) << msg(err);
  }
  // A good batch works, and equals the local runs.
  sim::batch_result got;
  self
    ->request(session, 5s, sim::batch_atom::value, token,
              sim::run_batch{3, {0, 5, 11}})
    .receive([&](sim::batch_result& r) { got = std::move(r); },
             [&](caf::error& e) { ADD_FAILURE() << msg(e); });
  ASSERT_EQ(got.runs.size(), 3u);
  auto want = sim::run_indexed(**plan, 5, nullptr);
  ASSERT_TRUE(want);
  EXPECT_EQ(sim::to_csv(got.runs[1]), sim::to_csv(*want));
}
