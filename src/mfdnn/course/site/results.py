"""The results page, from a ``mfdnn reproduce`` folder: the count of claims that hold, then
every experiment's claims with their verdicts, its metrics (✓ / ✗ / — beside each number a
claim is about) beside the reference values, and its figures (copied into ``results/``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from mfdnn.course.site.render import Site, esc, href, table
from mfdnn.errors import ConfigError
from mfdnn.experiments.core.claims import MARKS, VERDICTS, claim_marks, claim_text, describe


def load_summary(results: Path) -> tuple[dict[str, Any], Path]:
    """The ``summary.json`` of a reproduce folder (or the file itself) and its folder."""
    path = results / "summary.json" if results.is_dir() else results
    if not path.is_file():
        raise ConfigError(f"{results}: no summary.json (run `mfdnn reproduce` first)")
    try:
        summary = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError):
        raise ConfigError(f"{path}: not valid JSON") from None
    experiments = summary.get("experiments") if isinstance(summary, dict) else None
    if not isinstance(experiments, dict):
        raise ConfigError(f"{path}: not a summary of `mfdnn reproduce` (no experiments)")
    for name, entry in experiments.items():
        try:
            for claim in entry.get("claims", []):
                describe(claim), VERDICTS.index(claim["verdict"])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ConfigError(f"{path}: not a summary of `mfdnn reproduce` ({name}): "
                              f"{type(exc).__name__} {exc}; `mfdnn reproduce --recheck --out "
                              f"{path.parent}` rewrites it") from None
    return summary, path.parent


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    text = json.dumps(value) if isinstance(value, list | dict) else str(value)
    return text if len(text) <= 120 else text[:117] + "..."


def copy_figures(site: Site, summary: dict[str, Any], folder: Path) -> dict[str, list[str]]:
    """Copy every figure of a successful run into ``results/``; ``{experiment: [links]}``."""
    out: dict[str, list[str]] = {}
    for name, e in summary.get("experiments", {}).items():
        if e.get("status") != "ok":
            continue
        for fig in e.get("figures", []):
            if (folder / fig).is_file():
                (site.out / "results" / fig).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(folder / fig, site.out / "results" / fig)
                out.setdefault(name, []).append(f"results/{fig}")
    return out


def _mark(claim: dict[str, Any]) -> str:
    return (f"<span class='mark-{esc(claim['verdict'])}' title='{esc(claim_text(claim))}'>"
            f"{MARKS.get(claim['verdict'], '?')}</span>")


def _claim_rows(claims: list[dict[str, Any]]) -> list[list[str]]:
    return [[_mark(c), esc(describe(c)), esc(_fmt(c["value"])) if c.get("value") is not None
             else "", esc(c["source"]), esc(c.get("reason", ""))] for c in claims]


def results_page(site: Site, summary: dict[str, Any], figures: dict[str, list[str]]) -> None:
    every = [c for e in summary["experiments"].values() for c in e.get("claims", [])]
    counts = {v: sum(c["verdict"] == v for c in every) for v in VERDICTS}
    parts = [f"<p class='counts'>Claims: <span class='mark-pass'>{MARKS['pass']} "
             f"{counts['pass']} pass</span> <span class='mark-fail'>{MARKS['fail']} "
             f"{counts['fail']} fail</span> <span class='mark-not-checked'>"
             f"{MARKS['not-checked']} {counts['not-checked']} not checked</span></p>",
             f"<p>Profile <strong>{esc(str(summary['profile']))}</strong>, seed "
             f"{esc(str(summary['seed']))}: {summary['passed']} experiments ran, "
             f"{summary['failed']} failed. A claim is a result of the course or a paper that "
             "the run checks; it is not checked where it is not meant for this profile or a "
             "substitute data set was used (its note says which).</p>"]
    for name, e in summary["experiments"].items():
        claims = e.get("claims", [])
        parts.append(f"<h2 id='{esc(name)}'>{esc(name)}</h2><p>{esc(e['title'])} "
                     f"<span class='muted'>({esc(e['group'])}; {esc(e['profile_note'])})"
                     "</span></p>")
        if e.get("status") != "ok":
            parts.append(f"<p class='note'>failed: {esc(e.get('error', ''))}</p>")
        if claims:
            parts.append(table(["", "claim", "value", "source", "note"], _claim_rows(claims)))
        if e.get("status") != "ok":
            continue
        refs = e.get("references", {})
        marks = claim_marks(claims)
        parts.append(table(["metric", "value", "claim", "reference"], [
            [esc(k), esc(_fmt(v)), " ".join(_mark(c) for c in marks.get(k, [])),
             esc(f"{_fmt(refs[k]['value'])} ({refs[k]['source']})") if k in refs else ""]
            for k, v in e["metrics"].items()]))
        parts += [f"<img src='{href(f)}' alt='{esc(Path(f).name)}' loading='lazy'>"
                  for f in figures.get(name, [])]
    site.page("results.html", "Results", "".join(parts))
