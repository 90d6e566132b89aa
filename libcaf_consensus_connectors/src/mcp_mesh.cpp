#include "caf/consensus/connectors/mcp_mesh.hpp"

#include <algorithm>

#include "caf/consensus/connectors/command_line.hpp"
#include "caf/consensus/connectors/http.hpp"
#include "caf/consensus/error.hpp"

namespace caf::consensus::connectors {

error mcp_mesh::add(mcp_agent x) {
  if (auto err = x.validate())
    return err;
  auto i = std::find_if(agents_.begin(), agents_.end(),
                        [&](const mcp_agent& y) { return y.id == x.id; });
  if (i != agents_.end())
    *i = std::move(x);
  else
    agents_.push_back(std::move(x));
  return {};
}

error mcp_mesh::add(const std::string& id,
                    const std::string& endpoint_or_command) {
  mcp_agent x;
  x.id = id;
  if (endpoint_or_command.rfind("http://", 0) == 0
      || endpoint_or_command.rfind("https://", 0) == 0) {
    x.endpoint = endpoint_or_command;
  } else {
    auto argv = split_command(endpoint_or_command);
    if (!argv)
      return make_error(errc::invalid_params,
                        "agent '" + id + "': " + error_text(argv.error()));
    x.command = std::move(*argv);
  }
  return add(std::move(x));
}

void mcp_mesh::remove(const std::string& id) {
  agents_.erase(std::remove_if(agents_.begin(), agents_.end(),
                               [&](const mcp_agent& x) { return x.id == id; }),
                agents_.end());
}

const mcp_agent* mcp_mesh::get(const std::string& id) const {
  for (auto& x : agents_)
    if (x.id == id)
      return &x;
  return nullptr;
}

std::vector<std::string> mcp_mesh::participant_ids() const {
  std::vector<std::string> out;
  for (auto& x : agents_)
    out.push_back(x.id);
  return out;
}

expected<tool_result> mcp_mesh::call(const std::string& to,
                                     const std::string& name, json arguments,
                                     int64_t timeout_ms) const {
  auto* x = get(to);
  if (x == nullptr)
    return make_error(errc::invalid_params,
                      "agent '" + to + "' is not in the mesh");
  auto t = make_transport(*x);
  if (!t)
    return std::move(t.error());
  mcp_client_options opts;
  opts.timeout = std::chrono::milliseconds{x->timeout_ms > 0 ? x->timeout_ms
                                                             : timeout_ms};
  mcp_client client{std::move(*t), opts};
  if (auto err = client.connect())
    return err;
  return client.call_tool(name, std::move(arguments));
}

expected<state> run_mcp_consensus(const mcp_mesh& mesh,
                                  const std::string& prompt, params ps,
                                  run_options opts) {
  if (mesh.size() == 0)
    return make_error(errc::no_participants, "the MCP mesh has no agents");
  ps.k = std::min<int32_t>(ps.k, static_cast<int32_t>(mesh.size()));
  std::vector<agent_ptr> agents;
  for (auto& x : mesh.agents())
    agents.push_back(make_agent(x, ps.timeout_ms));
  return run_agents(prompt, std::move(agents), std::move(ps), std::move(opts));
}

expected<mcp_mesh>
create_mesh(const std::map<std::string, std::string>& agents) {
  mcp_mesh out;
  for (auto& [id, where] : agents)
    if (auto err = out.add(id, where))
      return err;
  return out;
}

} // namespace caf::consensus::connectors
