"""Result, State, Consensus and run: the core of the hanzo drop-in."""

from __future__ import annotations

import asyncio
import random as _random
import sys
import types
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional

from . import _core

#: The policies selectable with ``policy=``.
POLICIES = ("hanzo", "metastable", "snowball", "vote")

# Before 3.12 CPython's sum() adds floats left to right without compensation;
# the reference sums the luminance weights with it.
_NAIVE_SUM = sys.version_info < (3, 12)


@dataclass
class Result:
    """What one ``execute(participant, prompt)`` call returns."""

    id: str
    output: str
    ok: bool
    error: Optional[str] = None
    ms: int = 0
    round: int = 0


@dataclass
class State:
    """The outcome of a run (fields as in hanzo-consensus 0.1.0)."""

    prompt: str
    participants: List[str]
    rounds: int
    k: int
    alpha: float
    beta_1: float
    beta_2: float
    responses: Dict[str, List[str]] = field(default_factory=dict)
    confidence: Dict[str, float] = field(default_factory=dict)
    luminance: Dict[str, float] = field(default_factory=dict)
    finalized: bool = False
    winner: Optional[str] = None
    synthesis: Optional[str] = None
    discussion_history: List[Dict[str, str]] = field(default_factory=list)


Execute = Callable[[str, str], Awaitable[Any]]


def _seed_words(n: int):
    """(negative, 32-bit words of |n|, least significant first)."""
    mag = -n if n < 0 else n
    words = []
    while mag:
        words.append(mag & 0xFFFFFFFF)
        mag >>= 32
    return (n < 0, words)


def _clamp32(x: int) -> int:
    return max(-(2**31), min(2**31 - 1, int(x)))


def _failure(e: BaseException, timeout):
    """A failed call for an exception of ``execute`` (cancellation and other
    BaseExceptions propagate)."""
    if isinstance(e, asyncio.TimeoutError) and timeout is not None:
        return ("", False, f"timeout: no answer within {timeout} s", 0, True)
    if not isinstance(e, Exception):
        raise e
    return ("", False, f"{type(e).__name__}: {e}", 0, False)


def _outcome(r):
    """(output, ok, error, ms, timed_out) of what ``execute`` returned."""
    try:
        output = r.output
        ok = bool(r.ok)
        ms = int(r.ms or 0)
        err = r.error
    except AttributeError:
        return ("", False, f"execute returned {type(r).__name__}, not a Result",
                0, False)
    if not isinstance(output, str):
        output = "" if output is None else str(output)
    return (output, ok, None if err is None else str(err), ms, False)


def _drive(coro, yielded):
    """Continues a coroutine that was started by hand and suspended with
    ``yielded``, under the Task that awaits this generator (what ``yield
    from`` does, spelled out because the first step already happened)."""
    while True:
        try:
            sent = yield yielded
        except GeneratorExit:
            coro.close()
            raise
        except BaseException as exc:  # thrown in by the Task: forward it
            try:
                yielded = coro.throw(exc)
            except StopIteration as e:
                return e.value
        else:
            try:
                yielded = coro.send(sent)
            except StopIteration as e:
                return e.value


class _Resumed:
    """An awaitable over a started coroutine (see ``_drive``)."""

    __slots__ = ("coro", "yielded")

    def __init__(self, coro, yielded):
        self.coro = coro
        self.yielded = yielded

    def __await__(self):
        return _drive(self.coro, self.yielded)


async def _resume(coro, yielded):
    return await _Resumed(coro, yielded)


async def _round(execute: Execute, reqs, timeout):
    """All calls of a round at once; one outcome per request.

    Each call is started at once, in participant order, and runs until it
    first suspends (as 3.12's eager tasks do); the calls that suspended are
    then awaited together with ``asyncio.gather``. A call that finishes
    without suspending costs no Task. The order in which the calls run is
    the reference's (``gather`` over tasks started in order)."""
    if timeout is not None:
        calls = [asyncio.wait_for(execute(p, q), timeout) for p, q in reqs]
        got = await asyncio.gather(*calls, return_exceptions=True)
        return [_failure(r, timeout) if isinstance(r, BaseException) else _outcome(r)
                for r in got]
    outs = [None] * len(reqs)
    waiting = []
    for i, (p, q) in enumerate(reqs):
        try:
            coro = execute(p, q)
            if not isinstance(coro, types.CoroutineType):
                waiting.append((i, coro))  # another awaitable: a Task awaits it
                continue
            yielded = coro.send(None)
        except StopIteration as e:
            outs[i] = _outcome(e.value)
            continue
        except Exception as e:  # noqa: BLE001 - a failed call
            outs[i] = _failure(e, None)
            continue
        waiting.append((i, _resume(coro, yielded)))
    if waiting:
        got = await asyncio.gather(*[a for _, a in waiting], return_exceptions=True)
        for (i, _), r in zip(waiting, got):
            outs[i] = _failure(r, None) if isinstance(r, BaseException) else _outcome(r)
    return outs


