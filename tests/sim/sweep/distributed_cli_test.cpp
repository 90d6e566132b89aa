// Tests: real `consensus-sim worker` and `run` processes: equal results,
// a killed, hung or late worker, the shared secret, TLS, garbage messages,
// and `run --out` / `--resume` after SIGKILL (suite distributed_cli).

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "caf/consensus/sim/store/store.hpp"
#include "sim/sweep/distributed_helpers.hpp"
#include "support/process.hpp"

using namespace caf::consensus;
using namespace caf::consensus::sim::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using test_util::process;

namespace {

const std::string binary = CONSENSUS_SIM_BIN;

// -- process fixture ----------------------------------------------------------

class distributed_cli : public ::testing::Test {
protected:
  void SetUp() override {
    dir = test_util::temp_dir("dist");
    ASSERT_FALSE(dir.empty());
  }

  void TearDown() override {
    procs.clear(); // SIGKILLs whatever still runs
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  std::string path(const std::string& name) const {
    return (fs::path{dir} / name).string();
  }

  /// Starts `consensus-sim ARGS...`.
  process& start(const std::string& tag, std::vector<std::string> args,
                 std::vector<std::pair<std::string, std::string>> env = {},
                 std::vector<std::string> unset = {"CONSENSUS_SECRET"}) {
    args.insert(args.begin(), binary);
    procs.push_back(std::make_unique<process>(
      std::move(args), path(tag), std::move(env), std::move(unset)));
    return *procs.back();
  }

  /// Starts a worker and returns its port (0 on failure).
  uint16_t
  start_worker(const std::string& tag, std::vector<std::string> extra = {},
               const std::string& key = secret, process** handle = nullptr) {
    std::vector<std::string> args{"worker", "--listen", "127.0.0.1:0",
                                  "--threads", "1"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto& p = start(tag, args, {{"CONSENSUS_SECRET", key}}, {});
    if (handle != nullptr)
      *handle = &p;
    return wait_for_port(p);
  }

  static uint16_t wait_for_port(process& p) {
    // Require what follows the port: the line may be read in pieces.
    static const std::regex re{"listening on 127\\.0\\.0\\.1:([0-9]+)[ \\n]"};
    uint16_t port = 0;
    test_util::eventually(10s, [&] {
      std::smatch m;
      auto out = p.out();
      if (std::regex_search(out, m, re)) {
        port = static_cast<uint16_t>(std::stoi(m[1]));
        return true;
      }
      return !p.running();
    });
    return port;
  }

  /// Stored runs in DIR (0 while the store does not exist yet).
  static uint64_t stored(const std::string& d) {
    if (!sim::results_store::exists(d))
      return 0;
    auto st = sim::results_store::open(d);
    if (!st)
      return 0;
    auto n = st->count();
    return n ? *n : 0;
  }

  std::string dir;
  std::vector<std::unique_ptr<process>> procs;
};

/// The sweep of the process tests: quickstart, 4 cells x R replicates.
std::string quickstart() {
  return scenarios + "/quickstart.yaml";
}

std::string reference_csv(uint64_t replicates) {
  return local_csv(load("quickstart.yaml", replicates));
}

std::string ports_arg(std::vector<uint16_t> ports) {
  std::string out;
  for (auto p : ports)
    out += (out.empty() ? "" : ",") + std::string{"127.0.0.1:"}
           + std::to_string(p);
  return out;
}

} // namespace

// -- real processes -----------------------------------------------------------

TEST_F(distributed_cli, two_worker_processes_equal_a_local_run) {
  auto p1 = start_worker("w1");
  auto p2 = start_worker("w2");
  ASSERT_NE(p1, 0);
  ASSERT_NE(p2, 0);
  auto& coord
    = start("coord",
            {"run", quickstart(), "-r", "300", "--out", path("d"), "--threads",
             "0", "--workers", ports_arg({p1, p2}), "--quiet", "--batch", "16"},
            {{"CONSENSUS_SECRET", secret}}, {});
  auto rc = coord.wait(60s);
  ASSERT_TRUE(rc) << "coordinator hangs";
  ASSERT_EQ(*rc, 0) << coord.err();
  EXPECT_EQ(test_util::slurp(path("d/runs.csv")), reference_csv(300));
  auto out = coord.out();
  EXPECT_TRUE(std::regex_search(
    out,
    std::regex{"127\\.0\\.0\\.1:" + std::to_string(p1) + " +1 +[1-9][0-9]* "}))
    << out;
  EXPECT_TRUE(std::regex_search(
    out,
    std::regex{"127\\.0\\.0\\.1:" + std::to_string(p2) + " +1 +[1-9][0-9]* "}))
    << out;
  // export and summarize read the store.
  auto& ex = start("export", {"export", path("d"), "--format", "jsonl"});
  ASSERT_EQ(ex.wait(30s), 0) << ex.err();
  EXPECT_EQ(ex.out(), test_util::slurp(path("d/runs.jsonl")));
  auto& sm = start("summarize", {"summarize", path("d")});
  ASSERT_EQ(sm.wait(30s), 0) << sm.err();
  EXPECT_TRUE(contains(sm.out(), "1200 of 1200 runs stored")) << sm.out();
  EXPECT_TRUE(contains(sm.out(), "How to read this"));
  auto& sj = start("summarize_jsonl",
                   {"summarize", path("d"), "--format", "jsonl"});
  ASSERT_EQ(sj.wait(30s), 0) << sj.err();
  EXPECT_EQ(sj.out(), test_util::slurp(path("d/summary.jsonl")));
  // Bad input to export and summarize: named, exit status 1 or 2.
  auto& none = start("none", {"export", path("nothing-here")});
  EXPECT_EQ(none.wait(30s), 1);
  EXPECT_TRUE(contains(none.err(), "no results store")) << none.err();
  auto& fmt = start("fmt", {"export", path("d"), "--format", "xml"});
  EXPECT_EQ(fmt.wait(30s), 2);
  EXPECT_TRUE(contains(fmt.err(), "--format must be")) << fmt.err();
  auto& agents = start("agents", {"export", path("d"), "--agents"});
  EXPECT_EQ(agents.wait(30s), 1);
  EXPECT_TRUE(contains(agents.err(), "no agent rows")) << agents.err();
  auto& both = start("both", {"export", path("d"), "--agents", "--rounds"});
  EXPECT_EQ(both.wait(30s), 2);
  EXPECT_TRUE(contains(both.err(), "--agents or --rounds")) << both.err();
  // The rounds from workers equal the rounds of a local run.
  auto& rounds = start("rounds", {"export", path("d"), "--rounds"});
  ASSERT_EQ(rounds.wait(30s), 0) << rounds.err();
  EXPECT_EQ(rounds.out(), local_rounds_csv(load("quickstart.yaml", 300)));
}

TEST_F(distributed_cli,
       killing_a_worker_mid_sweep_still_gives_identical_results) {
  process* w1 = nullptr;
  auto p1 = start_worker("w1", {}, secret, &w1);
  auto p2 = start_worker("w2");
  ASSERT_NE(p1, 0);
  ASSERT_NE(p2, 0);
  auto& coord
    = start("coord",
            {"run", quickstart(), "-r", "8000", "--out", path("d"), "--threads",
             "0", "--workers", ports_arg({p1, p2}), "--quiet"},
            {{"CONSENSUS_SECRET", secret}}, {});
  const uint64_t total = 32000;
  ASSERT_TRUE(test_util::eventually(60s, [&] {
    return stored(path("d")) >= total / 8 || !coord.running();
  }));
  auto at_kill = stored(path("d"));
  ASSERT_LT(at_kill, total) << "the sweep ended before the kill";
  w1->signal(SIGKILL);
  auto rc = coord.wait(90s);
  ASSERT_TRUE(rc) << "coordinator hangs";
  ASSERT_EQ(*rc, 0) << coord.err();
  EXPECT_EQ(test_util::slurp(path("d/runs.csv")), reference_csv(8000));
  auto err = coord.err();
  EXPECT_TRUE(contains(err, "127.0.0.1:" + std::to_string(p1) + " lost"))
    << err;
  EXPECT_TRUE(std::regex_search(
    coord.out(), std::regex{"127\\.0\\.0\\.1:" + std::to_string(p1)
                            + " .* lost: connection lost"}))
    << coord.out();
}

TEST_F(distributed_cli, a_hung_worker_loses_its_batches_after_the_deadline) {
  process* w1 = nullptr;
  auto p1 = start_worker("w1", {}, secret, &w1);
  auto p2 = start_worker("w2");
  ASSERT_NE(p1, 0);
  ASSERT_NE(p2, 0);
  auto& coord = start("coord",
                      {"run", quickstart(), "-r", "6000", "--out", path("d"),
                       "--threads", "0", "--workers", ports_arg({p1, p2}),
                       "--batch-timeout", "1", "--quiet"},
                      {{"CONSENSUS_SECRET", secret}}, {});
  ASSERT_TRUE(test_util::eventually(60s, [&] {
    return stored(path("d")) >= 3000 || !coord.running();
  }));
  ASSERT_TRUE(coord.running()) << "the sweep ended before the hang";
  w1->signal(SIGSTOP);
  auto rc = coord.wait(90s);
  w1->signal(SIGCONT);
  ASSERT_TRUE(rc) << "coordinator hangs";
  ASSERT_EQ(*rc, 0) << coord.err();
  EXPECT_EQ(test_util::slurp(path("d/runs.csv")), reference_csv(6000));
  EXPECT_TRUE(contains(coord.err(), "no reply within 1 s")) << coord.err();
}

TEST_F(distributed_cli, a_worker_that_starts_late_gets_work) {
  auto p1 = start_worker("w1");
  ASSERT_NE(p1, 0);
  auto p2 = free_port();
  auto& coord = start("coord",
                      {"run", quickstart(), "-r", "6000", "--out", path("d"),
                       "--threads", "0", "--workers", ports_arg({p1, p2}),
                       "--retry-interval", "0.1", "--quiet"},
                      {{"CONSENSUS_SECRET", secret}}, {});
  ASSERT_TRUE(test_util::eventually(60s, [&] {
    return stored(path("d")) >= 1000 || !coord.running();
  }));
  ASSERT_TRUE(coord.running()) << "the sweep ended before the late worker";
  auto& late = start("w2",
                     {"worker", "--listen", "127.0.0.1:" + std::to_string(p2),
                      "--threads", "1"},
                     {{"CONSENSUS_SECRET", secret}}, {});
  ASSERT_EQ(wait_for_port(late), p2) << late.err();
  auto rc = coord.wait(90s);
  ASSERT_TRUE(rc) << "coordinator hangs";
  ASSERT_EQ(*rc, 0) << coord.err();
  EXPECT_EQ(test_util::slurp(path("d/runs.csv")), reference_csv(6000));
  EXPECT_TRUE(
    contains(coord.err(), "127.0.0.1:" + std::to_string(p2) + " joined"))
    << coord.err();
  // Its line in the worker table: 1 thread, some runs, joined once.
  EXPECT_TRUE(std::regex_search(
    coord.out(), std::regex{"127\\.0\\.0\\.1:" + std::to_string(p2)
                            + " +1 +[1-9][0-9]* +[0-9]+ +[0-9.]+ +[0-9]+ +1 "}))
    << coord.out();
}

TEST_F(distributed_cli, wrong_or_missing_secrets_are_refused) {
  auto port = start_worker("w1");
  ASSERT_NE(port, 0);
  auto workers = "127.0.0.1:" + std::to_string(port);
  // A wrong secret: refused, named, never shown.
  auto& wrong = start("wrong",
                      {"run", quickstart(), "-r", "5", "--threads", "0",
                       "--workers", workers, "--quiet"},
                      {{"CONSENSUS_SECRET", other_secret}}, {});
  auto rc = wrong.wait(30s);
  ASSERT_TRUE(rc);
  EXPECT_EQ(*rc, 1);
  EXPECT_TRUE(contains(wrong.err(), "shared secret does not match"))
    << wrong.err();
  // The same from a file.
  auto file = path("secret.txt");
  {
    std::ofstream f{file};
    f << other_secret << '\n';
  }
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
  auto& wrong_file = start(
    "wrong_file", {"run", quickstart(), "-r", "5", "--threads", "0",
                   "--workers", workers, "--secret-file", file, "--quiet"});
  EXPECT_EQ(wrong_file.wait(30s), 1);
  EXPECT_TRUE(contains(wrong_file.err(), "refused")) << wrong_file.err();
  // No secret at all.
  auto& missing = start("missing", {"run", quickstart(), "-r", "5", "--workers",
                                    workers, "--quiet"});
  EXPECT_EQ(missing.wait(30s), 2);
  EXPECT_TRUE(contains(missing.err(), "no shared secret")) << missing.err();
  // On the command line: refused before anything else.
  auto& cli = start("cli", {"run", quickstart(), "--workers", workers,
                            "--secret", other_secret});
  EXPECT_EQ(cli.wait(30s), 2);
  EXPECT_TRUE(contains(cli.err(), "--secret is refused")) << cli.err();
  auto& wcli = start("wcli", {"worker", "--secret", other_secret});
  EXPECT_EQ(wcli.wait(30s), 2);
  auto& wnone = start("wnone", {"worker", "--listen", "127.0.0.1:0"});
  EXPECT_EQ(wnone.wait(30s), 2);
  EXPECT_TRUE(contains(wnone.err(), "no shared secret")) << wnone.err();
  // The worker logged the refusals, and nobody printed a secret.
  EXPECT_TRUE(contains(procs[0]->err(), "wrong shared secret"))
    << procs[0]->err();
  for (auto& p : procs) {
    auto all = p->out() + p->err();
    EXPECT_FALSE(contains(all, secret));
    EXPECT_FALSE(contains(all, other_secret));
  }
}

TEST_F(distributed_cli, an_interrupted_sweep_resumes_to_identical_results) {
  const uint64_t total = 4 * 6000;
  auto& first = start("first", {"run", quickstart(), "-r", "6000", "--out",
                                path("d"), "--threads", "1", "--quiet"});
  ASSERT_TRUE(test_util::eventually(60s, [&] {
    return stored(path("d")) >= total / 8 || !first.running();
  }));
  ASSERT_TRUE(first.running()) << "the sweep ended before the kill";
  first.signal(SIGKILL);
  ASSERT_EQ(first.wait(10s), 128 + SIGKILL);
  auto before = stored(path("d"));
  EXPECT_GT(before, 0u);
  EXPECT_LT(before, total);
  // Without --resume the store is protected.
  auto& again = start("again", {"run", quickstart(), "-r", "6000", "--out",
                                path("d"), "--quiet"});
  EXPECT_EQ(again.wait(30s), 1);
  EXPECT_TRUE(contains(again.err(), "--resume")) << again.err();
  // A different scenario (or replicates) cannot resume into it.
  auto& other = start("other", {"run", scenarios + "/voter-model.yaml", "--out",
                                path("d"), "--resume", "--quiet"});
  EXPECT_EQ(other.wait(30s), 1);
  EXPECT_TRUE(contains(other.err(), "different scenario")) << other.err();
  auto& reps = start("reps", {"run", quickstart(), "-r", "6001", "--out",
                              path("d"), "--resume", "--quiet"});
  EXPECT_EQ(reps.wait(30s), 1);
  EXPECT_TRUE(contains(reps.err(), "replicates")) << reps.err();
  EXPECT_EQ(stored(path("d")), before);
  // Resume (another engine and thread count: results do not depend on it).
  auto& resumed = start("resumed", {"run", quickstart(), "-r", "6000", "--out",
                                    path("d"), "--resume", "--threads", "2",
                                    "--engine", "inline", "--quiet"});
  auto rc = resumed.wait(90s);
  ASSERT_TRUE(rc);
  ASSERT_EQ(*rc, 0) << resumed.err();
  auto out = resumed.out();
  EXPECT_TRUE(contains(out, std::to_string(before) + " of "
                              + std::to_string(total) + " runs stored, "
                              + std::to_string(total - before) + " to run"))
    << out;
  EXPECT_TRUE(contains(out, std::to_string(total - before) + " runs in "))
    << out;
  EXPECT_EQ(stored(path("d")), total);
  // Byte for byte what an uninterrupted sweep writes.
  auto& whole = start("whole", {"run", quickstart(), "-r", "6000", "--out",
                                path("ref"), "--engine", "inline", "--quiet"});
  ASSERT_EQ(whole.wait(90s), 0) << whole.err();
  for (auto f : {"runs.csv", "runs.jsonl", "summary.csv", "summary.jsonl"})
    EXPECT_EQ(test_util::slurp(path("d/") + f),
              test_util::slurp(path("ref/") + f))
      << f;
  EXPECT_EQ(test_util::slurp(path("d/runs.csv")), reference_csv(6000));
  auto& ex = start("export", {"export", path("d")});
  ASSERT_EQ(ex.wait(30s), 0);
  EXPECT_EQ(ex.out(), test_util::slurp(path("ref/runs.csv")));
  // The per-round data too, in both formats.
  for (auto fmt : {"csv", "jsonl"}) {
    auto& got = start(std::string{"rounds_d_"} + fmt,
                      {"export", path("d"), "--rounds", "--format", fmt});
    auto& want = start(std::string{"rounds_ref_"} + fmt,
                       {"export", path("ref"), "--rounds", "--format", fmt});
    ASSERT_EQ(got.wait(60s), 0) << got.err();
    ASSERT_EQ(want.wait(60s), 0) << want.err();
    EXPECT_GT(got.out().size(), 100000u) << fmt;
    EXPECT_EQ(got.out(), want.out()) << fmt;
  }
}

TEST_F(distributed_cli, tls_workers_take_tls_coordinators_only) {
  auto openssl = [&](const std::string& args) {
    auto cmd = "cd '" + dir + "' && openssl " + args + " >/dev/null 2>&1";
    return std::system(cmd.c_str()) == 0;
  };
  auto make_cert = [&](const std::string& name, const std::string& ca) {
    return openssl("req -newkey rsa:2048 -nodes -keyout " + name + ".key -out "
                   + name + ".csr -subj /CN=" + name)
           && openssl("x509 -req -in " + name + ".csr -CA " + ca
                      + ".pem -CAkey " + ca + ".key -CAcreateserial -out "
                      + name + ".pem -days 2");
  };
  ASSERT_TRUE(openssl("req -x509 -newkey rsa:2048 -nodes -keyout ca.key "
                      "-out ca.pem -days 2 -subj /CN=test-ca"));
  ASSERT_TRUE(openssl("req -x509 -newkey rsa:2048 -nodes -keyout evil.key "
                      "-out evil.pem -days 2 -subj /CN=evil-ca"));
  ASSERT_TRUE(make_cert("worker", "ca"));
  ASSERT_TRUE(make_cert("coord", "ca"));
  ASSERT_TRUE(make_cert("mallory", "evil"));
  auto tls = [&](const std::string& who, const std::string& ca) {
    return std::vector<std::string>{"--tls-cert", path(who + ".pem"),
                                    "--tls-key",  path(who + ".key"),
                                    "--tls-ca",   path(ca + ".pem")};
  };
  auto port = start_worker("w1", tls("worker", "ca"));
  ASSERT_NE(port, 0) << procs.back()->err();
  EXPECT_TRUE(contains(procs.back()->out(), "TLS on"));
  auto run_args = [&](const std::string& out) {
    return std::vector<std::string>{"run",
                                    quickstart(),
                                    "-r",
                                    "50",
                                    "--out",
                                    path(out),
                                    "--threads",
                                    "0",
                                    "--workers",
                                    "127.0.0.1:" + std::to_string(port),
                                    "--stall-timeout",
                                    "1.5",
                                    "--quiet"};
  };
  auto good_args = run_args("good");
  for (auto& x : tls("coord", "ca"))
    good_args.push_back(x);
  auto& good = start("good", good_args, {{"CONSENSUS_SECRET", secret}}, {});
  ASSERT_EQ(good.wait(60s), 0) << good.err();
  EXPECT_EQ(test_util::slurp(path("good/runs.csv")), reference_csv(50));
  // Without TLS, or with a certificate of another CA: no connection.
  auto& plain = start("plain", run_args("plain"),
                      {{"CONSENSUS_SECRET", secret}}, {});
  EXPECT_EQ(plain.wait(60s), 1);
  EXPECT_TRUE(contains(plain.err(), "cannot connect")) << plain.err();
  auto evil_args = run_args("evil");
  for (auto& x : tls("mallory", "evil"))
    evil_args.push_back(x);
  auto& evil = start("evil", evil_args, {{"CONSENSUS_SECRET", secret}}, {});
  EXPECT_EQ(evil.wait(60s), 1);
  EXPECT_TRUE(contains(evil.err(), "cannot connect")) << evil.err();
  // Half a TLS configuration is an error up front.
  auto& half = start("half", {"worker", "--tls-cert", path("worker.pem")},
                     {{"CONSENSUS_SECRET", secret}}, {});
  EXPECT_EQ(half.wait(30s), 2);
  EXPECT_TRUE(contains(half.err(), "missing: --tls-key, --tls-ca"))
    << half.err();
}

TEST_F(distributed_cli, a_worker_survives_garbage_and_oversized_messages) {
  process* w = nullptr;
  auto port = start_worker("w1", {}, secret, &w);
  ASSERT_NE(port, 0);
  std::vector<int> fds;
  std::mt19937 gen{42};
  for (int i = 0; i < 4; ++i) {
    std::string junk(8192, '\0');
    for (auto& c : junk)
      c = static_cast<char>(gen());
    fds.push_back(send_raw(port, junk));
  }
  for (int i = 0; i < 4; ++i)
    fds.push_back(
      send_raw(port, basp_header(0x01, 0xFFFFFFF0u) + std::string(4096, '\0')));
  ASSERT_TRUE(test_util::eventually(
    10s, [&] { return contains(w->err(), "oversized client handshake"); }))
    << w->err();
  EXPECT_TRUE(w->running());
  EXPECT_LT(test_util::rss_kb(w->pid()), 300 * 1024);
  for (auto fd : fds)
    if (fd >= 0)
      ::close(fd);
  auto& coord
    = start("coord",
            {"run", quickstart(), "-r", "50", "--out", path("d"), "--threads",
             "0", "--workers", ports_arg({port}), "--quiet"},
            {{"CONSENSUS_SECRET", secret}}, {});
  ASSERT_EQ(coord.wait(60s), 0) << coord.err();
  EXPECT_EQ(test_util::slurp(path("d/runs.csv")), reference_csv(50));
}

TEST_F(distributed_cli, a_killed_worker_restarted_at_once_binds_its_port) {
  process* w = nullptr;
  auto port = start_worker("w1", {}, secret, &w);
  ASSERT_NE(port, 0);
  // A coordinator at work: the kill leaves the worker's connections on its
  // port in TIME_WAIT, which blocks a plain bind() for a while.
  auto& coord
    = start("coord",
            {"run", quickstart(), "-r", "2000", "--out", path("d"), "--threads",
             "0", "--workers", ports_arg({port}), "--quiet"},
            {{"CONSENSUS_SECRET", secret}}, {});
  ASSERT_TRUE(test_util::eventually(60s, [&] {
    return stored(path("d")) > 0 || !coord.running();
  }));
  ASSERT_TRUE(coord.running()) << "the sweep ended before the kill";
  w->signal(SIGKILL);
  ASSERT_TRUE(w->wait(10s));
  auto& again = start("w1-again",
                      {"worker", "--listen",
                       "127.0.0.1:" + std::to_string(port), "--threads", "1"},
                      {{"CONSENSUS_SECRET", secret}}, {});
  EXPECT_EQ(wait_for_port(again), port) << again.err();
  // The coordinator reconnects and finishes on the restarted worker (8,000
  // runs on one thread: minutes under the sanitizers).
  auto rc = coord.wait(240s);
  ASSERT_TRUE(rc) << "coordinator hangs";
  ASSERT_EQ(*rc, 0) << coord.err();
  EXPECT_EQ(test_util::slurp(path("d/runs.csv")), reference_csv(2000));
}
