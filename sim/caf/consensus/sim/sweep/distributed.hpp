// caf-consensus sim: distributed sweeps over CAF nodes (workers, endpoints,
// shared secret, TLS, per-worker reports).

#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "caf/error.hpp"
#include "caf/expected.hpp"
#include "caf/fwd.hpp"
#include "caf/meta/type_name.hpp"

#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::sim {

// -- endpoints ----------------------------------------------------------------

/// A host and a TCP port.
struct endpoint {
  std::string host;
  uint16_t port = 0;
};

/// Returns `HOST:PORT` (`[HOST]:PORT` for IPv6 addresses).
std::string to_string(const endpoint& x);

/// Parses `HOST:PORT`, `[IPV6]:PORT` or a bare `PORT` (then the host is
/// `default_host`). Port 0 is allowed only when `allow_port_zero` is set.
expected<endpoint> parse_endpoint(const std::string& x,
                                  const std::string& default_host,
                                  bool allow_port_zero = false);

/// Parses a comma-separated list of `HOST:PORT` (duplicates are an error).
expected<std::vector<endpoint>> parse_endpoints(const std::string& x);

// -- credentials --------------------------------------------------------------

/// The environment variable that may hold the shared secret.
constexpr const char* secret_env = "CONSENSUS_SECRET";

/// Shortest shared secret accepted (bytes).
constexpr size_t min_secret_bytes = 16;

/// Longest shared secret accepted (bytes).
constexpr size_t max_secret_bytes = 4096;

/// Loads the shared secret from `file` (trailing newlines stripped) or, when
/// `file` is empty, from the environment variable `CONSENSUS_SECRET`. Errors
/// say where the secret was looked for, never what it is.
expected<std::string> load_secret(const std::string& file);

/// TLS settings (CAF's OpenSSL module). Both sides of every connection need
/// all three: each presents its certificate and accepts only peers whose
/// certificate the CA file vouches for.
struct tls_options {
  /// PEM certificate (chain) of this node.
  std::string certificate;
  /// PEM private key of the certificate (unencrypted).
  std::string key;
  /// PEM file of the CA certificate(s) peers must be signed by.
  std::string ca_file;

  /// Returns whether any TLS file is set.
  bool enabled() const {
    return !certificate.empty() || !key.empty() || !ca_file.empty();
  }
};

/// Checks that either no TLS file or all three are set, that they load, and
/// that the key matches the certificate.
error check_tls(const tls_options& x);

// -- coordinator side ---------------------------------------------------------

/// Remote workers of a sweep and how to treat them.
struct remote_options {
  /// The workers (`consensus-sim worker --listen HOST:PORT`).
  std::vector<endpoint> workers;
  /// The shared secret every worker must know (never logged).
  std::string secret;
  /// TLS (optional).
  tls_options tls;
  /// A worker with batches in flight that returns nothing for this long is
  /// considered hung: its batches go to other workers.
  std::chrono::milliseconds batch_timeout{60000};
  /// How often a worker that is unreachable or was lost is tried again (a
  /// worker that starts late joins the sweep this way).
  std::chrono::milliseconds retry_interval{1000};
  /// Time limit of connecting to a worker and of each handshake step.
  std::chrono::milliseconds connect_timeout{5000};
  /// The sweep fails when no worker at all can run for this long.
  std::chrono::milliseconds stall_timeout{60000};
};

/// What one worker (the local pool or a remote node) did in a sweep.
struct worker_report {
  /// `local` or `HOST:PORT`.
  std::string name;
  /// Threads it runs batches on.
  uint32_t threads = 0;
  /// Runs and batches it returned that were used.
  uint64_t runs = 0;
  uint64_t batches = 0;
  /// Seconds it had batches in flight.
  double busy_seconds = 0;
  /// Times it joined (connections that completed the handshake).
  uint32_t joins = 0;
  /// Batches taken from it after it failed and given to other workers.
  uint64_t reassigned = 0;
  /// Empty if it finished fine, else its last failure (e.g. `lost:
  /// connection closed`, `refused: wrong shared secret`).
  std::string problem;

  /// Returns runs per busy second (0 if it never ran anything).
  double runs_per_second() const {
    return busy_seconds > 0 ? static_cast<double>(runs) / busy_seconds : 0.0;
  }
};

/// @relates worker_report
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, worker_report& x) {
  return f(meta::type_name("caf::consensus::sim::worker_report"), x.name,
           x.threads, x.runs, x.batches, x.busy_seconds, x.joins, x.reassigned,
           x.problem);
}

// -- worker side --------------------------------------------------------------

/// Options of a worker node.
struct worker_node_options {
  /// Address to listen on (default 127.0.0.1; port 0: any free port).
  endpoint listen{"127.0.0.1", 0};
  /// Threads that run batches (>= 1).
  size_t threads = 1;
  /// The shared secret coordinators must prove they know.
  std::string secret;
  /// TLS (optional).
  tls_options tls;
  /// Receives log lines (connections, refusals); never the secret.
  std::function<void(const std::string&)> log;
  /// Plain TCP: a connection that has not authenticated by then is closed.
  std::chrono::milliseconds handshake_timeout{10000};
  /// Plain TCP: an authenticated connection without traffic for this long is
  /// closed.
  std::chrono::milliseconds idle_timeout{300000};
  /// Largest scenario text a coordinator may send (`--max-scenario-mib`).
  size_t max_scenario_bytes = max_scenario_file_bytes;
};

/// A worker node: an actor system that publishes a gate actor. The gate
/// answers only the shared-secret handshake; a coordinator that passes it
/// gets a session actor of its own, which runs its batches on the node's
/// pool of worker actors. Without TLS, a listener checks every BASP message
/// header first and drops connections that send malformed or oversized
/// messages, so no peer can make the node allocate more than
/// `max_message_bytes` per message before authenticating.
class worker_node {
public:
  /// Starts a node. Fails on a bad address, a port in use, a missing secret
  /// or unusable TLS files.
  static expected<std::unique_ptr<worker_node>> start(worker_node_options opts);

  ~worker_node();

  /// Returns the port the node listens on.
  uint16_t port() const;

  /// Returns the address the node listens on.
  endpoint address() const;

  /// Stops the node (idempotent; the destructor calls it).
  void stop();

  struct impl;

private:
  explicit worker_node(std::unique_ptr<impl> ptr);

  std::unique_ptr<impl> impl_;
};

} // namespace caf::consensus::sim
