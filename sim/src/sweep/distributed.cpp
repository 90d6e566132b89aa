#include "caf/consensus/sim/sweep/distributed.hpp"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "caf/consensus/sim/sweep/sweep_error.hpp"

namespace caf::consensus::sim {

// -- endpoints ----------------------------------------------------------------

std::string to_string(const endpoint& x) {
  if (x.host.find(':') != std::string::npos)
    return "[" + x.host + "]:" + std::to_string(x.port);
  return x.host + ":" + std::to_string(x.port);
}

namespace {

error bad_endpoint(const std::string& x, const std::string& why) {
  return make_error(sweep_errc::bad_message,
                    "invalid address '" + x + "': " + why
                      + " (expected HOST:PORT, e.g. 127.0.0.1:4270)");
}

bool valid_host(const std::string& host) {
  if (host.empty() || host.size() > 253)
    return false;
  for (auto c : host)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-'
          || c == '_' || c == ':'))
      return false;
  return true;
}

} // namespace

expected<endpoint> parse_endpoint(const std::string& x,
                                  const std::string& default_host,
                                  bool allow_port_zero) {
  std::string host;
  std::string port;
  if (!x.empty() && x.front() == '[') {
    auto close = x.find(']');
    if (close == std::string::npos)
      return bad_endpoint(x, "missing ']'");
    host = x.substr(1, close - 1);
    if (close + 1 >= x.size() || x[close + 1] != ':')
      return bad_endpoint(x, "missing ':PORT' after ']'");
    port = x.substr(close + 2);
  } else {
    auto colon = x.rfind(':');
    if (colon == std::string::npos) {
      host = default_host;
      port = x;
    } else {
      host = x.substr(0, colon);
      port = x.substr(colon + 1);
      if (host.find(':') != std::string::npos)
        return bad_endpoint(x, "write IPv6 addresses in brackets, e.g. "
                               "[::1]:4270");
    }
  }
  if (!valid_host(host))
    return bad_endpoint(x, host.empty() ? "empty host" : "bad host name");
  if (port.empty() || port.size() > 5
      || port.find_first_not_of("0123456789") != std::string::npos)
    return bad_endpoint(x, "the port must be a number in [1, 65535]");
  auto p = std::stoul(port);
  if (p > 65535 || (p == 0 && !allow_port_zero))
    return bad_endpoint(x, "the port must be a number in [1, 65535]");
  return endpoint{host, static_cast<uint16_t>(p)};
}

expected<std::vector<endpoint>> parse_endpoints(const std::string& x) {
  std::vector<endpoint> out;
  std::set<std::string> seen;
  std::string item;
  std::istringstream in{x};
  while (std::getline(in, item, ',')) {
    if (item.empty())
      return make_error(sweep_errc::bad_message,
                        "invalid worker list '" + x + "': empty entry");
    auto ep = parse_endpoint(item, "127.0.0.1");
    if (!ep)
      return std::move(ep.error());
    if (!seen.insert(to_string(*ep)).second)
      return make_error(sweep_errc::bad_message, "invalid worker list '" + x
                                                   + "': " + to_string(*ep)
                                                   + " is listed twice");
    out.push_back(std::move(*ep));
  }
  if (out.empty())
    return make_error(sweep_errc::bad_message, "the worker list is empty");
  return out;
}

// -- credentials --------------------------------------------------------------

