// caf-consensus sim: the shared-secret handshake's cryptography (OpenSSL).

#pragma once

#include <cstddef>
#include <string>

namespace caf::consensus::sim {

/// Returns `n` bytes from OpenSSL's CSPRNG, hex-encoded (2n characters).
std::string random_hex(size_t n);

/// Returns the hex SHA-256 digest of `data`.
std::string sha256_hex(const std::string& data);

/// Returns the hex HMAC-SHA256 under `secret` of `label`, `a` and `b`
/// (separated by NUL bytes). The handshake uses three labels: the client's
/// proof, the server's proof and the session token, so none can stand in
/// for another.
std::string auth_mac(const std::string& secret, const char* label,
                     const std::string& a, const std::string& b);

/// Compares two strings in time independent of their contents (only their
/// lengths may leak).
bool equal_secure(const std::string& a, const std::string& b);

/// Returns whether `x` is exactly `n` lowercase hex digits.
bool is_hex(const std::string& x, size_t n);

/// MAC labels.
constexpr const char* client_proof_label = "caf-consensus/client-proof/v1";
constexpr const char* server_proof_label = "caf-consensus/server-proof/v1";
constexpr const char* session_token_label = "caf-consensus/session-token/v1";

/// Length of nonces (bytes) and of hex MACs (characters).
constexpr size_t nonce_bytes = 32;
constexpr size_t mac_hex_chars = 64;

} // namespace caf::consensus::sim
