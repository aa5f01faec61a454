"""``mfdnn reproduce``: run many experiments, then write ``summary.json`` and ``report.html``.

A failing experiment is recorded (with its one-line error, whatever the exception) and the
others still run. Each experiment's claims go into ``summary.json`` under ``claims`` with
their verdicts, and the report marks each metric that a claim is about (✓ pass, ✗ fail,
— not checked) with the counts at the top.

Running some experiments (``--only``) into a folder that already holds a summary of the same
profile and seed keeps the other experiments' entries: the summary and the report cover every
experiment of the folder. ``--recheck`` runs nothing: it judges the runs already in the folder
against today's claims (after claims were added or changed), from each run's
``metrics.json`` and the profile and substitutes its ``manifest.json`` records.
"""

from __future__ import annotations

import fnmatch
import html
import json
import sys
import time
from pathlib import Path
from typing import Any

from mfdnn.data.files import write_text_atomic
from mfdnn.errors import ConfigError, MfdnnError
from mfdnn.experiments.core.claims import (
    MARKS,
    Claim,
    check_claims,
    claim_marks,
    claim_text,
    count,
    declared,
    describe,
)
from mfdnn.experiments.core.registry import Experiment, all_experiments
from mfdnn.experiments.core.runner import MARKER, run_experiment


def select(patterns: list[str] | None) -> list[Experiment]:
    registry = all_experiments()
    if not patterns:
        return list(registry.values())
    chosen = [e for e in registry.values() if any(fnmatch.fnmatch(e.name, p) for p in patterns)]
    if not chosen:
        raise ConfigError(f"--only {' '.join(patterns)} matches no experiment; choose from: "
                          f"{', '.join(registry)}")
    return chosen


def reproduce(
    *,
    profile: str = "laptop",
    only: list[str] | None = None,
    out: Path | str = "runs/reproduce",
    seed: int = 0,
    device: str = "auto",
    progress: bool = True,
) -> dict[str, Any]:
    out = Path(out)
    experiments = select(only)
    results: dict[str, Any] = {}
    for i, exp in enumerate(experiments, 1):
        print(f"[{i}/{len(experiments)}] {exp.name} ({profile})", file=sys.stderr, flush=True)
        start = time.perf_counter()
        entry: dict[str, Any] = {"title": exp.title, "group": exp.group,
                                 "profile_note": exp.note(profile)}
        try:
            record = run_experiment(exp.name, profile=profile, seed=seed, device=device,
                                    out=out / exp.name, progress=progress)
            entry.update(status="ok", metrics=record.metrics, claims=record.claims,
                         figures=[f"{exp.name}/{f}" for f in record.manifest["figures"]],
                         notes=record.manifest["notes"])
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # noqa: BLE001 -- one experiment's failure, whatever it is
            error = str(exc) if isinstance(exc, MfdnnError) else (
                f"{type(exc).__name__}: {exc}".splitlines()[0][:500])
            entry.update(status="failed", error=error, claims=unchecked(exp.claims, error))
            print(f"  failed: {error}", file=sys.stderr)
        entry["seconds"] = round(time.perf_counter() - start, 2)
        entry["references"] = _references(exp)
        results[exp.name] = entry
    results = {**_earlier(out, profile, seed), **results}
    return _write_summary(out, profile, seed, results)


def _references(exp: Experiment) -> dict[str, Any]:
    return {k: {"value": r.value, "source": r.source} for k, r in exp.references.items()}


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        reason = "missing" if isinstance(exc, FileNotFoundError) else "unreadable"
        raise ConfigError(f"{path}: {reason}; is this a folder of `mfdnn reproduce`?") from None


