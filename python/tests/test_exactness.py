"""Exactness of caf_consensus.hanzo against hanzo-consensus 0.1.0: the same
State (every field, floats bit for bit) and the same global `random` state
afterwards, for the shared conformance cases (checked against their recorded
outputs everywhere, and against the reference itself where it is installed)
and for several hundred random cases (reference needed)."""

import asyncio
import json
import os
import random

import pytest

import caf_consensus.hanzo as hc
from conftest import SOURCE_DIR

CASES = json.load(open(os.path.join(SOURCE_DIR, "tests", "data", "hanzo-0.1.0.json")))["cases"]


def exact(x):
    """Floats as hex (bit-exact comparison), containers recursively."""
    if isinstance(x, float):
        return ("float", x.hex())
    if isinstance(x, dict):
        return {k: exact(v) for k, v in x.items()}, list(x)
    if isinstance(x, (list, tuple)):
        return [exact(v) for v in x]
    return (type(x).__name__, x)


def fields(state):
    """Every State field except discussion_history (filled only here)."""
    return {name: exact(getattr(state, name)) for name in (
        "prompt", "participants", "rounds", "k", "alpha", "beta_1", "beta_2",
        "responses", "confidence", "luminance", "finalized", "winner",
        "synthesis")}


def scripted(result_cls, script, prompts, draws=0):
    """An execute replaying `script` (agent -> list of result dicts); each
    call may draw from the global random module first (as user code may)."""
    calls = {}

    async def execute(agent, prompt):
        for _ in range(draws):
            random.random()
        i = calls.get(agent, 0)
        calls[agent] = i + 1
        prompts.append((agent, prompt))
        await asyncio.sleep(0)
        xs = script[agent]
        r = xs[min(i, len(xs) - 1)]
        return result_cls(id=agent, output=r["output"], ok=r["ok"],
                          error=r.get("error"), ms=r["ms"])

    return execute


def run_with(mod, inp, draws=0, seed_key="seed"):
    prompts = []
    random.seed(inp[seed_key])
    execute = scripted(mod.Result, inp["script"], prompts, draws)
    try:
        st = asyncio.run(mod.run(prompt=inp["prompt"], participants=list(inp["participants"]),
                                 execute=execute, rounds=inp["rounds"], k=inp["k"],
                                 alpha=inp["alpha"], beta_1=inp["beta_1"],
                                 beta_2=inp["beta_2"]))
    except Exception as e:  # noqa: BLE001
        return ("error", type(e).__name__), prompts, random.getstate()
    return st, prompts, random.getstate()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_conformance_case_matches_recorded_output(case):
    out = case["output"]
    st, prompts, _ = run_with(hc, case["input"])
    if out["error"] is not None:
        assert isinstance(st, tuple), "the reference fails on this input"
        return
    assert st.winner == out["winner"]
    assert st.finalized == out["finalized"]
    assert st.synthesis == out["synthesis"]
    assert st.responses == out["responses"]
    for p in st.participants:
        assert st.confidence[p].hex() == float.fromhex(out["confidence_hex"][p]).hex()
        assert st.luminance[p].hex() == float.fromhex(out["luminance_hex"][p]).hex()
    assert st.k == out["state_k"] and st.rounds == out["state_rounds"]
    # The prompts each round sent (round r: the same text to everyone).
    by_round = {}
    for agent, prompt in prompts:
        by_round.setdefault(agent, []).append(prompt)
    for agent, ps in by_round.items():
        assert ps == out["round_prompts"][: len(ps)]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_conformance_case_matches_the_reference(reference, case):
    compare(reference, case["input"])


def compare(reference, inp, draws=0):
    theirs, their_prompts, their_rng = run_with(reference, inp, draws)
    mine, my_prompts, my_rng = run_with(hc, inp, draws)
    if isinstance(theirs, tuple):
        assert isinstance(mine, tuple), f"the reference failed: {theirs}"
        return
    assert fields(mine) == fields(theirs)
    assert mine.participants is not None
    assert my_prompts == their_prompts
    assert my_rng == their_rng, "the global random state differs afterwards"


WORDS = ["use", "retries", "with", "backoff", "exponential", "caching", "the",
         "a", "Answer", "42", "ÄÖü", "ß", "İ", "naïve", "x\u00a0y", "", "  "]


def random_case(rng, i):
    n = rng.randint(1, 7)
    names = rng.sample(["claude", "gpt-4", "gemini", "llama", "ß-agent", "a", "b",
                        "c", "Ω", "z"], n)
    rounds = rng.choice([-1, 0, 1, 2, 3, 4, 6, 10])
    script = {}
    for p in names:
        xs = []
        for _ in range(max(rounds, 0) + 1):
            ok = rng.random() > 0.15
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 8)))
            if rng.random() < 0.05:
                text = text * 300  # longer than the 1000-character cut
            xs.append({"output": text, "ok": ok,
                       "error": None if ok else "boom",
                       "ms": rng.choice([0, -5, 1, 99, 250, 1000, 2999, 10**6])})
        script[p] = xs
    seed = rng.choice([0, 1, 42, -7, 2**32, 2**63 + 1, 2**64, -(2**70) - 11,
                       rng.getrandbits(rng.randint(1, 400)), rng.randint(-10**30, 10**30)])
    return {"prompt": f"Question {i}: " + " ".join(rng.choice(WORDS) for _ in range(5)),
            "participants": names, "rounds": rounds,
            "k": rng.choice([-1, 0, 1, 2, 3, 5, 9]),
            "alpha": rng.random(), "beta_1": rng.choice([0.0, 0.2, 0.5, 0.7, 0.9, 1.0, 1.5]),
            "beta_2": rng.choice([0.0, 0.1, 0.3, 0.5, 0.8, 1.0]),
            "seed": seed, "script": script}


@pytest.mark.parametrize("block", range(8))
def test_random_cases_match_the_reference(reference, block):
    rng = random.Random(1000 + block)
    for i in range(50):  # 8 x 50 = 400 cases
        inp = random_case(rng, i)
        compare(reference, inp, draws=rng.choice([0, 0, 1, 3]))


def test_the_state_after_gauss_is_kept(reference):
    """getstate()'s third item (gauss_next) is carried through."""
    inp = random_case(random.Random(5), 0)
    inp["rounds"] = 3
    for mod in (reference, hc):
        random.seed(inp["seed"])
        random.gauss(0, 1)  # leaves gauss_next set
        asyncio.run(mod.run(inp["prompt"], inp["participants"],
                            scripted(mod.Result, inp["script"], []), rounds=3))
        if mod is reference:
            want = random.getstate()
        else:
            assert random.getstate() == want
            assert want[2] is not None


@pytest.mark.parametrize("n", [0, 1, -1, 42, 2**32 - 1, 2**32, 2**63, -(2**63), 2**64 + 5,
                               3**200, -(7**150), 10**300])
def test_seeding_matches_random_seed(n):
    """The library's MT19937 seeded with n is random.seed(n)'s generator."""
    from caf_consensus import _core
    from caf_consensus._consensus import _seed_words
    random.seed(n)
    assert _core.mt_from_seed(_seed_words(n)) == random.getstate()[1]
