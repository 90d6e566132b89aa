// Tests: command lines split like a shell without running anything (suite
// command_line).

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/command_line.hpp"

#include "unit_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace caf::consensus::test;

TEST(command_line, splits_like_a_shell_without_running_anything) {
  auto argv = split_command("node 'my server.mjs' --answer \"It is 42\" a\\ b");
  ASSERT_TRUE(argv) << text_of(argv.error());
  std::vector<std::string> want{"node", "my server.mjs", "--answer", "It is 42",
                                "a b"};
  EXPECT_EQ(*argv, want);
  auto sub = split_command("echo $(rm -rf /)");
  ASSERT_FALSE(sub);
  EXPECT_NE(text_of(sub.error()).find("command substitution"),
            std::string::npos);
  auto op = split_command("a | b");
  ASSERT_FALSE(op);
  EXPECT_NE(text_of(op.error()).find("shell operator"), std::string::npos);
  auto undef = split_command("x $CAF_CONSENSUS_SURELY_UNDEFINED_VAR");
  ASSERT_FALSE(undef);
  EXPECT_NE(text_of(undef.error()).find("undefined"), std::string::npos);
  auto quote = split_command("x 'unbalanced");
  ASSERT_FALSE(quote);
  EXPECT_FALSE(split_command("   "));
}
