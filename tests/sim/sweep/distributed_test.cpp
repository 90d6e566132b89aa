// Parallel and distributed sweeps: worker pools, remote workers over
// loopback (in this process and as real `consensus-sim worker` processes),
// failures (a killed or hung worker, a late one), the shared secret, TLS,
// malformed input, and `run --out` / `--resume` after SIGKILL.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <regex>
#include <thread>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/io/middleman.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/store/store.hpp"
#include "caf/consensus/sim/sweep/auth.hpp"
#include "caf/consensus/sim/sweep/distributed.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"
#include "caf/consensus/sim/sweep/sweep_messages.hpp"
#include "caf/consensus/sim/version.hpp"
#include "support/process.hpp"

using namespace caf::consensus;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using test_util::process;

namespace {

const std::string scenarios = CAF_CONSENSUS_SCENARIOS;
const std::string binary = CONSENSUS_SIM_BIN;
const std::string secret = "0123456789abcdef-test-secret-A";
const std::string other_secret = "fedcba9876543210-test-secret-B";

sim::scenario load(const std::string& name, uint64_t replicates) {
  auto sc = sim::load_scenario(scenarios + "/" + name);
  if (!sc)
    throw std::runtime_error(render(sc.error()));
  sc->replicates = replicates;
  return *sc;
}

std::string msg(const caf::error& err) {
  return sim::render_sweep_error(err);
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

/// runs.csv of a sweep computed here, locally.
std::string local_csv(const sim::scenario& s, bool agent_rows = false) {
  std::string out = sim::runs_csv_header() + "\n";
  sim::sweep_options opts;
  opts.engine = sim::engine_kind::inline_calls;
  opts.threads = 2;
  opts.agent_rows = agent_rows;
  opts.on_run = [&](const sim::run_metrics& m) {
    out += sim::to_csv(m) + "\n";
    if (agent_rows)
      out += sim::agents_csv(m);
  };
  if (auto err = sim::run_sweep(s, opts))
    throw std::runtime_error(msg(err));
  return out;
}

std::unique_ptr<sim::worker_node> start_node(const std::string& key,
                                             size_t threads = 1) {
  sim::worker_node_options opts;
  opts.threads = threads;
  opts.secret = key;
  auto node = sim::worker_node::start(opts);
  if (!node)
    throw std::runtime_error(msg(node.error()));
  return std::move(*node);
}

std::shared_ptr<sim::remote_options> remotes(std::vector<uint16_t> ports,
                                             const std::string& key = secret) {
  auto ro = std::make_shared<sim::remote_options>();
  for (auto p : ports)
    ro->workers.push_back(sim::endpoint{"127.0.0.1", p});
  ro->secret = key;
  ro->stall_timeout = 10s;
  return ro;
}

/// Reserves a free loopback port (bind, read, close).
uint16_t free_port() {
  auto fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

/// Sends raw bytes to 127.0.0.1:port; returns the socket (caller closes).
int send_raw(uint16_t port, const std::string& bytes) {
  auto fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  return fd;
}

/// A BASP header announcing `payload_len` bytes (network byte order).
std::string basp_header(uint8_t op, uint32_t payload_len) {
  std::string h(32, '\0');
  h[0] = static_cast<char>(op);
  h[4] = static_cast<char>(payload_len >> 24);
  h[5] = static_cast<char>(payload_len >> 16);
  h[6] = static_cast<char>(payload_len >> 8);
  h[7] = static_cast<char>(payload_len);
  h[31] = 1; // dest actor 1
  return h;
}

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

// -- endpoints and credentials ------------------------------------------------

TEST(distributed_config, endpoints_parse_and_bad_ones_are_named) {
  auto ep = sim::parse_endpoint("10.0.0.7:4270", "127.0.0.1");
  ASSERT_TRUE(ep);
  EXPECT_EQ(ep->host, "10.0.0.7");
  EXPECT_EQ(ep->port, 4270);
  ep = sim::parse_endpoint("4271", "127.0.0.1");
  ASSERT_TRUE(ep);
  EXPECT_EQ(sim::to_string(*ep), "127.0.0.1:4271");
  ep = sim::parse_endpoint("[::1]:80", "127.0.0.1");
  ASSERT_TRUE(ep);
  EXPECT_EQ(ep->host, "::1");
  EXPECT_EQ(sim::to_string(*ep), "[::1]:80");
  EXPECT_TRUE(sim::parse_endpoint("127.0.0.1:0", "x", true));
  for (auto bad : {"", "host:", ":80", "host:0", "host:65536", "host:12a",
                   "::1:80", "[::1]80", "[::1", "ho st:80", "h:-1"}) {
    auto x = sim::parse_endpoint(bad, "127.0.0.1");
    ASSERT_FALSE(x) << bad;
    EXPECT_TRUE(contains(msg(x.error()), "invalid address")) << bad;
  }
  auto xs = sim::parse_endpoints("a:1,b:2");
  ASSERT_TRUE(xs);
  EXPECT_EQ(xs->size(), 2u);
  EXPECT_TRUE(
    contains(msg(sim::parse_endpoints("a:1,,b:2").error()), "empty entry"));
  EXPECT_TRUE(
    contains(msg(sim::parse_endpoints("a:1,a:1").error()), "listed twice"));
}

TEST(distributed_config, secrets_come_from_a_file_or_the_environment) {
  auto d = test_util::temp_dir("secret");
  auto file = d + "/secret";
  {
    std::ofstream f{file};
    f << "short\n";
  }
  auto s = sim::load_secret(file);
  ASSERT_FALSE(s);
  EXPECT_TRUE(contains(msg(s.error()), "too short"));
  EXPECT_FALSE(contains(msg(s.error()), "short\n"));
  {
    std::ofstream f{file};
    f << secret << "\r\n";
  }
  s = sim::load_secret(file);
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, secret); // trailing newline stripped
  EXPECT_TRUE(contains(msg(sim::load_secret(d + "/nope").error()),
                       "cannot read the secret file"));
  ::unsetenv("CONSENSUS_SECRET");
  EXPECT_TRUE(contains(msg(sim::load_secret("").error()), "no shared secret"));
  ::setenv("CONSENSUS_SECRET", secret.c_str(), 1);
  s = sim::load_secret("");
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, secret);
  ::unsetenv("CONSENSUS_SECRET");
  fs::remove_all(d);
}

TEST(distributed_config, tls_files_are_checked_up_front) {
  auto d = test_util::temp_dir("tls");
  sim::tls_options t;
  EXPECT_FALSE(sim::check_tls(t)); // off
  t.certificate = d + "/cert.pem";
  auto err = sim::check_tls(t);
  ASSERT_TRUE(err);
  EXPECT_TRUE(contains(msg(err), "--tls-key, --tls-ca")) << msg(err);
  t.key = d + "/key.pem";
  t.ca_file = d + "/ca.pem";
  EXPECT_TRUE(contains(msg(sim::check_tls(t)), "cannot read TLS file"));
  for (auto f : {t.certificate, t.key, t.ca_file}) {
    std::ofstream out{f};
    out << "not a PEM file\n";
  }
  EXPECT_TRUE(contains(msg(sim::check_tls(t)), "does not load"));
  fs::remove_all(d);
}

// -- in-process: worker pools and remote nodes --------------------------------

TEST(distributed_in_process, worker_pools_of_any_size_agree) {
  auto s = load("snowball-polls.yaml", 20);
  auto ref = local_csv(s, true);
  for (size_t threads : {1, 3}) {
    for (size_t batch : {1, 5, 64}) {
      std::string out = sim::runs_csv_header() + "\n";
      sim::sweep_options opts;
      opts.engine = sim::engine_kind::actors;
      opts.threads = threads;
      opts.batch_size = batch;
      opts.agent_rows = true;
      opts.on_run = [&](const sim::run_metrics& m) {
        out += sim::to_csv(m) + "\n" + sim::agents_csv(m);
      };
      std::vector<sim::worker_report> reports;
      opts.on_report = [&](const std::vector<sim::worker_report>& xs) {
        reports = xs;
      };
      ASSERT_FALSE(sim::run_sweep(s, opts));
      EXPECT_EQ(out, ref) << threads << " threads, batch " << batch;
      ASSERT_EQ(reports.size(), 1u);
      EXPECT_EQ(reports[0].name, "local");
      EXPECT_EQ(reports[0].runs, sim::cell_count(s) * 20);
    }
  }
  sim::sweep_options none;
  none.threads = 0;
  EXPECT_TRUE(contains(msg(sim::run_sweep(s, none)), "at least one"));
}

TEST(distributed_in_process, two_remote_workers_equal_the_local_result) {
  auto s = load("quickstart.yaml", 60);
  auto ref = local_csv(s);
  auto a = start_node(secret, 2);
  auto b = start_node(secret, 1);
  std::string out = sim::runs_csv_header() + "\n";
  sim::sweep_options opts;
  opts.engine = sim::engine_kind::actors;
  opts.threads = 0;
  opts.batch_size = 8;
  opts.remote = remotes({a->port(), b->port()});
  opts.on_run = [&](const sim::run_metrics& m) {
    out += sim::to_csv(m) + "\n";
  };
  std::vector<sim::worker_report> reports;
  opts.on_report = [&](const std::vector<sim::worker_report>& xs) {
    reports = xs;
  };
  ASSERT_FALSE(sim::run_sweep(s, opts));
  EXPECT_EQ(out, ref);
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].threads, 2u);
  EXPECT_EQ(reports[0].runs + reports[1].runs, 4u * 60u);
  EXPECT_GT(reports[0].runs, 0u);
  EXPECT_GT(reports[1].runs, 0u);
  EXPECT_TRUE(reports[0].problem.empty()) << reports[0].problem;
}

