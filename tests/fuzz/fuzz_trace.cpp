// libFuzzer driver for caf::consensus::fuzz::trace (see targets.hpp).

#include "fuzz/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return caf::consensus::fuzz::trace(data, size);
}
