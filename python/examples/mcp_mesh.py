"""The MCP mesh example of hanzo-consensus's README, with the import changed.

    PYTHONPATH=build/python python3 python/examples/mcp_mesh.py [ENDPOINT...]

The three agents are local server objects (tools in `_tools`, as a FastMCP
server keeps them). Each ENDPOINT given (an http(s):// URL of an MCP server
or `stdio:COMMAND`) replaces one of them by a remote MCP server.
"""

import asyncio
import sys

from caf_consensus.hanzo import MCPMesh, run_mcp_consensus  # was: from hanzo_consensus import ...


class Tool:
    def __init__(self, name, fn):
        self.name = name
        self.fn = fn


def local_server(answer):
    """A FastMCP-style server with a `think` tool that gives `answer`."""

    async def think(prompt):
        await asyncio.sleep(0.05)
        return answer

    server = type("Server", (), {})()
    server._tools = {"think": Tool("think", think)}
    return server


claude_server = local_server("Split the monolith along its data boundaries")
gpt4_server = local_server("Split the monolith along its data boundaries first")
gemini_server = local_server("Keep the monolith and modularize it")


async def main():
    # Create mesh of agents
    mesh = MCPMesh()
    servers = [claude_server, gpt4_server, gemini_server]
    for name, endpoint in zip(["claude", "gpt4", "gemini"], sys.argv[1:]):
        mesh.register(name, endpoint=endpoint)
    for name, server in zip(["claude", "gpt4", "gemini"], servers):
        if mesh.get(name) is None:
            mesh.register(name, server)

    # Run 10 rounds of discussion
    state = await run_mcp_consensus(
        mesh=mesh,
        prompt="Discuss the architecture",
        rounds=10,
    )

    # Access discussion history
    for i, round_responses in enumerate(state.discussion_history):
        print(f"Round {i+1}:")
        for agent, response in round_responses.items():
            print(f"  [{agent}]: {response[:100]}...")

    # Call tool on specific agent
    result = await mesh.call("claude", "gpt4", "think", prompt="What do you think?")
    print(result)

    # Broadcast to all agents
    results = await mesh.broadcast("claude", "think", prompt="New proposal...")
    print(results)
    print(f"Winner: {state.winner}")


asyncio.run(main())
