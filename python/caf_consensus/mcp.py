"""MCP mesh of the hanzo drop-in: agents given as local server objects (their
tools called in-process, as the reference does) or as remote MCP servers
(an ``http(s)://`` endpoint or ``stdio:COMMAND``), called through the
library's MCP client (libcaf_consensus_connectors) with a timeout."""

from __future__ import annotations

import asyncio
import inspect
import json
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from . import _core
from ._consensus import Consensus, Result, State

#: Tools ``MCPAgent.discuss`` tries, in order.
DISCUSS_TOOLS = ("think", "respond", "discuss", "agent")


def _server_tools(server: Any) -> Dict[str, Any]:
    """The tool table of a local server: ``server._tools`` (FastMCP style), or
    the official SDK's ``server._tool_manager._tools``."""
    tools = getattr(server, "_tools", None)
    if tools is None:
        manager = getattr(server, "_tool_manager", None)
        tools = getattr(manager, "_tools", None)
    return tools if isinstance(tools, dict) else {}


@dataclass
class MCPAgent:
    """An agent in the mesh: a local server object or a remote endpoint."""

    id: str
    server: Any
    endpoint: Optional[str] = None
    tools: List[str] = field(default_factory=list)

    #: Seconds a request to a remote server (tools/list, tools/call) may
    #: take, and seconds its start-up (launching a stdio server, the
    #: initialize handshake) may take, at least ``timeout``. Class attributes,
    #: not fields: set them on an agent or on the class.
    timeout = 60.0
    connect_timeout = 30.0

    def _connection(self):
        conn = self.__dict__.get("_conn")
        if conn is None:
            conn = _core.McpConnection(
                self.id,
                self.endpoint,
                max(1, int(self.timeout * 1000)),
                max(1, int(self.connect_timeout * 1000)),
            )
            self.__dict__["_conn"] = conn
        return conn

    def close(self) -> None:
        """Closes the connection to a remote server (if open)."""
        conn = self.__dict__.pop("_conn", None)
        if conn is not None:
            conn.close()

    async def call_tool(self, tool_name: str, **kwargs) -> str:
        """Calls tool ``tool_name`` with ``kwargs``; returns its text.

        Raises ValueError when the agent has no such tool, TimeoutError or
        ConnectionError when a remote server does not answer in time or
        cannot be reached, RuntimeError when a remote tool reports an error.
        """
        if self.server:
            for tool in _server_tools(self.server).values():
                if getattr(tool, "name", None) == tool_name:
                    out = tool.fn(**kwargs)
                    return await out if inspect.isawaitable(out) else out
            raise ValueError(f"Tool {tool_name} not found on agent {self.id}")
        if not self.endpoint:
            raise ValueError(f"Agent {self.id} has neither server nor endpoint")
        conn = self._connection()
        if not self.tools:
            self.tools = await asyncio.to_thread(conn.list_tools)
        if tool_name not in self.tools:
            raise ValueError(f"Tool {tool_name} not found on agent {self.id}")
        text, is_error = await asyncio.to_thread(
            conn.call_tool, tool_name, json.dumps(kwargs)
        )
        if is_error:
            raise RuntimeError(
                f"tool {tool_name} on agent {self.id} reported an error: {text}"
            )
        return text

    async def discuss(self, prompt: str, context: Dict[str, str]) -> str:
        """Answers a discussion prompt, shown ``context`` (agent -> response)
        of the previous round, with the first of ``DISCUSS_TOOLS`` it has."""
        shown = "\n\n".join(f"[{who}]: {said}" for who, said in context.items())
        full_prompt = "\n".join(
            [
                f"Discussion prompt: {prompt}",
                "",
                "Previous responses:",
                shown,
                "",
                "Please provide your perspective, building on or responding "
                "to the above.",
            ]
        )
        for name in DISCUSS_TOOLS:
            try:
                return await self.call_tool(name, prompt=full_prompt)
            except (ValueError, KeyError):
                continue
        return (
            f"[{self.id}] I acknowledge the discussion but have no specific "
            "tools to respond."
        )


