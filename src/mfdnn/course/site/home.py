"""The home page: the course page's sections in the page's order, every fact of it.

Order: introduction, announcements, course materials (tutorials and chapters with their
notebooks), homework, lecture plans, course information (instructor, teaching assistants,
lectures, exams, grading, prerequisites, the Python tutorial, references), and the list the
page ends with.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mfdnn.course.gradebook import policy_text
from mfdnn.course.metadata import Homework, due_text, join_and, time_range
from mfdnn.course.site.render import Site, esc, items, link, nowrap, section


def tutorial_entry(t: dict[str, str]) -> str:
    """"Python Tutorial 1, Jupyter notebook code." with both parts linked."""
    return (link(f"tutorials.html#{t['id']}", esc(t["title"])) + ", "
            + link(f"notebooks/{t['id']}.ipynb", "Jupyter notebook code") + ".")


def materials(site: Site) -> str:
    entries = [tutorial_entry(t) for t in site.course.tutorials]
    for ch in site.course.chapters:
        entry = link(f"chapters/{ch.id}.html", esc(f"Chapter {ch.id}: {ch.title}"))
        if ch.notebook:
            entry += ", " + link(f"notebooks/chapter-{ch.id}.ipynb", "Jupyter notebook code") + "."
        entries.append(entry)
    return items(entries)


def file_entry(hw: Homework, name: str, starters: set[str]) -> str:
    """A homework file as a link: the starter download, or the file's note on the hw page."""
    if name in starters:
        return link(f"hw/{hw.id}/{name}", esc(name), "download")
    return link(f"hw/{hw.id}.html#{name}", esc(name))


def homework_entry(hw: Homework, starters: set[str]) -> str:
    """"Homework 7, Due 10/26, 5pm, counting_params.py, ..., LNiN.py." as on the page."""
    parts = [link(f"hw/{hw.id}.html", esc(f"Homework {hw.number}"))]
    if hw.due:
        parts.append(esc(due_text(hw.due)))
    parts += [file_entry(hw, f, starters) for f in hw.listed]
    return ", ".join(parts) + "."


def exam_entries(site: Site, samples: dict[str, str | None]) -> list[str]:
    c = site.course
    out = [f"{esc(e.title)}: {nowrap(esc(e.when))}." for e in c.exams]
    for s in c.sample_exams:
        target = samples.get(s.file)
        if target:
            out.append("Sample Exam: " + link(target, esc(s.title)) + ".")
        else:
            out.append(f"Sample Exam: {esc(s.title)}. <span class='note'>Not included; an "
                       f"instructor can add it as <code>{esc(c.root.name)}/{esc(s.file)}</code>"
                       "</span>")
    return out


def staff_people(site: Site) -> str:
    c = site.course
    parts = []
    for role, heading in (("instructor", "Instructor"),
                          ("graduate teaching assistant", "Graduate Teaching Assistants"),
                          ("undergraduate teaching assistant", "Undergraduate Teaching Assistants"),
                          ("teaching assistant", "Teaching Assistants")):
        people = [s for s in c.staff if s.role == role]
        if not people:
            continue
        entries = [esc(s.name) + (f", {esc(s.office)} <span class='muted'>(office)</span>"
                                  if s.office else "")
                   + (f", <code>{esc(s.email)}</code>" if s.email else "") for s in people]
        cls = "plain names" if len(people) > 2 else "plain"
        parts.append(section(role.replace(" ", "-"), heading, items(entries, cls), level=3))
    return "".join(parts)


def lectures(site: Site) -> str:
    lec = site.course.lectures
    if lec is None:
        return ""
    where = f"in-person at {esc(lec.room)}" + (f" and {esc(lec.online)}" if lec.online else "")
    times = nowrap(esc(time_range(lec.start, lec.end)))
    text = f"{esc(lec.format.capitalize())} lecture, {where}, {esc(lec.day_names)} {times}."
    extra = " ".join(esc(x) for x in (lec.thanks, lec.attendance) if x)
    return section("lectures", "Lectures", f"<p>{text} {extra}</p>", level=3)


