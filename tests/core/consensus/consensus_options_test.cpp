// Tests: the options of `consensus`: user policies, the policy registry,
// similarities, external actor systems and the polling scheduler (suite
// consensus).

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/atom.hpp"
#include "caf/deep_to_string.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/exit_reason.hpp"
#include "caf/send.hpp"

#include "caf/consensus/actors/polling_scheduler.hpp"
#include "caf/consensus/consensus.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/policy/policy.hpp"
#include "caf/consensus/policy/registry.hpp"
#include "caf/consensus/text/similarity.hpp"

#include "core/consensus/consensus_helpers.hpp"

namespace cc = caf::consensus;

using cc::params;
using cc::request;
using cc::state;
using cc::stop_reason;
using namespace caf::consensus::test;

namespace {

/// A user policy: everyone sees no peers and a custom prompt; after round 1
/// the longest ok answer wins and the run is finalized.
class longest_answer : public cc::policy::policy_base {
public:
  std::string name() const override {
    return "longest";
  }

  caf::error validate(const params& ps, size_t) const override {
    if (ps.rounds < 1)
      return cc::make_error(cc::errc::invalid_params,
                            "longest needs at least one round");
    return {};
  }

  void start(state&, const params&,
             std::shared_ptr<const cc::text::similarity>) override {
    // nop
  }

  std::vector<request> plan(state& st, int32_t round) override {
    std::vector<request> out(st.participants.size());
    for (size_t i = 0; i < out.size(); ++i) {
      out[i].participant = st.participants[i];
      out[i].index = static_cast<uint32_t>(i);
      out[i].round = round;
      out[i].query = st.prompt;
      out[i].prompt = "custom prompt r" + std::to_string(round);
    }
    return out;
  }

  void absorb(state& st, int32_t,
              const std::vector<cc::result>& results) override {
    for (size_t i = 0; i < results.size(); ++i)
      st.confidence[i] = results[i].ok ? 1.0 : 0.0;
  }

  stop_reason stop(const state&) const override {
    return stop_reason::beta_1;
  }

  void finish(state& st) override {
    size_t best = st.participants.size();
    for (size_t i = 0; i < st.participants.size(); ++i) {
      auto r = st.latest_ok(i);
      if (r
          && (best == st.participants.size()
              || r->text.size() > st.latest_ok(best)->text.size()))
        best = i;
    }
    if (best == st.participants.size())
      return;
    st.winner = st.participants[best];
    st.synthesis = st.latest_ok(best)->text;
    st.finalized = true;
  }
};

class always_similar : public cc::text::similarity {
public:
  double operator()(std::string_view, std::string_view) const override {
    return 1.0;
  }
};

} // namespace

// -- options ------------------------------------------------------------------

TEST(consensus, a_user_policy_drives_the_rounds) {
  call_log log;
  params ps = quick_params();
  ps.policy = "this name is ignored with a factory";
  cc::consensus c{{"short", "longer", "mid"},
                  [&](const std::string& id, const request& req) {
                    log.add(req);
                    return cc::make_ok(id, "answer of " + id, 1, req.round);
                  },
                  ps};
  c.policy([] { return std::make_unique<longest_answer>(); });
  EXPECT_FALSE(c.validate());
  auto st = c.run("q");
  ASSERT_TRUE(st) << cc::render(st.error());
  EXPECT_EQ(st->policy, "longest");
  EXPECT_EQ(st->rounds_executed, 1);
  EXPECT_EQ(st->stop, stop_reason::beta_1);
  EXPECT_EQ(st->winner, "longer");
  EXPECT_EQ(st->synthesis, "answer of longer");
  EXPECT_TRUE(st->finalized);
  for (auto& req : log.round(1))
    EXPECT_EQ(req.prompt, "custom prompt r1");
  // The policy's own validation runs first.
  c.parameters().rounds = 0;
  EXPECT_EQ(code_of(c.validate()), cc::errc::invalid_params);
  EXPECT_EQ(code_of(c.run("q").error()), cc::errc::invalid_params);
}

TEST(consensus, a_registered_policy_is_found_by_name) {
  cc::policy::register_policy("longest-registered", [] {
    return std::make_unique<longest_answer>();
  });
  auto names = cc::policy::names();
  EXPECT_EQ(strings(names.begin(), names.begin() + 4),
            (strings{"metastable", "hanzo", "snowball", "vote"}));
  EXPECT_NE(std::find(names.begin(), names.end(), "longest-registered"),
            names.end());
  params ps = quick_params();
  ps.policy = "longest-registered";
  auto st = cc::run(
    "q", {"a", "bbb"},
    [](const std::string& id, const request& req) {
      return cc::make_ok(id, id, 1, req.round);
    },
    ps);
  ASSERT_TRUE(st) << cc::render(st.error());
  EXPECT_EQ(st->winner, "bbb");
}

