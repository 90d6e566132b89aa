// Tests: run_agents rejects bad input before contacting anyone (suite
// run_agents).

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/agent.hpp"
#include "caf/consensus/connectors/mcp_agent.hpp"
#include "caf/consensus/connectors/run.hpp"
#include "caf/consensus/error.hpp"

#include "unit_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace caf::consensus::test;

namespace {

/// Returns an MCP agent that runs `argv` over stdio.
mcp_agent command_agent(const std::string& id, std::vector<std::string> argv) {
  mcp_agent a;
  a.id = id;
  a.command = std::move(argv);
  return a;
}

} // namespace

TEST(run_agents, rejects_bad_input_before_contacting_anyone) {
  std::vector<agent_ptr> agents;
  agents.push_back(make_agent(command_agent("x", {"/bin/false"}), 1000));
  agents.push_back(make_agent(command_agent("x", {"/bin/false"}), 1000));
  auto st = run_agents("q", std::move(agents), params{});
  ASSERT_FALSE(st);
  EXPECT_NE(text_of(st.error()).find("appears twice"), std::string::npos);
  std::vector<agent_ptr> one;
  one.push_back(make_agent(command_agent("x", {"/bin/false"}), 1000));
  params ps;
  ps.policy = "no-such-policy";
  auto bad = run_agents("q", std::move(one), ps);
  ASSERT_FALSE(bad);
  EXPECT_NE(text_of(bad.error()).find("no-such-policy"), std::string::npos);
}

namespace {

/// An agent whose start-up takes `startup` and finds `setting` wrong (when
/// set); it answers `answer` at once and counts its calls.
class scripted_agent : public agent {
public:
  scripted_agent(std::string id, std::chrono::milliseconds startup,
                 std::string setting, std::atomic<int>& calls)
    : id_(std::move(id)),
      startup_(startup),
      setting_(std::move(setting)),
      calls_(calls) {
  }

  const std::string& id() const override {
    return id_;
  }

  std::string describe() const override {
    return "scripted";
  }

  readiness prepare(std::chrono::milliseconds) override {
    readiness r;
    std::this_thread::sleep_for(startup_);
    r.took = startup_;
    if (!setting_.empty()) {
      r.setting = setting_;
      r.err = make_error(errc::invalid_params, "no tool 'nope' here");
    }
    return r;
  }

  result execute(const request& req) override {
    ++calls_;
    return make_ok(id_, "the answer is 42", 1, req.round);
  }

private:
  std::string id_;
  std::chrono::milliseconds startup_;
  std::string setting_;
  std::atomic<int>& calls_;
};

} // namespace

TEST(run_agents, start_up_before_round_0_does_not_count_against_the_timeout) {
  // Three agents that each take 600 ms to start, with a 300 ms timeout per
  // call and round: they start at once, before round 0, and all answer.
  std::atomic<int> calls{0};
  std::vector<agent_ptr> agents;
  for (auto id : {"a", "b", "c"})
    agents.push_back(std::make_unique<scripted_agent>(
      id, std::chrono::milliseconds{600}, "", calls));
  std::mutex mtx;
  std::vector<std::string> ready;
  run_options opts;
  opts.startup_timeout = std::chrono::milliseconds{5000};
  opts.on_ready = [&](const std::string& id, const readiness& r) {
    std::lock_guard<std::mutex> guard{mtx};
    EXPECT_FALSE(r.err) << id;
    EXPECT_EQ(r.took.count(), 600) << id;
    ready.push_back(id);
  };
  // The round observer gets each round in numbers.
  std::vector<round_summary> rounds;
  opts.on_round = [&](const round_event& ev) { rounds.push_back(ev.summary); };
  params ps;
  ps.rounds = 1;
  ps.timeout_ms = 300;
  auto st = run_agents("q", std::move(agents), ps, std::move(opts));
  ASSERT_TRUE(st) << text_of(st.error());
  EXPECT_EQ(ready.size(), 3u);
  ASSERT_EQ(rounds.size(), static_cast<size_t>(st->rounds_executed) + 1);
  for (size_t r = 0; r < rounds.size(); ++r) {
    EXPECT_EQ(rounds[r].round, static_cast<int32_t>(r));
    EXPECT_EQ(rounds[r].live, 3u);
    EXPECT_EQ(rounds[r].calls, 3u);
    // Everybody says the same: all agree with the leader and each other.
    EXPECT_EQ(rounds[r].with_reference, 3u);
    EXPECT_EQ(rounds[r].with_plurality, 3u);
  }
  EXPECT_EQ(st->timeouts, 0);
  EXPECT_EQ(st->failures, 0);
  EXPECT_EQ(st->winner.empty(), false);
  EXPECT_GE(calls.load(), 3);
}

TEST(run_agents, a_misconfigured_agent_stops_the_run_before_round_0) {
  std::atomic<int> calls{0};
  std::vector<agent_ptr> agents;
  agents.push_back(std::make_unique<scripted_agent>(
    "good", std::chrono::milliseconds{0}, "", calls));
  agents.push_back(std::make_unique<scripted_agent>(
    "bad", std::chrono::milliseconds{0}, "tool", calls));
  auto st = run_agents("q", std::move(agents), params{});
  ASSERT_FALSE(st);
  auto text = text_of(st.error());
  EXPECT_NE(text.find("agent 'bad': no tool 'nope' here (fix the agent's "
                      "'tool' setting)"),
            std::string::npos)
    << text;
  EXPECT_EQ(text.find("'good'"), std::string::npos) << text;
  EXPECT_EQ(calls.load(), 0); // nobody was asked anything
}

TEST(run_agents, a_zero_start_up_timeout_skips_the_start_up) {
  std::atomic<int> calls{0};
  std::vector<agent_ptr> agents;
  agents.push_back(std::make_unique<scripted_agent>(
    "bad", std::chrono::milliseconds{0}, "tool", calls));
  run_options opts;
  opts.startup_timeout = std::chrono::milliseconds{0};
  params ps;
  ps.rounds = 0;
  auto st = run_agents("q", std::move(agents), ps, std::move(opts));
  ASSERT_TRUE(st) << text_of(st.error());
  EXPECT_EQ(calls.load(), 1);
}
