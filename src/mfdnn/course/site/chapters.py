"""The chapter index and one page per chapter: its weeks in the lecture plan, summary, topics,
homework, notebook, and its experiments, listed from the live registry
(:func:`mfdnn.experiments.core.registry.all_experiments`), so experiments added later appear
without editing the site."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mfdnn.course.metadata import Course
from mfdnn.course.site.render import Site, command, esc, href, items, link, section, table


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
    """``{chapter id: [experiments]}``; key ``""`` holds those of no chapter (perf-*)."""
    from mfdnn.experiments.core.registry import all_experiments

    out: dict[str, list[Any]] = {c.id: [] for c in course.chapters}
    out[""] = []
    for exp in all_experiments().values():
        key = chapter_of_group(course, exp.group)
        out.get(key or "", out[""]).append(exp)
    return out


def notebook_links(site: Site, stem: str, arg: str) -> str:
    """The rendered page of notebook ``stem`` (if the build has them), its ``.ipynb`` to
    download, and the command that writes it."""
    page = (link(f"notebooks/{stem}.html", "Read it with its outputs") + " &middot; "
            if site.notebook_pages else "")
    return ("<p>" + page + link(f"notebooks/{stem}.ipynb", f"download {esc(stem)}.ipynb",
                                "download")
            + f" &middot; <code>mfdnn notebook {esc(arg)} --out .</code></p>")


def experiment_card(e: Any, figures: list[str]) -> str:
    imgs = "".join(f"<img src='{href(f)}' alt='{esc(Path(f).name)}' loading='lazy'>"
                   for f in figures[:2])
    return (f"<div class='card'><strong><code>{esc(e.name)}</code></strong> "
            f"<span class='muted'>({esc(e.group)})</span><br>{esc(e.title)}"
            + command(f"mfdnn run {e.name} --profile quick") + f"{imgs}</div>")


def chapter_pages(site: Site, by_chapter: dict[str, list[Any]],
                  figures: dict[str, list[str]]) -> None:
    """``figures``: experiment name -> links (from the root) of figures to show."""
    c = site.course
    rows = []
    for ch in c.chapters:
        hws = ", ".join(link(f"hw/{h}.html", f"Homework {c.get_homework(h).number}")
                        for h in ch.homework) or "-"
        rows.append([link(f"chapters/{ch.id}.html", esc(f"Chapter {ch.id}")), esc(ch.title),
                     esc(ch.weeks), hws, str(len(by_chapter[ch.id]))])
    site.page("chapters.html", "Chapters", table(
        ["chapter", "title", "weeks", "homework", "experiments"], rows))

    for ch in c.chapters:
        exps = by_chapter[ch.id]
        plans = [f"[Week {p.weeks}] {esc(p.topic)}" for p in c.schedule if ch.id in p.chapters]
        hws = [link(f"hw/{h}.html", esc(f"{c.get_homework(h).heading}: "
                                          f"{c.get_homework(h).title}")) for h in ch.homework]
        body = [f"<p>{esc(ch.summary)}</p>"]
        if plans:
            body.append(section("weeks", "In the lecture plan", items(plans)))
        body.append(section("topics", "Topics", items([esc(t) for t in ch.topics])))
        if hws:
            body.append(section("homework", "Homework", items(hws)))
        body.append(section("notebook", "Notebook" if ch.notebook else "Lesson",
                            notebook_links(site, f"chapter-{ch.id}", ch.id) + (
                                "" if ch.notebook else "<p class='muted'>The course page "
                                "lists no notebook for the prologue; this first lesson is "
                                "the package's.</p>")))
        cards = "".join(experiment_card(e, figures.get(e.name, [])) for e in exps)
        body.append(section("experiments", f"Experiments ({len(exps)})", cards or
                            "<p class='muted'>No experiments for this chapter.</p>"))
        site.page(f"chapters/{ch.id}.html", f"Chapter {ch.id}: {ch.title}", "".join(body),
                  lead=f"<p class='lead'>Weeks {esc(ch.weeks)}</p>" if ch.weeks != "-" else "")
