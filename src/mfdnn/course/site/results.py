"""The results page, from a ``mfdnn reproduce`` folder: every experiment's metrics beside the
reference values, and its figures (copied into ``results/``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from mfdnn.course.site.render import Site, esc, href, table
from mfdnn.errors import ConfigError


def load_summary(results: Path) -> tuple[dict[str, Any], Path]:
    """The ``summary.json`` of a reproduce folder (or the file itself) and its folder."""
    path = results / "summary.json" if results.is_dir() else results
    if not path.is_file():
        raise ConfigError(f"{results}: no summary.json (run `mfdnn reproduce` first)")
    try:
        return json.loads(path.read_text()), path.parent
    except (ValueError, UnicodeDecodeError):
        raise ConfigError(f"{path}: not valid JSON") from None


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


def results_page(site: Site, summary: dict[str, Any], figures: dict[str, list[str]]) -> None:
    parts = [f"<p>Profile <strong>{esc(str(summary['profile']))}</strong>, seed "
             f"{esc(str(summary['seed']))}: {summary['passed']} experiments ran, "
             f"{summary['failed']} failed.</p>"]
    for name, e in summary["experiments"].items():
        parts.append(f"<h2 id='{esc(name)}'>{esc(name)}</h2><p>{esc(e['title'])} "
                     f"<span class='muted'>({esc(e['group'])}; {esc(e['profile_note'])})"
                     "</span></p>")
        if e.get("status") != "ok":
            parts.append(f"<p class='note'>failed: {esc(e.get('error', ''))}</p>")
            continue
        refs = e.get("references", {})
        parts.append(table(["metric", "value", "reference"], [
            [esc(k), esc(_fmt(v)), esc(f"{_fmt(refs[k]['value'])} ({refs[k]['source']})")
             if k in refs else ""] for k, v in e["metrics"].items()]))
        parts += [f"<img src='{href(f)}' alt='{esc(Path(f).name)}' loading='lazy'>"
                  for f in figures.get(name, [])]
    site.page("results.html", "Results", "".join(parts))
