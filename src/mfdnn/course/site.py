"""``mfdnn site build --out DIR``: the course website as static HTML and CSS.

Pages: ``index.html`` (announcements, course information, grading, prerequisites),
``chapters.html`` and one page per chapter (what it covers, its experiments and notebook),
one page per homework (due date, starter files to download, tasks, how to self-check, the
checks and their points), ``schedule.html`` (the weekly plan and the exams),
``tutorials.html`` (the Python tutorials), and, given a ``mfdnn reproduce`` folder,
``results.html`` (every experiment's figures and metrics beside the reference values).

Chapters list their experiments from the live registry
(:func:`mfdnn.experiments.core.registry.all_experiments`), so experiments added later
appear without editing the site. No external assets: one stylesheet, relative links, pages
readable on a phone. Placeholders of ``course.yml`` (``TBA``) show as "to be announced".
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

from mfdnn.course.metadata import Course, is_placeholder
from mfdnn.errors import ConfigError

CSS = """
:root{--fg:#1d2433;--muted:#5b6475;--accent:#1f5fa8;--line:#d8dde6;--bg:#fff;--soft:#f4f6fa}
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);
background:var(--bg)}
header{background:var(--accent);color:#fff;padding:.8rem 1rem}
header a{color:#fff;text-decoration:none;font-weight:600}
header .code{opacity:.85;font-size:.9rem}
nav{display:flex;flex-wrap:wrap;gap:.4rem 1rem;padding:.5rem 1rem;background:var(--soft);
border-bottom:1px solid var(--line)}
nav a{color:var(--accent);text-decoration:none}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.4rem 0 .8rem}h2{font-size:1.25rem;margin-top:1.6rem}
a{color:var(--accent)}
table{border-collapse:collapse;width:100%;margin:.5rem 0;display:block;overflow-x:auto}
th,td{border:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:var(--soft)}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;background:var(--soft);
border-radius:4px}
code{padding:.05rem .25rem}pre{padding:.6rem;overflow-x:auto}
.tba{color:#8a5a00;font-style:italic}
.card{border:1px solid var(--line);border-radius:8px;padding:.6rem .9rem;margin:.6rem 0}
.muted{color:var(--muted)}
img{max-width:100%;height:auto;border:1px solid var(--line);border-radius:4px;margin:.3rem 0}
ul{padding-left:1.2rem}
footer{color:var(--muted);font-size:.85rem;text-align:center;padding:2rem 1rem}
"""

esc = html.escape


def show(value: Any) -> str:
    """A metadata value as HTML; placeholders become a visible "to be announced"."""
    if is_placeholder(value):
        detail = str(value).strip()[3:].strip(" :-")
        title = f" title='{esc(detail)}'" if detail else ""
        return f"<span class='tba'{title}>to be announced</span>"
    return esc(str(value))


def chapter_of_group(course: Course, group: str) -> str | None:
    """The chapter an experiment's group belongs to: HWn by the homework's chapter, ChN, App. A."""
    m = re.match(r"^HW\s*(\d+)$", group, re.I)
    if m:
        hw = f"hw{int(m.group(1))}"
        return next((h.chapter for h in course.homework if h.id == hw), None)
    m = re.match(r"^Ch(?:apter)?\.?\s*([0-9]+|A)\b", group, re.I)
    if m:
        return m.group(1).upper()
    if re.match(r"^App", group, re.I):
        return "A"
    return None


def experiments_by_chapter(course: Course) -> dict[str, list[Any]]:
    from mfdnn.experiments.core.registry import all_experiments

    out: dict[str, list[Any]] = {c.id: [] for c in course.chapters}
    out[""] = []
    for exp in all_experiments().values():
        key = chapter_of_group(course, exp.group)
        out.get(key or "", out[""]).append(exp)
    return out


class Site:
    def __init__(self, course: Course, out: Path) -> None:
        self.course, self.out, self.pages = course, out, []

    def nav(self, depth: int) -> str:
        up = "../" * depth
        links = [("index.html", "Home"), ("chapters.html", "Chapters"),
                 ("homework.html", "Homework"), ("schedule.html", "Schedule"),
                 ("tutorials.html", "Python tutorials")]
        if (self.out / "results.html").exists() or getattr(self, "has_results", False):
            links.append(("results.html", "Results"))
        return "".join(f"<a href='{up}{href}'>{label}</a>" for href, label in links)

    def write(self, rel: str, title: str, body: str) -> Path:
        depth = rel.count("/")
        up = "../" * depth
        c = self.course
        page = (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{esc(title)} | {esc(c.code)}</title>"
            f"<link rel='stylesheet' href='{up}style.css'></head><body>"
            f"<header><a href='{up}index.html'>{esc(c.title)}</a> "
            f"<span class='code'>{esc(c.code)} &middot; {esc(c.term)}</span></header>"
            f"<nav>{self.nav(depth)}</nav><main><h1>{esc(title)}</h1>{body}</main>"
            f"<footer>{esc(c.institution)} &middot; built by <code>mfdnn site build</code>"
            "</footer></body></html>\n")
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")
        self.pages.append(path)
        return path


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
                   for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    text = json.dumps(value) if isinstance(value, list | dict) else str(value)
    return text if len(text) <= 120 else text[:117] + "..."


def build_site(course: Course, out: Path, results: Path | None = None) -> list[Path]:
    """Write the site to ``out``; return the pages written."""
    from mfdnn.course.checker import available_homework, homework_checks
    from mfdnn.course.notebooks import TUTORIALS, write_notebook
    from mfdnn.course.release import release, released_homework

    summary = None
    if results is not None:
        path = results / "summary.json" if results.is_dir() else results
        if not path.is_file():
            raise ConfigError(f"{results}: no summary.json (run `mfdnn reproduce` first)")
        summary = json.loads(path.read_text())
        results = path.parent
    out.mkdir(parents=True, exist_ok=True)
    (out / "style.css").write_text(CSS.strip() + "\n", encoding="utf-8")
    site = Site(course, out)
    site.has_results = summary is not None
    c = course
    by_chapter = experiments_by_chapter(course)
    checked = set(available_homework())
    released = set(released_homework(course))

    # notebooks first, so pages can link them
    for chapter in course.chapters:
        write_notebook(course, chapter.id, out / "notebooks")
    for tutorial in TUTORIALS:
        write_notebook(course, tutorial, out / "notebooks")

    # -- home ---------------------------------------------------------------------------
    ann = "".join(
        f"<div class='card'><strong>{show(a['title'])}</strong> "
        f"<span class='muted'>{show(a['date'])}</span><p>{show(a['text'])}</p></div>"
        for a in c.announcements) or "<p class='muted'>No announcements.</p>"
    lectures = _table(["day", "time", "room"], [[show(x["day"]), show(x["time"]),
                                                 show(x["room"])] for x in c.lectures])
    staff = _table(["name", "role", "email", "office hours"],
                   [[show(s["name"]), show(s["role"]), show(s["email"]),
                     show(s["office_hours"])] for s in c.staff])
    weights = _table(["part", "weight"], [[k, f"{v:g}%"] for k, v in c.weights.items()])
    exams = _table(["exam", "date", "room"], [[show(e["name"]), show(e["date"]),
                                                show(e["room"])] for e in c.exams])
    site.write("index.html", c.title, (
        f"<p>{esc(c.description)}</p>"
        f"<h2>Announcements</h2>{ann}"
        f"<h2>Course information</h2><p><strong>{esc(c.code)}</strong>, {esc(c.institution)},"
        f" {esc(c.term)}; taught in {esc(c.language)}.</p>"
        f"<h3>Lectures</h3>{lectures}<h3>Staff</h3>{staff}"
        f"<h2>Grading</h2>{weights}<p>{esc(c.homework_policy)}</p><h3>Exams</h3>{exams}"
        f"<h2>Prerequisites</h2><p>{show(c.prerequisites)}</p>"
        "<h2>Software</h2><p>Every homework program and lecture demo runs as a seeded "
        "experiment of the <code>mfdnn</code> package: <code>mfdnn list</code> shows them, "
        "<code>mfdnn run NAME --profile quick</code> runs one.</p>"))

    # -- chapters -----------------------------------------------------------------------
    rows = []
    for ch in c.chapters:
        hws = ", ".join(f"<a href='hw/{h}.html'>{h.upper()}</a>" for h in ch.homework) or "-"
        rows.append([f"<a href='chapters/{ch.id}.html'>Chapter {esc(ch.id)}</a>",
                     esc(ch.title), esc(ch.weeks), hws, str(len(by_chapter[ch.id]))])
    site.write("chapters.html", "Chapters", _table(
        ["chapter", "title", "weeks", "homework", "experiments"], rows))
    for ch in c.chapters:
        exps = by_chapter[ch.id]
        items = []
        for e in exps:
            figs = ""
            entry = (summary or {}).get("experiments", {}).get(e.name)
            if entry and entry.get("status") == "ok":
                figs = "".join(f"<img src='../results/{esc(f)}' alt='{esc(f)}' loading='lazy'>"
                               for f in entry.get("figures", [])[:2] if (results / f).is_file())
            items.append(f"<div class='card'><strong><code>{esc(e.name)}</code></strong> "
                         f"<span class='muted'>({esc(e.group)})</span><br>{esc(e.title)}"
                         f"<pre>mfdnn run {esc(e.name)} --profile quick</pre>{figs}</div>")
        hws = "".join(f"<li><a href='../hw/{h}.html'>{h.upper()}: "
                      f"{esc(c.get_homework(h).title)}</a></li>" for h in ch.homework)
        site.write(f"chapters/{ch.id}.html", f"Chapter {ch.id}: {ch.title}", (
            f"<p class='muted'>Weeks {esc(ch.weeks)}</p><p>{esc(ch.summary)}</p>"
            "<h2>Topics</h2><ul>" + "".join(f"<li>{esc(t)}</li>" for t in ch.topics) + "</ul>"
            + (f"<h2>Homework</h2><ul>{hws}</ul>" if hws else "")
            + f"<h2>Notebook</h2><p><a href='../notebooks/chapter-{esc(ch.id)}.ipynb'>"
            f"chapter-{esc(ch.id)}.ipynb</a>, or <code>mfdnn notebook {esc(ch.id)} --out .</code>"
            "</p>"
            + f"<h2>Experiments ({len(exps)})</h2>"
            + ("".join(items) or "<p class='muted'>No experiments for this chapter yet.</p>")))

    # -- homework -----------------------------------------------------------------------
    rows = []
    for hw in c.homework:
        rows.append([f"<a href='hw/{hw.id}.html'>{hw.id.upper()}</a>", esc(hw.title),
                     f"<a href='chapters/{hw.chapter}.html'>{esc(hw.chapter)}</a>",
                     show(hw.due), ", ".join(f"<code>{esc(f)}</code>" for f in hw.files) or
                     "written"])
    site.write("homework.html", "Homework", _table(
        ["homework", "title", "chapter", "due", "files"], rows))
    for hw in c.homework:
        parts = [f"<p>Chapter <a href='../chapters/{hw.chapter}.html'>{esc(hw.chapter)}</a>"
                 f" &middot; due {show(hw.due)}</p>",
                 "<h2>What to do</h2><ul>" + "".join(f"<li>{esc(t)}</li>" for t in hw.tasks)
                 + "</ul>"]
        if hw.id in released:
            written = release(course, hw.id, out / "hw" / hw.id)
            links = "".join(f"<li><a href='{hw.id}/{esc(f.name)}' download>{esc(f.name)}</a>"
                            "</li>" for f in written)
            links += "".join(f"<li>{esc(f)} <span class='muted'>(not released yet)</span></li>"
                             for f in hw.files if f not in {w.name for w in written})
            parts.append(f"<h2>Starter files</h2><ul>{links}</ul><p>Fill in every place "
                         "marked <code>TODO</code>; until then it raises "
                         "<code>NotImplementedError</code>.</p>")
        elif hw.files:
            parts.append("<h2>Starter files</h2><p class='muted'>Not released yet.</p>")
        if hw.id in checked:
            checks = homework_checks(hw.id)
            files = " ".join(dict.fromkeys(ch.file for ch in checks))
            parts.append(
                "<h2>Self-check</h2><p>Run the checks on your files before you submit:</p>"
                f"<pre>mfdnn check {hw.number} {esc(files)}</pre>" + _table(
                    ["file", "check", "points"],
                    [[f"<code>{esc(ch.file)}</code>", esc(ch.description), f"{ch.points:g}"]
                     for ch in checks]))
        exps = [e for e in sum(by_chapter.values(), []) if e.group.upper() == hw.id.upper()]
        if exps:
            parts.append("<h2>Reference experiments</h2><ul>" + "".join(
                f"<li><code>mfdnn run {esc(e.name)}</code>: {esc(e.title)}</li>" for e in exps)
                + "</ul>")
        site.write(f"hw/{hw.id}.html", f"{hw.id.upper()}: {hw.title}", "".join(parts))

    # -- schedule -----------------------------------------------------------------------
    rows = [[str(s["week"]), ", ".join(f"<a href='chapters/{x}.html'>{esc(x)}</a>"
                                       for x in s["chapters"]), esc(s["topics"])]
            for s in c.schedule]
    due = [[hw.id.upper(), show(hw.due)] for hw in c.homework]
    site.write("schedule.html", "Schedule", (
        _table(["week", "chapters", "topics"], rows) + "<h2>Homework due dates</h2>"
        + _table(["homework", "due"], due) + "<h2>Exams</h2>" + exams))

    # -- tutorials ----------------------------------------------------------------------
    items = "".join(f"<li><a href='notebooks/{esc(t['id'])}.ipynb'>{esc(t['title'])}</a></li>"
                    for t in c.tutorials)
    site.write("tutorials.html", "Python tutorials", (
        f"<p>Three Jupyter notebooks to get going with Python for the course.</p><ul>{items}"
        "</ul><h2>Chapter notebooks</h2><ul>" + "".join(
            f"<li><a href='notebooks/chapter-{esc(ch.id)}.ipynb'>Chapter {esc(ch.id)}: "
            f"{esc(ch.title)}</a></li>" for ch in c.chapters) + "</ul>"))

    # -- results ------------------------------------------------------------------------
    if summary is not None:
        target = out / "results"
        parts = [f"<p>Profile <strong>{esc(summary['profile'])}</strong>, seed "
                 f"{esc(str(summary['seed']))}: {summary['passed']} experiments ran, "
                 f"{summary['failed']} failed.</p>"]
        for name, e in summary["experiments"].items():
            parts.append(f"<h2 id='{esc(name)}'>{esc(name)}</h2><p>{esc(e['title'])} "
                         f"<span class='muted'>({esc(e['group'])}; {esc(e['profile_note'])})"
                         "</span></p>")
            if e.get("status") != "ok":
                parts.append(f"<p class='tba'>failed: {esc(e.get('error', ''))}</p>")
                continue
            refs = e.get("references", {})
            parts.append(_table(["metric", "value", "reference"], [
                [esc(k), esc(_fmt(v)), esc(f"{_fmt(refs[k]['value'])} ({refs[k]['source']})")
                 if k in refs else ""] for k, v in e["metrics"].items()]))
            for fig in e.get("figures", []):
                src = results / fig
                if src.is_file():
                    (target / fig).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(src, target / fig)
                    parts.append(f"<img src='results/{esc(fig)}' alt='{esc(fig)}' "
                                 "loading='lazy'>")
        site.write("results.html", "Results", "".join(parts))
    return site.pages
