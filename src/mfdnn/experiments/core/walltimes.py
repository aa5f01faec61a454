"""What a run costs: each experiment's wall time as measured by ``mfdnn reproduce``.

``walltimes.json`` beside this module holds, per profile, the seconds each experiment took
in one measured ``mfdnn reproduce`` (on the 2-core CPU machine the project is developed on),
with the command and the date; ``mfdnn list`` shows them so that a student knows what a run
costs before starting it. ``python benchmarks/record_walltimes.py SUMMARY.json`` rewrites the
entry of that summary's profile.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from mfdnn.data.files import write_text_atomic

PATH = Path(__file__).with_name("walltimes.json")


def load(path: Path = PATH) -> dict[str, Any]:
    """``{profile: {"seconds": {name: s}, "command": ..., "measured": ..., ...}}``."""
    if not path.is_file():
        return {}
    return json.loads(path.read_text())


def seconds(name: str, profile: str, table: dict[str, Any] | None = None) -> float | None:
    """The measured wall time of ``name`` at ``profile``, or None if never measured."""
    table = load() if table is None else table
    return table.get(profile, {}).get("seconds", {}).get(name)


def human(seconds_: float | None) -> str:
    """``8 s``, ``3 min``, ``1 h 05 min``; empty when unknown."""
    if seconds_ is None:
        return ""
    if seconds_ < 90:
        return f"{seconds_:.0f} s"
    minutes = round(seconds_ / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def record(summary: dict[str, Any], machine: str, command: str, path: Path = PATH) -> None:
    """Store the wall times of a ``summary.json`` (experiments that finished) for its profile."""
    table = load(path)
    table[summary["profile"]] = {
        "measured": date.today().isoformat(),
        "machine": machine,
        "command": command,
        "total_seconds": summary["seconds"],
        "seconds": {name: e["seconds"] for name, e in summary["experiments"].items()
                    if e["status"] == "ok"},
    }
    write_text_atomic(path, json.dumps(table, indent=1, sort_keys=True) + "\n")
