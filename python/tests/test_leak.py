"""10,000 runs from Python with flat memory (resident set size)."""

import asyncio
import gc
import random

import caf_consensus.hanzo as hc


def rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def execute(p, prompt):
    if p == "c" and len(prompt) % 5 == 0:
        raise ValueError("sometimes fails")
    return hc.Result(p, f"{p} thinks {len(prompt) % 3} " + "word " * 20, True, ms=120)


async def many(n):
    for i in range(n):
        st = await hc.run(f"question {i}", ["a", "b", "c", "d"], execute, rounds=3)
        assert st.winner


def test_ten_thousand_runs_with_flat_memory():
    random.seed(0)
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(many(1000))  # warm up allocators and caches
        gc.collect()
        before = rss_kib()
        loop.run_until_complete(many(10000))
        gc.collect()
        after = rss_kib()
    finally:
        loop.close()
    # A leak of even 100 bytes per run would show as ~1 MB.
    assert after - before < 2048, f"RSS grew by {after - before} KiB over 10,000 runs"
