// Tests: render names the error code and its context (suite render).

#include <gtest/gtest.h>

#include "caf/exit_reason.hpp"
#include "caf/sec.hpp"

#include "caf/consensus/error.hpp"

using namespace caf::consensus;

TEST(render, names_the_code_and_the_context) {
  EXPECT_EQ(render(caf::error{}), "no error");
  EXPECT_EQ(render(make_error(errc::busy, "coordinator is busy")),
            "busy: coordinator is busy");
  EXPECT_EQ(render(make_error(errc::invalid_params)), "invalid_params");
  EXPECT_EQ(render(caf::make_error(caf::sec::runtime_error, "boom")),
            "runtime_error: boom");
  EXPECT_EQ(render(caf::make_error(caf::exit_reason::kill)), "kill");
  EXPECT_EQ(render(caf::make_error(caf::exit_reason::user_shutdown)),
            "user_shutdown");
}
