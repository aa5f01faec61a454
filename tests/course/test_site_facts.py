"""The built site keeps every fact of the Fall 2022 course page (course/fall2022-site.txt).

The facts are written out here, read off the page line by line, not taken from course.yml: a
fact dropped from course.yml or from a page template fails this test. The home page follows the
course page, so every fact must appear on it; homework and schedule facts must also appear on
their own pages. Two more tests keep the list honest: every fact is text of the page, and every
line of the page appears on the home page. Three typos of the page are corrected on the site
(``TYPOS``).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from mfdnn.course.metadata import load_course
from mfdnn.course.site import build_site

PAGE = Path(__file__).resolve().parents[2] / "course" / "fall2022-site.txt"
TYPOS = {"lectures will in a hybrid": "lectures will be in a hybrid",
         "profeciency": "proficiency", "backround": "background"}

# (number, due MM/DD, due time, files as the page lists them)
HOMEWORK = [
    (1, "09/07", "5pm", ["wideMinima.py", "conv1D.py"]),
    (2, "09/14", "5pm", ["twolayerSGD.py"]),
    (3, "09/21", "5pm", ["threelayerSGD.py"]),
    (4, "09/28", "5pm", ["lenet_original.py"]),
    (5, "10/05", "5pm", ["mlp_backprop.py", "label_memorization.py"]),
    (6, "10/12", "5pm", ["ddescent.py"]),
    (7, "10/26", "5pm", ["counting_params.py", "bn_remove.py", "smallNetSaved", "LNiN.py"]),
    (8, "11/02", "5pm", []),
    (9, "11/09", "5pm", ["anomaly_detection.py", "normalizingFlow1d.py"]),
    (10, "11/16", "5pm", ["flow_inpainting.py", "nice.pt"]),
    (11, "11/23", "5pm", ["flow_anomaly.py", "nice.pt"]),
    (12, "12/11", "5pm", ["minimax_logistic.py", "swiss_roll.py"]),
]

# (weeks, topic) of the page's lecture plan, word for word
WEEKS = [
    ("1", "Optimization and stochastic gradient descent"),
    ("2", "Shallow neural networks and logistic regression."),
    ("3", "Multi-layer perceptron. Softmax regression."),
    ("4", "Convolutional layers, pooling layers, GPU computing, LeNet"),
    ("5", "Data augmentation, regularization techniques: dropout, weight decay, early stopping"),
    ("6", "Weight initialization, VGGNet, backprop"),
    ("7", "Optimizers (ADAM, RMSProp), NiN network, GoogLeNet"),
    ("8", "Batch normalization, ResNet, DenseNet"),
    ("9", "ResNext, SENet, DNCNN, super-resolution, inverse problem"),
    ("10-11", "Flow models"),
    ("12-13", "Variational auto-encoders"),
    ("14-15", "Generative adversarial networks"),
]

TUTORIALS = [f"Python Tutorial {n}, Jupyter notebook code." for n in (1, 2, 3)]
CHAPTERS = [
    "Chapter 0: Prologue",
    "Chapter 1: Optimization and Stochastic Gradient Descent, Jupyter notebook code.",
    "Chapter 2: Shallow Neural Networks, Jupyter notebook code.",
    "Chapter 3: Convolutional Neural Networks, Jupyter notebook code.",
    "Chapter 4: CNNs for Non-Classification Supervised Learning, Jupyter notebook code.",
    "Chapter 5: Unsupervised Learning, Jupyter notebook code.",
    "Chapter A: Basics of Monte Carlo, Jupyter notebook code.",
]
GRADUATE_TAS = ["Joo Young Choi", "Haneol Kijm", "Sehyun Kwon", "Jongmin Lee"]
UNDERGRADUATE_TAS = ["Dongyeob Kim", "Jae yeon Kim", "Wonseok Lee", "Yeeseok Oh", "Kunwoo Na",
                     "Jaeseung Park"]


def homework_line(number: int, due: str, time: str, files: list[str]) -> str:
    return ", ".join([f"Homework {number}", f"Due {due}", time, *files]) + "."


FACTS = [
    # the opening paragraph and the announcement
    "This is the primary course website for Mathematical Foundations of Deep Neural Networks "
    "(심층신경망의 수학적 기초), M1407.001200, Fall 2022.",
    "We will also use eTL as a secondary website.",
    # corrected: "lectures will in a hybrid format"
    "This year (2022), lectures will be in a hybrid format. You may attend in person or "
    "virtually.",
    # the materials
    *TUTORIALS, *CHAPTERS,
    # homework
    "This class will have weekly homework assignments. Submit completed assignments through "
    "eTL.",
    *[homework_line(*hw) for hw in HOMEWORK],
    # the lecture plan
    *[f"[Week {weeks}] {topic}" for weeks, topic in WEEKS],
    # course information and staff
    "Course material will be posted on this website. eTL will be used for announcements, "
    "homework submission, and receiving homework and exam scores.",
    "Ernest K. Ryu", "27-205",
    *GRADUATE_TAS, *UNDERGRADUATE_TAS,
    # lectures
    "Hybrid lecture, in-person at 43-1-201 and Zoom, Tuesdays and Thursdays 5:00–6:15pm.",
    "We thank the Faculty of Liberal Education (기초교육원) for helping us execute the hybrid "
    "lecture.",
    "Live (in-person or online) attendance is required.",
    # exams
    "The midterm and final exams will be hand-written (no computers), in-person, and 4 hours "
    "long.",
    "Midterm exam: Saturday, 10/15, 8:00am–12:00pm.",
    "Final exam: Saturday, 12/17, 1:00–5:00pm.",
    "Sample Exam: 2021 Midterm.",
    "Sample Exam: 2021 Final.",
    # grading
    "Homework 30%, midterm exam 30%, final exam 40%.",
    # prerequisites (corrected: "profeciency", "backround")
    "Good knowledge of the following subjects is required.",
    "Vector calculus: proficiency with gradients and chain rules.",
    "Linear algebra: proficiency with matrix-vector products.",
    "Basic probability: random variables, expectation, mean, variance, discrete and continuous "
    "random variables, Gaussian random variables.",
    "No prior background in machine learning or deep learning is required.",
    # the Python tutorial
    "Although programming is an essential part of deep learning, I do not want to make "
    "substantial Python programming background a prerequisite for this course.",
    "Therefore, I will record and upload a Python tutorial for students to study before the "
    "start of the semester.",
    "I expect this tutorial to be about 5 hours long, and it will cover the necessary Python "
    "programming concepts such as variables, loops, functions, classes, objects, inheritance, "
    "exceptions, Python lists, Python tuples, Python decorators, Python iterators, the NumPy "
    "library, and the Matplotlib library.",
    "Of course, students already familiar with these concepts need not spend time with the "
    "tutorial.",
    "Programming in deep learning tends to be relatively simple if one utilizes the frameworks "
    "such as PyTorch.",
    "These frameworks do utilize advanced programming concepts such as inheritance, decorators, "
    "and iterators, but if you are roughly familiar with these concepts, I do not expect the "
    "Python programming to be a major challenge in this course.",
    # references
    "The course does not have a designated reference or a textbook. However, you may find the "
    "following references useful: Fei Fei Li's CS 231n at Stanford, Pieter Abbeel's Deep "
    "Unsupervised Learning at Berkeley, Dive into Deep Learning by Zhang, Lipton, Li, and "
    "Smola, and Deep Learning by Goodfellow, Bengio, and Courville.",
    "Throughout this class, you will spend many hours computing gradients.",
    "While the chain rule is taught in any vector calculus curriculum, chain rule formulae in "
    "vector and matrix forms are not.",
    "Fundamentally, you should first carry out the gradient calculations elementwise and then "
    "collect the result into a vectorized form.",
    "Nevertheless, you may find the following references useful: Matrix calculus notes 1, "
    "matrix calculus notes 2, and matrix calculus notes 3 (Chapters 1–3).",
    # the list the page ends with (another numbering)
    "Chapter 6: Additional Things.",
    "Homework 1, wideMinima.py, conv1D.py.",
    "Homework 2, twolayerSGD.py.",
    "Homework 3, threelayerSGD.py.",
    "Homework 4, lenet_original.py.",
    "Homework 5, mlp_backprop.py, label_memorization.py.",
    "Homework 6, bn_remove.py, smallNetSaved.",
    "Homework 7, anomaly_detection.py.",
    "Homework 8, normalizingFlow1d.py.",
    "Homework 9, flow_inpainting.py, nice.pt, minimax_logistic.py.",
]

BLOCK = re.compile(r"</?(p|li|h[1-6]|td|th|tr|div|section|ul|ol|pre|br|header|nav|main|"
                   r"footer|title)\b[^>]*>", re.I)


def visible(markup: str) -> str:
    """What a reader sees: tags dropped (blocks become line breaks), entities decoded,
    runs of spaces made one."""
    text = html.unescape(re.sub(r"<[^>]+>", "", BLOCK.sub("\n", markup)))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def page_text(path: Path) -> str:
    return visible(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("facts") / "www"
    build_site(load_course(), out, notebook_pages=False)  # the facts: not the notebooks
    return out


def page_lines() -> list[str]:
    """The lines of the course page as the site writes them: list marks and *emphasis*
    dropped, typos corrected."""
    text = PAGE.read_text(encoding="utf-8").replace("*", "")
    for typo, fix in TYPOS.items():
        text = text.replace(typo, fix)
    return [line.strip().removeprefix("- ").rstrip(",") for line in text.splitlines()
            if line.strip()]


def test_every_fact_is_text_of_the_page():
    page = "\n".join(page_lines())
    assert len(set(FACTS)) == len(FACTS)
    assert [f for f in FACTS if f not in page] == []


def test_every_line_of_the_page_is_on_the_home_page(site):
    text = page_text(site / "index.html")
    assert [line for line in page_lines() if line not in text] == []


@pytest.mark.parametrize("fact", FACTS)
def test_every_fact_of_the_page_is_on_the_home_page(site, fact):
    assert fact in page_text(site / "index.html")


@pytest.mark.parametrize("number, due, time, files", HOMEWORK)
def test_homework_page_has_its_heading_files_and_self_check(site, number, due, time, files):
    path = site / "hw" / f"hw{number}.html"
    text = page_text(path)
    heading = re.search(r"<h1>(.*?)</h1>", path.read_text()).group(1)
    assert html.unescape(heading) == f"Homework {number}, Due {due}, {time}"
    for name in files:
        assert name in text
        if name.endswith(".py"):  # every programming file has its starter on the site
            assert (site / "hw" / f"hw{number}" / name).is_file()
    if files:
        py = " ".join(f for f in files if f.endswith(".py"))
        assert f"mfdnn check {number} {py}" in text
        assert (site / "hw" / f"hw{number}-starter.zip").is_file()
    else:
        assert "Written problems only" in text


def test_files_the_package_makes_name_their_command(site):
    hw7, hw10, hw11 = (page_text(site / "hw" / f"hw{n}.html") for n in (7, 10, 11))
    assert "smallNetSaved made by the package" in hw7 and "mfdnn run hw7-bn-remove" in hw7
    for text in (hw10, hw11):
        assert "nice.pt made by the package" in text
        assert "mfdnn run hw10-nice-train --profile full" in text


def test_schedule_has_every_week_its_chapter_and_what_is_due(site):
    text = page_text(site / "schedule.html")
    for weeks, topic in WEEKS:
        assert f"Week {weeks}" in text and topic in text
    rows = re.findall(r"<tr>(.*?)</tr>", (site / "schedule.html").read_text())
    row = {visible(r).split("\n")[0].split()[1]: r for r in rows[1:]}
    # weeks run Monday to Sunday from 08/29 (Fall 2022 began Thursday 09/01)
    assert "Homework 1, Due 09/07, 5pm" in visible(row["2"])
    assert "Midterm exam" in visible(row["7"]) and "Homework 6" in visible(row["7"])
    assert "Homework 8, Due 11/02" in visible(row["10-11"])
    assert "Homework 9, Due 11/09" in visible(row["10-11"])
    assert "Homework 12, Due 12/11" in visible(row["14-15"])
    assert "Final exam" in visible(row["16"])
    assert "Chapter 3" in visible(row["8"]) and "DenseNet" in visible(row["8"])
    assert "chapters/4.html" in row["9"] and "chapters/5.html" in row["12-13"]


def test_the_home_page_follows_the_page_and_announces_nothing_missing(site):
    text = page_text(site / "index.html")
    order = ["This is the primary course website", "Announcements", "Course materials",
             "Homework 1, Due 09/07", "Lecture Plans", "Course Information", "Instructor",
             "Graduate Teaching Assistants", "Undergraduate Teaching Assistants", "Lectures",
             "Exams", "Grading", "Non-programming prerequisites", "Programming prerequisites",
             "References", "Matrix calculus notes 1", "Chapter 6: Additional Things"]
    positions = [text.index(s) for s in order]
    assert positions == sorted(positions)
    for page in site.rglob("*.html"):
        words = page_text(page).lower()
        assert "to be announced" not in words and "tba" not in words.split(), page
        assert "spring 2024" not in words, page


def test_sample_exams_without_their_file_say_so(site):
    text = page_text(site / "index.html")
    assert "Sample Exam: 2021 Midterm. Not included; an instructor can add it as " \
           "course/exams/2021-midterm.pdf" in text
