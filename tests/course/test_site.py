"""The site: every page and link resolves, every homework and chapter is present, experiments
come from the live registry, and a real headless browser renders it (skipped only where
Chromium is not installed; CI installs it)."""

from __future__ import annotations

import html.parser
import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urldefrag

import pytest

from mfdnn.course.site import build_site, chapter_of_group
from mfdnn.experiments.core.registry import all_experiments


class Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("href", "src") and value:
                self.links.append(value)


def links_of(page: Path) -> list[str]:
    parser = Links()
    parser.feed(page.read_text())
    return parser.links


@pytest.fixture(scope="module")
def site(course, tmp_path_factory):
    """The site built with a small reproduce summary (one real figure) for the results page."""
    root = tmp_path_factory.mktemp("site")
    from mfdnn.experiments.core.reproduce import reproduce

    reproduce(profile="quick", only=["hw1-conv1d"], out=root / "runs", progress=False)
    pages = build_site(course, root / "www", results=root / "runs")
    return root / "www", pages


def test_every_link_and_image_resolves_and_nothing_is_external(site):
    out, pages = site
    assert len(pages) >= 1 + 1 + 7 + 1 + 12 + 1 + 1 + 1
    for page in pages:
        for link in links_of(page):
            assert not link.startswith(("http:", "https:", "//")), f"{page.name}: {link}"
            target = (page.parent / urldefrag(link).url).resolve()
            assert target.exists(), f"{page.relative_to(out)} links to missing {link}"


def test_every_homework_and_chapter_has_its_page(course, site):
    out, _ = site
    for hw in course.homework:
        text = (out / "hw" / f"{hw.id}.html").read_text()
        assert hw.title.replace("'", "&#x27;") in text and "to be announced" in text
    for ch in course.chapters:
        assert (out / "chapters" / f"{ch.id}.html").exists()
    hw1 = (out / "hw" / "hw1.html").read_text()
    assert "mfdnn check 1 wideMinima.py conv1D.py" in hw1
    assert (out / "hw" / "hw1" / "conv1D.py").read_text().count("NotImplementedError") == 2


def test_chapters_list_experiments_from_the_live_registry(course, site):
    out, _ = site
    for exp in all_experiments().values():
        chapter = chapter_of_group(course, exp.group)
        if chapter is not None:
            assert exp.name in (out / "chapters" / f"{chapter}.html").read_text()
    assert chapter_of_group(course, "HW4") == "3" and chapter_of_group(course, "Ch5") == "5"
    assert chapter_of_group(course, "App. A") == "A" and chapter_of_group(course, "perf") is None


def test_results_page_shows_figures_and_metrics_beside_references(site):
    out, _ = site
    text = (out / "results.html").read_text()
    assert "hw1-conv1d" in text and "objective" in text
    assert (out / "results" / "hw1-conv1d" / "objective.png").stat().st_size > 1000


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs it)")
def test_a_real_browser_renders_the_pages_on_a_phone_sized_screen(site, tmp_path):
    import matplotlib.image

    out, _ = site
    for rel, expected in (("index.html", "Announcements"), ("hw/hw4.html", "lenet_original.py"),
                          ("results.html", "hw1-conv1d"), ("schedule.html", "GANs")):
        url = (out / rel).resolve().as_uri()
        profile = tmp_path / f"profile-{rel.replace('/', '-')}"
        dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom",
                              url], capture_output=True, text=True, timeout=120)
        assert expected in dom.stdout, f"{rel}: {dom.stderr[-500:]}"
    shot = tmp_path / "index.png"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'shot'}",
                    "--window-size=412,900", f"--screenshot={shot}",
                    (out / "index.html").resolve().as_uri()], capture_output=True, timeout=120)
    pixels = matplotlib.image.imread(shot)
    assert pixels.shape[1] == 412
    assert pixels[..., :3].std() > 0.05, "the screenshot is blank"


def test_site_without_results_has_no_results_page_and_bad_results_folder_fails(course,
                                                                              tmp_path):
    from mfdnn.errors import ConfigError

    build_site(course, tmp_path / "www")
    assert not (tmp_path / "www" / "results.html").exists()
    assert "results.html" not in (tmp_path / "www" / "index.html").read_text()
    with pytest.raises(ConfigError, match="no summary.json"):
        build_site(course, tmp_path / "www2", results=tmp_path)
    assert json.loads((tmp_path / "www" / "notebooks" / "python1.ipynb").read_text())["cells"]
