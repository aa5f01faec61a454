"""HW12 probes: ``minimax_logistic.py`` and ``swiss_roll.py``."""

from __future__ import annotations

import numpy as np
import torch

from ._common import attr, floats, number, pair, tensor


def objective_and_gradients(mod, req):
    fn = attr(mod, "objective_and_gradients")
    out = []
    for c in req["cases"]:
        got = pair(fn(c["theta"].copy(), c["phi"].copy(), c["X"].copy(), c["Y"].copy(),
                      c["lam"]), 3, "objective_and_gradients must return (L, grad_theta, "
                                    "grad_phi)")
        out.append([floats(g, what) for g, what in zip(got, ("L", "grad_theta L",
                                                              "grad_phi L"), strict=True)])
    return {"cases": out}


def sgda(mod, req):
    fn = attr(mod, "sgda")
    got = pair(fn(req["theta0"].copy(), req["phi0"].copy(), req["X"].copy(), req["Y"].copy(),
                  req["alpha"], req["beta"], req["lam"], req["epochs"],
                  np.random.RandomState(req["seed"])), 2, "sgda must return (theta, phi)")
    return {"theta": floats(got[0], "theta"), "phi": floats(got[1], "phi")}


def make_swiss_roll(mod, req):
    fn = attr(mod, "make_swiss_roll")
    got = fn(req["n"], np.random.RandomState(req["seed"]))
    return {"type": type(got).__name__, "is_tensor": isinstance(got, torch.Tensor),
            "dtype": str(getattr(got, "dtype", "")), "points": floats(got, "the points")}


def vae_loss(mod, req):
    fn = attr(mod, "vae_loss")
    args = (tensor(req[k], "float32") for k in ("x", "x_hat", "mu", "log_sigma"))
    return {"loss": number(fn(*args), "the VAE loss")}


def discriminator_loss(mod, req):
    fn = attr(mod, "discriminator_loss")
    got = fn(tensor(req["d_real"], "float32"), tensor(req["d_fake"], "float32"))
    return {"loss": number(got, "the discriminator loss")}


def generator_loss(mod, req):
    fn = attr(mod, "generator_loss")
    return {"loss": number(fn(tensor(req["d_fake"], "float32")), "the generator loss")}