@dataclass
class Consensus:
    """Metastable consensus over ``participants``, calling ``execute``.

    Args:
        participants: participant ids
        execute: async ``(id, prompt) -> Result``
        rounds, k, alpha, beta_1, beta_2: as in hanzo-consensus
        policy: ``hanzo`` (default, the reference's behaviour) or another
            policy of the library
        seed: None to draw from (and advance) the global ``random`` module
            like the reference, or an int for a private generator
        timeout: seconds per call (None: no limit)
    """

    participants: List[str]
    execute: Execute
    rounds: int = 3
    k: int = 3
    alpha: float = 0.6
    beta_1: float = 0.5
    beta_2: float = 0.8
    policy: str = "hanzo"
    seed: Optional[int] = None
    timeout: Optional[float] = None

    def _engine(self, prompt: str):
        params = {
            "rounds": _clamp32(self.rounds),
            "k": _clamp32(min(self.k, len(self.participants))),
            "alpha": float(self.alpha),
            "beta_1": float(self.beta_1),
            "beta_2": float(self.beta_2),
            "policy": self.policy,
        }
        if self.timeout is not None:
            params["timeout_ms"] = max(1, int(self.timeout * 1000))
        global_random = self.seed is None and self.policy == "hanzo"
        if self.seed is not None:
            params["seed"] = _seed_words(int(self.seed))
        elif not global_random:
            params["seed"] = _seed_words(_random.getrandbits(64))
        eng = _core.Engine(prompt, list(self.participants), params, _NAIVE_SUM)
        return eng, global_random

    async def run(self, prompt: str) -> State:
        """Runs the protocol; returns the final ``State``."""
        return await self._run(prompt, [])

    async def _run(self, prompt: str, history: List[Dict[str, str]]) -> State:
        """``run``, appending each round's outputs to ``history`` as soon as
        the round is complete (``run_mcp_consensus`` shows them to agents)."""
        eng, global_random = self._engine(prompt)
        while not eng.done:
            reqs = eng.requests()
            outs = await _round(self.execute, reqs, self.timeout)
            history.append({p: o[0] for (p, _), o in zip(reqs, outs)})
            if global_random:
                # The reference draws the next round's sample right after
                # this point, from the global generator as it is now (execute
                # may have drawn from it meanwhile): continue from there and
                # put the advanced state back.
                version, internal, gauss = _random.getstate()
                internal = eng.complete(outs, internal)
                _random.setstate((version, internal, gauss))
            else:
                eng.complete(outs)
        d = eng.take()
        ps = self.participants
        st = State(
            prompt=prompt,
            participants=ps,
            rounds=self.rounds,
            k=min(self.k, len(ps)),
            alpha=self.alpha,
            beta_1=self.beta_1,
            beta_2=self.beta_2,
        )
        st.responses = dict(zip(ps, d["responses"]))
        st.confidence = dict(zip(ps, d["confidence"]))
        st.luminance = dict(zip(ps, d["luminance"]))
        st.finalized = d["finalized"]
        st.winner = d["winner"] or None
        st.synthesis = d["synthesis"] if st.winner is not None else None
        st.discussion_history = history
        return st


async def run(
    prompt: str,
    participants: List[str],
    execute: Execute,
    rounds: int = 3,
    k: int = 3,
    alpha: float = 0.6,
    beta_1: float = 0.5,
    beta_2: float = 0.8,
    **options: Any,
) -> State:
    """Runs metastable consensus (``Consensus(...).run(prompt)``).

    ``options``: ``policy``, ``seed``, ``timeout`` (see ``Consensus``).
    """
    return await Consensus(
        participants=participants,
        execute=execute,
        rounds=rounds,
        k=k,
        alpha=alpha,
        beta_1=beta_1,
        beta_2=beta_2,
        **options,
    ).run(prompt)
