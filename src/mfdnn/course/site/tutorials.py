"""The Python tutorials page: the three tutorials and every chapter notebook."""

from __future__ import annotations

from mfdnn.course.site.render import Site, esc, items, link, section


def _read(site: Site, stem: str) -> str:
    return (link(f"notebooks/{stem}.html", "read it with its outputs") + " &middot; "
            if site.notebook_pages else "")


def tutorials_page(site: Site) -> None:
    c = site.course
    tutorials = "".join(
        f"<div class='card' id='{esc(t['id'])}'><h3>{esc(t['title'])}</h3>"
        f"<p>Covers {esc(t['covers'])}.</p><p>" + _read(site, t["id"])
        + link(f"notebooks/{t['id']}.ipynb", "Jupyter notebook code", "download")
        + f" &middot; <code>mfdnn notebook {esc(t['id'])} --out .</code></p></div>"
        for t in c.tutorials)
    chapters = items([esc(f"Chapter {ch.id}: {ch.title}") + ": " + _read(site, f"chapter-{ch.id}")
                      + link(f"notebooks/chapter-{ch.id}.ipynb", "download the notebook",
                             "download") for ch in c.chapters])
    site.page("tutorials.html", "Python tutorials", (
        f"<p>{esc(c.python_tutorial['before'])}</p>{tutorials}"
        + section("chapter-notebooks", "Chapter notebooks", chapters)))
