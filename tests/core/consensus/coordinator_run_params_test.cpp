// Tests: a coordinator run may bring its own parameters and deadline (suite
// coordinator_run_params).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/deep_to_string.hpp"
#include "caf/exit_reason.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"

#include "caf/consensus/actors/coordinator.hpp"
#include "caf/consensus/actors/messages.hpp"
#include "caf/consensus/actors/participant.hpp"
#include "caf/consensus/consensus.hpp"
#include "caf/consensus/error.hpp"

#include "core/consensus/reuse_helpers.hpp"

namespace cc = caf::consensus;

using cc::request;
using cc::state;
using namespace caf::consensus::test;

// -- the coordinator's per-run parameters -------------------------------------

TEST(coordinator_run_params, a_run_may_bring_its_own_parameters) {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  std::vector<cc::actors::participant_actor> handles;
  for (auto& id : ids)
    handles.push_back(
      cc::actors::spawn_participant(sys, id, answer, /*blocking*/ false));
  auto coord = cc::actors::spawn_coordinator(sys, ids, handles, test_params(1));
  ASSERT_NE(inline_state("q", test_params(1)),
            inline_state("q", test_params(2)));
  {
    caf::scoped_actor self{sys};
    auto run = [&](auto... xs) {
      std::string out;
      self
        ->request(coord, caf::infinite, cc::actors::run_atom::value,
                  std::string{"q"}, xs...)
        .receive([&](state& st) { out = caf::deep_to_string(st); },
                 [&](caf::error& err) { out = "error: " + cc::render(err); });
      return out;
    };
    EXPECT_EQ(run(test_params(2)), inline_state("q", test_params(2)));
    // The one-argument form keeps the parameters of the spawn.
    EXPECT_EQ(run(), inline_state("q", test_params(1)));
    auto three_rounds_less = test_params(3);
    three_rounds_less.rounds = 0;
    EXPECT_EQ(run(three_rounds_less), inline_state("q", three_rounds_less));
    // Invalid per-run parameters are rejected; the coordinator stays usable.
    auto bad = test_params(2);
    bad.k = -1;
    EXPECT_EQ(run(bad), inline_state("q", bad));
    EXPECT_EQ(run(bad).rfind("error: ", 0), 0u);
    EXPECT_EQ(run(test_params(2)), inline_state("q", test_params(2)));
  }
  caf::anon_send_exit(coord, caf::exit_reason::user_shutdown);
  for (auto& h : handles)
    caf::anon_send_exit(h, caf::exit_reason::user_shutdown);
}

TEST(coordinator_run_params, the_round_deadline_comes_from_the_run) {
  // "mute" never answers; the spawn's parameters would wait a minute.
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  strings two = {"talker", "mute"};
  std::vector<cc::actors::participant_actor> handles{
    cc::actors::spawn_async_participant(
      sys, "talker",
      [](const std::string& id, const request& req, cc::result_callback done) {
        done(cc::make_ok(id, "hello", 1, req.round));
      }),
    cc::actors::spawn_async_participant(sys, "mute",
                                        [](const std::string&, const request&,
                                           cc::result_callback) {}),
  };
  auto slow = test_params();
  slow.timeout_ms = 60000;
  auto coord = cc::actors::spawn_coordinator(sys, two, handles, slow);
  auto fast = test_params();
  fast.rounds = 0;
  fast.timeout_ms = 25;
  std::string outcome;
  {
    caf::scoped_actor self{sys};
    self
      ->request(coord, caf::infinite, cc::actors::run_atom::value,
                std::string{"q"}, fast)
      .receive(
        [&](state& st) {
          outcome = std::to_string(st.timeouts) + " "
                    + std::to_string(st.responses[1][0].ms);
        },
        [&](caf::error& err) { outcome = cc::render(err); });
  }
  EXPECT_EQ(outcome, "1 25");
  caf::anon_send_exit(coord, caf::exit_reason::user_shutdown);
  for (auto& h : handles)
    caf::anon_send_exit(h, caf::exit_reason::user_shutdown);
}
