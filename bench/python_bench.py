#!/usr/bin/env python3
"""Runs/s of caf_consensus.hanzo (native engine) against the pure-Python
reference hanzo-consensus 0.1.0, side by side in one process.

    PYTHONPATH=BUILD/python python3 bench/python_bench.py [--rounds N] [--min-time S]

For every shape both sides run the same protocol (policy hanzo, the global
random module seeded alike) with the same scripted `execute` that returns a
pre-built Result at once, so only protocol overhead is timed: asyncio task
creation and gathering, prompt building, sampling, agreement. The sides
alternate in short blocks, ROUNDS times, so that a change of machine load
hits both alike; each figure is the best runs/s of its side. Every shape is
checked first: both sides must return the same State.

The reference is looked up in REFERENCE_DIR (default ../shared/reference
beside the repository); it is imported from there, never copied. Without it
only the drop-in's figures are printed.
"""

import argparse
import asyncio
import os
import platform
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WORDS = ("cache queue retry backoff shard replica index latency stream window "
         "commit rollback leader follower quorum vote sample round finality "
         "threshold agent model prompt token write read lock async batch "
         "partition consistent eventual strong the a use redis postgres "
         "mutex throughput").split()

# (label, agents, rounds, k, beta_1, words per output)
SHAPES = [
    ("S forced, 50 words", 5, 3, 3, 2.0, 50),
    ("S default, 50 words", 5, 3, 3, 0.5, 50),
    ("S forced, 300 words", 5, 3, 3, 2.0, 300),
    ("M forced, 50 words", 50, 5, 3, 2.0, 50),
    ("M forced, 300 words", 50, 5, 3, 2.0, 300),
]


def load_reference():
    where = os.environ.get("REFERENCE_DIR") or os.path.normpath(
        os.path.join(HERE, "..", "..", "shared", "reference"))
    if not os.path.isfile(os.path.join(where, "hanzo_consensus", "consensus.py")):
        return None, where
    sys.path.insert(0, where)
    import hanzo_consensus
    return hanzo_consensus, where


def make_script(agents, rounds, words, seed):
    rng = random.Random(seed)
    script = {}
    for a in range(agents):
        pid = f"agent{a:03d}"
        script[pid] = [(" ".join(rng.choice(WORDS) for _ in range(words)),
                        rng.randint(50, 3000)) for _ in range(rounds + 1)]
    return script


def make_execute(mod, script, rounds):
    results = {p: [mod.Result(id=p, output=o, ok=True, ms=ms) for o, ms in xs]
               for p, xs in script.items()}
    counters = dict.fromkeys(script, 0)

    async def execute(pid, prompt):
        i = counters[pid]
        counters[pid] = i + 1
        return results[pid][min(i, rounds)]

    def reset():
        for p in counters:
            counters[p] = 0

    return execute, reset


def bench_side(mod, shape, script, min_time):
    """Best-effort runs/s of `mod` on `shape`: many runs in one event loop,
    for at least `min_time` seconds."""
    _, agents, rounds, k, beta_1, _ = shape
    execute, reset = make_execute(mod, script, rounds)
    c = mod.Consensus(participants=list(script), execute=execute, rounds=rounds,
                      k=k, beta_1=beta_1)

    async def loop():
        n = 0
        t0 = time.perf_counter()
        while True:
            for _ in range(10):
                reset()
                await c.run("What is the best approach?")
            n += 10
            took = time.perf_counter() - t0
            if took >= min_time:
                return n / took

    random.seed(2026)
    return asyncio.run(loop())


def same_state(ref, mine, shape, script):
    """Both sides give the same State (discussion_history aside)."""
    _, agents, rounds, k, beta_1, _ = shape
    out = []
    for mod in (ref, mine):
        execute, reset = make_execute(mod, script, rounds)
        random.seed(7)
        st = asyncio.run(mod.run("What is the best approach?", list(script), execute,
                                 rounds=rounds, k=k, beta_1=beta_1))
        st.discussion_history = []
        out.append((st.winner, st.finalized, st.synthesis, st.responses,
                    {p: x.hex() for p, x in st.confidence.items()},
                    {p: x.hex() for p, x in st.luminance.items()}, random.getstate()))
    return out[0] == out[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=int(os.environ.get("ROUNDS", 5)),
                    help="alternations of the two sides per shape (default 5)")
    ap.add_argument("--min-time", type=float, default=0.3,
                    help="seconds per timed block (default 0.3)")
    args = ap.parse_args()
    import caf_consensus.hanzo as mine
    ref, where = load_reference()
    print(f"python {platform.python_version()} ({sys.executable}), "
          f"{platform.machine()}, {os.cpu_count()} cores; reference: "
          + (where if ref else f"not found in {where}"))
    print(f"best of {args.rounds} alternating blocks of >= {args.min_time} s per side\n")
    head = f"| {'shape':<22} | {'drop-in runs/s':>14} |"
    if ref:
        head += f" {'reference runs/s':>16} | {'ratio':>6} |"
    print(head)
    print("|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|")
    for shape in SHAPES:
        label, agents, rounds, _, _, words = shape
        script = make_script(agents, rounds, words, seed=1)
        if ref and not same_state(ref, mine, shape, script):
            print(f"{label}: the two sides disagree; not timed")
            continue
        best_mine = best_ref = 0.0
        for _ in range(args.rounds):
            best_mine = max(best_mine, bench_side(mine, shape, script, args.min_time))
            if ref:
                best_ref = max(best_ref, bench_side(ref, shape, script, args.min_time))
        line = f"| {label:<22} | {best_mine:>14,.0f} |"
        if ref:
            line += f" {best_ref:>16,.0f} | {best_mine / best_ref:>5.2f}x |"
        print(line, flush=True)


if __name__ == "__main__":
    main()
