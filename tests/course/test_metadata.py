"""course.yml: the real file loads; every kind of bad field fails with one line naming it."""

from __future__ import annotations

import copy

import pytest
import yaml

from mfdnn.course.metadata import is_placeholder, load_course, parse_course
from mfdnn.errors import ConfigError


def test_course_yml_has_every_homework_chapter_and_the_weights(course):
    assert [h.id for h in course.homework] == [f"hw{n}" for n in range(1, 13)]
    assert {c.id for c in course.chapters} == {"0", "1", "2", "3", "4", "5", "A"}
    assert course.weights == {"homework": 30, "midterm": 30, "final": 40}
    assert course.get_homework("4").files == ("lenet_original.py",)
    assert course.get_homework("HW12").files == ("minimax_logistic.py", "swiss_roll.py")
    assert len(course.schedule) == 15 and len(course.tutorials) == 3


def test_facts_missing_from_the_course_material_are_marked_placeholders(course):
    assert all(is_placeholder(h.due) for h in course.homework)
    assert all(is_placeholder(e["date"]) for e in course.exams)
    assert all(is_placeholder(lec["room"]) for lec in course.lectures)
    assert not is_placeholder(course.term) and not is_placeholder(course.staff[0]["name"])


@pytest.fixture(scope="module")
def raw(course):
    return yaml.safe_load(course.path.read_text())


@pytest.mark.parametrize("edit, message", [
    (lambda r: r.pop("title"), "title: missing"),
    (lambda r: r["homework"][3].update(due="2024/03/01"), "homework[3].due: expected a date"),
    (lambda r: r["homework"][3].update(due="2024-02-30"), "homework[3].due: not a real date"),
    (lambda r: r["homework"][0].update(chapter="9"), "homework[0].chapter: unknown chapter"),
    (lambda r: r["homework"][1].update(files=["two layer.py"]),
     "homework[1].files[0]: expected a Python file name"),
    (lambda r: r["homework"].pop(4), "homework: expected hw1, hw2, ... in order"),
    (lambda r: r["grading"]["weights"].update(final=50), "grading.weights: must add up to 100"),
    (lambda r: r["grading"]["weights"].update(midterm="thirty"),
     "grading.weights.midterm: expected int or float"),
    (lambda r: r["chapters"][2].update(homework=["hw99"]), "chapters[2].homework[0]: unknown"),
    (lambda r: r["schedule"][0].update(week="one"), "schedule[0].week: expected int"),
    (lambda r: r["exams"][1].update(date="tomorrow"), "exams[1].date: expected a date"),
    (lambda r: r["staff"][0].pop("role"), "staff[0].role: missing"),
    (lambda r: r.update(title=""), "title: must not be empty"),
])
def test_a_bad_field_is_named_in_one_line(raw, course, edit, message):
    bad = copy.deepcopy(raw)
    edit(bad)
    with pytest.raises(ConfigError) as info:
        parse_course(bad, course.path)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_and_malformed_files(tmp_path):
    with pytest.raises(ConfigError, match="course metadata not found"):
        load_course(tmp_path / "nope.yml")
    (tmp_path / "course.yml").write_text("title: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML at line"):
        load_course(tmp_path)
