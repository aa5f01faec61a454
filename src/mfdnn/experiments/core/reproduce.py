"""``mfdnn reproduce``: run many experiments, then write ``summary.json`` and ``report.html``.

A failing experiment is recorded (with its one-line error) and the others still run.
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
from mfdnn.experiments.core.registry import Experiment, all_experiments
from mfdnn.experiments.core.runner import run_experiment


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
    tic = time.perf_counter()
    for i, exp in enumerate(experiments, 1):
        print(f"[{i}/{len(experiments)}] {exp.name} ({profile})", file=sys.stderr, flush=True)
        start = time.perf_counter()
        entry: dict[str, Any] = {"title": exp.title, "group": exp.group,
                                 "profile_note": exp.note(profile)}
        try:
            record = run_experiment(exp.name, profile=profile, seed=seed, device=device,
                                    out=out / exp.name, progress=progress)
            entry.update(status="ok", metrics=record.metrics,
                         figures=[f"{exp.name}/{f}" for f in record.manifest["figures"]],
                         notes=record.manifest["notes"])
        except MfdnnError as exc:
            entry.update(status="failed", error=str(exc))
            print(f"  failed: {exc}", file=sys.stderr)
        entry["seconds"] = round(time.perf_counter() - start, 2)
        entry["references"] = {k: {"value": r.value, "source": r.source}
                               for k, r in exp.references.items()}
        results[exp.name] = entry
    summary = {
        "profile": profile,
        "seed": seed,
        "seconds": round(time.perf_counter() - tic, 2),
        "passed": sum(e["status"] == "ok" for e in results.values()),
        "failed": sum(e["status"] != "ok" for e in results.values()),
        "experiments": results,
    }
    write_text_atomic(out / "summary.json", json.dumps(summary, indent=2) + "\n")
    write_text_atomic(out / "report.html", render_html(summary))
    return summary


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    text = json.dumps(value) if isinstance(value, list | dict) else str(value)
    return text if len(text) <= 160 else text[:157] + "..."


def render_html(summary: dict[str, Any]) -> str:
    """A single self-contained page: per experiment its figures and a metric table."""
    esc = html.escape
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<title>mfdnn reproduce report</title><style>",
        "body{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem}",
        "img{max-width:100%;height:auto;border:1px solid #ddd;margin:.3rem 0}",
        "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem;",
        "text-align:left;vertical-align:top;word-break:break-word}.failed{color:#b00}",
        "</style></head><body>",
        f"<h1>mfdnn reproduce: profile {esc(summary['profile'])}</h1>",
        f"<p>{summary['passed']} passed, {summary['failed']} failed, "
        f"{summary['seconds']:.0f} s in all, seed {summary['seed']}.</p>",
    ]
    for name, e in summary["experiments"].items():
        parts.append(f"<section id='{esc(name)}'><h2>{esc(name)}: {esc(e['title'])}</h2>")
        parts.append(f"<p>{esc(e['group'])} &middot; {esc(e['profile_note'])} &middot; "
                     f"{e['seconds']:.1f} s</p>")
        if e["status"] != "ok":
            parts.append(f"<p class='failed'>failed: {esc(e['error'])}</p></section>")
            continue
        parts.append("<table><tr><th>metric</th><th>value</th><th>reference</th></tr>")
        for key, value in e["metrics"].items():
            ref = e["references"].get(key)
            ref_text = esc(f"{_fmt(ref['value'])} ({ref['source']})") if ref else ""
            parts.append(f"<tr><td>{esc(key)}</td><td>{esc(_fmt(value))}</td>"
                         f"<td>{ref_text}</td></tr>")
        parts.append("</table>")
        parts.extend(f"<p>{esc(n)}</p>" for n in e.get("notes", []))
        parts.extend(f"<img src='{esc(f)}' alt='{esc(f)}'>" for f in e["figures"])
        parts.append("</section>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
