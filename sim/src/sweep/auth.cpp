#include "caf/consensus/sim/sweep/auth.hpp"

#include <stdexcept>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace caf::consensus::sim {

namespace {

std::string hex(const unsigned char* xs, size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += digits[xs[i] >> 4];
    out += digits[xs[i] & 0x0F];
  }
  return out;
}

} // namespace

std::string random_hex(size_t n) {
  std::vector<unsigned char> buf(n);
  if (RAND_bytes(buf.data(), static_cast<int>(n)) != 1)
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  return hex(buf.data(), n);
}

std::string sha256_hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr)
      != 1)
    throw std::runtime_error("OpenSSL SHA-256 failed");
  return hex(md, len);
}

std::string auth_mac(const std::string& secret, const char* label,
                     const std::string& a, const std::string& b) {
  std::string msg = label;
  msg += '\0';
  msg += a;
  msg += '\0';
  msg += b;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), md,
           &len)
      == nullptr)
    throw std::runtime_error("OpenSSL HMAC failed");
  return hex(md, len);
}

bool equal_secure(const std::string& a, const std::string& b) {
  if (a.size() != b.size())
    return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool is_hex(const std::string& x, size_t n) {
  if (x.size() != n)
    return false;
  for (auto c : x)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return false;
  return true;
}

} // namespace caf::consensus::sim
