"""The site's page registry and HTML helpers: every page goes through :meth:`Site.page`.

A page is registered by its path relative to the site root (``"hw/hw4.html"``); links are
written root-relative with :meth:`Site.href` and made relative to the page when it is written,
so a page module never counts ``../`` itself. The navigation bar is :attr:`Site.nav`, a list a
later page module can extend. Nothing external: one stylesheet, no scripts, no fonts.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from mfdnn.course.metadata import Course
from mfdnn.course.site.style import CSS

esc = html.escape
ROOT = "/@root/"  # marks a root-relative link inside a page body until the page is written
_ROOT_LINK = re.compile(r"(href|src)='/@root/([^']*)'")


def href(target: str) -> str:
    """A link to ``target`` (a path from the site root, optionally with ``#anchor``)."""
    return ROOT + target


def relative(page: str, target: str) -> str:
    """``target`` (from the root) as a link from ``page`` (from the root)."""
    path, _, anchor = target.partition("#")
    base = posixpath.dirname(page) or "."
    rel = posixpath.relpath(path or page, base) if path else posixpath.basename(page)
    return rel + (f"#{anchor}" if anchor else "")


def link(target: str, text: str, attrs: str = "") -> str:
    """``<a href=...>text</a>``; ``text`` is HTML (escape it first)."""
    return f"<a href='{href(target)}'{(' ' + attrs) if attrs else ''}>{text}</a>"


def prose(text: str) -> str:
    """Plain text as HTML, with `backticked` spans as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", esc(text))


def command(text: str) -> str:
    """A shell command as a block: it wraps only between words (never after "--")."""
    return "<pre>" + " ".join(f"<span class='nowrap'>{esc(w)}</span>" for w in text.split()) \
        + "</pre>"


def nowrap(html_text: str) -> str:
    """HTML that a line break must not split (a time range, a due date)."""
    return f"<span class='nowrap'>{html_text}</span>"


def table(header: list[str], rows: list[list[str]], cls: str = "stack") -> str:
    """A table whose rows become labelled cards on a narrow screen (class ``stack``)."""
    head = "".join(f"<th scope='col'>{h}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td data-label='{esc(re.sub('<[^>]+>', '', h))}'>{cell}</td>"
                         for h, cell in zip(header, row, strict=True)) + "</tr>"
        for row in rows)
    return (f"<div class='table-wrap'><table class='{cls}'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>")


def section(anchor: str, title: str, body: str, level: int = 2) -> str:
    return f"<section id='{anchor}'><h{level}>{esc(title)}</h{level}>{body}</section>"


def items(entries: list[str], cls: str = "") -> str:
    """An unordered list of HTML entries."""
    return f"<ul{f' class={cls!r}' if cls else ''}>" + "".join(
        f"<li>{e}</li>" for e in entries) + "</ul>"


@dataclass
class Site:
    """The pages of one build. ``nav``: (target, label) pairs shown on every page."""

    course: Course
    out: Path
    nav: list[tuple[str, str]] = field(default_factory=lambda: [
        ("index.html", "Home"), ("homework.html", "Homework"), ("schedule.html", "Schedule"),
        ("index.html#information", "Course information"), ("chapters.html", "Chapters"),
        ("tutorials.html", "Python tutorials")])
    pages: list[Path] = field(default_factory=list)
    notebook_pages: bool = False  # whether notebooks/NAME.html pages are in this build

    def page(self, rel: str, title: str, body: str, heading: str | None = None,
             lead: str = "") -> Path:
        """Write page ``rel`` (from the root): ``title`` in the tab, ``heading`` (default
        ``title``) as its h1, ``lead`` (HTML) under it, then ``body`` (HTML)."""
        c = self.course
        current = rel.partition("#")[0]
        nav = "".join(
            f"<a href='{href(target)}'"
            + (" aria-current='page'" if target == current else "") + f">{esc(label)}</a>"
            for target, label in self.nav)
        text = (
            "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{esc(title)} | {esc(c.code)} {esc(c.term)}</title>"
            f"<link rel='stylesheet' href='{href('style.css')}'></head><body>"
            f"<header><div class='wrap'><a class='course' href='{href('index.html')}'>"
            f"{esc(c.title)}</a><span class='ko' lang='ko'>{esc(c.title_ko)}</span>"
            f"<span class='code'>{esc(c.code)} &middot; {esc(c.term)} &middot; "
            f"{esc(c.institution)}</span></div></header>"
            f"<nav aria-label='site'><div class='wrap'>{nav}</div></nav>"
            f"<main class='wrap'><h1>{esc(heading or title)}</h1>{lead}{body}</main>"
            f"<footer class='wrap'>{esc(c.code)} {esc(c.term)} &middot; built by "
            f"<code>mfdnn site build</code> from <code>{esc(c.path.name)}</code></footer>"
            "</body></html>\n")
        text = _ROOT_LINK.sub(lambda m: f"{m.group(1)}='{esc(relative(rel, m.group(2)))}'",
                              text)
        if ROOT in text:
            raise AssertionError(f"{rel}: a root link outside href/src")
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.pages.append(path)
        return path

    def write_css(self) -> None:
        (self.out / "style.css").write_text(CSS.strip() + "\n", encoding="utf-8")
