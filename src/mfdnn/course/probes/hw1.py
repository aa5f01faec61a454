"""HW1 probes: ``wideMinima.py`` and ``conv1D.py`` (NumPy only)."""

from __future__ import annotations

import numpy as np

from ._common import attr, floats, number


def gradient_descent(mod, req):
    gd = attr(mod, "gradient_descent")
    theta = []
    for case in req["cases"]:
        with np.errstate(over="ignore", invalid="ignore"):
            got = gd(case["theta0"].copy(), case["alpha"], case["iterations"])
        theta.append(floats(got, f"gradient_descent(theta0, {case['alpha']}, "
                                 f"{case['iterations']})"))
    return {"theta": theta}


def classify(mod, req):
    """The labels of the judge's points and of points placed around the file's minimisers."""
    fn = attr(mod, "classify")
    sharp = number(attr(mod, "SHARP_MIN"), "SHARP_MIN")
    wide = number(attr(mod, "WIDE_MIN"), "WIDE_MIN")
    mid = (sharp + wide) / 2
    theta = np.concatenate([req["fixed"], [sharp, wide, mid - 1e-6, mid + 1e-6, mid]])
    labels = [str(x)[:40] for x in fn(theta)]  # a label is a short word; report no more
    return {"sharp": sharp, "wide": wide, "labels": labels}


def convolution(mod, req):
    cls = attr(mod, "Convolution1d")
    return {"Ax": [floats(cls(c["k"], c["n"]) @ c["x"], f"Convolution1d(k, {c['n']}) @ x")
                   for c in req["cases"]]}


def transposed(mod, req):
    cls = attr(mod, "TransposedConvolution1d")
    return {"ATv": [floats(cls(c["k"], c["n"]) @ c["v"],
                           f"TransposedConvolution1d(k, {c['n']}) @ v") for c in req["cases"]]}
