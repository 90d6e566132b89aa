#!/usr/bin/env python3
"""Prints the side-by-side table of bench/compare.sh from its output directory.

    bench/compare_table.py OUT_DIR

OUT_DIR holds the files of every interleaving round r = 1, 2, ...:
  cpp-<r>.json    consensus-bench (Google Benchmark JSON): run/, floor/tokenize_ids/
  sweep-<r>.json  consensus-bench-sweep (Google Benchmark JSON): sweep/quickstart/,
                  sweep/warm/quickstart/ ...
  py-<r>.json     the reference's perf.py --json output (absent without the reference)

Every figure is the best (highest runs/s) over all rounds and repetitions of
its side; the table "sweep by sweep" takes the lowest of the sweeps' counters
sweep_ms_median and sweep_ms_min instead. Standard library only. Exit status
1 when a benchmark reported an error (the table is printed anyway).
"""
import glob
import json
import math
import os
import re
import sys

SHAPES = {"S": (5, 3), "M": (50, 5)}  # shape -> (agents, refinement rounds)
WORDS = (50, 300)
POLICIES = ("hanzo", "metastable")
BETAS = ((2.0, "2.0 (forced)"), (0.5, "0.5 (default)"))
PY_MODES = ("asyncio.run", "one-loop")
K = 3

# Targets of issue 25.
INLINE_X_PY = 40.0
ACTORS_X_PY = 12.0
INLINE_PER_FLOOR = 1.5
SWEEP_SPEEDUP = 1.8



def round_no(path):
    m = re.search(r"-(\d+)\.json$", path)
    return int(m.group(1)) if m else 0


def load_gbench(paths, errors, counters=None, series=None):
    """name (without /real_time) -> list of runs/s, one per repetition.

    With a dict `counters`, also fills name -> the benchmark's user counters
    (of its last repetition); with a dict `series`, name -> a list of the
    user counters of every repetition."""
    per_second = {"ns": 1e9, "us": 1e6, "ms": 1e3, "s": 1.0}
    reserved = {"name", "run_name", "run_type", "repetitions", "repetition_index",
                "threads", "iterations", "real_time", "cpu_time", "time_unit",
                "items_per_second", "bytes_per_second", "family_index",
                "per_family_instance_index", "aggregate_name", "aggregate_unit",
                "error_occurred", "error_message", "label"}
    out = {}
    for path in paths:
        with open(path) as f:
            data = json.load(f)
        for b in data.get("benchmarks", []):
            if b.get("run_type", "iteration") != "iteration":
                continue
            name = re.sub(r"/real_time$", "", b["name"])
            if b.get("error_occurred"):
                errors.append(f"{os.path.basename(path)}: {name}: {b.get('error_message', 'error')}")
                continue
            rate = b.get("items_per_second")
            if not rate:
                t = b.get("real_time", 0.0)
                rate = per_second.get(b.get("time_unit", "ns"), 1e9) / t if t > 0 else None
            if rate:
                out.setdefault(name, []).append(rate)
            user = {k: v for k, v in b.items()
                    if k not in reserved and isinstance(v, (int, float))}
            if counters is not None:
                counters[name] = user
            if series is not None:
                series.setdefault(name, []).append(user)
    return out


def load_python(paths):
    """(mode, agents, rounds, k, beta_1, words) -> (list of runs/s, rounds executed)."""
    out = {}
    for path in paths:
        with open(path) as f:
            data = json.load(f)
        for r in data["results"]:
            key = (r["mode"], r["agents"], r["rounds_param"], r["k"], float(r["beta_1"]),
                   r["words_per_output"])
            rates, _ = out.get(key, ([], None))
            rates.append(r["runs_per_sec"])
            out[key] = (rates, r["rounds_executed"])
    return out


def best(values):
    return max(values) if values else None


def num(x):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def ratio(x):
    return "n/a" if x is None else f"{x:.1f}×" if x >= 10 else f"{x:.2f}×"


def div(a, b):
    return a / b if a is not None and b else None


