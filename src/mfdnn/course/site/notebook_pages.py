"""A page per notebook: ``notebooks/NAME.html``, the notebook rendered with its outputs (figures
inline) beside the ``.ipynb`` to download.

Each notebook is executed top to bottom at the build's profile by nbclient (``profile=None``
renders it unexecuted) and converted by nbconvert's ``HTMLExporter`` (the ``basic`` template,
styled by the site's stylesheet). The ``show_run`` cells keep their runs under ``runs``
(``$MFDNN_RUNS`` for the kernel), so a later build reuses every finished run that is the same
run. A chapter's lesson must run without an error (a broken lesson is not published); in a
tutorial, the exercise cells raise ``NotImplementedError`` until a student fills them in, and
the page shows that.

The math is rendered at build time, to MathML (``latex2mathml``), so the pages need no script
and no network; an expression it cannot convert stays as readable ``$...$`` TeX.
"""

from __future__ import annotations

import copy
import html
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mfdnn.course.site.render import Site, esc, link
from mfdnn.errors import ConfigError

_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)\$")
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)
_TOKEN = "MFDNNMATH{}X"

PAGE_CSS = """
.nb .cell{margin:.7rem 0}
.nb .prompt{display:none}
.nb .code_cell .input_area pre{border-left:3px solid var(--accent);margin:0}
.nb .output_area pre{background:none;border-left:3px solid var(--line);margin:.3rem 0;
border-radius:0}
.nb .output_stderr pre{color:var(--warn)}
.nb .output_area img{display:block}
.nb .rendered_html table{width:auto}
.nb .anchor-link{margin-left:.3rem;text-decoration:none;opacity:.35}
.nb math[display=block]{display:block;margin:.6rem 0;overflow-x:auto}
.nb .tex{font-family:ui-monospace,monospace;font-size:.9em}
.nb .highlight .k,.nb .highlight .kn,.nb .highlight .kc,.nb .highlight .ow{color:#7a1fa2;
font-weight:600}
.nb .highlight .s,.nb .highlight .s1,.nb .highlight .s2,.nb .highlight .sa,.nb .highlight .sd{
color:#1a7f37}
.nb .highlight .c,.nb .highlight .c1,.nb .highlight .cm{color:#6a737d;font-style:italic}
.nb .highlight .mi,.nb .highlight .mf{color:#b35900}
.nb .highlight .nf,.nb .highlight .nc{color:#1c5aa6;font-weight:600}
"""


def _needs() -> tuple[Any, Any, Any]:
    try:
        import nbclient
        import nbformat
        from nbconvert import HTMLExporter
    except ImportError as err:
        raise ConfigError(f"rendering the notebook pages needs {err.name}: pip install "
                          "'mfdnn[notebooks]' (or build with --no-notebook-pages)") from None
    return nbformat, nbclient, HTMLExporter


def tex_to_html(tex: str, display: bool) -> str:
    """MathML for one TeX expression, or the TeX itself (escaped) if it cannot be converted."""
    try:
        from latex2mathml.converter import convert

        return convert(tex.strip(), display="block" if display else "inline")
    except Exception:  # noqa: BLE001 (any converter failure: show the TeX, readable)
        delim = "$$" if display else "$"
        return f"<span class='tex'>{html.escape(delim + tex + delim)}</span>"


def _protect_math(nb: Any) -> dict[str, str]:
    """Replace every ``$...$`` and ``$$...$$`` of the Markdown cells by a token (so the
    Markdown renderer leaves them alone); return token -> MathML."""
    table: dict[str, str] = {}

    def keep(match: re.Match[str], display: bool) -> str:
        token = _TOKEN.format(len(table))
        table[token] = tex_to_html(match.group(1), display)
        return token

    def convert(text: str) -> str:
        text = _DISPLAY.sub(lambda m: "\n\n" + keep(m, True) + "\n\n", text)
        return _INLINE.sub(lambda m: keep(m, False), text)

    for cell in nb.cells:
        if cell.cell_type == "markdown":  # not inside `code` spans or ``` blocks
            parts = _CODE.split(cell.source)
            cell.source = "".join(part if i % 2 else convert(part)
                                  for i, part in enumerate(parts))
    return table


@contextmanager
def _runs_env(runs: Path) -> Iterator[None]:
    old = os.environ.get("MFDNN_RUNS")
    os.environ["MFDNN_RUNS"] = str(runs.resolve())
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("MFDNN_RUNS", None)
        else:
            os.environ["MFDNN_RUNS"] = old


def execute(path: Path, runs: Path, allow_exercise_errors: bool, timeout: int = 900) -> Any:
    """The notebook at ``path`` run top to bottom in a fresh kernel (in a scratch folder);
    ``show_run`` cells keep their runs under ``runs``."""
    nbformat, nbclient, _ = _needs()
    nb = nbformat.read(path, as_version=4)
    if allow_exercise_errors:
        for cell in nb.cells:
            if "exercise" in cell.metadata.get("tags", []):
                cell.metadata["tags"] = [*cell.metadata["tags"], "raises-exception"]
    with tempfile.TemporaryDirectory(prefix="mfdnn-nb-") as scratch, _runs_env(runs):
        try:
            nbclient.NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                    resources={"metadata": {"path": scratch}},
                                    extra_arguments=["--IPKernelApp.log_level=ERROR"]
                                    ).execute()  # the kernel's TCP warning is not news
        except nbclient.exceptions.CellExecutionError as err:
            what = f"{err.ename}: {err.evalue}".splitlines()[0]
            raise ConfigError(f"{path.name} did not run: {what}") from None
    return nb


def notebook_html(nb: Any, drop_title: bool = True) -> str:
    """The notebook's cells and outputs as HTML (no page around them), math as MathML;
    ``drop_title``: without the first cell's ``# title`` line (the page has it as its h1)."""
    _, _, HTMLExporter = _needs()
    nb = copy.deepcopy(nb)
    first = nb.cells[0] if nb.cells else None
    if drop_title and first is not None and first.cell_type == "markdown" \
            and first.source.startswith("# "):
        first.source = first.source.partition("\n")[2]
    math = _protect_math(nb)
    exporter = HTMLExporter(template_name="basic")
    exporter.exclude_input_prompt = exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb)
    for token, mathml in math.items():
        body = body.replace(f"<p>{token}</p>", mathml).replace(token, mathml)
    return body


def notebook_page(site: Site, path: Path, title: str, runs: Path, profile: str | None,
                  note: str = "") -> Path:
    """Render ``notebooks/<path.stem>.html`` from the notebook at ``path`` (in the site)."""
    nbformat, _, _ = _needs()
    tutorial = not path.stem.startswith("chapter-")
    nb = (execute(path, runs, allow_exercise_errors=tutorial) if profile is not None
          else nbformat.read(path, as_version=4))
    ran = (f"executed at the <code>{esc(profile)}</code> profile when the site was built"
           if profile is not None else "shown without its outputs (the site was built "
           "with <code>--no-execute</code>)")
    lead = (f"<p class='lead'>The notebook {ran}. "
            + link(f"notebooks/{path.name}", f"Download {esc(path.name)}", "class='download'")
            + f" or write it with <code>mfdnn notebook {esc(path.stem.removeprefix('chapter-'))}"
            f" --out .</code>{note}</p>")
    return site.page(f"notebooks/{path.stem}.html", title,
                     f"<div class='nb'>{notebook_html(nb)}</div>", lead=lead)
