// Tests: subprocesses (input, output, deadlines, exit status, errors).

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/report/process.hpp"

using namespace caf::consensus;

TEST(process, feeds_input_captures_output_and_enforces_deadlines) {
  sim::process_options opts;
  opts.input = std::string(1 << 20, 'x'); // more than a pipe buffer
  auto cat = sim::run_process({"cat"}, opts);
  ASSERT_TRUE(cat) << render(cat.error());
  EXPECT_EQ(cat->status, 0);
  EXPECT_EQ(cat->out.size(), size_t{1} << 20);
  sim::process_options quick;
  quick.timeout_ms = 200;
  auto t0 = std::chrono::steady_clock::now();
  auto slow = sim::run_process({"sleep", "30"}, quick);
  auto secs
    = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
        .count();
  ASSERT_TRUE(slow);
  EXPECT_TRUE(slow->timed_out);
  EXPECT_LT(secs, 15.0); // the child would sleep 30 s; room for ASan
  auto status = sim::run_process({"sh", "-c", "echo oops >&2; exit 3"}, {});
  ASSERT_TRUE(status);
  EXPECT_EQ(status->status, 3);
  EXPECT_EQ(status->err, "oops\n");
  // A child that stops reading its input early does not kill this process.
  sim::process_options big;
  big.input = std::string(8 << 20, 'y');
  auto early = sim::run_process({"true"}, big);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 0);
  auto missing = sim::run_process({"no-such-program-caf-test"}, {});
  ASSERT_FALSE(missing);
  EXPECT_NE(render(missing.error()).find("not found"), std::string::npos);
}
