// Tests: programs run to completion (run_process): input, output, deadlines,
// exit status, process groups and errors (suite run_process).

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/run_process.hpp"

#include "unit_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace caf::consensus::test;

namespace {

/// Returns whether `pid` is a live process (neither gone nor a zombie).
bool alive(pid_t pid) {
  std::ifstream stat{"/proc/" + std::to_string(pid) + "/stat"};
  std::string line;
  if (!std::getline(stat, line))
    return false;
  auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size()
         && line[close + 2] != 'Z' && line[close + 2] != 'X';
}

} // namespace

TEST(run_process, feeds_input_captures_output_and_enforces_deadlines) {
  process_options opts;
  opts.input = std::string(1 << 20, 'x'); // more than a pipe buffer
  auto cat = run_process({"cat"}, opts);
  ASSERT_TRUE(cat) << text_of(cat.error());
  EXPECT_EQ(cat->status, 0);
  EXPECT_EQ(cat->out.size(), size_t{1} << 20);
  process_options quick;
  quick.timeout_ms = 200;
  auto t0 = std::chrono::steady_clock::now();
  auto slow = run_process({"sleep", "30"}, quick);
  auto secs
    = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
        .count();
  ASSERT_TRUE(slow);
  EXPECT_TRUE(slow->timed_out);
  EXPECT_LT(secs, 15.0); // the child would sleep 30 s; room for ASan
  EXPECT_EQ(slow->status, -1);
  EXPECT_EQ(slow->signal, SIGKILL);
  auto status = run_process({"sh", "-c", "echo oops >&2; exit 3"}, {});
  ASSERT_TRUE(status);
  EXPECT_EQ(status->status, 3);
  EXPECT_EQ(status->signal, 0);
  EXPECT_FALSE(status->timed_out);
  EXPECT_EQ(status->err, "oops\n");
  // A child that stops reading its input early does not kill this process.
  process_options big;
  big.input = std::string(8 << 20, 'y');
  auto early = run_process({"true"}, big);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 0);
  auto missing = run_process({"no-such-program-caf-test"}, {});
  ASSERT_FALSE(missing);
  EXPECT_NE(text_of(missing.error()).find("not found"), std::string::npos);
}

TEST(run_process, survives_a_child_that_closes_its_input_and_lives_on) {
  // The child is still running when the writes fail: EPIPE (and a SIGPIPE
  // that must not end this process) on every run, not only when `true` wins
  // the race against the first write.
  process_options big;
  big.input = std::string(8 << 20, 'y');
  auto res = run_process({"sh", "-c", "exec 0<&-; sleep 0.3; echo done"}, big);
  ASSERT_TRUE(res) << text_of(res.error());
  EXPECT_EQ(res->status, 0);
  EXPECT_EQ(res->out, "done\n");
}

TEST(run_process, caps_output_and_reports_signals) {
  process_options opts;
  opts.max_output = 1000;
  auto res = run_process(
    {"sh", "-c", "head -c 100000 /dev/zero; head -c 5000 /dev/zero >&2"}, opts);
  ASSERT_TRUE(res) << text_of(res.error());
  EXPECT_EQ(res->status, 0); // the rest was read: no SIGPIPE, no deadlock
  EXPECT_EQ(res->out, std::string(1000, '\0'));
  EXPECT_EQ(res->err, std::string(1000, '\0'));
  auto killed = run_process({"sh", "-c", "kill -TERM $$"}, {});
  ASSERT_TRUE(killed) << text_of(killed.error());
  EXPECT_EQ(killed->status, -1);
  EXPECT_EQ(killed->signal, SIGTERM);
  EXPECT_FALSE(killed->timed_out);
}

TEST(run_process, ends_what_the_program_left_behind) {
  // `sleep 30` keeps stdout open and outlives the shell; the call returns
  // once the shell exits and takes the sleep with it.
  auto t0 = std::chrono::steady_clock::now();
  auto res = run_process({"sh", "-c", "sleep 30 & echo $!"}, {});
  auto secs
    = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
        .count();
  ASSERT_TRUE(res) << text_of(res.error());
  EXPECT_EQ(res->status, 0);
  EXPECT_LT(secs, 15.0);
  // SIGKILL takes effect asynchronously: give the kernel a moment.
  auto pid = std::stoi(res->out);
  auto until = in(std::chrono::seconds{5});
  while (alive(pid) && connectors::clock_type::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  EXPECT_FALSE(alive(pid)) << "the background sleep " << pid << " survived";
}

TEST(run_process, passes_the_environment_and_finds_programs) {
  process_options opts;
  opts.env["CAF_CONSENSUS_RUN_PROCESS_TEST"] = "hello";
  auto res = run_process(
    {"sh", "-c", "printf %s \"$CAF_CONSENSUS_RUN_PROCESS_TEST\""}, opts);
  ASSERT_TRUE(res) << text_of(res.error());
  EXPECT_EQ(res->out, "hello");
  auto sh = find_program("sh");
  ASSERT_FALSE(sh.empty());
  EXPECT_EQ(sh.front(), '/');
  EXPECT_EQ(find_program(sh), sh);
  EXPECT_EQ(find_program("no-such-program-caf-test"), "");
  EXPECT_EQ(find_program("/no/such/dir/sh"), "");
  EXPECT_EQ(find_program("/tmp"), ""); // a directory is no program
  EXPECT_EQ(find_program(""), "");
  auto empty = run_process({}, {});
  ASSERT_FALSE(empty);
  EXPECT_NE(text_of(empty.error()).find("empty command"), std::string::npos);
}