def references(site: Site) -> str:
    c = site.course
    refs = []
    for r in c.references["items"]:
        if r.authors:
            refs.append(f"<em>{esc(r.title)}</em> by {esc(r.authors)}")
        else:
            refs.append(f"{esc(r.by)}'s {esc(r.title)}" + (f" at {esc(r.at)}" if r.at else ""))
    mc = c.matrix_calculus
    return section("references", "References", (
        f"<p>{esc(c.references['intro'])} {join_and(refs)}.</p>"
        f"<p>{esc(mc['text'])} {esc(join_and(list(mc['notes'])))}.</p>"
        "<p class='muted'>This site works offline, so it names these references without "
        "linking them.</p>"), level=3)


def home_page(site: Site, starters: dict[str, set[str]], samples: dict[str, str | None]) -> None:
    c = site.course
    sec = c.secondary_site
    w = c.weights
    intro = (f"<p>This is the primary course website for <strong>{esc(c.title)}</strong> "
             f"(<span lang='ko'>{esc(c.title_ko)}</span>), {esc(c.code)}, {esc(c.term)}. "
             f"We will also use {esc(sec['name'])} as a secondary website.</p>")
    body = [intro]
    if c.announcements:
        body.append(section("announcements", "Announcements",
                            items([esc(a) for a in c.announcements])))
    body.append(section("materials", "Course materials", materials(site)))
    body.append(section("homework", "Homework", (
        f"<p>This class will have weekly homework assignments. {esc(sec['submissions'])}</p>"
        + items([homework_entry(h, starters.get(h.id, set())) for h in c.homework])
        + "<p>Each homework page has the starter files, the self-check command and the files "
        "the package makes.</p>")))
    body.append(section("lecture-plans", "Lecture Plans", items(
        [esc(f"[Week {p.weeks}] {p.topic}") for p in c.schedule])
        + "<p>" + link("schedule.html", "The schedule") + " shows each week's chapter and the "
        "homework and exams due that week.</p>"))
    prereq = c.prerequisites
    info = [
        f"<p>Course material will be posted on this website. {esc(sec['name'])} will be used "
        f"for {esc(join_and(list(sec['used_for'])))}.</p>",
        staff_people(site),
        lectures(site),
        section("exams", "Exams",
                f"<p>The midterm and final exams will be {esc(c.exam_format)}.</p>"
                + items(exam_entries(site, samples)), level=3),
        section("grading", "Grading",
                f"<p>Homework {w['homework']:g}%, midterm exam {w['midterm']:g}%, final exam "
                f"{w['final']:g}%.</p><p>{esc(policy_text(c))}</p>", level=3),
        section("prerequisites", "Non-programming prerequisites",
                f"<p>{esc(prereq['intro'])}</p>"
                + items([f"{esc(s)}: {esc(d)}." for s, d in prereq["subjects"]])
                + (f"<p>{esc(prereq['note'])}</p>" if prereq["note"] else ""), level=3),
        section("python", "Programming prerequisites",
                f"<p>{esc(c.python_tutorial['before'])}</p>"
                + items([tutorial_entry(t) for t in c.tutorials])
                + f"<p>{esc(c.python_tutorial['after'])}</p>", level=3),
        references(site),
    ]
    body.append(section("information", "Course Information", "".join(info)))
    end = c.end_of_page
    if end:
        body.append(section("end-of-page", "Also listed on the course page", (
            f"<p class='muted'>{esc(end['note'])}</p>" + items([esc(m) for m in end["materials"]])
            + items([esc(h) for h in end["homework"]]))))
    site.page("index.html", f"{c.title}, {c.term}", "".join(body),
              heading=f"{c.title}, {c.term}")


def sample_exams(site: Site) -> dict[str, str | None]:
    """Copy each sample exam present beside course.yml into ``exams/``; ``{file: link}``
    (None where the file is not there)."""
    out: dict[str, str | None] = {}
    for s in site.course.sample_exams:
        source = site.course.root / s.file
        if source.is_file():
            target = f"exams/{Path(s.file).name}"
            (site.out / target).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, site.out / target)
            out[s.file] = target
        else:
            out[s.file] = None
    return out
