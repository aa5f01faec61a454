"""The homework index and one page per homework, headed as on the course page
("Homework 7, Due 10/26, 5pm"): its files in the page's order (each starter to download,
or why there is none; each file the package makes, with the command that makes it), a zip of
all starters, the tasks, the self-check command with its checks, and how to submit.

Starters are released into the site (``hw/hwN/<file>``, :func:`mfdnn.course.release.release`)
for every file with a reference solution in ``course/solutions/hwN/``.
"""

from __future__ import annotations

import zipfile
from typing import Any

from mfdnn.course.metadata import Homework, day_date, due_text
from mfdnn.course.site.render import (
    Site,
    command,
    esc,
    items,
    link,
    nowrap,
    prose,
    section,
    table,
)

ZIP_TIME = (2022, 1, 1, 0, 0, 0)  # fixed, so that rebuilding gives the same bytes


def release_starters(site: Site) -> dict[str, set[str]]:
    """Write every homework's starters under ``hw/hwN/`` and a ``hw/hwN-starter.zip``;
    return ``{hw: {file names released}}``."""
    from mfdnn.course.release import release, released_homework

    out: dict[str, set[str]] = {}
    for hw in released_homework(site.course):
        written = release(site.course, hw, site.out / "hw" / hw)
        with zipfile.ZipFile(site.out / "hw" / f"{hw}-starter.zip", "w",
                             zipfile.ZIP_DEFLATED) as z:
            for path in written:
                info = zipfile.ZipInfo(f"{hw}/{path.name}", ZIP_TIME)
                info.external_attr = 0o644 << 16
                z.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED)
        out[hw] = {p.name for p in written}
    return out


def files_section(site: Site, hw: Homework, starters: set[str]) -> str:
    """One card per file, in the page's order: the starter to download, or why there is
    none, or the command that makes the file."""
    if not hw.listed:
        return section("files", "Files", "<p>Written problems only: no files.</p>")
    made = {m.name: m for m in hw.made}
    cards = []
    for name in hw.listed:
        if name in made:
            kind = "made by the package"
            text = command(made[name].made_by) + f"<p>{prose(made[name].about)}</p>"
        elif name in starters:
            kind = "starter"
            text = "<p>" + link(f"hw/{hw.id}/{name}", f"Download {esc(name)}", "download") + "</p>"
        else:
            kind = "starter"
            text = ("<p class='note'>Not released: no reference solution in "
                    f"<code>{esc(site.course.root.name)}/solutions/{hw.id}/</code> yet.</p>")
        cls = "card file starter" if kind == "starter" else "card file"
        cards.append(f"<div class='{cls}' id='{esc(name)}'><h3><code>{esc(name)}</code> "
                     f"<span class='muted'>{kind}</span></h3>{text}</div>")
    body = "".join(cards)
    if starters:
        body = (link(f"hw/{hw.id}-starter.zip", "Download all starter files "
                     + nowrap(f"({hw.id}-starter.zip)"), "class='download' download")
                + body + "<p class='muted'>Fill in every place marked <code>TODO</code>; until "
                "then the starter raises <code>NotImplementedError</code> there.</p>")
    return section("files", "Files", body)


def check_section(hw: Homework, checked: set[str]) -> str:
    from mfdnn.course.checker import homework_checks

    if hw.id not in checked:
        what = "written problems" if not hw.files else "no automatic checks yet"
        return section("self-check", "Self-check", f"<p class='muted'>No self-check for this "
                       f"homework ({what}).</p>")
    checks = homework_checks(hw.id)
    tested = {ch.file for ch in checks}
    files = " ".join([f for f in hw.files if f in tested]
                     + sorted(tested - set(hw.files)))  # the page's order
    return section("self-check", "Self-check", (
        "<p>Run the checks on your files before you submit; each prints what it found and "
        "its points:</p>"
        + command(f"mfdnn check {hw.number} {files}")
        + table(["file", "check", "points"],
                [[f"<code>{esc(ch.file)}</code>", esc(ch.description), f"{ch.points:g}"]
                 for ch in checks])))


def homework_pages(site: Site, starters: dict[str, set[str]], experiments: list[Any]) -> None:
    from mfdnn.course.checker import available_homework

    c = site.course
    checked = set(available_homework())
    rows = []
    for hw in c.homework:
        ch = c.get_chapter(hw.chapter)
        rows.append([link(f"hw/{hw.id}.html", nowrap(esc(hw.heading))), esc(hw.title),
                     link(f"chapters/{ch.id}.html", f"Chapter {esc(ch.id)}"),
                     ", ".join(f"<code>{esc(f)}</code>" for f in hw.listed) or "written"])
    site.page("homework.html", "Homework", table(["homework", "title", "chapter", "files"], rows),
              lead=f"<p class='lead'>{esc(c.secondary_site['submissions'])}</p>")

    for i, hw in enumerate(c.homework):
        ch = c.get_chapter(hw.chapter)
        # "Due Wednesday, 09/07, 5pm"
        due = f"Due {day_date(hw.due)}, {due_text(hw.due).rsplit(', ', 1)[1]}" if hw.due else ""
        lead = (f"<p class='lead'>{esc(hw.title)} &middot; "
                + link(f"chapters/{ch.id}.html", esc(f"Chapter {ch.id}: {ch.title}"))
                + "</p>")
        body = [files_section(site, hw, starters.get(hw.id, set())),
                section("tasks", "What to do", items([prose(t) for t in hw.tasks])),
                check_section(hw, checked),
                section("submit", "Submit", f"<p>{esc(c.secondary_site['submissions'])}"
                        + (f" <span class='due'>{esc(due)}</span>." if due else "")
                        + "</p>")]
        exps = [e for e in experiments if e.group.upper() == hw.id.upper()]
        if exps:
            body.append(section("experiments", "Reference runs", items(
                [f"<code>mfdnn run {esc(e.name)}</code>: {esc(e.title)}" for e in exps])))
        prev = (link(f"hw/{c.homework[i - 1].id}.html", f"&larr; Homework {i}") if i else
                "<span></span>")
        nxt = (link(f"hw/{c.homework[i + 1].id}.html", f"Homework {i + 2} &rarr;")
               if i + 1 < len(c.homework) else "<span></span>")
        body.append(f"<div class='pager'>{prev}{nxt}</div>")
        site.page(f"hw/{hw.id}.html", hw.heading, "".join(body), lead=lead)
