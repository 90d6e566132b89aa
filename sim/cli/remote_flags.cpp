#include "cli/remote_flags.hpp"

#include <sys/stat.h>

#include <iostream>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"

namespace caf::consensus::cli {

void remote_flags::add(po::options_description& desc) {
  desc.add_options()(
    "secret-file", po::value(&secret_file),
    "file holding the shared secret (at least 16 bytes, e.g. from 'openssl "
    "rand -hex 32'); default: the environment variable CONSENSUS_SECRET")(
    "secret", po::value(&secret_on_command_line),
    "refused: a secret on the command line leaks through ps and shell "
    "history")("tls-cert", po::value(&tls.certificate),
               "TLS: PEM certificate of this node (needs --tls-key and "
               "--tls-ca)")("tls-key", po::value(&tls.key),
                            "TLS: PEM private key of --tls-cert")(
    "tls-ca", po::value(&tls.ca_file),
    "TLS: PEM CA file; peers must present a certificate it signed");
}

expected<std::string> remote_flags::load(const po::variables_map& vm) const {
  if (vm.count("secret"))
    return sim::make_error(sim::sweep_errc::bad_credentials,
                           "--secret is refused: a secret on the command line "
                           "shows up in ps and in shell history; put it in a "
                           "file (--secret-file FILE, mode 600) or in the "
                           "environment variable CONSENSUS_SECRET");
  if (auto err = sim::check_tls(tls))
    return err;
  auto secret = sim::load_secret(secret_file);
  if (!secret)
    return secret;
  if (!secret_file.empty()) {
    struct stat st;
    if (::stat(secret_file.c_str(), &st) == 0
        && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
      std::cerr << "warning: the secret file '" << secret_file
                << "' is accessible by other users (chmod 600 it)\n";
  }
  return secret;
}

expected<std::shared_ptr<sim::remote_options>>
remote_flags::remote(const po::variables_map& vm,
                     const std::string& workers) const {
  auto problem = [](std::string what) {
    return make_error(errc::invalid_params, std::move(what));
  };
  if (workers.empty()) {
    if (vm.count("secret"))
      return problem(sim::render_sweep_error(load(vm).error()));
    if (tls.enabled() || !secret_file.empty())
      return problem("--secret-file and --tls-* only apply with --workers");
    return std::shared_ptr<sim::remote_options>{};
  }
  auto eps = sim::parse_endpoints(workers);
  if (!eps)
    return problem("--workers: " + sim::render_sweep_error(eps.error()));
  auto secret = load(vm);
  if (!secret)
    return problem(sim::render_sweep_error(secret.error()));
  auto ro = std::make_shared<sim::remote_options>();
  ro->workers = std::move(*eps);
  ro->secret = std::move(*secret);
  ro->tls = tls;
  return ro;
}

} // namespace caf::consensus::cli
