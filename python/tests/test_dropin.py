"""The drop-in API of caf_consensus.hanzo: names, signatures, behaviour."""

import asyncio
import dataclasses
import inspect
import random
import time

import pytest

import caf_consensus.hanzo as hc

EXPECTED_ALL = [
    "Consensus", "State", "Result", "run",
    "MCPMesh", "MCPAgent", "run_mcp_consensus", "create_mesh",
]


def params_of(fn):
    """(name, kind, default) of every parameter, without annotations."""
    return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()
            if p.kind != inspect.Parameter.VAR_KEYWORD or p.name == "kwargs"]


def test_all_names_exist():
    assert sorted(hc.__all__) == sorted(EXPECTED_ALL)
    for name in EXPECTED_ALL:
        assert hasattr(hc, name), name


def test_same_all_as_the_reference(reference):
    assert sorted(hc.__all__) == sorted(reference.__all__)


def dataclass_fields(cls):
    return [(f.name, f.default if f.default is not dataclasses.MISSING else None,
             f.default_factory if f.default_factory is not dataclasses.MISSING else None)
            for f in dataclasses.fields(cls)]


@pytest.mark.parametrize("name", ["Result", "State", "MCPAgent"])
def test_dataclasses_match_the_reference(reference, name):
    mine = dataclass_fields(getattr(hc, name))
    theirs = dataclass_fields(getattr(reference, name))
    assert mine == theirs


def test_consensus_fields_extend_the_reference(reference):
    mine = dataclass_fields(hc.Consensus)
    theirs = dataclass_fields(reference.Consensus)
    assert mine[: len(theirs)] == theirs
    assert [f[0] for f in mine[len(theirs):]] == ["policy", "seed", "timeout"]


@pytest.mark.parametrize("path", [
    "run", "run_mcp_consensus", "create_mesh", "MCPMesh.register",
    "MCPMesh.unregister", "MCPMesh.get", "MCPMesh.call", "MCPMesh.broadcast",
    "MCPAgent.call_tool", "MCPAgent.discuss", "Consensus.run",
])
def test_signatures_match_the_reference(reference, path):
    def resolve(mod):
        obj = mod
        for part in path.split("."):
            obj = getattr(obj, part)
        return obj

    mine = [(p.name, p.kind, p.default) for p in inspect.signature(resolve(hc)).parameters.values()
            if p.name != "options"]
    theirs = [(p.name, p.kind, p.default)
              for p in inspect.signature(resolve(reference)).parameters.values()]
    assert mine == theirs
    assert inspect.iscoroutinefunction(resolve(hc)) == inspect.iscoroutinefunction(
        resolve(reference))


def test_participant_ids_is_a_property():
    assert isinstance(hc.MCPMesh.__dict__["participant_ids"], property)


async def echo(participant, prompt):
    await asyncio.sleep(0)
    return hc.Result(id=participant, output="use retries with backoff",
                     ok=True, ms=100)


def test_quick_start_runs_and_returns_a_state():
    random.seed(7)
    state = asyncio.run(hc.run(prompt="What is the best approach?",
                               participants=["agent1", "agent2", "agent3"],
                               execute=echo, rounds=3))
    assert isinstance(state, hc.State)
    assert state.winner == "agent1"  # equal scores: the first wins
    assert state.synthesis == "use retries with backoff"
    assert state.k == 3 and state.rounds == 3
    assert list(state.responses) == ["agent1", "agent2", "agent3"]
    # The three agree fully: confidence 0.5 after round 1, beta_1 stops.
    assert state.confidence == {"agent1": 0.5, "agent2": 0.5, "agent3": 0.5}
    assert all(len(v) == 2 for v in state.responses.values())
    assert state.luminance["agent1"] == 1.0 / 1.1
    assert not state.finalized


def test_discussion_history_holds_every_round():
    random.seed(1)
    state = asyncio.run(hc.run("q", ["a", "b"], echo, rounds=2))
    assert len(state.discussion_history) == len(state.responses["a"])
    for i, rnd in enumerate(state.discussion_history):
        assert rnd == {p: state.responses[p][i] for p in ("a", "b")}


def test_an_exception_is_a_failed_call():
    async def execute(p, prompt):
        if p == "bad":
            raise RuntimeError("model down")
        return hc.Result(id=p, output="same answer", ok=True, ms=10)

    random.seed(3)
    state = asyncio.run(hc.run("q", ["good", "bad"], execute, rounds=2))
    n = len(state.responses["good"])
    assert n >= 2 and state.responses["bad"] == [""] * n
    assert state.confidence["bad"] == 0.0
    assert state.luminance["bad"] == 1.0
    assert state.winner == "good"


def test_a_non_result_is_a_failed_call():
    async def execute(p, prompt):
        return "not a Result" if p == "odd" else hc.Result(p, "x y", True, ms=5)

    state = asyncio.run(hc.run("q", ["ok", "odd"], execute, rounds=1, seed=1))
    assert state.responses["odd"] == ["", ""]
    assert state.confidence["odd"] == 0.0


def test_timeout_keyword_fails_slow_calls():
    async def execute(p, prompt):
        if p == "slow":
            await asyncio.sleep(5)
        return hc.Result(p, "fast answer", True, ms=1)

    t0 = time.monotonic()
    state = asyncio.run(hc.run("q", ["fast", "slow"], execute, rounds=1,
                               timeout=0.05, seed=2))
    assert time.monotonic() - t0 < 1.0
    assert state.responses["slow"] == ["", ""]
    assert state.winner == "fast"


def test_bad_input_is_a_value_error_before_any_call():
    calls = []

    async def execute(p, prompt):
        calls.append(p)
        return hc.Result(p, "x", True)

    for participants in ([], ["a", "a"], ["a", ""]):
        with pytest.raises(ValueError):
            asyncio.run(hc.run("q", participants, execute))
    assert calls == []


@pytest.mark.parametrize("policy", ["metastable", "snowball", "vote"])
def test_other_policies_are_selectable(policy):
    async def execute(p, prompt):
        return hc.Result(p, "answer 42", True, ms=10)

    before = random.getstate()
    state = asyncio.run(hc.run("q", ["a", "b", "c"], execute, policy=policy, seed=5))
    assert state.winner in ("a", "b", "c")
    assert state.synthesis == "answer 42"
    assert random.getstate() == before  # an explicit seed: global state untouched


def test_unknown_policy_is_a_value_error():
    with pytest.raises(ValueError, match="nope"):
        asyncio.run(hc.run("q", ["a"], echo, policy="nope"))


def test_explicit_seed_is_reproducible_and_leaves_random_alone():
    async def execute(p, prompt):
        return hc.Result(p, f"{p} says {len(prompt) % 7}", True, ms=len(p) * 100)

    before = random.getstate()
    a = asyncio.run(hc.run("q", list("abcdef"), execute, k=2, seed=2**70 + 3))
    b = asyncio.run(hc.run("q", list("abcdef"), execute, k=2, seed=2**70 + 3))
    assert a == b
    assert random.getstate() == before
