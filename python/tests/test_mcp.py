"""The MCP mesh of the drop-in: local server objects in-process (as the
reference), remote agents through the library's MCP client against servers
built on the official MCP TypeScript SDK (tests/connectors/node)."""

import asyncio
import os
import shlex
import subprocess
import time

import pytest

import caf_consensus.hanzo as hc

NODE = os.environ.get("CAF_CONSENSUS_NODE", "")
NODE_DIR = os.environ.get("CAF_CONSENSUS_NODE_DIR", "")
SERVER = os.path.join(NODE_DIR, "tool_server.mjs")

needs_node = pytest.mark.skipif(
    not (NODE and os.path.isfile(SERVER)
         and os.path.isdir(os.path.join(NODE_DIR, "node_modules", "@modelcontextprotocol"))),
    reason="the SDK test servers are not set up (CAF_CONSENSUS_NODE, "
           "CAF_CONSENSUS_NODE_DIR with node_modules; ctest sets them up)")


def stdio(*args):
    return "stdio:" + " ".join(shlex.quote(x) for x in [NODE, SERVER, *args])


class Tool:
    def __init__(self, name, fn):
        self.name = name
        self.fn = fn


class LocalServer:
    """A FastMCP-style server object: tools in `_tools`."""

    def __init__(self, answer):
        async def think(prompt):
            await asyncio.sleep(0.01)
            return answer

        async def echo(text):
            return text

        self._tools = {"think": Tool("think", think), "echo": Tool("echo", echo)}


@pytest.fixture
def http_server():
    proc = subprocess.Popen([NODE, SERVER, "--http", "--answer", "From HTTP"],
                            stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line.startswith("LISTENING "), line
    yield line.split()[1]
    proc.terminate()
    proc.wait(10)


def test_local_servers_in_process():
    mesh = hc.create_mesh({"a": LocalServer("alpha"), "b": LocalServer("beta")})
    assert mesh.participant_ids == ["a", "b"]
    assert mesh.get("a").tools == ["think", "echo"]
    assert asyncio.run(mesh.call("a", "b", "echo", text="hi")) == "hi"
    assert asyncio.run(mesh.broadcast("a", "think", prompt="p")) == {"b": "beta"}
    with pytest.raises(ValueError):
        asyncio.run(mesh.call("a", "b", "nope"))
    with pytest.raises(ValueError):
        asyncio.run(mesh.call("a", "zzz", "echo", text="x"))
    state = asyncio.run(hc.run_mcp_consensus(mesh, "Discuss", rounds=2, seed=4))
    assert state.responses["a"][0] == "alpha"
    assert len(state.discussion_history) == len(state.responses["a"])
    assert state.discussion_history[0] == {"a": "alpha", "b": "beta"}
    mesh.unregister("b")
    assert mesh.get("b") is None and mesh.participant_ids == ["a"]


def test_register_needs_server_or_endpoint():
    with pytest.raises(ValueError):
        hc.MCPMesh().register("x")


def test_agent_without_known_tools_acknowledges():
    mesh = hc.MCPMesh()
    mesh.register("quiet", server=type("S", (), {"_tools": {}})())
    text = asyncio.run(mesh.get("quiet").discuss("p", {}))
    assert text == "[quiet] I acknowledge the discussion but have no specific tools to respond."


@needs_node
def test_remote_stdio_and_http_agents(http_server):
    mesh = hc.create_mesh({
        "claude": stdio("--answer", "Use retries"),
        "gpt4": stdio("--answer", "Use caching"),
        "gemini": http_server,
    })
    try:
        assert asyncio.run(mesh.call("claude", "gpt4", "echo", text="hello")) == "hello"
        got = asyncio.run(mesh.broadcast("claude", "echo", text="all"))
        assert got == {"gpt4": "all", "gemini": "all"}
        state = asyncio.run(hc.run_mcp_consensus(mesh=mesh, prompt="Discuss", rounds=3, seed=9))
        assert [state.responses[p][0] for p in ("claude", "gpt4", "gemini")] == [
            "Use retries", "Use caching", "From HTTP"]
        answers = {"Use retries", "Use caching", "From HTTP"}
        for p, texts in state.responses.items():
            assert set(texts) <= answers, (p, texts)
        assert len(state.discussion_history) == len(state.responses["claude"])
        assert state.winner in mesh.participant_ids
    finally:
        for a in mesh.agents.values():
            a.close()


@needs_node
def test_remote_missing_tool_is_a_value_error():
    mesh = hc.create_mesh({"a": stdio("--tool", "respond")})
    try:
        with pytest.raises(ValueError, match="think"):
            asyncio.run(mesh.call("x", "a", "think", prompt="p"))
        # discuss falls back to the next tool name, as the reference does.
        assert asyncio.run(mesh.get("a").discuss("p", {})) == "The answer is 42"
    finally:
        mesh.get("a").close()


@needs_node
def test_remote_tool_error_and_timeout_and_unreachable():
    mesh = hc.create_mesh({"err": stdio("--fault", "error"),
                           "stall": stdio("--fault", "stall"),
                           "gone": "http://127.0.0.1:9/mcp"})
    mesh.get("stall").timeout = 1.0
    mesh.get("gone").timeout = 2.0
    try:
        with pytest.raises(RuntimeError, match="reported an error"):
            asyncio.run(mesh.call("x", "err", "think", prompt="p"))
        # Connected first: the bound of start-up is connect_timeout (30 s).
        assert asyncio.run(mesh.call("x", "stall", "echo", text="up")) == "up"
        t0 = time.monotonic()
        with pytest.raises(TimeoutError, match="stall.*tools/call 'think'.*1000 ms"):
            asyncio.run(mesh.call("x", "stall", "think", prompt="p"))
        assert 0.9 < time.monotonic() - t0 < 5
        with pytest.raises(ConnectionError, match="gone"):
            asyncio.run(mesh.call("x", "gone", "think", prompt="p"))
        # In a consensus run these are failed calls; the others go on.
        mesh.register("ok", endpoint=stdio("--answer", "fine"))
        state = asyncio.run(hc.run_mcp_consensus(mesh, "q", rounds=1, seed=1))
        assert state.responses["ok"][0] == "fine"
        for p in ("err", "stall", "gone"):
            assert state.responses[p] == ["", ""], p
        assert state.luminance["err"] == 1.0  # failed: latency not counted
    finally:
        for a in mesh.agents.values():
            a.close()


@needs_node
def test_remote_calls_of_a_round_overlap():
    mesh = hc.create_mesh({f"s{i}": stdio("--fault", "slow=400") for i in range(4)})
    try:
        # Connect first (node start-up is not what is measured).
        asyncio.run(mesh.broadcast("none", "echo", text="warm"))
        t0 = time.monotonic()
        got = asyncio.run(mesh.broadcast("none", "think", prompt="p"))
        took = time.monotonic() - t0
        assert set(got.values()) == {"The answer is 42"}
        assert took < 1.2, f"4 calls of 400 ms took {took:.2f} s"
    finally:
        for a in mesh.agents.values():
            a.close()


def test_bad_endpoint_is_a_value_error():
    with pytest.raises(ValueError):
        asyncio.run(hc.MCPAgent("x", None, endpoint="ftp://nope").call_tool("t"))
