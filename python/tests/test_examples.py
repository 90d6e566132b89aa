"""The examples of python/examples (the reference README's, ported) run, and
the quick start prints what the reference prints."""

import contextlib
import io
import os
import random
import re
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "examples")


def run_example(name, module="caf_consensus.hanzo", seed=3):
    src = open(os.path.join(EXAMPLES, name)).read()
    src = src.replace("from caf_consensus.hanzo import", f"from {module} import")
    out = io.StringIO()
    argv = sys.argv
    sys.argv = [name]
    random.seed(seed)
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(src, name, "exec"), {"__name__": "__main__"})
    finally:
        sys.argv = argv
    return out.getvalue()


def test_quick_start_prints_winner_and_synthesis():
    out = run_example("quickstart.py")
    assert re.match(r"Winner: agent\d\nSynthesis: .+\n$", out), out


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 2**80])
def test_quick_start_prints_what_the_reference_prints(reference, seed):
    assert run_example("quickstart.py", seed=seed) == run_example(
        "quickstart.py", module="hanzo_consensus", seed=seed)


def test_mcp_mesh_example_prints_every_round():
    out = run_example("mcp_mesh.py")
    assert out.startswith("Round 1:\n  [claude]: Split the monolith")
    assert "  [gemini]: Keep the monolith and modularize it...\n" in out
    assert "Split the monolith along its data boundaries first\n" in out
    assert "{'gpt4': 'Split the monolith along its data boundaries first', " \
           "'gemini': 'Keep the monolith and modularize it'}" in out
    assert "Winner: " in out


def test_quick_start_as_a_script():
    env = dict(os.environ)
    p = subprocess.run([sys.executable, os.path.join(EXAMPLES, "quickstart.py")],
                       capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("Winner: agent")


NODE = os.environ.get("CAF_CONSENSUS_NODE", "")
SERVER = os.path.join(os.environ.get("CAF_CONSENSUS_NODE_DIR", ""), "tool_server.mjs")


@pytest.mark.skipif(not (NODE and os.path.isfile(SERVER)),
                    reason="the SDK test servers are not set up (ctest sets them up)")
def test_mcp_mesh_example_with_remote_servers():
    endpoints = [f"stdio:{NODE} {SERVER} --answer {a}" for a in ("Alpha", "Beta", "Alpha")]
    p = subprocess.run([sys.executable, os.path.join(EXAMPLES, "mcp_mesh.py"), *endpoints],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("Round 1:\n  [claude]: Alpha...\n  [gpt4]: Beta...\n"
                               "  [gemini]: Alpha...\n")
    assert "Winner: " in p.stdout