TEST(distributed_in_process, a_wrong_secret_is_refused_on_both_sides) {
  auto s = load("quickstart.yaml", 5);
  auto a = start_node(secret);
  sim::sweep_options opts;
  opts.threads = 0;
  opts.remote = remotes({a->port()}, other_secret);
  std::vector<std::string> events;
  opts.on_event = [&](const std::string& x) { events.push_back(x); };
  auto err = sim::run_sweep(s, opts);
  ASSERT_TRUE(err);
  EXPECT_EQ(err.code(), static_cast<uint8_t>(sim::sweep_errc::no_workers));
  EXPECT_TRUE(contains(msg(err), "shared secret does not match")) << msg(err);
  EXPECT_FALSE(contains(msg(err), secret));
  EXPECT_FALSE(contains(msg(err), other_secret));
  ASSERT_FALSE(events.empty());
  EXPECT_TRUE(contains(events[0], "refused")) << events[0];
  // With local threads, the sweep goes on without the refusing worker.
  opts.threads = 1;
  uint64_t runs = 0;
  opts.on_run = [&](const sim::run_metrics&) { ++runs; };
  EXPECT_FALSE(sim::run_sweep(s, opts));
  EXPECT_EQ(runs, 20u);
}

/// A raw CAF client that talks to a node's gate without following the rules.
class distributed_rogue_client : public ::testing::Test {
protected:
  static caf::actor_system_config& init(caf::actor_system_config& cfg) {
    sim::add_sweep_types(cfg);
    cfg.load<caf::io::middleman>();
    return cfg;
  }

