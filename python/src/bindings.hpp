// caf-consensus python: the parts of the extension module `_core`.

#pragma once

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

namespace caf::consensus::python {

/// `Engine` and the random-state helpers.
void bind_engine(pybind11::module_& m);

/// `McpConnection`.
void bind_mcp(pybind11::module_& m);

/// The simulator: scenarios, sweeps, summaries, advice.
void bind_sim(pybind11::module_& m);

} // namespace caf::consensus::python
