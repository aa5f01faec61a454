"""The schedule page: the lecture plan week by week, each row with its topic (as on the
course page), its chapter, and the homework and exams due in those weeks.

Weeks run Monday to Sunday from ``first_week`` of ``course.yml``; without it the homework
and exams are listed by date below the plan instead of in it.
"""

from __future__ import annotations

from datetime import date, timedelta

from mfdnn.course.metadata import Course
from mfdnn.course.site.render import Site, esc, items, link, nowrap, table


def due_items(course: Course) -> list[tuple[date, str]]:
    """Every homework deadline and exam as (date, HTML), in date order."""
    out = [(h.due.date(), link(f"hw/{h.id}.html", nowrap(esc(h.heading))))
           for h in course.homework if h.due]
    out += [(e.date, link("index.html#exams", esc(e.title)) + ": " + nowrap(esc(e.when)))
            for e in course.exams]
    return sorted(out, key=lambda item: item[0])


def week_dates(course: Course, first: int, last: int) -> str:
    start = course.first_week + timedelta(weeks=first - 1)
    end = course.first_week + timedelta(weeks=last, days=-1)
    return f"{start:%m/%d}–{end:%m/%d}"


def week_cell(course: Course, weeks: str, first: int, last: int) -> str:
    """"Week 10-11" and, with ``first_week``, its dates under it."""
    dates = (f" <span class='muted nowrap'>{week_dates(course, first, last)}</span>"
             if course.first_week else "")
    return nowrap(esc(f"Week {weeks}")) + dates


def schedule_page(site: Site) -> None:
    c = site.course
    dues = due_items(c)
    placed = c.first_week is not None
    header = ["week", "topic", "chapter", "due that week"]
    rows, used = [], set()
    for plan in c.schedule:
        chapters = ", ".join(link(f"chapters/{x}.html", esc(f"Chapter {x}"))
                             for x in plan.chapters) or "-"
        due = ""
        if placed:
            here = [i for i, (day, _) in enumerate(dues)
                    if plan.first <= c.week_of(day) <= plan.last]
            used.update(here)
            due = "<br>".join(dues[i][1] for i in here)
        rows.append([week_cell(c, plan.weeks, plan.first, plan.last), esc(plan.topic),
                     chapters, due])
    if placed:  # exam week and anything else outside the plan, in its own week
        for week in sorted({c.week_of(dues[i][0]) for i in range(len(dues)) if i not in used}):
            here = [i for i in range(len(dues)) if c.week_of(dues[i][0]) == week]
            rows.append([week_cell(c, str(week), week, week), "", "",
                         "<br>".join(dues[i][1] for i in here)])
    body = table(header, rows)
    if not placed:
        body += "<h2>Due dates</h2>" + items([html for _, html in dues])
    lec = c.lectures
    lead = ""
    if lec is not None:
        lead = (f"<p class='lead'>Lectures {esc(lec.when)}, {esc(lec.room)}"
                + (f" and {esc(lec.online)}" if lec.online else "") + ".</p>")
    site.page("schedule.html", "Schedule", body, lead=lead)
