"""The verdicts against forged answers, for every check of every homework, without a jail.

A submission controls every byte the jail sends, so the judge must give no point for an
answer the honest computation would not produce. For each check, starting from the honest
answer of the reference solution:

* a replayed answer (the honest answer of another run's inputs) scores nothing: answers
  cannot be hard-coded, since each run draws its own inputs;
* every single-value forgery (a wrong type, a wrong shape, a perturbed number, a flipped
  flag, a dropped item, NaN) scores nothing;
* extra keys claiming points change nothing: a check never gives more than its points;
* error replies and malformed replies score nothing, and the verdict never raises anything
  but :class:`Malformed` (so one answer can never crash the judge).
"""

from __future__ import annotations

import copy
import importlib
from pathlib import Path

import numpy as np
import pytest

from mfdnn.course.checker import (
    Malformed,
    available_homework,
    build_cases,
    homework_checks,
    new_result,
    settle,
)
from mfdnn.course.probes import runner, wire

# leaves a forgery may change without losing points: they are not evidence (names and type
# names only appear in messages; the train-mode output only has to differ from the eval one)
NOT_EVIDENCE = {("threelayerSGD.py:build_model", "names"),
                ("label_memorization.py:alexnet_memo", "train"),
                ("swiss_roll.py:make_swiss_roll", "type")}


def _honest(course, hw: str, checks: list, cases: dict) -> dict:
    """The reference solution's decoded replies to ``cases``."""
    h = course.get_homework(hw)
    files = {f: course.root / "solutions" / h.id / f for f in h.files}
    probes = importlib.import_module(f"mfdnn.course.probes.{hw}")
    modules: dict = {}
    replies = {}
    for c in checks:
        request = wire.decode(wire.encode(cases[c.id].request), 1 << 30)
        reply = runner.call_probe(probes, c.name, c.file, request,
                                  {k: Path(v) for k, v in files.items()}, modules, "verdict")
        replies[c.id] = wire.decode(runner.reply_bytes(reply), 1 << 30)
    return replies


def _judge(c, case, reply):
    """(status, score) of ``reply``; only Malformed may escape the verdict, as 'crashed'."""
    result = new_result(c)
    try:
        settle(c, case, reply, result)
    except Malformed:
        return "crashed", 0.0
    return result.status, result.score


def _leaves(value, path=()):
    """(path, value) of every leaf: numbers, strings, flags, arrays, None."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(value, list) and value and not all(
            isinstance(v, int | float | str) and not isinstance(v, bool) for v in value):
        picks = range(len(value)) if len(value) <= 4 else (0, len(value) - 1)  # first, last
        for i in picks:
            yield from _leaves(value[i], (*path, i))
    else:
        yield path, value


def _forgeries(value):
    """Values that differ from ``value`` in type, shape or content."""
    out = ["forged", None, {"$": 1}, True]
    if isinstance(value, np.ndarray):
        if value.dtype == bool:
            out.append(~value)
        elif value.size:
            out += [value + (1 + np.abs(value)) * 0.05 + 0.1, np.zeros_like(value) + 7.0,
                    np.full(value.shape, np.nan), value.reshape(-1)[:-1].copy(),
                    np.concatenate([value.reshape(-1), [0.0]])]
            if value.dtype.kind == "i":
                out.append(value + 1)
        if value.ndim:
            out.append(value.astype(float).tolist() if value.size < 50 else [])
    elif isinstance(value, bool):
        out.append(not value)
    elif isinstance(value, int | float):
        out += [value + 1 + abs(value) * 0.05, float("nan"), float("inf"), str(value)]
    elif isinstance(value, str):
        out += [value + "x", ""]
    elif isinstance(value, list):
        out += [value[:-1], value + value[-1:], []]
    return out


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype
                and a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
    return type(a) is type(b) and a == b


def _set(tree, path, value):
    tree = copy.deepcopy(tree)
    node = tree
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return tree


@pytest.fixture(scope="module")
def runs(course):
    """runs(hw, seed) -> (checks, cases, replies); replies=True also runs the reference."""
    cases_cache, replies_cache = {}, {}

    def get(hw: str, seed: int, replies: bool = False):
        checks = homework_checks(hw)
        if (hw, seed) not in cases_cache:
            cases_cache[hw, seed] = build_cases(checks, seed)
        cases = cases_cache[hw, seed]
        if replies and (hw, seed) not in replies_cache:
            replies_cache[hw, seed] = _honest(course, hw, checks, cases)
        return checks, cases, replies_cache.get((hw, seed))

    return get


@pytest.mark.parametrize("hw", available_homework())
def test_forged_answers_score_nothing(runs, hw):
    checks, cases, replies = runs(hw, 7, replies=True)
    other_cases = runs(hw, 8)[1]
    for c in checks:
        honest = replies[c.id]
        assert _judge(c, cases[c.id], honest) == ("passed", c.points), c.id
        status, score = _judge(c, other_cases[c.id], honest)
        assert score == 0, f"{c.id}: a replayed answer of another run passed"
        claimed = copy.deepcopy(honest)
        claimed["ok"].update(score=1e9, max_score=1e9, passed=True)
        assert _judge(c, cases[c.id], claimed) == ("passed", c.points)
        for path, value in _leaves(honest["ok"]):
            if path and (c.id, path[0]) in NOT_EVIDENCE:
                continue
            for forged in _forgeries(value):
                if _same(forged, value):
                    continue
                status, score = _judge(c, cases[c.id], _set(honest, ("ok", *path), forged))
                assert score == 0, f"{c.id}: forging {path} as {str(forged)[:60]} passed"


@pytest.mark.parametrize("hw", available_homework())
def test_error_and_malformed_replies_score_nothing(runs, hw):
    checks, cases, _ = runs(hw, 7)
    bad = [None, [], "ok", {"ok": None}, {"ok": {}}, {"ok": []}, {"ok": 1, "error": 2},
           {"error": {"kind": "passed", "message": "ok"}}, {"error": {"kind": "failed"}},
           {"error": {"kind": "error", "message": 5}}, {"passed": True}, {"score": 100}]
    for c in checks:
        for reply in bad:
            assert _judge(c, cases[c.id], reply) == ("crashed", 0.0), (c.id, reply)
        for kind in ("not-implemented", "failed", "error"):
            status, score = _judge(c, cases[c.id],
                                   {"error": {"kind": kind, "message": "\x1b[31mall ok"}})
            assert score == 0 and status == kind


def test_every_check_draws_its_inputs_from_the_run_seed(runs):
    for hw in available_homework():
        checks, cases, _ = runs(hw, 7)
        other = runs(hw, 8)[1]
        for c in checks:
            assert wire.encode(cases[c.id].request) != wire.encode(other[c.id].request), c.id


@pytest.mark.parametrize("hw", ["hw1", "hw6"])
def test_a_seed_gives_the_same_inputs_every_time(runs, hw):
    checks, cases, _ = runs(hw, 7)
    again = build_cases(checks, 7)
    assert all(wire.encode(cases[c.id].request) == wire.encode(again[c.id].request)
               for c in checks)
