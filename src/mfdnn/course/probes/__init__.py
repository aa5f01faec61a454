"""The jail side of grading: the runner and one probe module per homework.

Everything in this folder runs inside the grader's jail, next to the student's code, so it
imports only the standard library, NumPy and PyTorch, and never ``mfdnn``: in the jail this
folder is mounted read-only as the package ``mfdnn_probes`` (relative imports only). A probe
imports nothing of the judge; it calls the student's functions on the inputs the judge chose
and returns plain data (:mod:`.wire`). What it returns is a claim: the judge
(:mod:`mfdnn.course.checks`) recomputes every oracle and decides the points itself.
"""
