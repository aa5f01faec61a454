"""The course system around the experiments: metadata (``course/course.yml``), the static
site, chapter notebooks, homework release, per-homework checks, the sandboxed grader and
the gradebook. One module per idea; ``checks/`` holds one module per homework.
"""