expected<std::string> load_secret(const std::string& file) {
  std::string secret;
  std::string origin;
  if (!file.empty()) {
    origin = "secret file '" + file + "'";
    // A FIFO would block the open below until a writer comes: refuse it.
    struct stat st;
    if (::stat(file.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
      return make_error(sweep_errc::bad_credentials,
                        "cannot read the " + origin + ": not a regular file");
    std::ifstream in{file, std::ios::binary};
    if (!in)
      return make_error(sweep_errc::bad_credentials,
                        "cannot read the " + origin);
    std::vector<char> buf(max_secret_bytes + 2);
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    secret.assign(buf.data(), static_cast<size_t>(in.gcount()));
    if (in.bad())
      return make_error(sweep_errc::bad_credentials,
                        "cannot read the " + origin);
  } else {
    origin = std::string{"environment variable "} + secret_env;
    auto env = std::getenv(secret_env);
    if (env == nullptr || *env == '\0')
      return make_error(sweep_errc::bad_credentials,
                        std::string{"no shared secret: set "} + secret_env
                          + " or pass --secret-file FILE (never the secret "
                            "itself on the command line)");
    secret = env;
  }
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r'))
    secret.pop_back();
  if (secret.size() > max_secret_bytes)
    return make_error(sweep_errc::bad_credentials,
                      "the " + origin + " holds more than "
                        + std::to_string(max_secret_bytes) + " bytes");
  if (secret.size() < min_secret_bytes)
    return make_error(sweep_errc::bad_credentials,
                      "the shared secret in the " + origin + " is too short ("
                        + std::to_string(secret.size()) + " bytes; at least "
                        + std::to_string(min_secret_bytes)
                        + " needed, e.g. from 'openssl rand -hex 32')");
  return secret;
}

namespace {

std::string ssl_errors() {
  std::string out;
  while (auto e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    if (!out.empty())
      out += "; ";
    out += buf;
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

} // namespace

error check_tls(const tls_options& x) {
  if (!x.enabled())
    return error{};
  std::string missing;
  auto need = [&](const std::string& v, const char* flag) {
    if (v.empty())
      missing += missing.empty() ? flag : std::string{", "} + flag;
  };
  need(x.certificate, "--tls-cert");
  need(x.key, "--tls-key");
  need(x.ca_file, "--tls-ca");
  if (!missing.empty())
    return make_error(sweep_errc::bad_credentials,
                      "TLS needs a certificate, its key and a CA file; "
                      "missing: "
                        + missing);
  for (auto* f : {&x.certificate, &x.key, &x.ca_file}) {
    struct stat st;
    if (::stat(f->c_str(), &st) == 0 && !S_ISREG(st.st_mode))
      return make_error(sweep_errc::bad_credentials,
                        "cannot read TLS file '" + *f
                          + "': not a regular file");
    std::ifstream in{*f};
    if (!in)
      return make_error(sweep_errc::bad_credentials,
                        "cannot read TLS file '" + *f + "'");
  }
  ERR_clear_error();
  auto ctx = SSL_CTX_new(TLS_method());
  if (ctx == nullptr)
    return make_error(sweep_errc::bad_credentials,
                      "cannot create a TLS context: " + ssl_errors());
  error err;
  if (SSL_CTX_use_certificate_chain_file(ctx, x.certificate.c_str()) != 1)
    err = make_error(sweep_errc::bad_credentials,
                     "TLS certificate '" + x.certificate
                       + "' does not load (PEM expected): " + ssl_errors());
  else if (SSL_CTX_use_PrivateKey_file(ctx, x.key.c_str(), SSL_FILETYPE_PEM)
           != 1)
    err = make_error(sweep_errc::bad_credentials,
                     "TLS key '" + x.key
                       + "' does not load (unencrypted PEM expected): "
                       + ssl_errors());
  else if (SSL_CTX_check_private_key(ctx) != 1)
    err = make_error(sweep_errc::bad_credentials,
                     "TLS key '" + x.key + "' does not belong to certificate '"
                       + x.certificate + "'");
  else if (SSL_CTX_load_verify_locations(ctx, x.ca_file.c_str(), nullptr) != 1)
    err = make_error(sweep_errc::bad_credentials,
                     "TLS CA file '" + x.ca_file
                       + "' does not load (PEM expected): " + ssl_errors());
  SSL_CTX_free(ctx);
  ERR_clear_error();
  return err;
}

} // namespace caf::consensus::sim
