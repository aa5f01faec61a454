"""Matplotlib for files, not windows: experiments import ``plt`` from here.

Selecting the Agg backend before pyplot is imported makes figures render the same on a
laptop, a headless server and in CI, and never opens a window.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

__all__ = ["plt"]
