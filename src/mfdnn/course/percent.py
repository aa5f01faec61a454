"""Percent-format scripts: ``# %%`` code cells and ``# %% [markdown]`` cells, as jupytext
reads them. The one reader behind the Python tutorials and the chapter lessons; each of them
gives the tags its cells may carry (``# %% exercise NAME``, ``# %% source MODULE:NAME``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mfdnn.errors import ConfigError

_MARKER = re.compile(r"^# %%(?:[ \t]+(.*?))?[ \t]*$")


@dataclass(frozen=True)
class RawCell:
    """A cell as written: ``kind`` "markdown" or "code"; ``source`` without the comment marks
    of a Markdown cell and without blank lines at either end; a code cell's ``tag`` and
    ``target`` are the two words after ``# %%`` ("" for a plain cell)."""

    kind: str
    source: str
    tag: str = ""
    target: str = ""


def split(text: str, filename: str, tags: re.Pattern[str], usage: str) -> list[RawCell]:
    """Every cell of ``text`` (lines before the first ``# %%`` are a header, dropped), empty
    ones included. ``tags`` matches the allowed ``TAG TARGET`` after ``# %%`` with two groups;
    an unknown marker is a ConfigError ending with ``usage``."""
    cells: list[RawCell] = []
    header: tuple[str, str, str] | None = None
    body: list[str] = []

    def flush() -> None:
        if header is None:
            return
        kind, tag, target = header
        lines = body[:]
        if kind == "markdown":
            for i, line in enumerate(lines):
                if line and not line.startswith("#"):
                    raise ConfigError(f"{filename}: a Markdown line must be a comment: {line!r}")
                lines[i] = line[2:] if line.startswith("# ") else line[1:]
        cells.append(RawCell(kind, "\n".join(lines).strip("\n"), tag, target))

    for line in text.splitlines():
        match = _MARKER.match(line)
        if not match:
            body.append(line)
            continue
        flush()
        rest = match.group(1) or ""
        tagged = tags.match(rest)
        if rest == "[markdown]":
            header = ("markdown", "", "")
        elif tagged:
            header = ("code", tagged.group(1), tagged.group(2))
        elif rest == "":
            header = ("code", "", "")
        else:
            raise ConfigError(f"{filename}: unknown cell marker {line!r}{usage}")
        body = []
    flush()
    return cells
