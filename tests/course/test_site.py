"""The site: every link, image and anchor resolves and nothing is external, every homework and
chapter has its page, experiments come from the live registry, builds replace the old site
whole, another course.yml gives another term's site, and a real headless browser renders the
home, homework and schedule pages on a phone and a laptop without horizontal scrolling
(skipped only where Chromium is not installed). The facts of the course page: test_site_facts."""

from __future__ import annotations

import html.parser
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urldefrag

import pytest
import yaml

from mfdnn.course.site import build_site, chapter_of_group
from mfdnn.experiments.core.registry import all_experiments


class Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("href", "src") and value:
                self.links.append(value)
            if key == "id" and value:
                self.ids.add(value)


def parse(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def site(course, tmp_path_factory):
    """The site built with a small reproduce summary (one real figure) for the results page."""
    root = tmp_path_factory.mktemp("site")
    from mfdnn.experiments.core.reproduce import reproduce

    reproduce(profile="quick", only=["hw1-conv1d"], out=root / "runs", progress=False)
    pages = build_site(course, root / "www", results=root / "runs")
    return root / "www", pages


def test_every_href_src_and_anchor_resolves_and_nothing_is_external(site):
    out, pages = site
    crawled = sorted(out.rglob("*.html"))
    assert sorted(pages) == crawled and len(crawled) == 1 + 1 + 12 + 1 + 1 + 7 + 1 + 1 + 10
    ids = {page: parse(page).ids for page in crawled}
    checked = 0
    for page in crawled:
        for link in parse(page).links:
            if link.startswith("data:image/"):  # a figure inside the page
                continue
            assert not re.match(r"^[a-z]+:|^//", link), f"{page.name}: external {link}"
            path, anchor = urldefrag(link)
            target = (page.parent / path).resolve() if path else page
            assert target.exists(), f"{page.relative_to(out)} links to missing {link}"
            assert target.is_relative_to(out.resolve()), f"{page.name}: {link} leaves the site"
            if anchor:
                assert anchor in ids[target], f"{page.relative_to(out)}: no #{anchor} in {path}"
            checked += 1
    assert checked > 300


def test_every_page_is_responsive_html(site):
    out, pages = site
    for page in pages:
        text = page.read_text()
        assert text.startswith("<!doctype html>")
        assert "<meta name='viewport' content='width=device-width, initial-scale=1'>" in text
    css = (out / "style.css").read_text()
    assert "@media (max-width:40rem)" in css and "max-width:62rem" in css


def test_every_homework_and_chapter_has_its_page_with_starters(course, site):
    out, _ = site
    for hw in course.homework:
        text = (out / "hw" / f"{hw.id}.html").read_text()
        assert hw.title.replace("'", "&#x27;") in text
        if hw.files:
            with zipfile.ZipFile(out / "hw" / f"{hw.id}-starter.zip") as z:
                assert z.namelist() == [f"{hw.id}/{f}" for f in hw.files]
    for ch in course.chapters:
        assert (out / "chapters" / f"{ch.id}.html").exists()
        # every chapter has its lesson; the prologue's, which the course page does not list,
        # says that it is the package's
        assert (out / "notebooks" / f"chapter-{ch.id}.ipynb").exists()
        assert ("this first lesson is the package's" in
                (out / "chapters" / f"{ch.id}.html").read_text()) != ch.notebook
    conv = (out / "hw" / "hw1" / "conv1D.py").read_text()
    assert conv.count("NotImplementedError") == 2 and "BEGIN SOLUTION" not in conv


def test_chapters_list_experiments_from_the_live_registry(course, site):
    out, _ = site
    for exp in all_experiments().values():
        chapter = chapter_of_group(course, exp.group)
        if chapter is not None:
            assert exp.name in (out / "chapters" / f"{chapter}.html").read_text()
    assert chapter_of_group(course, "HW4") == "3" and chapter_of_group(course, "Ch5") == "5"
    assert chapter_of_group(course, "App. A") == "A" and chapter_of_group(course, "perf") is None


def test_made_files_name_real_experiments(course):
    names = set(all_experiments())
    made = [m for hw in course.homework for m in hw.made]
    assert {m.name for m in made} == {"smallNetSaved", "nice.pt"}
    for m in made:
        assert m.experiment in names, m.made_by


def test_results_page_shows_figures_and_metrics_beside_references(site):
    out, _ = site
    text = (out / "results.html").read_text()
    assert "hw1-conv1d" in text and "objective" in text
    assert (out / "results" / "hw1-conv1d" / "objective.png").stat().st_size > 1000
    assert "results/hw1-conv1d/" in (out / "chapters" / "1.html").read_text()


def test_a_rebuild_replaces_the_old_site_whole_and_a_foreign_folder_is_refused(course,
                                                                              tmp_path):
    from mfdnn.errors import ConfigError

    www = tmp_path / "www"
    build_site(course, www, notebook_pages=False)
    assert not (www / "results.html").exists()
    assert "results.html" not in (www / "index.html").read_text()
    (www / "stale.html").write_text("old")
    build_site(course, www, notebook_pages=False)
    assert not (www / "stale.html").exists() and (www / "index.html").exists()
    with pytest.raises(ConfigError, match="no summary.json"):
        build_site(course, www, results=tmp_path, notebook_pages=False)
    assert (www / "index.html").exists()  # a failed build leaves the previous site
    assert [p.name for p in tmp_path.iterdir()] == ["www"]  # and no temporary folder
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "summary.json").write_text(json.dumps({"experiments": {"x": {"claims": [
        {"metric": "m", "op": "within", "expected": 1, "source": "s", "profiles": ["quick"],
         "verdict": "fail", "value": None}]}}}))  # 'within' without its tolerance
    with pytest.raises(ConfigError, match=r"not a summary of `mfdnn reproduce` \(x\)"):
        build_site(course, www, results=bad, notebook_pages=False)
    shutil.rmtree(bad)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep")
    with pytest.raises(ConfigError, match="not a site built by"):
        build_site(course, tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep"


def test_another_course_yml_gives_another_terms_site(course, tmp_path):
    """--course FILE: another term's facts; no solutions there, so no starters (said so); a
    sample exam dropped in beside the file is published."""
    raw = yaml.safe_load(course.path.read_text())
    raw["term"] = "Spring 2024"
    del raw["end_of_page"], raw["first_week"]  # optional: no trailing list, no week dates
    raw["homework"][0]["due"] = "2024-03-11 17:30"
    raw["lectures"].update(days=["Monday", "Wednesday"], room="28-102")
    (tmp_path / "course.yml").write_text(yaml.safe_dump(raw, allow_unicode=True))
    (tmp_path / "exams").mkdir()
    (tmp_path / "exams" / "2021-midterm.pdf").write_bytes(b"%PDF-1.4 sample")
    proc = subprocess.run([sys.executable, "-m", "mfdnn", "site", "build", "--out",
                           str(tmp_path / "www"), "--course", str(tmp_path / "course.yml"),
                           "--no-notebook-pages"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    home = (tmp_path / "www" / "index.html").read_text()
    assert "Spring 2024" in home and "Fall 2022" not in home
    assert "Mondays and Wednesdays" in home and "28-102" in home
    assert "Homework 1</a>, Due 03/11, 5:30pm" in home
    assert "href='exams/2021-midterm.pdf'>2021 Midterm</a>" in home
    assert (tmp_path / "www" / "exams" / "2021-midterm.pdf").read_bytes() == b"%PDF-1.4 sample"
    assert "Sample Exam: 2021 Final. <span class='note'>Not included" in home
    assert "Also listed on the course page" not in home
    schedule = (tmp_path / "www" / "schedule.html").read_text()
    assert "<h2>Due dates</h2>" in schedule and "Due 03/11, 5:30pm" in schedule
    hw1 = (tmp_path / "www" / "hw" / "hw1.html").read_text()
    assert hw1.count("Not released: no reference solution") == 2
    assert not (tmp_path / "www" / "hw" / "hw1").exists()


NOTEBOOKS = ["chapter-0", "chapter-1", "chapter-2", "chapter-3", "chapter-4", "chapter-5",
             "chapter-A", "python1", "python2", "python3"]


def test_every_notebook_has_its_page_beside_its_download(course, site):
    """Built without execution (the fixture): a page per notebook, its math as MathML (no
    script, no network), the .ipynb linked from the page, from its chapter page and from the
    tutorials page."""
    out, pages = site
    for stem in NOTEBOOKS:
        page = out / "notebooks" / f"{stem}.html"
        assert page in pages and (out / "notebooks" / f"{stem}.ipynb").is_file()
        text = page.read_text(encoding="utf-8")
        assert f"href='{stem}.ipynb'" in text and "--no-execute" in text
        assert "<math" in text and "MFDNNMATH" not in text and "<script" not in text
        assert "text_cell" in text and "code_cell" in text
    chapter1 = (out / "notebooks" / "chapter-1.html").read_text(encoding="utf-8")
    # the package's code, on the page (its header comment; the code itself is highlighted)
    assert "# mfdnn.optim.gd:gradient_descent: the code the package runs" in chapter1
    assert "<h1>Chapter 1: Optimization and Stochastic Gradient Descent</h1>" in chapter1
    assert chapter1.count("<h1") == 1  # the notebook's own title is the page's
    for ch in course.chapters:
        body = (out / "chapters" / f"{ch.id}.html").read_text(encoding="utf-8")
        assert f"href='../notebooks/chapter-{ch.id}.html'" in body
        assert f"href='../notebooks/chapter-{ch.id}.ipynb'" in body
    tutorials = (out / "tutorials.html").read_text(encoding="utf-8")
    for stem in NOTEBOOKS:
        assert f"href='notebooks/{stem}.html'" in tutorials
        assert f"href='notebooks/{stem}.ipynb'" in tutorials


def test_an_executed_notebook_page_shows_its_outputs_and_figures(course, tmp_path):
    """One page executed (the prologue's lesson, a few seconds): printed results and the
    figure drawn on the page, inline; a lesson that fails stops the build with one line."""
    from mfdnn.course.notebooks import write_notebook
    from mfdnn.course.site.notebook_pages import notebook_page
    from mfdnn.course.site.render import Site
    from mfdnn.errors import ConfigError

    site_ = Site(course, tmp_path / "www")
    path = write_notebook(course, "0", tmp_path / "www" / "notebooks")
    text = notebook_page(site_, path, "Chapter 0", tmp_path / "runs", "quick").read_text()
    assert "executed at the <code>quick</code> profile" in text
    assert "loss 0.5737 -&gt; 0.0103" in text or "loss 0.5737 -> 0.0103" in text
    assert "<img" in text and "data:image/png;base64," in text
    broken = path.with_name("chapter-9.ipynb")
    broken.write_text(path.read_text().replace("torch.manual_seed(0)", "torch.manual_seed(0) +"))
    with pytest.raises(ConfigError, match="chapter-9.ipynb did not run: SyntaxError"):
        notebook_page(site_, broken, "Chapter 9", tmp_path / "runs", "quick")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]
SHOWN = (("index.html", "Lecture Plans"), ("hw/hw7.html", "smallNetSaved"),
         ("schedule.html", "DenseNet"), ("results.html", "hw1-conv1d"),
         ("notebooks/chapter-1.html", "mfdnn.optim.gd:gradient_descent: the code"))


def chromium(tmp_path: Path, name: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / name}", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs it)")
def test_a_real_browser_renders_the_pages(site, tmp_path):
    out, _ = site
    for rel, expected in SHOWN:
        dom = chromium(tmp_path, f"dom-{rel.replace('/', '-')}", "--dump-dom",
                       (out / rel).resolve().as_uri())
        assert expected in dom.stdout, f"{rel}: {dom.stderr[-500:]}"


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs it)")
@pytest.mark.parametrize("width", [375, 1280])
def test_phone_and_laptop_screenshots_are_drawn_and_nothing_scrolls_sideways(site, tmp_path,
                                                                             width):
    """Each page is laid out in an iframe as wide as the screen: neither the page nor any
    table or code block in it may need sideways scrolling (scroll width above client width).
    Then screenshots of the home, homework and schedule pages must show the page."""
    import matplotlib.image

    out, _ = site
    pages = [rel for rel, _ in SHOWN[:3]] + ["homework.html", "chapters.html", "hw/hw10.html"]
    probe = tmp_path / "probe.html"
    frames = "".join(f"<iframe src='{(out / rel).resolve().as_uri()}' data-page='{rel}' "
                     f"style='width:{width}px;height:900px'></iframe>" for rel in pages)
    probe.write_text(
        f"<!doctype html><body>{frames}<pre id='out'></pre><script>"
        "window.addEventListener('load', () => { document.getElementById('out').textContent ="
        " [...document.querySelectorAll('iframe')].map(f => { const d = f.contentDocument;"
        " const boxes = [d.documentElement, ...d.querySelectorAll('.table-wrap, table, pre')];"
        " return f.dataset.page + ' ' + Math.max(...boxes.map(b => b.scrollWidth -"
        " b.clientWidth)); }).join(';'); });</script>")
    dom = chromium(tmp_path, "probe", "--allow-file-access-from-files",
                   "--virtual-time-budget=5000", "--dump-dom", probe.resolve().as_uri())
    found = re.search(r"<pre id=\"out\">(.*?)</pre>", dom.stdout)
    assert found and found.group(1), dom.stderr[-500:]
    overflow = dict(entry.split() for entry in found.group(1).split(";"))
    assert sorted(overflow) == sorted(pages)
    assert {rel: int(px) for rel, px in overflow.items() if int(px) > 0} == {}, \
        f"sideways scrolling at {width}px"
    for rel, _ in SHOWN[:3]:
        shot = tmp_path / f"{rel.replace('/', '-')}-{width}.png"
        chromium(tmp_path, f"shot-{shot.stem}", f"--window-size={width},1200",
                 f"--screenshot={shot}", (out / rel).resolve().as_uri())
        pixels = matplotlib.image.imread(shot)
        assert pixels.shape[:2] == (1200, width)
        assert pixels[..., :3].std() > 0.05, f"{rel}: the screenshot is blank"
        header = pixels[5:40, :, :3].reshape(-1, 3).mean(axis=0)
        assert header[2] > header[0] + 0.2, f"{rel}: the blue header is not drawn (no CSS?)"


def test_math_becomes_mathml_and_code_keeps_its_dollars():
    import nbformat

    from mfdnn.course.site.notebook_pages import notebook_html, tex_to_html

    assert tex_to_html(r"\frac{", False) == "<span class='tex'>$\\frac{$</span>"  # readable
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "# Title\n\nInline $\\theta^2$, then\n\n$$\\sum_i x_i$$\n\nand `echo $HOME $PATH`.")])
    body = notebook_html(nb)
    assert body.count("<math") == 2 and "display=\"block\"" in body
    assert "echo $HOME $PATH" in body and "Title" not in body
