// caf-consensus: the MCP stdio transport (a server as a child process).

#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "caf/consensus/connectors/process.hpp"
#include "caf/consensus/connectors/transport.hpp"

namespace caf::consensus::connectors {

/// Spawns an MCP server and exchanges newline-delimited JSON-RPC messages on
/// its stdin and stdout (MCP "stdio" transport). Lines longer than
/// `io_limits::max_message_bytes` end the connection; so does end of file on
/// stdout. Error messages carry the process's exit status and the tail of its
/// stderr.
class stdio_transport : public mcp_transport {
public:
  stdio_transport(std::vector<std::string> argv,
                  std::map<std::string, std::string> env = {},
                  io_limits limits = {});

  ~stdio_transport() override;

  std::string describe() const override;

  error open(time_point deadline) override;

  error send(const json& msg, time_point deadline) override;

  expected<json> receive(time_point deadline) override;

  bool alive() const override;

  void close(time_point deadline) override;

  /// Returns the server process (if started), for tests and diagnostics.
  process* child() noexcept {
    return proc_ ? &*proc_ : nullptr;
  }

private:
  /// Adds the exit status and stderr tail of the process to `what`.
  std::string with_diagnostics(std::string what);

  std::vector<std::string> argv_;
  std::map<std::string, std::string> env_;
  io_limits limits_;
  std::optional<process> proc_;
  std::string partial_;
  std::deque<std::string> lines_;
  bool eof_ = false;
  bool broken_ = false;
};

} // namespace caf::consensus::connectors