class MCPMesh:
    """Agents that can call each other's tools."""

    def __init__(self):
        self.agents: Dict[str, MCPAgent] = {}
        self._lock = asyncio.Lock()

    def register(
        self,
        agent_id: str,
        server: Any = None,
        endpoint: Optional[str] = None,
    ) -> MCPAgent:
        """Adds (or replaces) agent ``agent_id``: a local ``server`` object or
        a remote ``endpoint`` (``http(s)://...`` or ``stdio:COMMAND``)."""
        if not server and not endpoint:
            raise ValueError("Must provide either server or endpoint")
        tools = list(_server_tools(server).keys()) if server else []
        old = self.agents.get(agent_id)
        if old is not None:
            old.close()
        agent = MCPAgent(id=agent_id, server=server, endpoint=endpoint, tools=tools)
        self.agents[agent_id] = agent
        return agent

    def unregister(self, agent_id: str) -> None:
        """Removes an agent (closing its connection)."""
        agent = self.agents.pop(agent_id, None)
        if agent is not None:
            agent.close()

    def get(self, agent_id: str) -> Optional[MCPAgent]:
        """Returns agent ``agent_id`` or None."""
        return self.agents.get(agent_id)

    @property
    def participant_ids(self) -> List[str]:
        """The ids of all agents, in registration order."""
        return list(self.agents)

    async def call(
        self, from_agent: str, to_agent: str, tool_name: str, **kwargs
    ) -> str:
        """Calls ``tool_name`` on ``to_agent`` (on behalf of ``from_agent``)."""
        target = self.agents.get(to_agent)
        if not target:
            raise ValueError(f"Agent {to_agent} not found in mesh")
        return await target.call_tool(tool_name, **kwargs)

    async def broadcast(self, from_agent: str, tool_name: str, **kwargs) -> Dict[str, str]:
        """Calls ``tool_name`` on every other agent at once; returns agent ->
        result, or ``"Error: ..."`` for an agent whose call failed."""

        async def one(aid: str):
            try:
                return aid, await self.agents[aid].call_tool(tool_name, **kwargs)
            except Exception as e:  # noqa: BLE001 - reported per agent
                return aid, f"Error: {e}"

        others = [aid for aid in self.agents if aid != from_agent]
        return dict(await asyncio.gather(*[one(aid) for aid in others]))


async def run_mcp_consensus(
    mesh: MCPMesh,
    prompt: str,
    rounds: int = 10,
    k: int = 3,
    alpha: float = 0.6,
    beta_1: float = 0.5,
    beta_2: float = 0.8,
    **options: Any,
) -> State:
    """Runs consensus among the mesh's agents: each round every agent
    ``discuss``es the round prompt, shown the previous round's responses.

    ``options``: ``policy``, ``seed``, ``timeout`` (see ``Consensus``).
    Returns the final ``State``; ``discussion_history`` holds every round.
    """
    history: List[Dict[str, str]] = []

    async def execute(agent_id: str, round_prompt: str) -> Result:
        start = time.time()
        agent = mesh.get(agent_id)
        if not agent:
            return Result(id=agent_id, output="", ok=False,
                          error=f"Agent {agent_id} not found")
        try:
            context = history[-1] if history else {}
            response = await agent.discuss(round_prompt, context)
        except Exception as e:  # noqa: BLE001 - a failed call
            return Result(id=agent_id, output="", ok=False, error=str(e))
        return Result(id=agent_id, output=response, ok=True,
                      ms=int((time.time() - start) * 1000))

    consensus = Consensus(
        participants=mesh.participant_ids,
        execute=execute,
        rounds=rounds,
        k=min(k, len(mesh.agents)),
        alpha=alpha,
        beta_1=beta_1,
        beta_2=beta_2,
        **options,
    )
    return await consensus._run(prompt, history)


def create_mesh(agents: Dict[str, Any]) -> MCPMesh:
    """A mesh from ``{agent_id: server object or endpoint string}``."""
    mesh = MCPMesh()
    for agent_id, config in agents.items():
        if isinstance(config, str):
            mesh.register(agent_id, endpoint=config)
        else:
            mesh.register(agent_id, server=config)
    return mesh
