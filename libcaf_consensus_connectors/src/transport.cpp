#include "caf/consensus/connectors/transport.hpp"

#include "caf/make_message.hpp"
#include "caf/sec.hpp"

#include "caf/consensus/error.hpp"

namespace caf::consensus::connectors {

int64_t remaining_ms(time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
    deadline - clock_type::now());
  return left.count() > 0 ? left.count() : 0;
}

bool is_timeout(const error& err) {
  return err && err.category() == atom("system")
         && err.code() == static_cast<uint8_t>(sec::request_timeout);
}

error make_timeout(std::string what) {
  return error{static_cast<uint8_t>(sec::request_timeout), atom("system"),
               make_message(std::move(what))};
}

std::string error_text(const error& err) {
  return context_text(err);
}

mcp_transport::~mcp_transport() {
  // nop
}

void mcp_transport::negotiated(const std::string&) {
  // nop
}

} // namespace caf::consensus::connectors
