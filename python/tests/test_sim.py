"""caf_consensus.sim: scenarios, sweeps, summaries, advice, Ctrl-C; the same
rows as the consensus-sim CLI."""

import json
import os
import signal
import subprocess
import threading

import pytest

from caf_consensus import sim
from conftest import SOURCE_DIR

QUICKSTART = os.path.join(SOURCE_DIR, "scenarios", "quickstart.yaml")
SIM = os.environ.get("CAF_CONSENSUS_SIM", "")

SMALL = {
    "name": "small",
    "prompt": "Which?",
    "policy": "hanzo",
    "params": {"rounds": 2, "k": 2},
    "labels": {"yes": "yes it is", "no": "no it is not"},
    "ground_truth": "yes",
    "agents": [{"name": "a", "count": 3, "answers": {"yes": 0.7, "no": 0.3}}],
    "replicates": 40,
    "seed": 11,
}


def test_load_file_and_dict():
    sc = sim.load(QUICKSTART)
    assert sc.name == "quickstart"
    assert sc.policy == "metastable"
    assert sc.cells >= 1 and sc.replicates > 0
    assert len(sc.participants) == 5
    d = sim.load(SMALL)
    assert d.name == "small" and d.cells == 1 and d.replicates == 40
    assert d.participants == ["a-1", "a-2", "a-3"] or len(d.participants) == 3


def test_validate_reports_problems():
    assert sim.validate(QUICKSTART) == []
    assert sim.validate(SMALL) == []
    bad = dict(SMALL, params={"rounds": -3, "k": 2}, policy="nope")
    problems = sim.validate(bad)
    assert problems and any("nope" in p or "policy" in p for p in problems)
    with pytest.raises(ValueError):
        sim.load(bad)
    assert sim.validate("/nonexistent/x.yaml")[0].startswith("cannot read")


def test_rows_and_summaries():
    res = sim.sweep(SMALL, engine="inline", threads=2, as_frame=False)
    assert len(res.rows) == 40
    assert [r["replicate"] for r in res.rows] == list(range(40))
    row = res.rows[0]
    for key in ("cell", "replicate", "seed", "policy", "finalized", "winner",
                "winner_correct", "rounds_executed", "calls"):
        assert key in row
    assert len(res.summaries) == 1
    s = res.summaries[0]
    text = json.dumps(s)
    assert "finalize" in text and "accuracy" in text
    assert not res.interrupted


def test_engines_and_threads_give_the_same_rows():
    a = sim.run(SMALL, engine="inline", threads=1, as_frame=False)
    b = sim.run(SMALL, engine="actors", threads=2, as_frame=False)
    assert a == b


def test_dataframe_when_pandas_is_there():
    pandas = pytest.importorskip("pandas")
    rows = sim.run(SMALL, engine="inline", threads=1)
    assert isinstance(rows, pandas.DataFrame)
    assert len(rows) == 40 and "winner_correct" in rows.columns


def test_progress_callback():
    seen = []
    sim.sweep(SMALL, engine="inline", threads=1, replicates=2000,
              progress=lambda done, total: seen.append((done, total)),
              as_frame=False)
    assert seen and seen[-1] == (2000, 2000)
    assert all(t == 2000 for _, t in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


@pytest.mark.skipif(not SIM, reason="CAF_CONSENSUS_SIM (the CLI) not set")
def test_same_rows_as_the_cli(tmp_path):
    out = tmp_path / "cli"
    subprocess.run([SIM, "run", QUICKSTART, "--out", str(out), "-q",
                    "--replicates", "30", "--threads", "2"],
                   check=True, stdout=subprocess.DEVNULL)
    cli_rows = [json.loads(x) for x in open(out / "runs.jsonl")]
    mine = sim.run(QUICKSTART, replicates=30, threads=2, as_frame=False)
    assert mine == cli_rows
    cli_sums = [json.loads(x) for x in open(out / "summary.jsonl")]
    res = sim.sweep(QUICKSTART, replicates=30, engine="inline", as_frame=False,
                    out=tmp_path / "py")
    assert res.summaries == cli_sums
    assert open(tmp_path / "py" / "runs.jsonl").read() == open(out / "runs.jsonl").read()


def test_ctrl_c_interrupts_and_keeps_what_was_stored(tmp_path):
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    with pytest.raises(sim.Interrupted) as info:
        sim.sweep(QUICKSTART, engine="inline", threads=1, replicates=10**6,
                  out=tmp_path / "big", as_frame=False)
    timer.cancel()
    res = info.value.result
    assert isinstance(info.value, KeyboardInterrupt)
    assert res.interrupted and 0 < len(res.rows) < 10**6 * 3
    assert os.path.exists(tmp_path / "big" / "results.db")
    if SIM:
        # The CLI sees every run returned as stored, and how to resume.
        p = subprocess.run([SIM, "summarize", str(tmp_path / "big")],
                           capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        total = sim.load(QUICKSTART).cells * 10**6
        assert f"{len(res.rows)} of {total} runs stored" in p.stdout
        assert "--resume" in p.stderr


def test_advice_verdicts():
    seen = []
    rep = sim.advice(replicates=30, policies=["hanzo"], threads=2, rules=False,
                     progress=lambda what, done, total: seen.append(done))
    assert rep["claims"], rep.keys()
    verdicts = {c.get("verdict") for c in rep["claims"] if isinstance(c, dict)}
    assert verdicts - {None}
