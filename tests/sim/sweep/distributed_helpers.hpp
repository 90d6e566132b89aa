// Tests: helpers of the distributed sweep tests (distributed_test): the
// scenarios, secrets, sweeps computed locally, in-process worker nodes, and
// raw sockets.
//
// The suites: endpoints and credentials (distributed_config), worker pools
// and remote nodes in this process (distributed_in_process), a rogue CAF
// client (distributed_rogue_client), and real `consensus-sim worker`
// processes (distributed_cli): failures (a killed or hung worker, a late one),
// the shared secret, TLS, malformed input, and `run --out` / `--resume` after
// SIGKILL.

#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "caf/error.hpp"

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/sweep/distributed.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"

namespace caf::consensus::sim::test {

using namespace std::chrono_literals;

inline const std::string scenarios = CAF_CONSENSUS_SCENARIOS;
inline const std::string secret = "0123456789abcdef-test-secret-A";
inline const std::string other_secret = "fedcba9876543210-test-secret-B";

inline sim::scenario load(const std::string& name, uint64_t replicates) {
  auto sc = sim::load_scenario(scenarios + "/" + name);
  if (!sc)
    throw std::runtime_error(render(sc.error()));
  sc->replicates = replicates;
  return *sc;
}

inline std::string msg(const caf::error& err) {
  return sim::render_sweep_error(err);
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

/// runs.csv of a sweep computed here, locally.
inline std::string local_csv(const sim::scenario& s, bool agent_rows = false) {
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

/// What `export --rounds` prints for a sweep computed here, locally.
inline std::string local_rounds_csv(const sim::scenario& s) {
  std::string out = sim::rounds_csv_header() + "\n";
  sim::sweep_options opts;
  opts.engine = sim::engine_kind::inline_calls;
  opts.threads = 2;
  opts.on_run = [&](const sim::run_metrics& m) { out += sim::rounds_csv(m); };
  if (auto err = sim::run_sweep(s, opts))
    throw std::runtime_error(msg(err));
  return out;
}

inline std::unique_ptr<sim::worker_node> start_node(const std::string& key,
                                                    size_t threads = 1) {
  sim::worker_node_options opts;
  opts.threads = threads;
  opts.secret = key;
  auto node = sim::worker_node::start(opts);
  if (!node)
    throw std::runtime_error(msg(node.error()));
  return std::move(*node);
}

inline std::shared_ptr<sim::remote_options>
remotes(std::vector<uint16_t> ports, const std::string& key = secret) {
  auto ro = std::make_shared<sim::remote_options>();
  for (auto p : ports)
    ro->workers.push_back(sim::endpoint{"127.0.0.1", p});
  ro->secret = key;
  ro->stall_timeout = 10s;
  return ro;
}

/// Reserves a free loopback port (bind, read, close).
inline uint16_t free_port() {
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

/// Sends raw bytes to 127.0.0.1:port, from the local address `source` when
/// given (any 127.x.y.z is local); returns the socket (caller closes).
inline int send_raw(uint16_t port, const std::string& bytes,
                    const std::string& source = {}) {
  auto fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (!source.empty()) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, source.c_str(), &local.sin_addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0) {
      ::close(fd);
      return -1;
    }
  }
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
inline std::string basp_header(uint8_t op, uint32_t payload_len) {
  std::string h(32, '\0');
  h[0] = static_cast<char>(op);
  h[4] = static_cast<char>(payload_len >> 24);
  h[5] = static_cast<char>(payload_len >> 16);
  h[6] = static_cast<char>(payload_len >> 8);
  h[7] = static_cast<char>(payload_len);
  h[31] = 1; // dest actor 1
  return h;
}

} // namespace caf::consensus::sim::test
