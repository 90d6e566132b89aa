// caf-consensus sim: a listener that checks BASP message headers before CAF
// reads the messages.

#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "caf/actor.hpp"
#include "caf/expected.hpp"
#include "caf/fwd.hpp"

#include "caf/consensus/sim/sweep/distributed.hpp"

namespace caf::consensus::sim {

/// Spawns a CAF broker that listens on `listen` and relays every connection
/// to CAF's BASP port `upstream` on 127.0.0.1. It reads the client's byte
/// stream as BASP frames (a 32-byte header, then `payload_len` bytes) and
/// closes the connection at the first header with an unknown operation or a
/// payload above `max_payload`: CAF 0.17 allocates a buffer of the announced
/// payload size before it reads a byte of it, so without this check any
/// peer could make the node allocate 4 GiB per connection before
/// authenticating. Payloads are forwarded in chunks as they arrive (the
/// relay never buffers a whole message); the reverse direction is relayed
/// unchanged. At most `max_connections` connections are open at a time.
/// Returns the broker and the port it listens on.
expected<std::pair<actor, uint16_t>>
spawn_basp_guard(actor_system& sys, const endpoint& listen, uint16_t upstream,
                 uint32_t max_payload, size_t max_connections,
                 std::function<void(const std::string&)> log);

} // namespace caf::consensus::sim
