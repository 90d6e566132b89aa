// libFuzzer driver for caf::consensus::fuzz::mcp_jsonrpc (see targets.hpp).

#include "fuzz/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return caf::consensus::fuzz::mcp_jsonrpc(data, size);
}