TEST(consensus, a_custom_similarity_is_used) {
  auto exec = [](const std::string& id, const request& req) {
    return cc::make_ok(id, id + "-" + std::to_string(req.round), 1, req.round);
  };
  cc::consensus plain{{"a", "b", "c"}, exec, quick_params()};
  auto st = plain.run("q");
  ASSERT_TRUE(st);
  EXPECT_FALSE(st->finalized);
  cc::consensus lenient{{"a", "b", "c"}, exec, quick_params()};
  lenient.similarity(std::make_shared<always_similar>());
  st = lenient.run("q");
  ASSERT_TRUE(st);
  EXPECT_TRUE(st->finalized);
  EXPECT_EQ(st->rounds_executed, 1);
}

TEST(consensus, runs_in_an_external_actor_system) {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  cc::consensus c{{"a", "b"},
                  [](const std::string& id, const request& req) {
                    return cc::make_ok(id, "same", 1, req.round);
                  },
                  quick_params()};
  c.system(sys);
  auto st = c.run("q");
  ASSERT_TRUE(st);
  EXPECT_TRUE(st->finalized);
  st = c.run("again");
  ASSERT_TRUE(st);
  EXPECT_EQ(st->prompt, "again");
}

TEST(consensus, the_polling_scheduler_sets_cafs_options_and_runs) {
  caf::actor_system_config cfg;
  cc::actors::use_polling_scheduler(cfg, 1234);
  EXPECT_EQ(caf::get_or(cfg, "scheduler.policy", caf::atom("none")),
            caf::atom("stealing"));
  EXPECT_EQ(caf::get_or(cfg, "work-stealing.aggressive-poll-attempts",
                        size_t{0}),
            1234u);
  caf::actor_system_config defaults;
  cc::actors::use_polling_scheduler(defaults);
  EXPECT_EQ(caf::get_or(defaults, "work-stealing.aggressive-poll-attempts",
                        size_t{0}),
            cc::actors::default_poll_attempts);
  // Runs on such a system give what they give on any other.
  caf::actor_system sys{cfg};
  auto execute = [](const std::string& id, const request& req) {
    return cc::make_ok(id, id + " answers " + std::to_string(req.round), 1,
                       req.round);
  };
  cc::consensus c{{"a", "b", "c"}, execute, quick_params()};
  c.system(sys);
  auto st = c.run("q");
  ASSERT_TRUE(st);
  cc::consensus private_system{{"a", "b", "c"}, execute, quick_params()};
  auto ref = private_system.run("q");
  ASSERT_TRUE(ref);
  EXPECT_EQ(caf::deep_to_string(*st), caf::deep_to_string(*ref));
  EXPECT_GE(st->calls, 6);
}

TEST(consensus, spawn_serves_callers_that_are_actors) {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  std::atomic<int> calls{0};
  cc::consensus c{{"a", "b", "c"},
                  [&](const std::string& id, const request& req) {
                    ++calls;
                    return cc::make_ok(id, "the answer", 3, req.round);
                  },
                  quick_params()};
  std::promise<state> result;
  auto fut = result.get_future();
  auto coord = c.spawn(sys);
  // The prompt travels as a spawn argument: CAF 0.17 dereferences a null
  // shared_ptr<tuple<>> when spawning a function without arguments.
  sys.spawn(
    [coord, &result](caf::event_based_actor* self, const std::string& q) {
      self->request(coord, caf::infinite, cc::actors::run_atom::value, q)
        .then(
          [=, &result](state& st) {
            result.set_value(std::move(st));
            // The coordinator takes its participants down with it.
            self->send_exit(coord, caf::exit_reason::user_shutdown);
          },
          [=, &result](caf::error& err) {
            result.set_exception(
              std::make_exception_ptr(std::runtime_error(cc::render(err))));
            self->send_exit(coord, caf::exit_reason::user_shutdown);
          });
    },
    std::string{"from an actor"});
  ASSERT_EQ(fut.wait_for(std::chrono::seconds{5}), std::future_status::ready);
  auto st = fut.get();
  EXPECT_EQ(st.prompt, "from an actor");
  EXPECT_TRUE(st.finalized);
  EXPECT_EQ(calls.load(), 6);
  // Leaving the scope destroys `sys`, which waits for every actor: it only
  // returns because the coordinator and its participants exited.
}