def _earlier(out: Path, profile: str, seed: int) -> dict[str, Any]:
    """The entries of an earlier summary in ``out`` (same profile and seed) still registered."""
    try:
        old = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        if old["profile"] != profile or old["seed"] != seed:
            return {}
        registry = all_experiments()
        return {k: v for k, v in old["experiments"].items() if k in registry}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _write_summary(out: Path, profile: str, seed: int, results: dict[str, Any]) -> dict[str, Any]:
    order = list(all_experiments())
    results = dict(sorted(results.items(), key=lambda kv: order.index(kv[0])))
    every_claim = [c for e in results.values() for c in e["claims"]]
    summary = {
        "profile": profile,
        "seed": seed,
        "seconds": round(sum(e["seconds"] for e in results.values()), 2),
        "passed": sum(e["status"] == "ok" for e in results.values()),
        "failed": sum(e["status"] != "ok" for e in results.values()),
        "claims": count(every_claim),
        "experiments": results,
    }
    write_text_atomic(out / "summary.json", json.dumps(summary, indent=2) + "\n")
    write_text_atomic(out / "report.html", render_html(summary))
    return summary


def _judged(exp: Experiment, folder: Path) -> tuple[dict[str, Any], str]:
    """The summary entry of a finished run's folder, its claims judged anew (and written to
    its ``claims.json``), and the run's profile."""
    manifest = _read_json(folder / "manifest.json")
    metrics = _read_json(folder / "metrics.json")
    claims = check_claims(exp.claims, metrics, manifest["profile"],
                          manifest.get("substitutes") or {})
    write_text_atomic(folder / "claims.json", json.dumps(claims, indent=2) + "\n")
    return {"title": exp.title, "group": exp.group, "profile_note": manifest["profile_note"],
            "status": "ok", "metrics": metrics, "claims": claims,
            "figures": [f"{exp.name}/{f}" for f in manifest["figures"]],
            "notes": manifest["notes"], "seconds": manifest["wall_seconds"],
            "references": _references(exp)}, manifest["profile"]


def recheck(out: Path | str) -> dict[str, Any]:
    """Judge the runs in ``out`` (a folder of ``mfdnn reproduce``) against today's claims.

    Nothing is run: each finished experiment's ``claims.json`` is recomputed from its
    ``metrics.json`` and the profile and substitutes of its ``manifest.json``, a failed one's
    claims fail with its error again, and ``summary.json`` and ``report.html`` are rewritten.
    A finished run's folder is read from its manifest even where the summary lists it as
    failed or not at all (a folder of runs whose runner was stopped, or that finished since).
    """
    out = Path(out)
    registry = all_experiments()
    old = _read_json(out / "summary.json") if (out / "summary.json").exists() else {}
    listed = {k: v for k, v in old.get("experiments", {}).items() if k in registry}
    profiles = {old["profile"]} if "profile" in old else set()
    results: dict[str, Any] = {}
    for folder in sorted(out.iterdir()) if out.is_dir() else ():
        exp, earlier = registry.get(folder.name), listed.get(folder.name)
        if exp is None:
            continue
        if (folder / "manifest.json").exists():  # a finished run: its folder is the truth
            results[exp.name], profile = _judged(exp, folder)
            profiles.add(profile)
            if earlier and earlier.get("status") == "ok":
                results[exp.name]["seconds"] = earlier["seconds"]  # as reproduce measured it
        elif earlier is None and (folder / MARKER).exists():
            error = "the run did not finish (no manifest.json in its folder)"
            results[exp.name] = {"title": exp.title, "group": exp.group, "profile_note": "",
                                 "status": "failed", "error": error, "seconds": 0.0,
                                 "references": _references(exp),
                                 "claims": unchecked(exp.claims, error)}
    for name, entry in listed.items():
        if name in results:
            continue
        if entry.get("status") == "ok":
            raise ConfigError(f"{out / name}: the summary lists a finished run, but its folder "
                              "holds no manifest.json")
        results[name] = {**entry, "references": _references(registry[name]),
                         "claims": unchecked(registry[name].claims,
                                             entry.get("error", "unknown error"))}
    if not results:
        raise ConfigError(f"{out}: no summary.json and no run folders to re-check")
    if len(profiles) != 1:
        raise ConfigError(f"{out}: its runs are of profiles {', '.join(sorted(profiles))}; "
                          "re-check one profile's folder at a time")
    return _write_summary(out, profiles.pop(), old.get("seed", 0), results)


def unchecked(claims: tuple[Claim, ...], error: str) -> list[dict[str, Any]]:
    """The claims of an experiment that did not finish: each one fails, with the error."""
    return [{**declared(c), "verdict": "fail", "value": None,
             "reason": f"the run failed: {error}"} for c in claims]


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    text = json.dumps(value) if isinstance(value, list | dict) else str(value)
    return text if len(text) <= 160 else text[:157] + "..."


