// caf-consensus: an agent that is a model behind an OpenAI-compatible API.

#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "caf/consensus/connectors/agent.hpp"
#include "caf/consensus/connectors/http.hpp"
#include "caf/consensus/connectors/json_rpc.hpp"

namespace caf::consensus::connectors {

/// A chat model behind `POST {base_url}/chat/completions` (OpenAI, vLLM,
/// llama.cpp's server, Ollama's `/v1`, LiteLLM, ...).
struct openai_agent {
  /// Participant id.
  std::string id;
  /// API base, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8080/v1`.
  std::string base_url;
  /// Model name.
  std::string model;
  /// Environment variable holding the API key (sent as a bearer token).
  /// Empty: `OPENAI_API_KEY` if set, else no key (local servers). A named
  /// variable that is unset is an error.
  std::string api_key_env;
  /// Optional system message.
  std::string system;
  /// Sampling temperature (omitted when unset).
  std::optional<double> temperature;
  /// Maximum tokens of the answer (`max_tokens`; omitted when 0).
  int32_t max_tokens = 0;
  /// Extra HTTP headers.
  std::map<std::string, std::string> headers;
  /// Retries after a retryable failure (HTTP 408, 409, 429, 5xx, transport
  /// errors, malformed bodies); the attempts are 1 + max_retries.
  int32_t max_retries = 3;
  /// First backoff delay in milliseconds; doubles per retry.
  int64_t backoff_ms = 500;
  /// Largest backoff delay (a longer `Retry-After` is honoured while it
  /// fits in the call's time budget).
  int64_t max_backoff_ms = 8000;
  /// Time budget of one call including retries (0: `params::timeout_ms`).
  int64_t timeout_ms = 0;
  /// Largest accepted reply body.
  size_t max_response_bytes = 8 * 1024 * 1024;

  /// Checks the configuration.
  error validate() const;

  /// Returns `openai: BASE#MODEL`.
  std::string describe() const;
};

/// Returns the request body for `prompt`.
json chat_request_body(const openai_agent& cfg, const std::string& prompt);

/// Extracts the answer text from a chat completion body; names what is wrong
/// with a malformed one.
expected<std::string> parse_chat_completion(const std::string& body);

/// Returns `usage.total_tokens` of a chat completion body (0 when absent or
/// not a non-negative integer).
uint64_t chat_completion_tokens(const std::string& body);

/// An `agent` that asks a chat model. Latency (`ms`) covers all attempts.
class openai_agent_connection : public agent {
public:
  openai_agent_connection(openai_agent cfg, int64_t default_timeout_ms);

  ~openai_agent_connection() override;

  const std::string& id() const override {
    return cfg_.id;
  }

  std::string describe() const override {
    return cfg_.describe();
  }

  result execute(const request& req) override;

  /// Number of HTTP attempts of the last `execute`.
  int32_t last_attempts() const noexcept {
    return attempts_;
  }

private:
  openai_agent cfg_;
  int64_t timeout_ms_;
  std::unique_ptr<http_session> http_;
  int32_t attempts_ = 0;
};

/// Returns an agent for `cfg`.
agent_ptr make_agent(openai_agent cfg, int64_t default_timeout_ms);

} // namespace caf::consensus::connectors
