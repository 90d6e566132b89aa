// Tests: child processes with /bin/sh: start failures, output, stderr,
// process groups, feeding input and killing the group (suite process).

#include <signal.h>

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/process.hpp"

#include "unit_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace caf::consensus::test;
using namespace std::chrono_literals;

TEST(process, reports_a_program_that_cannot_start) {
  auto p = process::spawn({"caf-consensus-no-such-program-xyz"});
  ASSERT_FALSE(p);
  EXPECT_NE(text_of(p.error()).find("cannot start "
                                    "'caf-consensus-no-such-program-xyz'"),
            std::string::npos)
    << text_of(p.error());
}

TEST(process, reads_output_keeps_stderr_and_ends_the_group) {
  auto p = process::spawn(
    {"/bin/sh", "-c", "echo out; echo err >&2; sleep 30 & wait"});
  ASSERT_TRUE(p) << text_of(p.error());
  auto out = p->read_some(in(5000ms));
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "out\n");
  // stderr is drained while waiting; give the shell time to write it.
  auto until = in(10s);
  while (p->stderr_tail().empty() && clock_type::now() < until)
    p->wait_until(in(20ms));
  EXPECT_EQ(p->stderr_tail(), "err\n");
  // Without ending the group, terminate would wait for `sleep 30`.
  auto t0 = clock_type::now();
  p->terminate(200ms);
  EXPECT_LT(clock_type::now() - t0, 15s);
  EXPECT_FALSE(p->running());
  EXPECT_NE(p->exit_description().find("signal"), std::string::npos)
    << p->exit_description();
}

TEST(process, pump_survives_a_child_that_stops_reading) {
  auto p = process::spawn(
    {"/bin/sh", "-c", "exec 0<&-; echo closed; sleep 0.3; echo done"});
  ASSERT_TRUE(p) << text_of(p.error());
  std::string data(8 << 20, 'y'); // far more than a pipe buffer
  std::string_view input = data;
  std::string out;
  std::string err;
  auto until = in(10s);
  while (!input.empty() && clock_type::now() < until)
    p->pump(input, out, err, 1 << 20, 20ms);
  // The writes failed with EPIPE (a SIGPIPE would have ended this test):
  // the rest of the input is dropped and stdin closed.
  EXPECT_TRUE(input.empty());
  while (p->pump(input, out, err, 1 << 20, 20ms) && clock_type::now() < until) {
    // read until end of file
  }
  EXPECT_EQ(out, "closed\ndone\n");
  EXPECT_EQ(err, "");
  EXPECT_TRUE(p->wait_until(until));
  EXPECT_EQ(p->exit_code(), 0);
  EXPECT_EQ(p->exit_signal(), std::nullopt);
}

TEST(process, kill_and_reap_ends_the_group_and_keeps_the_output) {
  auto p = process::spawn(
    {"/bin/sh", "-c", "echo before; echo ready >&2; sleep 30 & wait"});
  ASSERT_TRUE(p) << text_of(p.error());
  // stderr says when "before" sits in the stdout pipe.
  auto until = in(10s);
  while (p->stderr_tail() != "ready\n" && clock_type::now() < until)
    p->wait_until(in(20ms));
  ASSERT_EQ(p->stderr_tail(), "ready\n");
  auto t0 = clock_type::now();
  p->kill_and_reap();
  EXPECT_FALSE(p->running());
  EXPECT_EQ(p->exit_code(), std::nullopt);
  EXPECT_EQ(p->exit_signal(), SIGKILL);
  // The output is still there, and the sleep (which holds the pipes too)
  // died with the group: end of file comes at once.
  std::string_view input;
  std::string out;
  std::string err;
  while (p->pump(input, out, err, 3, 20ms) && clock_type::now() < until) {
    // read until end of file
  }
  EXPECT_EQ(out, "bef"); // capped at 3 bytes
  EXPECT_LT(clock_type::now() - t0, 5s);
}
