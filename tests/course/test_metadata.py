"""course.yml: the Fall 2022 file loads with the page's facts; every kind of bad field fails
with one line naming it, through the command line too (exit 2, nothing written)."""

from __future__ import annotations

import copy
import subprocess
import sys
from datetime import date, datetime, time

import pytest
import yaml

from mfdnn.course.metadata import clock, due_text, join_and, load_course, parse_course, time_range
from mfdnn.errors import ConfigError


def test_course_yml_is_the_fall_2022_offering(course):
    assert (course.title_ko, course.code, course.term) == ("심층신경망의 수학적 기초",
                                                           "M1407.001200", "Fall 2022")
    assert [h.id for h in course.homework] == [f"hw{n}" for n in range(1, 13)]
    assert {c.id for c in course.chapters} == {"0", "1", "2", "3", "4", "5", "A"}
    assert course.weights == {"homework": 30, "midterm": 30, "final": 40}
    assert course.get_homework("7").listed == ("counting_params.py", "bn_remove.py",
                                               "smallNetSaved", "LNiN.py")
    assert course.get_homework("7").files == ("counting_params.py", "bn_remove.py", "LNiN.py")
    assert course.get_homework("HW12").due == datetime(2022, 12, 11, 17, 0)
    assert [e.when for e in course.exams] == ["Saturday, 10/15, 8:00am–12:00pm",
                                              "Saturday, 12/17, 1:00–5:00pm"]
    assert course.lectures.when == "Tuesdays and Thursdays 5:00–6:15pm"
    assert course.lectures.room == "43-1-201" and course.lectures.online == "Zoom"
    assert len(course.staff) == 11 and course.staff[0].office == "27-205"
    assert [p.weeks for p in course.schedule][-3:] == ["10-11", "12-13", "14-15"]
    assert course.schedule[7].topic == "Batch normalization, ResNet, DenseNet"
    assert course.week_of(date(2022, 9, 1)) == 1 and course.week_of(date(2022, 12, 17)) == 16
    assert len(course.tutorials) == 3 and len(course.sample_exams) == 2


def test_dates_and_times_are_written_as_the_page_writes_them():
    assert due_text(datetime(2022, 9, 7, 17, 0)) == "Due 09/07, 5pm"
    assert due_text(datetime(2024, 3, 11, 9, 30)) == "Due 03/11, 9:30am"
    assert time_range(time(17), time(18, 15)) == "5:00–6:15pm"
    assert time_range(time(8), time(12)) == "8:00am–12:00pm"
    assert clock(time(0, 5)) == "12:05am" and clock(time(12)) == "12:00pm"
    assert join_and(["a"]) == "a" and join_and(["a", "b"]) == "a and b"
    assert join_and(["a", "b", "c"]) == "a, b, and c"


@pytest.fixture(scope="module")
def raw(course):
    return yaml.safe_load(course.path.read_text())


@pytest.mark.parametrize("edit, message", [
    (lambda r: r.pop("title"), "title: missing"),
    (lambda r: r.update(title=""), "title: must not be empty"),
    (lambda r: r.pop("title_ko"), "title_ko: missing"),
    (lambda r: r["homework"][3].update(due="2022/09/28 17:00"),
     "homework[3].due: expected YYYY-MM-DD HH:MM"),
    (lambda r: r["homework"][3].update(due="2022-02-30 17:00"),
     "homework[3].due: expected YYYY-MM-DD HH:MM"),
    (lambda r: r["homework"][3].update(due=date(2022, 9, 28)),
     "homework[3].due: expected YYYY-MM-DD HH:MM (the time too)"),
    (lambda r: r["homework"][0].update(chapter="9"), "homework[0].chapter: unknown chapter"),
    (lambda r: r["homework"][1].update(files=["two layer.py"]),
     "homework[1].files[0]: expected a Python file name"),
    (lambda r: r["homework"][6]["files"][2].pop("made_by"),
     "homework[6].files[2].made_by: missing"),
    (lambda r: r["homework"][6]["files"][2].update(made_by="python make.py"),
     "homework[6].files[2].made_by: expected 'mfdnn run EXPERIMENT ...'"),
    (lambda r: r["homework"][0].update(files=["conv1D.py", "conv1D.py"]),
     "homework[0].files[1]: conv1D.py is listed twice"),
    (lambda r: r["homework"].pop(4), "homework: expected hw1, hw2, ... in order"),
    (lambda r: r["grading"]["weights"].update(final=50), "grading.weights: must add up to 100"),
    (lambda r: r["grading"]["weights"].update(midterm="thirty"),
     "grading.weights.midterm: expected int or float"),
    (lambda r: r["grading"]["homework"].update(over="best"),
     "grading.homework.over: expected one of all, graded"),
    (lambda r: r["grading"]["homework"].update(drop_lowest=-1),
     "grading.homework.drop_lowest: must not be negative"),
    (lambda r: r["chapters"][2].update(homework=["hw99"]), "chapters[2].homework[0]: unknown"),
    (lambda r: r["schedule"][0].update(weeks="one"), "schedule[0].weeks: expected a week"),
    (lambda r: r["schedule"][3].update(weeks="5"), "schedule[3].weeks: expected the weeks in "
                                                   "order"),
    (lambda r: r["exams"]["list"][1].update(date="tomorrow"),
     "exams.list[1].date: expected YYYY-MM-DD"),
    (lambda r: r["exams"]["list"][0].update(start="8am"), "exams.list[0].start: expected HH:MM"),
    (lambda r: r["lectures"].update(start=1020),
     'lectures.start: expected HH:MM in quotes ("17:00"), got 1020'),
    (lambda r: r["exams"]["samples"][0].update(file="../secret.pdf"),
     "exams.samples[0].file: expected a path inside the course folder"),
    (lambda r: r["lectures"].update(days=["Tues"]), "lectures.days[0]: expected one of Monday"),
    (lambda r: r["staff"][0].pop("role"), "staff[0].role: missing"),
    (lambda r: r["staff"][0].update(role="professor"), "staff[0].role: expected one of"),
    (lambda r: r["references"]["items"][0].pop("by"), "references.items[0]: expected 'by'"),
    (lambda r: r.update(first_week="08/29"), "first_week: expected YYYY-MM-DD"),
])
def test_a_bad_field_is_named_in_one_line(raw, course, edit, message):
    bad = copy.deepcopy(raw)
    edit(bad)
    with pytest.raises(ConfigError) as info:
        parse_course(bad, course.path)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("text, fragment", [
    ("title: [unclosed\n", "not valid YAML at line"),
    ("- just\n- a list\n", "expected a mapping at the top level"),
    (None, "homework[1].due: expected YYYY-MM-DD HH:MM, got 'soon'"),
])
def test_a_bad_course_file_stops_the_command_line_with_one_line(course, tmp_path, text,
                                                                fragment):
    path = tmp_path / "bad.yml"
    if text is None:
        raw = yaml.safe_load(course.path.read_text())
        raw["homework"][1]["due"] = "soon"
        text = yaml.safe_dump(raw, allow_unicode=True)
    path.write_text(text)
    proc = subprocess.run([sys.executable, "-m", "mfdnn", "site", "build", "--out",
                           str(tmp_path / "www"), "--course", str(path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], proc.stderr
    assert not (tmp_path / "www").exists() and [p.name for p in tmp_path.iterdir()] == ["bad.yml"]


def test_missing_and_malformed_files(tmp_path):
    with pytest.raises(ConfigError, match="course metadata not found"):
        load_course(tmp_path / "nope.yml")
    (tmp_path / "course.yml").write_text("title: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML at line"):
        load_course(tmp_path)
