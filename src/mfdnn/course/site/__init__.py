"""``mfdnn site build --out DIR``: the course website as static HTML and CSS.

Pages (one module each; :class:`~mfdnn.course.site.render.Site` is the page registry):

* ``index.html`` (:mod:`.home`): the course page's sections in its order, every fact of it;
* ``homework.html`` and ``hw/hwN.html`` (:mod:`.homework`): "Homework N, Due MM/DD, 5pm",
  the files, the starters to download (``hw/hwN/``, ``hw/hwN-starter.zip``), the self-check;
* ``schedule.html`` (:mod:`.schedule`): each week's topic, chapter, homework and exams due;
* ``chapters.html`` and ``chapters/ID.html`` (:mod:`.chapters`), ``tutorials.html``
  (:mod:`.tutorials`), the notebooks (``notebooks/*.ipynb``) and a page for each, rendered
  with its outputs (``notebooks/*.html``, :mod:`.notebook_pages`): executed at
  ``notebook_profile`` (``quick`` from the command line), or unexecuted with ``None``;
* given a ``mfdnn reproduce`` folder, ``results.html`` (:mod:`.results`).

The site is built in a temporary folder beside ``DIR`` and moved into place only when every
page is written, so a failed build leaves the previous site (or nothing), never a half-written
or stale one. ``DIR`` must be empty, absent, or a site this command built (it carries the
marker file ``.mfdnn-site``).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from mfdnn.course.metadata import Course
from mfdnn.course.site.chapters import chapter_of_group, chapter_pages, experiments_by_chapter
from mfdnn.course.site.home import home_page, sample_exams
from mfdnn.course.site.homework import homework_pages, release_starters
from mfdnn.course.site.render import Site
from mfdnn.course.site.results import copy_figures, load_summary, results_page
from mfdnn.course.site.schedule import schedule_page
from mfdnn.course.site.tutorials import tutorials_page
from mfdnn.errors import ConfigError

__all__ = ["build_site", "chapter_of_group", "experiments_by_chapter"]

MARKER = ".mfdnn-site"


def _check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise ConfigError(f"{out}: not empty and not a site built by `mfdnn site build`; "
                          "choose an empty or new folder")


def write_pages(course: Course, out: Path, results: Path | None = None, *,
                notebook_pages: bool = True, notebook_profile: str | None = None,
                runs: Path = Path("runs")) -> list[Path]:
    """Write every page into the (new, empty) folder ``out``; return the pages.

    ``notebook_pages``: render a page per notebook, executed at ``notebook_profile`` (None:
    unexecuted), its ``show_run`` runs kept under ``runs`` for later builds to reuse."""
    from mfdnn.course.notebooks import TUTORIALS, write_notebook
    from mfdnn.course.tutorials import tutorial_title

    summary, folder = load_summary(results) if results is not None else (None, None)
    site = Site(course, out)
    if summary is not None:
        site.nav.append(("results.html", "Results"))
    site.write_css()
    (out / MARKER).write_text("built by mfdnn site build\n", encoding="utf-8")
    profile = notebook_profile or "quick"
    notebooks = [(write_notebook(course, ch.id, out / "notebooks", profile),
                  f"Chapter {ch.id}: {ch.title}", "" if ch.notebook else PROLOGUE_NOTE)
                 for ch in course.chapters]
    notebooks += [(write_notebook(course, t, out / "notebooks"), tutorial_title(t), "")
                  for t in TUTORIALS]
    if notebook_pages:
        from mfdnn.course.site.notebook_pages import PAGE_CSS, notebook_page

        with (out / "style.css").open("a", encoding="utf-8") as css:
            css.write(PAGE_CSS.strip() + "\n")
        for path, title, note in notebooks:
            notebook_page(site, path, title, runs, notebook_profile, note)
    site.notebook_pages = notebook_pages

    starters = release_starters(site)
    figures = copy_figures(site, summary, folder) if summary is not None else {}
    by_chapter = experiments_by_chapter(course)
    home_page(site, starters, sample_exams(site))
    homework_pages(site, starters, [e for exps in by_chapter.values() for e in exps])
    schedule_page(site)
    chapter_pages(site, by_chapter, figures)
    tutorials_page(site)
    if summary is not None:
        results_page(site, summary, figures)
    return site.pages


PROLOGUE_NOTE = (". The course page lists no notebook for the prologue; this first lesson is "
                 "the package's")


def build_site(course: Course, out: Path, results: Path | None = None, *,
               notebook_pages: bool = True, notebook_profile: str | None = None,
               runs: Path = Path("runs")) -> list[Path]:
    """Build the site into ``out`` (replacing a previous build there); return its pages.
    The notebook pages: see :func:`write_pages`."""
    out = Path(out)
    _check_target(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.building-"))
    try:
        pages = write_pages(course, tmp, results, notebook_pages=notebook_pages,
                            notebook_profile=notebook_profile, runs=Path(runs))
        old = None
        if out.exists():
            old = out.parent / f"{tmp.name}-old"
            out.rename(old)
        tmp.rename(out)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [out / p.relative_to(tmp) for p in pages]