  distributed_rogue_client() : sys(init(cfg)) {
    node = start_node(secret, 1);
    auto g = sys.middleman().remote_actor("127.0.0.1", node->port());
    if (!g)
      throw std::runtime_error(msg(g.error()));
    gate = *g;
  }

  /// Sends `xs` to `dest` and returns the error reply (empty on success,
  /// then a string reply lands in `reply`).
  template <class... Ts>
  caf::error ask(const caf::actor& dest, std::string* reply, Ts&&... xs) {
    caf::error result;
    me->request(dest, 5s, std::forward<Ts>(xs)...)
      .receive(
        [&](std::string& x) {
          if (reply != nullptr)
            *reply = std::move(x);
        },
        [&](caf::error& err) { result = std::move(err); });
    return result;
  }

  /// Completes the handshake; returns (session, token).
  std::pair<caf::actor, std::string> login(caf::scoped_actor& self) {
    std::string nonce;
    self
      ->request(gate, 5s, sim::hello_atom::value, sim::sweep_protocol_version,
                std::string{sim::program_version})
      .receive([&](std::string& x) { nonce = x; },
               [&](caf::error& err) { ADD_FAILURE() << msg(err); });
    auto mine = sim::random_hex(sim::nonce_bytes);
    caf::actor session;
    self
      ->request(gate, 5s, sim::auth_atom::value, nonce, mine,
                sim::auth_mac(secret, sim::client_proof_label, nonce, mine))
      .receive([&](caf::actor& s, uint32_t,
                   std::string&) { session = std::move(s); },
               [&](caf::error& err) { ADD_FAILURE() << msg(err); });
    return {session,
            sim::auth_mac(secret, sim::session_token_label, nonce, mine)};
  }

  caf::actor_system_config cfg;
  caf::actor_system sys;
  /// One client actor: challenges are bound to the actor that asked.
  caf::scoped_actor me{sys};
  std::unique_ptr<sim::worker_node> node;
  caf::actor gate;
};

