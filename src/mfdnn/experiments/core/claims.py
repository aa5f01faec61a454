"""Claims: the results an experiment reproduces, declared as data and checked after each run.

A claim names a metric, a comparison and where the expected result comes from::

    Claim("test_accuracy", ">=", 0.84, "course notebook, Chapter 2")
    Claim("psnr_model", ">", "psnr_baseline", "Zhang et al. 2017, Table II")
    Claim("num_params", "within", 19_158_352, "HOMEWORK.md HW10", tolerance=0)

``expected`` is a number, or the name of another metric of the same run (``psnr_model >
psnr_baseline``). ``within`` holds when ``|value - expected| <= tolerance``. ``profiles`` are
the profiles at which the claim should hold; at any other profile its verdict is
``not-checked``, with the reason ``note`` gives (``quick`` runs are often too short for the
phenomenon). ``data`` names the data sets the claim is about: where a run had to substitute
one (``ctx.substitute``), the claim is ``not-checked`` and says which set was used instead.

:func:`check_claims` turns the declared claims and a run's metrics into the records of
``claims.json``: the declared fields plus ``verdict`` (``pass``, ``fail`` or ``not-checked``),
the ``value`` seen and a ``reason`` wherever the verdict is not ``pass``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

OPS = (">=", "<=", ">", "<", "within")
VERDICTS = ("pass", "fail", "not-checked")
MARKS = {"pass": "\u2713", "fail": "\u2717", "not-checked": "\u2014"}  # check, cross, dash


@dataclass(frozen=True)
class Claim:
    metric: str
    op: str
    expected: float | int | str  # a number, or the name of another metric of the run
    source: str  # course notebook, official solution, paper table
    profiles: tuple[str, ...] = ("laptop", "full")
    tolerance: float | None = None  # for "within": |value - expected| <= tolerance
    data: tuple[str, ...] = ()  # data sets the claim is about (a substitute voids it)
    note: str = ""  # why it is not checked at the other profiles

    def __post_init__(self) -> None:
        if self.op not in OPS:
            raise ValueError(f"claim on {self.metric}: op {self.op!r} is not one of {OPS}")
        if (self.op == "within") != (self.tolerance is not None):
            raise ValueError(f"claim on {self.metric}: 'within' needs a tolerance, and only it")
        if self.op == "within" and isinstance(self.expected, str):
            raise ValueError(f"claim on {self.metric}: 'within' compares with a number")
        if not self.profiles or not self.source:
            raise ValueError(f"claim on {self.metric}: give its source and its profiles")

    def text(self) -> str:
        """``metric >= 0.84`` / ``metric within 3 of 100``, for verdict lines and reports."""
        if self.op == "within":
            return f"{self.metric} within {_number(self.tolerance)} of {_number(self.expected)}"
        return f"{self.metric} {self.op} {_number(self.expected)}"


def _number(value: Any) -> str:
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def _as_number(value: Any) -> float | None:
    """A metric value as a finite float; None for anything else (lists, strings, NaN)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def compare(claim: Claim, metrics: Mapping[str, Any]) -> tuple[str, float | None, str]:
    """(verdict, value, reason) of ``claim`` against ``metrics``; a claim whose metric is
    missing or not a number fails (the experiment promised it)."""
    value = _as_number(metrics.get(claim.metric))
    if value is None:
        shown = "missing" if claim.metric not in metrics else repr(metrics[claim.metric])[:40]
        return "fail", None, f"metric {claim.metric} is {shown}, not a number"
    expected = claim.expected
    if isinstance(expected, str):
        other = _as_number(metrics.get(expected))
        if other is None:
            return "fail", value, f"metric {expected} is missing or not a number"
        expected = other
    if claim.op == "within":
        held = abs(value - expected) <= claim.tolerance
    else:
        held = {">=": value >= expected, "<=": value <= expected, ">": value > expected,
                "<": value < expected}[claim.op]
    if held:
        return "pass", value, ""
    against = (f"{claim.expected} = {_number(expected)}" if isinstance(claim.expected, str)
               else _number(expected))
    return "fail", value, f"got {_number(value)}, expected {claim.op} {against}"


def declared(claim: Claim) -> dict[str, Any]:
    """The fields of ``claim`` as a ``claims.json`` record carries them."""
    record: dict[str, Any] = {"metric": claim.metric, "op": claim.op, "expected": claim.expected,
                              "source": claim.source, "profiles": list(claim.profiles)}
    if claim.tolerance is not None:
        record["tolerance"] = claim.tolerance
    return record


def check_claims(claims: Sequence[Claim], metrics: Mapping[str, Any], profile: str,
                 substitutes: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """The ``claims.json`` records of a run at ``profile``.

    ``substitutes`` maps a data set a claim may name to the one the run used instead.
    """
    substitutes = substitutes or {}
    records = []
    for claim in claims:
        record = declared(claim)
        value = _as_number(metrics.get(claim.metric))
        swapped = [f"{d} (this run used {substitutes[d]})" for d in claim.data
                   if d in substitutes]
        if profile not in claim.profiles:
            verdict = "not-checked"
            reason = claim.note or f"meant for the {' and '.join(claim.profiles)} profile"
        elif swapped:
            verdict, reason = "not-checked", "a claim about " + ", ".join(swapped)
        else:
            verdict, value, reason = compare(claim, metrics)
        record.update(verdict=verdict, value=value)
        if reason:
            record["reason"] = reason
        records.append(record)
    return records


def count(records: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """How many records have each verdict."""
    return {v: sum(r["verdict"] == v for r in records) for v in VERDICTS}


def describe(record: Mapping[str, Any]) -> str:
    """The comparison of a ``claims.json`` record, as :meth:`Claim.text` writes it."""
    return Claim(record["metric"], record["op"], record["expected"], record["source"],
                 tuple(record["profiles"]), record.get("tolerance")).text()


def verdict_line(record: Mapping[str, Any]) -> str:
    """``✓ pass  test_accuracy >= 0.84: 0.853 (course notebook)`` and the reason, if any."""
    seen = "" if record["value"] is None else f": {_number(record['value'])}"
    why = f"; {record['reason']}" if record.get("reason") else ""
    return (f"{MARKS[record['verdict']]} {record['verdict']:<11} {describe(record)}{seen} "
            f"({record['source']}){why}")


def claim_marks(claims: Sequence[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """The claims of one experiment grouped by the metric they are about."""
    marks: dict[str, list[Mapping[str, Any]]] = {}
    for claim in claims:
        marks.setdefault(claim["metric"], []).append(claim)
    return marks


def claim_text(claim: Mapping[str, Any]) -> str:
    """``acc >= 0.84 (course notebook): pass`` and why, for a tooltip or a table cell."""
    why = f"; {claim['reason']}" if claim.get("reason") else ""
    return f"{describe(claim)} ({claim['source']}): {claim['verdict']}{why}"
