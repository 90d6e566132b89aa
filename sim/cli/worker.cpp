// consensus-sim worker: a node that runs batches of sweeps for coordinators
// that know the shared secret.

#include <signal.h>

#include <chrono>
#include <iostream>
#include <mutex>
#include <thread>

#include "caf/consensus/sim/sweep/distributed.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"
#include "cli/options.hpp"
#include "cli/remote_flags.hpp"

namespace caf::consensus::cli {

int worker(const args& xs) {
  po::options_description desc{"options"};
  std::string listen;
  size_t threads = 0;
  double handshake_s = 10;
  double idle_s = 300;
  int max_mib = 8;
  remote_flags remote;
  desc.add_options()("help,h", "show this help")(
    "listen,l", po::value(&listen)->default_value("127.0.0.1:4270"),
    "address to listen on: HOST:PORT, [IPV6]:PORT or PORT (host "
    "127.0.0.1); port 0 picks a free one")(
    "threads,t", po::value(&threads),
    "threads that run batches (default: one per core)")(
    "handshake-timeout", po::value(&handshake_s)->default_value(10),
    "seconds a connection has to authenticate before it is closed (plain "
    "TCP)")("idle-timeout", po::value(&idle_s)->default_value(300),
            "seconds an authenticated connection may stay silent (plain TCP)");
  add_scenario_limit(desc, max_mib);
  remote.add(desc);
  po::positional_options_description pos;
  po::variables_map vm;
  if (auto rc = parse(
        "worker", xs, desc, pos, vm,
        "[--listen HOST:PORT] [--threads N] [--secret-file FILE]\n"
        "       [--tls-cert FILE --tls-key FILE --tls-ca FILE]\n\n"
        "Starts a worker node for distributed sweeps ('consensus-sim run "
        "FILE\n--workers HOST:PORT,...'). It listens on 127.0.0.1 unless told "
        "otherwise and\nruns batches only for coordinators that prove they "
        "know the shared secret\n(from --secret-file or CONSENSUS_SECRET). "
        "Prints 'listening on HOST:PORT' once\nready; stops on SIGINT or "
        "SIGTERM. See docs/distributed.md."))
    return *rc;
  auto ep = sim::parse_endpoint(listen, "127.0.0.1", true);
  if (!ep) {
    std::cerr << "consensus-sim worker: --listen: "
              << sim::render_sweep_error(ep.error()) << '\n';
    return 2;
  }
  if (!vm.count("threads"))
    threads = std::max(1u, std::thread::hardware_concurrency());
  if (threads < 1 || threads > 1024) {
    std::cerr << "consensus-sim worker: --threads must be in [1, 1024], got "
              << threads << '\n';
    return 2;
  }
  if (!(handshake_s >= 0.01 && handshake_s <= 3600)) {
    std::cerr << "consensus-sim worker: --handshake-timeout must be in [0.01, "
                 "3600] seconds, got "
              << handshake_s << '\n';
    return 2;
  }
  if (!(idle_s >= 0.01 && idle_s <= 86400)) {
    std::cerr << "consensus-sim worker: --idle-timeout must be in [0.01, "
                 "86400] seconds, got "
              << idle_s << '\n';
    return 2;
  }
  auto limit = scenario_limit("worker", max_mib);
  if (!limit)
    return 2;
  auto secret = remote.load(vm);
  if (!secret) {
    std::cerr << "consensus-sim worker: "
              << sim::render_sweep_error(secret.error()) << '\n';
    return 2;
  }
  auto loopback = ep->host == "127.0.0.1" || ep->host == "::1"
                  || ep->host == "localhost";
  if (!loopback && !remote.tls.enabled())
    std::cerr << "consensus-sim worker: warning: listening on " << ep->host
              << " without TLS: only holders of the shared secret get work "
                 "done, but batches and results travel unencrypted\n";
  // Signals go to sigwait below, not to the node's threads (which inherit
  // this mask).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  std::mutex log_mtx;
  sim::worker_node_options opts;
  opts.listen = *ep;
  opts.threads = threads;
  opts.secret = std::move(*secret);
  opts.tls = remote.tls;
  auto ms = [](double s) {
    return std::chrono::milliseconds{static_cast<int64_t>(s * 1000)};
  };
  opts.handshake_timeout = ms(handshake_s);
  opts.idle_timeout = ms(idle_s);
  opts.max_scenario_bytes = *limit;
  opts.log = [&log_mtx](const std::string& line) {
    std::lock_guard<std::mutex> guard{log_mtx};
    std::cerr << "consensus-sim worker: " << line << std::endl;
  };
  auto node = sim::worker_node::start(std::move(opts));
  if (!node) {
    std::cerr << "consensus-sim worker: "
              << sim::render_sweep_error(node.error()) << '\n';
    return 1;
  }
  std::cout << "consensus-sim worker: listening on "
            << sim::to_string((*node)->address()) << " (" << threads
            << (threads == 1 ? " thread" : " threads") << ", TLS "
            << (remote.tls.enabled() ? "on" : "off") << ")" << std::endl;
  int sig = 0;
  sigwait(&stop_signals, &sig);
  {
    std::lock_guard<std::mutex> guard{log_mtx};
    std::cerr << "consensus-sim worker: stopping (signal " << sig << ")"
              << std::endl;
  }
  (*node)->stop();
  return 0;
}

} // namespace caf::consensus::cli