TEST_F(distributed_rogue_client, the_gate_does_no_work_without_the_secret) {
  // No work without the handshake.
  auto err = ask(gate, nullptr, sim::batch_atom::value, std::string{},
                 sim::run_batch{0, {0, 1}});
  ASSERT_TRUE(err);
  EXPECT_EQ(err.code(), static_cast<uint8_t>(caf::sec::unexpected_message));
  EXPECT_TRUE(ask(gate, nullptr, std::string{"hello?"}));
  // Wrong protocol or program version.
  err = ask(gate, nullptr, sim::hello_atom::value, uint32_t{99},
            std::string{sim::program_version});
  EXPECT_TRUE(contains(msg(err), "protocol version 99")) << msg(err);
  err = ask(gate, nullptr, sim::hello_atom::value, sim::sweep_protocol_version,
            std::string(100000, 'v'));
  EXPECT_TRUE(contains(msg(err), "incompatible")) << msg(err);
  // A wrong MAC, then the same challenge again.
  std::string nonce;
  ASSERT_FALSE(ask(gate, &nonce, sim::hello_atom::value,
                   sim::sweep_protocol_version,
                   std::string{sim::program_version}));
  EXPECT_TRUE(sim::is_hex(nonce, 64));
  auto mine = sim::random_hex(sim::nonce_bytes);
  auto wrong = sim::auth_mac(other_secret, sim::client_proof_label, nonce,
                             mine);
  err = ask(gate, nullptr, sim::auth_atom::value, nonce, mine, wrong);
  EXPECT_TRUE(contains(msg(err), "shared secret does not match")) << msg(err);
  auto right = sim::auth_mac(secret, sim::client_proof_label, nonce, mine);
  err = ask(gate, nullptr, sim::auth_atom::value, nonce, mine, right);
  EXPECT_TRUE(contains(msg(err), "unknown or expired challenge")) << msg(err);
  // A challenge answered by another actor than the one that asked for it.
  ASSERT_FALSE(ask(gate, &nonce, sim::hello_atom::value,
                   sim::sweep_protocol_version,
                   std::string{sim::program_version}));
  right = sim::auth_mac(secret, sim::client_proof_label, nonce, mine);
  {
    caf::scoped_actor other{sys};
    other->request(gate, 5s, sim::auth_atom::value, nonce, mine, right)
      .receive([](caf::actor&, uint32_t,
                  std::string&) { ADD_FAILURE() << "accepted"; },
               [&](caf::error& e) { err = e; });
  }
  EXPECT_TRUE(contains(msg(err), "unknown or expired challenge")) << msg(err);
  // Malformed and oversized authentication messages.
  err = ask(gate, nullptr, sim::auth_atom::value, std::string(1 << 20, 'a'),
            mine, right);
  EXPECT_TRUE(contains(msg(err), "malformed")) << msg(err);
  // A remote exit message does not stop the gate.
  {
    caf::scoped_actor self{sys};
    self->send_exit(gate, caf::exit_reason::kill);
    caf::anon_send_exit(gate, caf::exit_reason::kill);
  }
  EXPECT_FALSE(ask(gate, nullptr, sim::hello_atom::value,
                   sim::sweep_protocol_version,
                   std::string{sim::program_version}));
}

