// caf-consensus python: `_core.McpConnection`, the library's MCP client
// (Streamable HTTP or stdio) for remote agents of the drop-in `MCPMesh`.

#include "bindings.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "caf/consensus/connectors/command_line.hpp"
#include "caf/consensus/connectors/mcp_agent.hpp"
#include "caf/consensus/connectors/mcp_client.hpp"
#include "caf/consensus/connectors/transport.hpp"
#include "caf/consensus/error.hpp"

namespace py = pybind11;

namespace caf::consensus::python {

namespace {

using connectors::json;

/// Raises `type(msg)` (needs the GIL).
[[noreturn]] void raise_py(PyObject* type, const std::string& msg) {
  PyErr_SetString(type, msg.c_str());
  throw py::error_already_set();
}

/// A failure seen without the GIL, raised once it is held again.
struct failure {
  PyObject* type = nullptr;
  std::string msg;

  void raise_if_set() const {
    if (type != nullptr)
      raise_py(type, msg);
  }
};

bool starts_with(const std::string& x, const std::string& prefix) {
  return x.compare(0, prefix.size(), prefix) == 0;
}

/// One connection to one MCP server, opened on first use. Calls are
/// serialized (one request at a time per server); the GIL is released while
/// the client waits.
class mcp_connection {
public:
  mcp_connection(std::string id, std::string spec, int64_t timeout_ms,
                 int64_t connect_timeout_ms)
    : timeout_ms_(timeout_ms),
      connect_timeout_ms_(std::max(timeout_ms, connect_timeout_ms)) {
    if (timeout_ms <= 0)
      throw py::value_error("timeout_ms must be > 0");
    cfg_.id = std::move(id);
    auto s = spec;
    if (starts_with(s, "mcp+http:"))
      s = s.substr(4);
    if (starts_with(s, "mcp+stdio:"))
      s = s.substr(4);
    if (starts_with(s, "stdio:")) {
      auto words = connectors::split_command(s.substr(6));
      if (!words)
        throw py::value_error("agent '" + cfg_.id + "': bad stdio command: "
                              + connectors::error_text(words.error()));
      cfg_.command = std::move(*words);
    } else {
      cfg_.endpoint = s;
    }
    if (auto err = cfg_.validate())
      throw py::value_error(connectors::error_text(err));
  }

  ~mcp_connection() {
    py::gil_scoped_release nogil;
    std::lock_guard<std::mutex> guard{mtx_};
    if (client_)
      client_->close();
  }

  std::string describe() const {
    return cfg_.describe();
  }

  std::vector<std::string> list_tools() {
    failure f;
    std::vector<std::string> names;
    {
      py::gil_scoped_release nogil;
      std::lock_guard<std::mutex> guard{mtx_};
      if (ensure_connected(f)) {
        auto xs = client_->list_tools();
        if (!xs)
          f = fail("tools/list", xs.error());
        else
          for (auto& t : *xs)
            names.push_back(t.name);
      }
    }
    f.raise_if_set();
    return names;
  }

  /// Calls `name` with `arguments` (JSON object text); returns (text,
  /// is_error).
  py::tuple call_tool(const std::string& name, const std::string& arguments) {
    auto args = json::parse(arguments, nullptr, false);
    if (args.is_discarded() || !args.is_object())
      throw py::value_error("call_tool: arguments must be a JSON object");
    failure f;
    connectors::tool_result res;
    {
      py::gil_scoped_release nogil;
      std::lock_guard<std::mutex> guard{mtx_};
      if (ensure_connected(f)) {
        auto x = client_->call_tool(name, std::move(args));
        if (!x)
          f = fail("tools/call '" + name + "'", x.error());
        else
          res = std::move(*x);
      }
    }
    f.raise_if_set();
    return py::make_tuple(res.text, res.is_error);
  }

  void close() {
    py::gil_scoped_release nogil;
    std::lock_guard<std::mutex> guard{mtx_};
    if (client_)
      client_->close();
    client_.reset();
  }

private:
  /// The error of `what` failing with `err` (a timeout after `bound_ms`,
  /// default: the per-call timeout).
  failure fail(const std::string& what, const error& err,
               int64_t bound_ms = 0) const {
    auto msg = "MCP agent '" + cfg_.id + "' (" + cfg_.describe() + "): " + what
               + ": " + connectors::error_text(err);
    if (bound_ms <= 0)
      bound_ms = timeout_ms_;
    if (connectors::is_timeout(err))
      return {PyExc_TimeoutError,
              msg + " (timeout " + std::to_string(bound_ms) + " ms)"};
    return {PyExc_ConnectionError, msg};
  }

  /// Opens the connection unless it is open; a broken one is reopened.
  bool ensure_connected(failure& f) {
    if (client_ && client_->connected())
      return true;
    client_.reset();
    auto tr = connectors::make_transport(cfg_);
    if (!tr) {
      f = fail("transport", tr.error());
      return false;
    }
    // Start-up (a process to launch, a session to open) may take longer
    // than a call: the handshake gets the larger of the two bounds.
    connectors::mcp_client_options opts;
    opts.timeout = std::chrono::milliseconds{connect_timeout_ms_};
    auto c = std::make_unique<connectors::mcp_client>(std::move(*tr), opts);
    if (auto err = c->connect()) {
      f = fail("connect", err, connect_timeout_ms_);
      c->close();
      return false;
    }
    c->set_timeout(std::chrono::milliseconds{timeout_ms_});
    client_ = std::move(c);
    return true;
  }

  connectors::mcp_agent cfg_;
  int64_t timeout_ms_;
  int64_t connect_timeout_ms_;
  std::mutex mtx_;
  std::unique_ptr<connectors::mcp_client> client_;
};

} // namespace

void bind_mcp(py::module_& m) {
  py::class_<mcp_connection>(m, "McpConnection",
                             "A connection to one MCP server (http(s) URL or "
                             "'stdio:COMMAND').")
    .def(py::init<std::string, std::string, int64_t, int64_t>(), py::arg("id"),
         py::arg("spec"), py::arg("timeout_ms") = 60000,
         py::arg("connect_timeout_ms") = 30000)
    .def("describe", &mcp_connection::describe)
    .def("list_tools", &mcp_connection::list_tools)
    .def("call_tool", &mcp_connection::call_tool, py::arg("name"),
         py::arg("arguments"))
    .def("close", &mcp_connection::close);
}

} // namespace caf::consensus::python
