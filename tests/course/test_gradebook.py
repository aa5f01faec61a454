"""Gradebook: the rule of course.yml (homework = mean over all twelve sets, a missing one
counts 0; HW 30%, midterm 30%, final 40%), the same rule the site states; students matched
ignoring case, with one warning per student found on one side only; 'missing' is not 0; an
impossible score stops the command with one line and exit 2, writing nothing."""

from __future__ import annotations

import csv
import dataclasses
import subprocess
import sys

import pytest

from mfdnn.cli.main import main
from mfdnn.course.gradebook import (
    MISSING,
    NOT_GRADED,
    gradebook,
    homework_part,
    policy_text,
    write_gradebook,
)
from mfdnn.course.metadata import HomeworkRule
from mfdnn.errors import ConfigError

HEADER = ["student", "score", "max_score"]


def write_csv(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(rows)


def all_homework(folder, scores: dict[str, list[tuple[str, str, str]]]) -> None:
    """``scores[hwN]`` = rows (student, score, max); every other set graded with no rows."""
    for n in range(1, 13):
        write_csv(folder / f"hw{n}" / "grades.csv", [HEADER, *scores.get(f"hw{n}", [])])


def build(course, tmp_path, homework, exams):
    all_homework(tmp_path / "hw", homework)
    write_csv(tmp_path / "exams.csv", [["student", "midterm", "final"], *exams])
    warnings: list[str] = []
    rows = gradebook(course, tmp_path / "hw", tmp_path / "exams.csv", warnings.append)
    return {r["student"]: r for r in rows}, warnings


def test_total_is_the_weighted_mean_over_all_twelve_sets(course, tmp_path):
    homework = {f"hw{n}": [("ann", "100", "100")] for n in range(1, 13)}
    homework["hw2"] = [("ann", "40", "50"), ("bob", "10", "10")]  # ann 80%
    homework["hw3"] = [("ann", "0", "100")]                        # ann a real zero
    rows, warnings = build(course, tmp_path, homework, [["ann", "90", "70"], ["bob", "60", "80"]])
    ann, bob = rows["ann"], rows["bob"]
    # ann: (10 * 100 + 80 + 0) / 12 = 90; total .3 * 90 + .3 * 90 + .4 * 70 = 82
    assert ann["homework"] == "90.00" and ann["total"] == "82.00"
    assert ann["hw3"] == "0.00" and ann["hw2"] == "80.00"
    # bob submitted only hw2: 100 / 12 = 8.33; total .3 * 8.33 + .3 * 60 + .4 * 80 = 52.5
    assert bob["hw2"] == "100.00" and bob["hw1"] == MISSING and bob["hw3"] == MISSING
    assert bob["homework"] == "8.33" and bob["total"] == "52.50"
    assert warnings == []


def test_a_set_not_graded_counts_zero_for_everyone_and_is_announced(course, tmp_path):
    write_csv(tmp_path / "hw" / "hw1" / "grades.csv", [HEADER, ["ann", "12", "12"]])
    write_csv(tmp_path / "exams.csv", [["student", "midterm", "final"], ["ann", "100", "100"]])
    warnings: list[str] = []
    [ann] = gradebook(course, tmp_path / "hw", tmp_path / "exams.csv", warnings.append)
    assert ann["hw1"] == "100.00" and ann["hw2"] == NOT_GRADED
    assert ann["homework"] == f"{100 / 12:.2f}"  # 8.33: the mean over all twelve
    assert len(warnings) == 11 and all("counts 0 for every student" in w for w in warnings)


def test_other_rules_from_course_yml(course, tmp_path):
    homework = {"hw1": [("ann", "50", "100")], "hw2": [("ann", "100", "100")]}
    for n in range(3, 13):
        homework[f"hw{n}"] = [("ann", "100", "100")]
    all_homework(tmp_path / "hw", homework)
    (tmp_path / "hw" / "hw12" / "grades.csv").unlink()  # not graded yet
    write_csv(tmp_path / "exams.csv", [["student", "midterm", "final"], ["ann", "0", "0"]])

    def part(**rule):
        c = dataclasses.replace(course, homework_rule=HomeworkRule(**rule))
        [row] = gradebook(c, tmp_path / "hw", tmp_path / "exams.csv")
        return row["homework"]

    assert part() == f"{(50 + 10 * 100) / 12:.2f}"                 # all 12, hw12 counts 0
    assert part(over="graded") == f"{(50 + 10 * 100) / 11:.2f}"    # the 11 graded
    assert part(drop_lowest=1) == f"{(50 + 10 * 100) / 11:.2f}"    # hw12's 0 dropped
    assert part(over="graded", drop_lowest=1) == "100.00"          # hw1's 50 dropped
    assert part(over="graded", drop_lowest=99) == "100.00"         # keeps at least one


def test_the_site_states_the_rule_the_gradebook_computes(course, tmp_path):
    from mfdnn.course.site import build_site

    text = policy_text(course)
    assert "mean of the scores of all 12 homework sets" in text and "counts 0" in text
    assert "0.30 × homework + 0.30 × midterm + 0.40 × final" in text
    build_site(course, tmp_path / "www", notebook_pages=False)
    assert text in (tmp_path / "www" / "index.html").read_text().replace("&#x27;", "'")
    graded = dataclasses.replace(course, homework_rule=HomeworkRule(over="graded",
                                                                    drop_lowest=2))
    assert "the homework sets graded, leaving out each student's lowest 2" in \
        policy_text(graded)
    # the computation behind the words: all twelve, missing counts 0
    assert homework_part(course, {"hw1": 100.0, "hw2": None}) == pytest.approx(100 / 12)
    assert homework_part(graded, {"hw1": 100.0, "hw2": None, "hw3": 50.0}) == 100.0


def test_students_match_ignoring_case_and_one_sided_students_get_one_warning(course,
                                                                             tmp_path):
    homework = {"hw1": [("Ann Lee", "10", "10"), ("carl", "5", "10")],
                "hw2": [("ANN  LEE", "10", "10")]}
    rows, warnings = build(course, tmp_path, homework, [["ann lee", "80", "80"],
                                                        ["Dana", "70", "90"]])
    assert sorted(rows) == ["Dana", "ann lee", "carl"]  # exams' spelling wins
    assert rows["ann lee"]["hw1"] == "100.00" and rows["ann lee"]["hw2"] == "100.00"
    assert rows["carl"]["midterm"] == MISSING and rows["carl"]["final"] == MISSING
    assert rows["Dana"]["hw1"] == MISSING and rows["Dana"]["homework"] == "0.00"
    assert rows["Dana"]["total"] == f"{0.3 * 70 + 0.4 * 90:.2f}"
    assert len(warnings) == 2  # one per one-sided student, by name
    assert "carl is in the homework grades but not in" in warnings[0]
    assert "Dana is in" in warnings[1] and "in no homework grades.csv" in warnings[1]


def test_an_empty_exam_cell_is_missing_not_zero(course, tmp_path):
    rows, _ = build(course, tmp_path, {"hw1": [("ann", "1", "1"), ("bob", "1", "1")]},
                    [["ann", "", "50"], ["bob", "0", "50"]])
    assert rows["ann"]["midterm"] == MISSING and rows["bob"]["midterm"] == "0.00"
    assert rows["ann"]["total"] == rows["bob"]["total"] == f"{0.3 * 100 / 12 + 20:.2f}"


def test_the_output_csv_has_every_set_and_says_missing(course, tmp_path):
    all_homework(tmp_path / "hw", {"hw1": [("ann", "3", "4")]})
    write_csv(tmp_path / "exams.csv", [["student", "midterm", "final"], ["ann", "90", "80"],
                                       ["bob", "50", ""]])
    write_gradebook(course, tmp_path / "hw", tmp_path / "exams.csv", tmp_path / "final.csv")
    rows = list(csv.DictReader(open(tmp_path / "final.csv")))
    assert list(rows[0]) == ["student", *[f"hw{n}" for n in range(1, 13)], "homework",
                             "midterm", "final", "total"]
    assert rows[0]["hw1"] == "75.00" and rows[0]["hw2"] == MISSING
    assert rows[1]["student"] == "bob" and rows[1]["final"] == MISSING


@pytest.mark.parametrize("hw1, exams, message", [
    ([["ann", "11", "10"]], [["ann", "90", "70"]],
     "hw1/grades.csv line 2: score 11 is above the maximum 10"),
    ([["ann", "1", "2"]], [["ann", "101", "70"]], "line 2: midterm 101 is above the maximum 100"),
    ([["ann", "1", "0"]], [["ann", "90", "70"]], "line 2: max_score must be positive"),
    ([["ann", "-1", "2"]], [["ann", "90", "70"]], "line 2: score: expected a non-negative"),
    ([["ann", "nan", "2"]], [["ann", "90", "70"]], "line 2: score: expected a non-negative"),
    ([["ann", "1", "2"]], [["ann", "ninety", "70"]], "line 2: midterm: expected a number"),
    ([["ann", "1", "2"], ["ANN", "2", "2"]], [["ann", "90", "70"]],
     "line 3: student 'ANN' appears twice (also line 2; names match ignoring case)"),
    ([["", "1", "2"]], [["ann", "90", "70"]], "line 2: empty student name"),
])
def test_an_impossible_score_stops_with_one_line_and_writes_nothing(tmp_path, capsys, hw1,
                                                                   exams, message):
    write_csv(tmp_path / "hw" / "hw1" / "grades.csv", [HEADER, *hw1])
    write_csv(tmp_path / "exams.csv", [["student", "midterm", "final"], *exams])
    code = main(["gradebook", "--homework", str(tmp_path / "hw"), "--exams",
                 str(tmp_path / "exams.csv"), "--out", str(tmp_path / "final.csv")])
    err = capsys.readouterr().err
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], err
    assert not (tmp_path / "final.csv").exists()


