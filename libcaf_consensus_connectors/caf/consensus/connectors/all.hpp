// caf-consensus: umbrella header of the connectors (real agents).

#pragma once

#include "caf/consensus/connectors/agent.hpp"
#include "caf/consensus/connectors/agent_spec.hpp"
#include "caf/consensus/connectors/command_line.hpp"
#include "caf/consensus/connectors/http.hpp"
#include "caf/consensus/connectors/http_transport.hpp"
#include "caf/consensus/connectors/json_rpc.hpp"
#include "caf/consensus/connectors/mcp_agent.hpp"
#include "caf/consensus/connectors/mcp_client.hpp"
#include "caf/consensus/connectors/mcp_mesh.hpp"
#include "caf/consensus/connectors/mcp_server.hpp"
#include "caf/consensus/connectors/openai_agent.hpp"
#include "caf/consensus/connectors/process.hpp"
#include "caf/consensus/connectors/report.hpp"
#include "caf/consensus/connectors/run.hpp"
#include "caf/consensus/connectors/run_process.hpp"
#include "caf/consensus/connectors/sse.hpp"
#include "caf/consensus/connectors/stdio_transport.hpp"
#include "caf/consensus/connectors/terminal.hpp"
#include "caf/consensus/connectors/transport.hpp"
