"""The calls of one round overlap (asyncio.gather), the engine releases the
GIL, remote MCP calls run in threads."""

import asyncio
import threading
import time

import caf_consensus.hanzo as hc
from caf_consensus import _core


def test_eight_sleepers_finish_a_round_in_about_one_sleep():
    started = []

    async def execute(p, prompt):
        started.append(time.monotonic())
        await asyncio.sleep(0.1)
        return hc.Result(p, "the same answer", True, ms=100)

    participants = [f"agent{i}" for i in range(8)]
    t0 = time.monotonic()
    # rounds=1: the initial proposals and one refinement round.
    state = asyncio.run(hc.run("q", participants, execute, rounds=1, seed=1))
    took = time.monotonic() - t0
    assert len(started) == 16
    assert all(len(v) == 2 for v in state.responses.values())
    # Two rounds of 100 ms each: about 0.2 s, far from 1.6 s sequentially.
    assert took < 0.45, f"two rounds took {took:.3f} s"
    assert took >= 0.2
    # The eight calls of a round start together.
    assert max(started[:8]) - min(started[:8]) < 0.05


def test_other_tasks_run_while_a_consensus_waits():
    ticks = []

    async def ticker():
        for _ in range(5):
            ticks.append(time.monotonic())
            await asyncio.sleep(0.02)

    async def execute(p, prompt):
        await asyncio.sleep(0.05)
        return hc.Result(p, "x", True, ms=1)

    async def main():
        t = asyncio.create_task(ticker())
        await hc.run("q", ["a", "b"], execute, rounds=1, seed=1)
        await t

    asyncio.run(main())
    assert len(ticks) == 5


def test_the_engine_releases_the_gil():
    """A Python thread keeps running while another thread completes a round
    of 2,000 participants with long outputs inside the engine."""
    n = 2000
    text = " ".join(f"w{i}" for i in range(400))
    eng = _core.Engine("q", [f"p{i}" for i in range(n)],
                       {"policy": "metastable", "rounds": 1, "k": 50,
                        "seed": (False, [1])})
    eng.complete([(text, True, None, 10, False)] * n)
    results = [(text + f" x{i}", True, None, 10, False) for i in range(n)]
    counter = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            counter[0] += 1

    t = threading.Thread(target=spin)
    t.start()
    time.sleep(0.01)
    before = counter[0]
    t0 = time.monotonic()
    eng.complete(results)
    busy = time.monotonic() - t0
    during = counter[0] - before
    stop.set()
    t.join()
    assert busy > 0.02, f"the round took only {busy:.4f} s: too short to tell"
    # Without the GIL released the spinning thread would hardly advance.
    assert during > 1000, f"{during} increments in {busy:.3f} s"


def test_immediate_suspended_and_failing_calls_mix():
    async def execute(p, prompt):
        if p == "now":
            return hc.Result(p, "answer one", True, ms=5)
        if p == "raises-now":
            raise KeyError("at once")
        await asyncio.sleep(0.01)
        if p == "raises-later":
            raise ValueError("after a while")
        await asyncio.sleep(0)  # suspends with a bare yield
        return hc.Result(p, "answer one", True, ms=5)

    def future_call(p, prompt):  # not a coroutine: an awaitable Future
        fut = asyncio.get_running_loop().create_future()
        fut.set_result(hc.Result(p, "answer one", True, ms=5))
        return fut

    async def execute_any(p, prompt):
        return await execute(p, prompt)

    ids = ["now", "raises-now", "later", "raises-later"]
    state = asyncio.run(hc.run("q", ids, execute, rounds=2, seed=3))
    assert state.responses["now"][0] == "answer one"
    assert state.responses["later"][0] == "answer one"
    assert set(state.responses["raises-now"]) == {""}
    assert set(state.responses["raises-later"]) == {""}

    def mixed(p, prompt):
        return future_call(p, prompt) if p == "fut" else execute_any(p, prompt)

    state = asyncio.run(hc.run("q", ["fut", "later"], mixed, rounds=1, seed=3))
    assert state.responses["fut"] == ["answer one", "answer one"]


def test_cancelling_a_run_cancels_its_calls():
    cancelled = []

    async def execute(p, prompt):
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancelled.append(p)
            raise
        return hc.Result(p, "x", True)

    async def main():
        t = asyncio.create_task(hc.run("q", ["a", "b", "c"], execute, seed=1))
        await asyncio.sleep(0.05)
        t.cancel()
        try:
            await t
        except asyncio.CancelledError:
            return "cancelled"

    t0 = time.monotonic()
    assert asyncio.run(main()) == "cancelled"
    assert time.monotonic() - t0 < 2
    assert sorted(cancelled) == ["a", "b", "c"]
