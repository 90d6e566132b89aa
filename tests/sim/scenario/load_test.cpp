// Tests: loading scenario files (missing files, directories, the hash).

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

#include "sim/scenario/scenario_files.hpp"

using namespace caf::consensus;
using namespace caf::consensus::sim;
using namespace caf::consensus::test;

namespace {

/// FNV-1a 64, independent of the implementation under test.
std::string fnv1a(const std::string& bytes) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx",
                static_cast<unsigned long long>(h));
  return buf;
}

} // namespace

TEST(scenario_load, missing_file) {
  auto path = data_dir + "/no-such-file.yaml";
  auto s = load_scenario(path);
  ASSERT_FALSE(s);
  EXPECT_EQ(render(s.error()), "malformed_input: " + path
                                 + ": cannot open: No such file or "
                                   "directory");
}

TEST(scenario_load, a_directory_is_not_a_scenario) {
  auto s = load_scenario(data_dir);
  ASSERT_FALSE(s);
  EXPECT_EQ(render(s.error()),
            "malformed_input: " + data_dir + ": cannot read: Is a directory");
}

TEST(scenario_load, hash_is_fnv1a_of_the_file_bytes) {
  EXPECT_EQ(fnv1a(""), "cbf29ce484222325");
  EXPECT_EQ(fnv1a("a"), "af63dc4c8601ec8c");
  auto path = good("quickstart.yaml");
  auto s = must_load(path);
  EXPECT_EQ(s.hash, fnv1a(slurp(path)));
  // Same text, same hash; one more byte, another hash.
  auto text = slurp(path);
  auto t = parse_scenario(text, "elsewhere.yaml");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->hash, s.hash);
  auto u = parse_scenario(text + "\n", "elsewhere.yaml");
  ASSERT_TRUE(u);
  EXPECT_NE(u->hash, s.hash);
  EXPECT_EQ(u->hash.size(), 16u);
}

TEST(scenario_load, memory_is_bounded_before_the_tree_is_built) {
  auto list = [](size_t n) {
    std::string out = base + "seeds: [";
    for (size_t i = 0; i < n; ++i)
      out += (i ? ", " : "") + std::to_string(i);
    return out + "]\n";
  };
  // 100,000 elements are fine; one more is refused, naming the line.
  EXPECT_EQ(must_parse(list(100000)).seeds.size(), 100000u);
  EXPECT_EQ(parse_error(list(100001)),
            "malformed_input: inline.yaml:4: too large: a list of more than "
            "100000 elements (a scenario file's limit; see "
            "docs/scenarios.md)");
  // 500,000 values in all, however they are spread.
  std::string many = base + "labels:\n";
  for (int i = 0; i < 260000; ++i)
    many += "  l" + std::to_string(i) + ": x\n";
  auto why = parse_error(many);
  EXPECT_NE(why.find(": too large: more than 500000 values in the file"),
            std::string::npos)
    << why;
}

TEST(scenario_load, problems_are_given_one_by_one) {
  scenario_problems xs;
  auto path = bad("unknown_param.yaml");
  auto s = load_scenario(path, max_scenario_file_bytes, &xs);
  ASSERT_FALSE(s);
  ASSERT_EQ(xs.shown.size(), 1u);
  EXPECT_EQ(xs.total, 1u);
  EXPECT_EQ("malformed_input: " + xs.shown[0], render(s.error()));
  // A file that cannot be read is one problem.
  s = load_scenario(data_dir + "/no-such-file.yaml", max_scenario_file_bytes,
                    &xs);
  ASSERT_FALSE(s);
  ASSERT_EQ(xs.shown.size(), 1u);
  EXPECT_EQ(xs.total, 1u);
  EXPECT_EQ("malformed_input: " + xs.shown[0], render(s.error()));
}

TEST(scenario_load, problems_are_counted_beyond_the_limit) {
  // 100,000 bad seeds: the first ones are kept, the others only counted.
  std::string text = base + "seeds: [";
  for (size_t i = 0; i < 100000; ++i)
    text += (i ? ", x" : "x");
  text += "]\n";
  scenario_problems xs;
  auto s = parse_scenario(text, "many.yaml", &xs);
  ASSERT_FALSE(s);
  EXPECT_EQ(xs.total, 100000u);
  ASSERT_EQ(xs.shown.size(), max_scenario_problems);
  EXPECT_EQ(xs.shown[0].compare(0, 32, "many.yaml:4: key 'seeds[0]': exp"), 0)
    << xs.shown[0];
  EXPECT_EQ(xs.shown[19].compare(0, 33, "many.yaml:4: key 'seeds[19]': exp"), 0)
    << xs.shown[19];
  auto msg = render(s.error());
  auto last = msg.substr(msg.rfind('\n') + 1);
  EXPECT_EQ(last, "many.yaml: ... and 99980 more problems");
}
