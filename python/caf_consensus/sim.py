"""The simulator from Python: the scenario parser, sweep driver, results
store and summaries of ``consensus-sim``, in-process.

    from caf_consensus import sim
    sc = sim.load("scenarios/quickstart.yaml")
    res = sim.sweep(sc, engine="inline")
    res.rows          # one row per run (pandas DataFrame when pandas is there)
    res.summaries     # one row per sweep cell, rates and means with 95% CIs

The same scenario and seed give the same per-run rows as ``consensus-sim
run`` (with either engine and any number of threads).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Union

from . import _core

Scenario = _core.Scenario
Source = Union[str, "os.PathLike[str]", Dict[str, Any], Scenario]


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during ``sweep``/``run``: ``result`` holds the runs finished
    before it (also stored in ``out``, when given)."""

    def __init__(self, result: "SweepResult"):
        super().__init__(
            f"interrupted after {len(result.rows)} runs"
            + (f"; stored in {result.out}" if result.out else "")
        )
        self.result = result


def _text_of(source: Source):
    if isinstance(source, dict):
        return json.dumps(source), "<dict>"
    path = os.fspath(source)
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "surrogateescape"), path


def load(source: Source) -> Scenario:
    """Parses a scenario file (YAML or JSON) or a dict with the same keys.
    Raises ValueError naming every problem."""
    if isinstance(source, _core.Scenario):
        return source
    if isinstance(source, dict):
        text, origin = _text_of(source)
        return _core.parse_scenario(text, origin)
    return _core.load_scenario(os.fspath(source))


def validate(source: Source) -> List[str]:
    """Returns the problems of a scenario (``FILE:LINE: key 'KEY': ...``);
    an empty list when it is valid."""
    if isinstance(source, _core.Scenario):
        return []
    try:
        text, origin = _text_of(source)
    except OSError as e:
        return [f"cannot read '{os.fspath(source)}': {e.strerror}"]
    return _core.scenario_problems(text, origin)


def _frame(rows: List[Dict[str, Any]], as_frame: Optional[bool]):
    if as_frame is False:
        return rows
    try:
        import pandas
    except ImportError:
        if as_frame:
            raise
        return rows
    return pandas.DataFrame(rows)


@dataclass
class SweepResult:
    """What ``sweep`` returns."""

    #: One dict per run (the columns of runs.jsonl), ordered by cell and
    #: replicate; a pandas DataFrame when pandas is installed.
    rows: Any
    #: One dict per sweep cell: counts, rates with 95% Wilson intervals,
    #: means with 95% t-intervals (the columns of summary.jsonl).
    summaries: Any
    #: Whether Ctrl-C stopped the sweep early.
    interrupted: bool
    #: The results directory (``out``), or None.
    out: Optional[str]


def sweep(
    scenario: Source,
    *,
    engine: str = "actors",
    threads: Optional[int] = None,
    replicates: Optional[int] = None,
    progress: Optional[Callable[[int, int], None]] = None,
    out: Optional[Union[str, "os.PathLike[str]"]] = None,
    as_frame: Optional[bool] = None,
) -> SweepResult:
    """Runs every replicate of every cell of ``scenario``.

    engine: ``actors`` or ``inline`` (identical results); threads: worker
    threads (default: one per core; results do not depend on it);
    replicates: override the scenario's; progress: called as
    ``progress(done, total)`` from the calling thread about every 50 ms
    while runs finish; out: a new directory for the results store and
    runs.csv/jsonl, summary.csv/jsonl and manifest.json, as with
    ``consensus-sim run --out``; as_frame: DataFrames (default: when pandas
    is installed) or lists of dicts.

    Ctrl-C raises ``Interrupted`` (a KeyboardInterrupt) carrying the runs
    finished so far; with ``out`` they are stored and
    ``consensus-sim run FILE --out DIR --resume`` continues the sweep.
    """
    sc = load(scenario)
    if replicates is not None:
        sc.set_replicates(int(replicates))
    n = threads if threads is not None else (os.cpu_count() or 1)
    rows_json, sums_json, interrupted = _core.run_sweep(
        sc, engine, int(n), progress, os.fspath(out) if out is not None else ""
    )
    rows = [json.loads(x) for x in rows_json]  # (cell, replicate) order
    sums = [json.loads(x) for x in sums_json]
    result = SweepResult(
        rows=_frame(rows, as_frame),
        summaries=_frame(sums, as_frame),
        interrupted=interrupted,
        out=os.fspath(out) if out is not None else None,
    )
    if interrupted:
        raise Interrupted(result)
    return result


def run(scenario: Source, **options: Any):
    """``sweep(scenario, **options).rows``: one row per run."""
    return sweep(scenario, **options).rows


def summarize(scenario: Source, **options: Any):
    """``sweep(scenario, **options).summaries``: one row per sweep cell."""
    return sweep(scenario, **options).summaries


def advice(
    agents: Optional[Union[str, "os.PathLike[str]"]] = None,
    *,
    replicates: int = 4000,
    seed: int = 2026,
    threads: Optional[int] = None,
    policies: Optional[List[str]] = None,
    rules: bool = True,
    progress: Optional[Callable[[str, int, int], None]] = None,
) -> Dict[str, Any]:
    """Checks the published tuning advice on an agent population (default:
    the built-in one; else a scenario file), as ``consensus-sim advice``.
    Returns its JSON report as a dict (``claims`` with their verdicts,
    effects with 95% intervals, ``sweeps``)."""
    n = threads if threads is not None else (os.cpu_count() or 1)
    text = _core.run_advice(
        os.fspath(agents) if agents is not None else "",
        int(replicates),
        int(seed) % 2**64,
        int(n),
        list(policies or []),
        bool(rules),
        progress,
    )
    return json.loads(text)
