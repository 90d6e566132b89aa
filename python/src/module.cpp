// caf-consensus python: the extension module `caf_consensus._core`.

#include "bindings.hpp"

#include "caf/consensus/sim/version.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "Native part of caf_consensus: the round engine, the MCP client "
            "and the simulator of the C++ library caf-consensus.";
  caf::consensus::python::bind_engine(m);
  caf::consensus::python::bind_mcp(m);
  caf::consensus::python::bind_sim(m);
}
