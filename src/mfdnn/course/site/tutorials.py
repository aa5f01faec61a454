"""The Python tutorials page: the three tutorials and every chapter notebook."""

from __future__ import annotations

from mfdnn.course.site.render import Site, esc, items, link, section


def tutorials_page(site: Site) -> None:
    c = site.course
    tutorials = "".join(
        f"<div class='card' id='{esc(t['id'])}'><h3>{esc(t['title'])}</h3>"
        f"<p>Covers {esc(t['covers'])}.</p><p>"
        + link(f"notebooks/{t['id']}.ipynb", "Jupyter notebook code", "download")
        + f" &middot; <code>mfdnn notebook {esc(t['id'])} --out .</code></p></div>"
        for t in c.tutorials)
    chapters = items([link(f"notebooks/chapter-{ch.id}.ipynb",
                           esc(f"Chapter {ch.id}: {ch.title}")) for ch in c.chapters
                      if ch.notebook])
    site.page("tutorials.html", "Python tutorials", (
        f"<p>{esc(c.python_tutorial['before'])}</p>{tutorials}"
        + section("chapter-notebooks", "Chapter notebooks", chapters)))
