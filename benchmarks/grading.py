"""Grading throughput: ``mfdnn grade`` on many copies of a homework's reference solution.

    python benchmarks/grading.py                      # 100 copies of HW1, --jobs 2
    python benchmarks/grading.py --copies 20 --jobs 1
    python benchmarks/grading.py --homework 4 --copies 10

Writes the copies into a temporary folder, grades them exactly as ``mfdnn grade`` does (each
submission in its own jail, the judge outside) and prints the wall time, the submissions per
minute, the median and slowest submission, the CPU count and the load average at the start
(the machine may be shared), and the CPU time the grader and all jails used (the jails' as
their cgroups count it), which divided by ``--jobs`` is about the wall time on that many
cores of its own. Every copy must score full
marks, else the benchmark fails.
Target (issue 15): 100 copies of HW1 in at most 3 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from mfdnn.course.grader import Limits, grade_all
from mfdnn.course.metadata import load_course, normalise_homework_id


def cpu_seconds() -> float:
    """User + system CPU time of this process and its launchers (not the jails: bwrap's init
    is reaped by the host's init, so its time reaches no rusage; cgroups count it)."""
    own, children = (resource.getrusage(w) for w in (resource.RUSAGE_SELF,
                                                     resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--homework", default="1")
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    course = load_course()
    hw = normalise_homework_id(args.homework)
    files = [course.root / "solutions" / hw / f for f in course.get_homework(hw).files]
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="mfdnn-grading-bench-") as tmp:
        subs = Path(tmp, "submissions")
        for i in range(args.copies):
            folder = subs / f"student{i:03d}"
            folder.mkdir(parents=True)
            for f in files:
                shutil.copy(f, folder / f.name)
        before = cpu_seconds()
        tic = time.perf_counter()
        grades = grade_all(course, hw, subs, Path(tmp, "out"), Limits(), jobs=args.jobs,
                           seed=args.seed)
        wall = time.perf_counter() - tic
        cpu = cpu_seconds() - before
    bad = [g for g in grades if g.score != g.max_score]
    seconds = sorted(g.seconds for g in grades)
    print(f"{hw}: {len(grades)} submissions, --jobs {args.jobs}, {os.cpu_count()} CPUs, "
          f"load average {load[0]:.1f} at the start")
    print(f"wall {wall:.1f} s ({len(grades) / wall * 60:.0f} submissions/min); per "
          f"submission median {statistics.median(seconds):.2f} s, slowest {seconds[-1]:.2f} s")
    jails = sum(g.cpu_seconds or 0.0 for g in grades)
    total = cpu + jails
    print(f"CPU {total:.1f} s: jails {jails:.1f} s (their cgroups' count; 0 without cgroups), "
          f"grader {cpu:.1f} s; on {args.jobs} cores of its own that is {total / args.jobs:.1f} s")
    if bad:
        print(f"FAIL: {len(bad)} copies below full marks, e.g. {bad[0].student}: "
              f"{bad[0].explanation}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
