"""Verbs of the course system: ``site build``, ``notebook``, ``homework release``, ``check``,
``grade`` and ``gradebook``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _course_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--course", default=None, metavar="PATH",
                   help="course.yml or its folder (default: $MFDNN_COURSE, else the "
                        "repository's course/course.yml)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("site", help="the course website")
    site_sub = p.add_subparsers(dest="site_verb", metavar="ACTION", required=True)
    b = site_sub.add_parser("build", help="write the static site")
    b.add_argument("--out", required=True, help="output folder")
    b.add_argument("--results", default=None, metavar="DIR",
                   help="a `mfdnn reproduce` folder (with summary.json) for the results page")
    b.add_argument("--notebook-profile", default="quick", choices=("quick", "laptop", "full"),
                   help="profile the notebook pages are executed at (default quick)")
    b.add_argument("--no-execute", action="store_true",
                   help="render the notebook pages without running them (fast; no outputs)")
    b.add_argument("--no-notebook-pages", action="store_true",
                   help="no rendered notebook pages (the .ipynb files only)")
    b.add_argument("--runs", default="runs", metavar="DIR",
                   help="where the notebooks' runs are kept and reused (default runs/)")
    _course_arg(b)
    b.set_defaults(func=cmd_site_build)

    p = sub.add_parser("notebook", help="write a chapter notebook or a Python tutorial")
    p.add_argument("chapter", help="chapter id (0, 1, ..., 5, A) or python1 / python2 / python3")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--profile", default="quick", choices=("quick", "laptop", "full"),
                   help="profile the notebook's cells run (default quick)")
    _course_arg(p)
    p.set_defaults(func=cmd_notebook)

    p = sub.add_parser("homework", help="homework files")
    hw_sub = p.add_subparsers(dest="homework_verb", metavar="ACTION", required=True)
    r = hw_sub.add_parser("release", help="write the starter files of a homework")
    r.add_argument("hw", help="homework number or id (4, hw4)")
    r.add_argument("--out", required=True, help="output folder")
    _course_arg(r)
    r.set_defaults(func=cmd_release)

    p = sub.add_parser("check", help="self-check your homework files (exit 0 at full marks)")
    p.add_argument("hw", help="homework number or id (1, hw1)")
    p.add_argument("files", nargs="+", metavar="FILE", help="your files (course file names)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--seed", type=int, default=0,
                   help="seed of the checks' inputs (default 0; the grader draws its own)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("grade", help="grade a folder of submissions, each in a jail")
    p.add_argument("hw", help="homework number or id")
    p.add_argument("submissions", help="folder with one sub-folder per submission")
    p.add_argument("--out", required=True, help="output folder (grades.csv, results.json)")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds per submission")
    p.add_argument("--memory", type=int, default=3072, help="MB per submission")
    p.add_argument("--jobs", type=int, default=None,
                   help="submissions graded at once (default: the number of cores)")
    p.add_argument("--seed", type=int, default=None,
                   help="seed of the checks' inputs (default: random, in grading.json)")
    p.add_argument("--no-jail", action="store_true",
                   help="run submissions unconfined where bubblewrap cannot work (unsafe; "
                        "recorded in every result)")
    _course_arg(p)
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser(
        "gradebook", help="combine homework and exam scores into final grades",
        description="Final grades by the rule of course.yml (grading): the homework part is the "
                    "mean over the homework sets (a set not submitted counts 0), weighted with "
                    "the midterm and final. Students match ignoring case. In the output, "
                    "'missing' is a submission or exam without a score (counted as 0), 'not "
                    "graded' a homework with no grades.csv; a real zero is 0.00.")
    p.add_argument("--homework", required=True, metavar="DIR",
                   help="folder with one `mfdnn grade` output folder per homework (hw1, ...), "
                        "each with its grades.csv (student, score, max_score)")
    p.add_argument("--exams", required=True, metavar="CSV",
                   help="CSV with columns student, midterm, final (out of 100; empty: absent)")
    p.add_argument("--out", required=True, metavar="CSV", help="the final grades CSV")
    _course_arg(p)
    p.set_defaults(func=cmd_gradebook)


def cmd_site_build(args: argparse.Namespace) -> int:
    from mfdnn.course.metadata import load_course
    from mfdnn.course.site import build_site

    pages = build_site(load_course(args.course), Path(args.out),
                       results=Path(args.results) if args.results else None,
                       notebook_pages=not args.no_notebook_pages,
                       notebook_profile=None if args.no_execute else args.notebook_profile,
                       runs=Path(args.runs))
    print(f"site: {len(pages)} pages -> {Path(args.out) / 'index.html'}")
    return 0


def cmd_notebook(args: argparse.Namespace) -> int:
    from mfdnn.course.metadata import load_course
    from mfdnn.course.notebooks import write_notebook

    path = write_notebook(load_course(args.course), args.chapter, Path(args.out),
                          profile=args.profile)
    print(f"notebook -> {path}")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    from mfdnn.course.metadata import load_course
    from mfdnn.course.release import missing_solutions, release

    course = load_course(args.course)
    for path in release(course, args.hw, Path(args.out)):
        print(path)
    missing = missing_solutions(course, args.hw)
    if missing:
        print(f"not released yet (no reference solution): {', '.join(missing)}",
              file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Exit 0 at full marks, 1 below (2 for bad input, from the caller)."""
    import json

    from mfdnn.course.checker import format_report, run_checks

    report = run_checks(args.hw, [Path(f) for f in args.files], seed=args.seed)
    print(json.dumps(report.to_dict(), indent=2) if args.json else format_report(report))
    return 0 if report.score >= report.max_score else 1


def cmd_grade(args: argparse.Namespace) -> int:
    from mfdnn.course.grader import Limits, grade_all
    from mfdnn.course.metadata import load_course
    from mfdnn.errors import ConfigError

    if args.jobs is not None and args.jobs < 1:
        raise ConfigError(f"--jobs {args.jobs}: at least 1")
    if args.timeout <= 0 or args.memory < 256:
        raise ConfigError("--timeout must be positive and --memory at least 256 (MB)")
    limits = Limits(wall_seconds=args.timeout, memory_mb=args.memory)
    grades = grade_all(load_course(args.course), args.hw, Path(args.submissions),
                       Path(args.out), limits, jobs=args.jobs, seed=args.seed,
                       jailed=not args.no_jail,
                       log=lambda line: print(line, file=sys.stderr, flush=True))
    print(f"graded {len(grades)} submissions -> {Path(args.out) / 'grades.csv'}")
    return 0


def cmd_gradebook(args: argparse.Namespace) -> int:
    from mfdnn.course.gradebook import write_gradebook
    from mfdnn.course.metadata import load_course

    rows = write_gradebook(load_course(args.course), Path(args.homework), Path(args.exams),
                           Path(args.out), warn=lambda line: print(line, file=sys.stderr))
    print(f"gradebook: {len(rows)} students -> {args.out} ('missing' = no score, counted as 0)")
    return 0
