// Tests: child processes with /bin/sh: start failures, output, stderr and
// process groups (suite process).

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