TEST_F(distributed_rogue_client, sessions_check_sender_token_and_every_batch) {
  caf::scoped_actor self{sys};
  auto [session, token] = login(self);
  ASSERT_TRUE(session);
  auto s = load("quickstart.yaml", 3);
  auto plan = sim::make_plan(s, sim::engine_kind::inline_calls, false);
  ASSERT_TRUE(plan);
  auto spec = sim::make_spec(**plan, test_util::slurp(s.file));
  // Another actor (not the one that logged in) with the right token.
  caf::scoped_actor intruder{sys};
  caf::error err;
  intruder->request(session, 5s, sim::load_atom::value, token, spec)
    .receive([](uint64_t) {}, [&](caf::error& e) { err = e; });
  EXPECT_TRUE(contains(msg(err), "not the authenticated coordinator"))
    << msg(err);
  // The right actor with a wrong token.
  err = caf::error{};
  self->request(session, 5s, sim::load_atom::value, token + "0", spec)
    .receive([](uint64_t) {}, [&](caf::error& e) { err = e; });
  EXPECT_TRUE(contains(msg(err), "wrong session token")) << msg(err);
  // A spec that does not match its fingerprint, and garbage scenarios.
  for (auto change : {0, 1, 2}) {
    auto bad = spec;
    if (change == 0)
      bad.fingerprint = std::string(64, '0');
    else if (change == 1)
      bad.text = "agents: [{";
    else
      bad.text = std::string(sim::max_scenario_bytes + 1, 'x');
    err = caf::error{};
    self->request(session, 5s, sim::load_atom::value, token, bad)
      .receive([](uint64_t) {}, [&](caf::error& e) { err = e; });
    EXPECT_TRUE(err) << change;
  }
  // Batches before a load, then bad batches after it.
  err = caf::error{};
  self
    ->request(session, 5s, sim::batch_atom::value, token,
              sim::run_batch{1, {0}})
    .receive([](sim::batch_result&) {}, [&](caf::error& e) { err = e; });
  EXPECT_TRUE(contains(msg(err), "no sweep loaded")) << msg(err);
  uint64_t total = 0;
  self->request(session, 5s, sim::load_atom::value, token, spec)
    .receive([&](uint64_t n) { total = n; },
             [&](caf::error& e) { ADD_FAILURE() << msg(e); });
  EXPECT_EQ(total, 12u);
  std::vector<std::pair<std::vector<uint64_t>, std::string>> bad_batches{
    {{}, "empty batch"},
    {{12}, "outside the sweep"},
    {{3, 2}, "not strictly increasing"},
    {std::vector<uint64_t>(sim::max_batch_runs + 1, 0), "at most"},
  };
  for (auto& [runs, needle] : bad_batches) {
    err = caf::error{};
    self
      ->request(session, 5s, sim::batch_atom::value, token,
                sim::run_batch{2, runs})
      .receive([](sim::batch_result&) {}, [&](caf::error& e) { err = e; });
    EXPECT_TRUE(contains(msg(err), needle)) << msg(err);
  }
  // A good batch works, and equals the local runs.
  sim::batch_result got;
  self
    ->request(session, 5s, sim::batch_atom::value, token,
              sim::run_batch{3, {0, 5, 11}})
    .receive([&](sim::batch_result& r) { got = std::move(r); },
             [&](caf::error& e) { ADD_FAILURE() << msg(e); });
  ASSERT_EQ(got.runs.size(), 3u);
  auto want = sim::run_indexed(**plan, 5, nullptr);
  ASSERT_TRUE(want);
  EXPECT_EQ(sim::to_csv(got.runs[1]), sim::to_csv(*want));
}

TEST(distributed_in_process, garbage_and_oversized_frames_do_not_hurt) {
  auto node = start_node(secret, 1);
  auto port = node->port();
  std::mt19937 gen{7};
  std::vector<int> fds;
  for (int i = 0; i < 3; ++i) {
    std::string junk(4096, '\0');
    for (auto& c : junk)
      c = static_cast<char>(gen());
    fds.push_back(send_raw(port, junk));
  }
  // 4 GiB announced (CAF alone would allocate it), twice, kept open.
  auto before = test_util::rss_kb(::getpid());
  fds.push_back(send_raw(port, basp_header(0x02, 0xFFFFFFF0u)));
  fds.push_back(
    send_raw(port, basp_header(0x01, 0xFFFFFFF0u) + std::string(65536, '\0')));
  // A valid-looking header followed by garbage payload.
  fds.push_back(send_raw(port, basp_header(0x01, 64) + std::string(64, 'x')));
  std::this_thread::sleep_for(200ms); // let the node read them
  auto after = test_util::rss_kb(::getpid());
  EXPECT_LT(after - before, 200 * 1024) << "kB grown";
  for (auto fd : fds)
    if (fd >= 0)
      ::close(fd);
  // The node still serves a proper coordinator.
  auto s = load("quickstart.yaml", 10);
  std::string out = sim::runs_csv_header() + "\n";
  sim::sweep_options opts;
  opts.threads = 0;
  opts.remote = remotes({port});
  opts.on_run = [&](const sim::run_metrics& m) {
    out += sim::to_csv(m) + "\n";
  };
  ASSERT_FALSE(sim::run_sweep(s, opts));
  EXPECT_EQ(out, local_csv(s));
}

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
      send_raw(port, basp_header(0x02, 0xFFFFFFF0u) + std::string(4096, '\0')));
  ASSERT_TRUE(test_util::eventually(
    10s, [&] { return contains(w->err(), "oversized message"); }))
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
