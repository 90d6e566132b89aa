// Tests: is_python_space, Python's str.isspace() (suite is_python_space).

#include <gtest/gtest.h>

#include <vector>

#include "caf/consensus/text/tokenizer.hpp"

#include "core/text/text_helpers.hpp"

using namespace caf::consensus::text;
using namespace caf::consensus::test;

namespace {

TEST(is_python_space, exactly_the_29_code_points_of_str_isspace) {
  ASSERT_EQ(python_spaces.size(), 29u);
  std::vector<char32_t> found;
  for (char32_t cp = 0; cp < 0x110000; ++cp)
    if (is_python_space(cp))
      found.push_back(cp);
  EXPECT_EQ(found, python_spaces);
  EXPECT_FALSE(is_python_space(0x200b)); // ZERO WIDTH SPACE
  EXPECT_FALSE(is_python_space(0xfeff)); // ZERO WIDTH NO-BREAK SPACE
  EXPECT_FALSE(is_python_space(0x180e)); // MONGOLIAN VOWEL SEPARATOR
}

} // namespace
