"""Student-controlled text made safe for terminals, files and spreadsheets.

Every string that comes from a submission (exception messages, printed output, labels it
returned) or from a folder name passes through here before it reaches the instructor's
terminal, ``grades.csv``, ``results.json`` or ``output.txt``:

* :func:`clean_line` / :func:`clean_text` drop control characters (terminal escapes, carriage
  returns, NUL), Unicode format characters (bidirectional overrides, zero-width joiners) and
  lone surrogates; a line keeps no line breaks; a length cap applies;
* :func:`csv_cell` neutralises a cell that a spreadsheet would run as a formula (starting with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) by prefixing a quote;
* :func:`student_id_problem` says what is wrong with a folder name as a student id.
"""

from __future__ import annotations

import unicodedata

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _keep(ch: str, keep: str) -> bool:
    if ch in keep:
        return True
    return unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def clean_text(text: str, limit: int | None = None) -> str:
    """``text`` without control and format characters (line breaks and tabs kept)."""
    text = text.replace("\r\n", "\n")
    out = "".join(ch for ch in text if _keep(ch, "\n\t"))
    return out if limit is None or len(out) <= limit else out[:limit] + "..."


def clean_line(text: str, limit: int = 300) -> str:
    """One line: whitespace runs (line breaks included) become one space."""
    out = " ".join("".join(ch if _keep(ch, "") else " " for ch in text).split())
    return out if len(out) <= limit else out[:limit] + "..."


def csv_cell(value: object) -> str:
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def student_id_problem(name: str) -> str | None:
    """Why ``name`` cannot be a student id (a folder name), or None if it can."""
    if not name or len(name) > 128:
        return "an id has 1 to 128 characters"
    if name.startswith(".") or name != name.strip():
        return "an id does not start with a dot or with or end in a space"
    if any(not _keep(ch, "") or ch in "/\\" for ch in name):
        return "an id holds no control characters or slashes"
    return None