def table(header, rows):
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print()


def verdict(values, ok):
    """'met' / 'missed' over the measured values; None when nothing was measured."""
    vals = [v for v in values if v is not None]
    if not vals:
        return "not measured"
    return "met" if all(ok(v) for v in vals) else "**missed**"


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) == 2 else 2
    out_dir = argv[1]
    errors = []
    cpp_files = sorted(glob.glob(os.path.join(out_dir, "cpp-*.json")), key=round_no)
    sweep_files = sorted(glob.glob(os.path.join(out_dir, "sweep-*.json")), key=round_no)
    py_files = sorted(glob.glob(os.path.join(out_dir, "py-*.json")), key=round_no)
    if not cpp_files:
        print(f"compare_table.py: no cpp-*.json in {out_dir}", file=sys.stderr)
        return 2
    cpp_counters = {}
    cpp = load_gbench(cpp_files, errors, cpp_counters)
    cpp_rounds = [load_gbench([f], []) for f in cpp_files]
    sweep_counters = {}
    sweep_series = {}
    sweep = load_gbench(sweep_files, errors, sweep_counters, sweep_series)
    sweep_rounds = [load_gbench([f], []) for f in sweep_files]
    py = load_python(py_files) if py_files else None

    def c(name):
        return best(cpp.get(name, []))

    samples = max((len(v) for v in cpp.values()), default=0)
    print(f"Every figure: the best runs/s over {len(cpp_files)} interleaved round(s) "
          f"(C++: {samples} repetition(s) per benchmark in all"
          + (f"; Python: {len(py_files)} runs of perf.py, 5 repeats each)." if py else ")."))
    print()

    # -- Python reference -----------------------------------------------------
    py_best = {}  # (shape, words, beta) -> (runs/s, mode, rounds executed)
    if py:
        rows = []
        for shape, (n, rounds) in SHAPES.items():
            for words in WORDS:
                for beta, beta_label in BETAS:
                    cells = []
                    top = None
                    for mode in PY_MODES:
                        rates, ran = py.get((mode, n, rounds, K, beta, words), ([], None))
                        b = best(rates)
                        cells.append(num(b))
                        if b is not None and (top is None or b > top[0]):
                            top = (b, mode, ran)
                    if top:
                        py_best[(shape, words, beta)] = top
                    rows.append([shape, str(words), beta_label,
                                 str(top[2]) if top else "n/a", *cells])
        print("### Python reference (`perf.py`), runs/s")
        print()
        table(["shape", "words", "beta_1", "rounds run", "asyncio.run per run",
               "one loop, many runs"], rows)

    # -- side by side -----------------------------------------------------------
    def rounds_run(name):
        r = cpp_counters.get(name, {}).get("rounds_run")
        return "n/a" if r is None else f"{r:g}"

    def cases():
        """Every row: shape, words, beta_1 and its label, policy, the C++
        benchmarks' name prefix, the reference's best for the shape."""
        for shape in SHAPES:
            for words in WORDS:
                for beta, beta_label in BETAS:
                    pyb = py_best.get((shape, words, beta))
                    for policy in POLICIES:
                        base = f"run/{shape}/w{words}/{policy}/"
                        if beta != 2.0:
                            base += f"beta_1={beta:g}/"
                        yield shape, words, beta_label, policy, base, pyb

    rows = []
    x_inline, x_actors = [], []
    x_actors_sharing, x_actors_polling, x_actors_async = [], [], []
    for shape, words, beta_label, policy, base, pyb in cases():
        ci, ca = c(base + "inline"), c(base + "actors")
        cp = c(base + "actors_polling")
        cs = c(base + "actors_async")
        ri = div(ci, pyb[0]) if pyb else None
        ra = div(ca, pyb[0]) if pyb else None
        rp = div(cp, pyb[0]) if pyb else None
        rs = div(cs, pyb[0]) if pyb else None
        x_inline.append(ri)
        x_actors_sharing.append(ra)
        x_actors_polling.append(rp)
        x_actors_async.append(rs)
        # The target holds for the actor engine if any
        # configuration reaches it.
        some = [v for v in (ra, rp, rs) if v is not None]
        x_actors.append(max(some) if some else None)
        cells = [rounds_run(base + "inline"), num(ci), num(ca), num(cp),
                 num(cs)]
        if py is not None:
            cells += [str(pyb[2]) if pyb else "n/a",
                      num(pyb[0]) if pyb else "n/a", ratio(ri), ratio(ra),
                      ratio(rp), ratio(rs)]
        rows.append([shape, str(words), beta_label, policy, *cells])
    # -- equal work ---------------------------------------------------------------
    # A row whose C++ run executes another number of refinement rounds than
    # the reference's run of the same shape compares different work. Such a
    # row is also compared with the reference's row of the same shape and
    # words that runs as many rounds (if any).
    equal_rows = []
    x_inline_equal, x_actors_equal = [], []
    if py is not None:
        for shape, words, beta_label, policy, base, pyb in cases():
            got = cpp_counters.get(base + "inline", {})
            ran = got.get("rounds_run")
            ci = c(base + "inline")
            best_actor = max((v for v in (c(base + "actors"),
                                          c(base + "actors_polling"),
                                          c(base + "actors_async"))
                              if v is not None), default=None)
            if not pyb or ran is None or int(ran) == int(pyb[2]):
                x_inline_equal.append(div(ci, pyb[0]) if pyb else None)
                x_actors_equal.append(div(best_actor, pyb[0]) if pyb else None)
                continue
            same = [(b, label) for b, label in BETAS
                    if py_best.get((shape, words, b))
                    and int(py_best[(shape, words, b)][2]) == int(ran)]
            if not same:
                x_inline_equal.append(None)
                x_actors_equal.append(None)
                continue
            pye = py_best[(shape, words, same[0][0])]
            ri, ra = div(ci, pye[0]), div(best_actor, pye[0])
            x_inline_equal.append(ri)
            x_actors_equal.append(ra)
            mc = got.get("max_confidence")
            equal_rows.append([shape, str(words), beta_label, policy,
                               f"{ran:g}",
                               "n/a" if mc is None else f"{mc:.3f}",
                               str(pyb[2]), same[0][1], num(pye[0]),
                               ratio(ri), ratio(ra)])

    header = ["shape", "words", "beta_1", "policy", "C++ rounds run", "C++ inline",
              "C++ actors", "C++ actors, polling", "C++ actors, async"]
    if py is not None:
        header += ["Py rounds run", "Python (faster mode)", "inline ÷ Py", "actors ÷ Py",
                   "polling ÷ Py", "async ÷ Py"]
        print("### C++ ÷ Python, runs/s (Python: the reference protocol for both policies)")
    else:
        print("### C++ runs/s (no Python reference: no ratios)")
    print()
    table(header, rows)
    # What a blocking caller pays per run to hand it to a scheduler thread and
    # back, on each configuration (one request/response from a scoped_actor).
    hand = []
    for sched in ("sharing", "polling"):
        r = best(cpp.get(f"floor/round_trip_blocking/{sched}", []))
        if r:
            hand.append(f"{sched} {1e6 / r:.1f} µs")
    if hand:
        print("Blocking hand-over per run (`floor/round_trip_blocking`, best): "
              + ", ".join(hand) + ".")
        print()

    if equal_rows:
        print("### Rows that run more rounds than the reference, at equal rounds")
        print()
        print("Column 6 is the highest confidence at the end of the C++ run: "
              "where it is below beta_1, the policy's stop rule never fired on "
              "these texts, and any implementation of the policy runs every "
              "round there. Each row is also divided by the reference's row of "
              "the same shape and words that runs as many rounds.")
        print()
        table(["shape", "words", "beta_1", "policy", "C++ rounds run",
               "C++ max confidence at the end", "Py rounds run (this beta_1)",
               "Py row with as many rounds", "its runs/s", "inline ÷ it",
               "actors (best) ÷ it"], equal_rows)

    # -- tokenization floor -----------------------------------------------------
    rows = []
    per_floor = []
    for shape in SHAPES:
        for words in WORDS:
            floor = c(f"floor/tokenize_ids/{shape}/w{words}")
            for policy in POLICIES:
                ci = c(f"run/{shape}/w{words}/{policy}/inline")
                r = div(floor, ci)  # time of a run ÷ time of its floor
                per_floor.append(r)
                rows.append([shape, str(words), policy, num(ci), num(floor), ratio(r)])
    print("### C++ inline ÷ its tokenization floor (beta_1 forced)")
    print()
    table(["shape", "words", "policy", "inline runs/s", "floor runs/s (`tokenize_ids`)",
           "inline time ÷ floor time"], rows)

    # -- sweep threads ----------------------------------------------------------
    def cores(name):
        # CPU time of all threads per second of wall time (last repetition).
        v = sweep_counters.get(name, {}).get("cores")
        return "n/a" if v is None else f"{v:.2f}"

    def two_vs_one(data, rounds, k1, k2):
        """Best runs/s on 1 and 2 threads, their ratio, and the ratio's range
        within single rounds (~1.0 in a round means another job held the
        second core then)."""
        one, two = best(data.get(k1, [])), best(data.get(k2, []))
        per_round = [div(best(x.get(k2, [])), best(x.get(k1, []))) for x in rounds]
        per_round = [v for v in per_round if v is not None]
        spread = (f"{min(per_round):.2f}–{max(per_round):.2f}×" if per_round else "n/a")
        return one, two, div(two, one), spread

    def sweep_keys(prefix, engine):
        return (f"{prefix}/{engine}/threads=1", f"{prefix}/{engine}/threads=2")

    rows = []
    speedups = []
    for engine in ("inline", "actors"):
        k1, k2 = sweep_keys("sweep/quickstart", engine)
        one, two, s, spread = two_vs_one(sweep, sweep_rounds, k1, k2)
        speedups.append(s)
        rows.append([engine, num(one), num(two), ratio(s), spread, cores(k1), cores(k2)])
    x10 = [two_vs_one(sweep, [], *sweep_keys("sweep/quickstart_x10", e))[2]
           for e in ("inline", "actors")]
    # The same sweeps one after another on threads kept from sweep to sweep
    # (`sim::sweep_runtime`, as tune and advise run theirs).
    warm = []
    for engine in ("inline", "actors"):
        k1, k2 = sweep_keys("sweep/warm/quickstart", engine)
        one, two, s, spread = two_vs_one(sweep, sweep_rounds, k1, k2)
        warm.append(s)
        if one is not None or two is not None:
            rows.append([f"{engine}, threads kept (`sweep/warm/quickstart`)",
                         num(one), num(two), ratio(s), spread, cores(k1), cores(k2)])
    # The ceiling: independent inline runs on 1 and 2 threads (nothing shared
    # but the machine).
    par = "floor/parallel/S/w50/metastable/real_time/threads:"
    one, two, s, spread = two_vs_one(cpp, cpp_rounds, par + "1", par + "2")
    rows.append(["*independent inline S runs, no sweep (`floor/parallel`)*",
                 num(one), num(two), ratio(s), spread, "", ""])
    # Longer sweeps, the sweep's own runs without the sweep, and the sweep in
    # batches of 25 (the former default) for comparison.
    extra = [(f"{engine}, 16,000 runs (`sweep/quickstart_x10`)",
              *sweep_keys("sweep/quickstart_x10", engine))
             for engine in ("inline", "actors")]
    extra += [("*the sweep's 1,600 runs, no sweep (`floor/parallel/sweep_runs`)*",
              "floor/parallel/sweep_runs/quickstart/real_time/threads:1",
              "floor/parallel/sweep_runs/quickstart/real_time/threads:2")]
    actors_floor = "floor/parallel/sweep_runs_actors/quickstart/real_time/threads:"
    extra += [("*the same runs on the actor engine, a home per thread, no sweep "
               "(`floor/parallel/sweep_runs_actors`)*",
               actors_floor + "1", actors_floor + "2")]
    extra += [(f"*{engine}, batches of 25 runs (`sweep/batch=25`)*",
               *sweep_keys("sweep/batch=25/quickstart", engine))
              for engine in ("inline", "actors")]
    for label, k1, k2 in extra:
        one, two, s, spread = two_vs_one(sweep, sweep_rounds, k1, k2)
        if one is None and two is None:
            continue
        rows.append([label, num(one), num(two), ratio(s), spread, cores(k1), cores(k2)])
    print("### C++ sweep, 2 threads ÷ 1 (`sweep/quickstart`, 1,600 runs)")
    print()
    table(["engine", "1 thread, runs/s", "2 threads, runs/s", "speed-up",
           "speed-up within each round", "cores used, 1 thread",
           "cores used, 2 threads"], rows)
    print("Cores used: CPU time of all the process's threads per second of wall "
          "time. On 2 cores a sweep that keeps c cores busy with one thread "
          "gains 2 / c from a second if both threads get as much done per core "
          "as one (more where the second thread wastes less).")
    print()
    # What 2 threads can reach with the actor engine on this machine: its runs
    # on 2 threads without any sweep, against the 1-thread actor sweep.
    ceiling = div(best(sweep.get(actors_floor + "2", [])),
                  best(sweep.get("sweep/quickstart/actors/threads=1", [])))
    if ceiling is not None:
        print("Ceiling of the `actors` row: the actor engine's runs on 2 threads "
              "without a sweep (`floor/parallel/sweep_runs_actors`, threads:2) "
              f"÷ the 1-thread `actors` sweep = {ratio(ceiling)}.")
        print()

    # A sweep's wall time is a fixed part (the actor system's start and stop,
    # the last batch) plus a part per run. The two sweep sizes give both: the
    # time per run is the slope between them, the fixed part what remains.
    small, large = 1600, 16000
    rows = []
    per_run_speedups = []
    for engine in ("inline", "actors"):
        cells = []
        slopes = []
        for threads in (1, 2):
            r_small = best(sweep.get(f"sweep/quickstart/{engine}/threads={threads}", []))
            r_large = best(sweep.get(f"sweep/quickstart_x10/{engine}/threads={threads}", []))
            if not r_small or not r_large:
                slopes.append(None)
                cells += ["n/a", "n/a"]
                continue
            t_small, t_large = small / r_small, large / r_large
            slope = (t_large - t_small) / (large - small)
            slopes.append(slope)
            cells += [f"{slope * 1e6:.2f} µs", f"{(t_small - small * slope) * 1e3:.2f} ms"]
        per_run = div(slopes[0], slopes[1]) if None not in slopes else None
        per_run_speedups.append(per_run)
        rows.append([engine, *cells, ratio(per_run)])
    if any(v is not None for v in per_run_speedups):
        print("### C++ sweep: time per run and fixed time per sweep")
        print()
        print(f"From the best times of the {small:,}- and {large:,}-run sweeps: "
              "time per run = the slope between them, fixed time = what the "
              f"{small:,}-run sweep takes beyond its runs (the actor system's "
              "start and stop, the last batch).")
        print()
        table(["engine", "1 thread: per run", "1 thread: fixed",
               "2 threads: per run", "2 threads: fixed",
               "speed-up per run (2 threads ÷ 1)"], rows)

    # The benchmarks' times are means over a repetition's sweeps, and on 2
    # busy cores every interruption by another process lands on a computing
    # thread. The sweeps timed one by one: the fastest and the median sweep,
    # each the lowest over all repetitions and rounds.
    def lowest(name, counter):
        vals = [r[counter] for r in sweep_series.get(name, []) if counter in r]
        return min(vals) if vals else None

    rows = []
    for label, prefix in (("1,600 runs", "sweep/quickstart"),
                          ("threads kept", "sweep/warm/quickstart"),
                          ("16,000 runs", "sweep/quickstart_x10")):
        for engine in ("inline", "actors"):
            k1, k2 = sweep_keys(prefix, engine)
            cells = []
            for counter in ("sweep_ms_median", "sweep_ms_min"):
                t1, t2 = lowest(k1, counter), lowest(k2, counter)
                cells.append((t1, t2, div(t1, t2)))
            if all(v is None for cell in cells for v in cell[:2]):
                continue
            ms = lambda v: "n/a" if v is None else f"{v:.2f} ms"
            rows.append([f"{engine}, {label}",
                         *(x for t1, t2, r in cells for x in (ms(t1), ms(t2), ratio(r)))])
    if rows:
        print("### C++ sweep, sweep by sweep")
        print()
        print("Each sweep timed on its own (counters `sweep_ms_median` and "
              "`sweep_ms_min`); the lowest median and the fastest sweep over "
              "all repetitions and rounds. The runs/s above are means over a "
              "repetition's sweeps, which every interruption of a busy core "
              "lowers.")
        print()
        table(["sweep", "1 thread: median sweep", "2 threads: median sweep",
               "speed-up (medians)", "1 thread: fastest sweep",
               "2 threads: fastest sweep", "speed-up (fastest)"], rows)

    # -- targets ----------------------------------------------------------------
    def span(vals):
        vals = [v for v in vals if v is not None]
        return f"{min(vals):.2f}–{max(vals):.2f}×" if vals else "n/a"

    c1 = sweep_counters.get("sweep/quickstart/actors/threads=1", {}).get("cores")
    bound = (f"; actors with one thread keep {c1:.2f} cores busy (2 ÷ that is the "
             f"speed-up at equal work per core: {2 / c1:.2f}×)" if c1 else "")
    rows = []
    if py is not None:
        rows.append([f"inline ≥ {INLINE_X_PY:g}× the reference, every shape and policy",
                     verdict(x_inline, lambda v: v >= INLINE_X_PY),
                     span(x_inline)])
        rows.append([f"actors ≥ {ACTORS_X_PY:g}× the reference, every shape "
                     "(the best of the three configurations)",
                     verdict(x_actors, lambda v: v >= ACTORS_X_PY),
                     f"{span(x_actors)} (sharing {span(x_actors_sharing)}, "
                     f"polling {span(x_actors_polling)}, "
                     f"async {span(x_actors_async)})"])
        if equal_rows:
            rows.append([f"the same two targets at equal rounds run (rows above "
                         f"that run more rounds against the reference's row of "
                         f"as many rounds)",
                         f"inline {verdict(x_inline_equal, lambda v: v >= INLINE_X_PY)}, "
                         f"actors {verdict(x_actors_equal, lambda v: v >= ACTORS_X_PY)}",
                         f"inline {span(x_inline_equal)}, actors {span(x_actors_equal)}"])
    else:
        rows.append(["inline ≥ 40× / actors ≥ 12× the reference", "not measured",
                     "no reference directory"])
    rows.append([f"inline ≤ {INLINE_PER_FLOOR:g}× its tokenization floor",
                 verdict(per_floor, lambda v: v <= INLINE_PER_FLOOR), span(per_floor)])
    rows.append([f"2 threads ≥ {SWEEP_SPEEDUP:g}× one on the sweep, both engines",
                 verdict(speedups, lambda v: v >= SWEEP_SPEEDUP),
                 f"inline {ratio(speedups[0])}, actors {ratio(speedups[1])} "
                 f"(threads kept: inline {ratio(warm[0])}, actors {ratio(warm[1])}; "
                 f"16,000 runs: inline {ratio(x10[0])}, actors {ratio(x10[1])}; "
                 f"per run: inline {ratio(per_run_speedups[0])}, "
                 f"actors {ratio(per_run_speedups[1])}){bound}"])
    print("### Targets (issue 25)")
    print()
    table(["target", "status", "measured"], rows)

    if errors:
        print("Benchmarks that reported errors (left out above):")
        for e in errors:
            print(f"- {e}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