def _claims_table(claims: list[dict[str, Any]]) -> list[str]:
    esc = html.escape
    rows = ["<table class='claims'><tr><th></th><th>claim</th><th>value</th><th>source</th>"
            "<th>note</th></tr>"]
    for c in claims:
        rows.append(f"<tr class='{c['verdict']}'><td title='{c['verdict']}'>"
                    f"{MARKS[c['verdict']]}</td><td>{esc(describe(c))}</td>"
                    f"<td>{esc(_fmt(c['value'])) if c['value'] is not None else ''}</td>"
                    f"<td>{esc(c['source'])}</td><td>{esc(c.get('reason', ''))}</td></tr>")
    rows.append("</table>")
    return rows


def render_html(summary: dict[str, Any]) -> str:
    """A single self-contained page: the claims' counts, then per experiment its claims with
    their verdicts, a metric table (✓ / ✗ / — beside each number a claim is about) and its
    figures."""
    esc = html.escape
    counts = summary.get("claims", {"pass": 0, "fail": 0, "not-checked": 0})
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<title>mfdnn reproduce report</title><style>",
        "body{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem}",
        "img{max-width:100%;height:auto;border:1px solid #ddd;margin:.3rem 0}",
        "table{border-collapse:collapse;width:100%;margin:.4rem 0}td,th{border:1px solid #ccc;",
        "padding:.3rem;text-align:left;vertical-align:top;word-break:break-word}",
        ".failed,tr.fail td:first-child,.mark-fail{color:#b00}",
        "tr.pass td:first-child,.mark-pass{color:#080}",
        "tr.not-checked td:first-child,.mark-not-checked{color:#777}",
        ".counts span{margin-right:1rem;font-weight:600}",
        "</style></head><body>",
        f"<h1>mfdnn reproduce: profile {esc(summary['profile'])}</h1>",
        f"<p class='counts'>Claims: <span class='mark-pass'>{MARKS['pass']} {counts['pass']} "
        f"pass</span><span class='mark-fail'>{MARKS['fail']} {counts['fail']} fail</span>"
        f"<span class='mark-not-checked'>{MARKS['not-checked']} {counts['not-checked']} not "
        "checked</span></p>",
        f"<p>{summary['passed']} experiments ran, {summary['failed']} failed, "
        f"{summary['seconds']:.0f} s in all, seed {summary['seed']}. A claim is not checked "
        "where it is not meant for this profile or a substitute data set was used; its note "
        "says which.</p>",
    ]
    for name, e in summary["experiments"].items():
        claims = e.get("claims", [])
        parts.append(f"<section id='{esc(name)}'><h2>{esc(name)}: {esc(e['title'])}</h2>")
        parts.append(f"<p>{esc(e['group'])} &middot; {esc(e['profile_note'])} &middot; "
                     f"{e['seconds']:.1f} s</p>")
        if e["status"] != "ok":
            parts.append(f"<p class='failed'>failed: {esc(e['error'])}</p>")
        if claims:
            parts.extend(_claims_table(claims))
        if e["status"] != "ok":
            parts.append("</section>")
            continue
        marks = claim_marks(claims)
        parts.append("<table><tr><th>metric</th><th>value</th><th>claim</th>"
                     "<th>reference</th></tr>")
        for key, value in e["metrics"].items():
            ref = e["references"].get(key)
            ref_text = esc(f"{_fmt(ref['value'])} ({ref['source']})") if ref else ""
            mark = " ".join(f"<span class='mark-{c['verdict']}' title='{esc(claim_text(c))}'>"
                            f"{MARKS[c['verdict']]}</span>" for c in marks.get(key, []))
            parts.append(f"<tr><td>{esc(key)}</td><td>{esc(_fmt(value))}</td><td>{mark}</td>"
                         f"<td>{ref_text}</td></tr>")
        parts.append("</table>")
        parts.extend(f"<p>{esc(n)}</p>" for n in e.get("notes", []))
        parts.extend(f"<img src='{esc(f)}' alt='{esc(f)}'>" for f in e["figures"])
        parts.append("</section>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
