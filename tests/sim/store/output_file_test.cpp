// Tests: result files written atomically (temporary file, sync, rename),
// never onto an input, never through a planted symlink.

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/store/output_file.hpp"

namespace fs = std::filesystem;
using namespace caf::consensus;

namespace {

struct temp_dir {
  fs::path path;
  temp_dir() {
    auto tmpl
      = (fs::temp_directory_path() / "output_file_test-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const {
    return (path / name).string();
  }
};

std::string slurp(const std::string& p) {
  std::ifstream in{p, std::ios::binary};
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

void put(const std::string& p, const std::string& text) {
  std::ofstream{p, std::ios::binary} << text;
}

size_t entries(const fs::path& dir) {
  return static_cast<size_t>(
    std::distance(fs::directory_iterator{dir}, fs::directory_iterator{}));
}

} // namespace

TEST(output_file, the_target_changes_only_on_commit) {
  temp_dir d;
  put(d / "out.csv", "old\n");
  {
    auto f = sim::output_file::open(d / "out.csv");
    ASSERT_TRUE(f) << render(f.error());
    f->stream() << "new\n";
    EXPECT_EQ(slurp(d / "out.csv"), "old\n");
    EXPECT_EQ(entries(d.path), 2u); // the target and the temporary file
    ASSERT_FALSE(f->commit());
  }
  EXPECT_EQ(slurp(d / "out.csv"), "new\n");
  EXPECT_EQ(entries(d.path), 1u);
}

TEST(output_file, an_uncommitted_file_leaves_the_target_alone) {
  temp_dir d;
  put(d / "out.csv", "old\n");
  {
    auto f = sim::output_file::open(d / "out.csv");
    ASSERT_TRUE(f);
    f->stream() << std::string(1 << 20, 'x');
  }
  EXPECT_EQ(slurp(d / "out.csv"), "old\n");
  EXPECT_EQ(entries(d.path), 1u);
}

TEST(output_file, never_writes_onto_an_input) {
  temp_dir d;
  put(d / "results.db", "data");
  ASSERT_EQ(::link((d / "results.db").c_str(), (d / "hard.db").c_str()), 0);
  for (auto target : {d / "results.db", d / "hard.db"}) {
    auto f = sim::output_file::open(target, {d / "results.db"});
    ASSERT_FALSE(f) << target;
    EXPECT_NE(render(f.error()).find("refusing to write '" + target
                                     + "': it is the input '"
                                     + (d / "results.db") + "'"),
              std::string::npos)
      << render(f.error());
  }
  EXPECT_EQ(slurp(d / "results.db"), "data");
}

TEST(output_file, replaces_a_planted_symlink_instead_of_writing_through_it) {
  temp_dir d;
  put(d / "victim", "precious");
  fs::create_symlink(d / "victim", d / "runs.csv");
  ASSERT_FALSE(sim::write_file(d / "runs.csv", "runs\n"));
  EXPECT_EQ(slurp(d / "victim"), "precious");
  EXPECT_FALSE(fs::is_symlink(d / "runs.csv"));
  EXPECT_EQ(slurp(d / "runs.csv"), "runs\n");
}

TEST(output_file, refuses_folders_fifos_and_empty_names) {
  temp_dir d;
  fs::create_directory(d / "sub");
  ASSERT_EQ(::mkfifo((d / "fifo").c_str(), 0600), 0);
  auto a = sim::output_file::open(d / "sub");
  ASSERT_FALSE(a);
  EXPECT_NE(render(a.error()).find("it is a folder"), std::string::npos);
  auto b = sim::output_file::open(d / "fifo");
  ASSERT_FALSE(b);
  EXPECT_NE(render(b.error()).find("not a regular file"), std::string::npos);
  auto c = sim::output_file::open("");
  ASSERT_FALSE(c);
  auto e = sim::output_file::open(d / "missing/out.csv");
  ASSERT_FALSE(e);
  EXPECT_NE(render(e.error()).find("No such file or directory"),
            std::string::npos)
    << render(e.error());
}

TEST(output_file, a_failed_write_names_the_file_and_keeps_the_old_one) {
  temp_dir d;
  put(d / "out.csv", "old\n");
  // Writes beyond 64 KiB fail with EFBIG, as a full disk fails with ENOSPC.
  struct rlimit old_limit;
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old_limit;
  small.rlim_cur = 64 * 1024;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  auto err = sim::write_file(d / "out.csv", std::string(1 << 20, 'x'));
  ::setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);
  ASSERT_TRUE(err);
  EXPECT_NE(
    render(err).find("cannot write '" + (d / "out.csv") + "': File too large"),
    std::string::npos)
    << render(err);
  EXPECT_EQ(slurp(d / "out.csv"), "old\n");
  EXPECT_EQ(entries(d.path), 1u);
}