@pytest.mark.parametrize("rows, message", [
    ([["student", "midterm"], ["ann", "90"]], "missing column(s) final"),
    ([], "missing column(s) student, midterm, final (has no header)"),
])
def test_bad_exam_files(course, tmp_path, rows, message):
    write_csv(tmp_path / "hw" / "hw1" / "grades.csv", [HEADER, ["ann", "1", "2"]])
    write_csv(tmp_path / "exams.csv", rows)
    with pytest.raises(ConfigError) as info:
        write_gradebook(course, tmp_path / "hw", tmp_path / "exams.csv", tmp_path / "f.csv")
    assert message in str(info.value)


def test_the_command_line_prints_warnings_and_a_summary(tmp_path):
    write_csv(tmp_path / "hw" / "hw1" / "grades.csv", [HEADER, ["Ann", "1", "2"],
                                                     ["bob", "2", "2"]])
    write_csv(tmp_path / "exams.csv", [["student", "midterm", "final"], ["ann", "90", "70"]])
    proc = subprocess.run([sys.executable, "-m", "mfdnn", "gradebook", "--homework",
                           str(tmp_path / "hw"), "--exams", str(tmp_path / "exams.csv"),
                           "--out", str(tmp_path / "final.csv")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "gradebook: 2 students" in proc.stdout and "'missing' = no score" in proc.stdout
    warnings = proc.stderr.strip().splitlines()
    assert sum("is not graded" in w for w in warnings) == 11
    assert [w for w in warnings if "bob" in w] == [
        f"warning: bob is in the homework grades but not in {tmp_path / 'exams.csv'} "
        "(midterm and final count 0)"]
