"""GAN training as loss functions for the one training loop, :func:`mfdnn.train.fit`.

A :class:`GAN` module holds the generator and the discriminator, so ``fit``'s model
(train/eval mode, checkpoints of the weights) covers both. Two schemes (Chapter 5.4):

* **Alternating** (:class:`AlternatingStep`; HW12 P4, DCGAN, WGAN): per batch, ``n_dis``
  ascent steps on the discriminator, made inside the loss function with its own optimizer,
  then the loss returns the generator's loss at the *updated* discriminator with a fresh z,
  and ``fit`` makes the generator's step with the optimizer it was given.
* **Simultaneous** gradient descent-ascent (:class:`SimultaneousStep`): both players step
  from the same point. The loss returned is L_G(theta; sg phi) + L_D(sg theta; phi), where sg
  stops the gradient, so one backward pass gives (grad_theta L_G, grad_phi L_D) and one
  optimizer over both parameter sets makes both steps at once.

Losses are :mod:`mfdnn.gan.losses`; ``kind`` is ``"gan"`` (sigmoid discriminator) or
``"wgan-gp"`` (critic with gradient penalty). Spectral normalisation is a property of the
discriminator (``torch.nn.utils.parametrizations.spectral_norm`` on its layers), so it
needs no scheme of its own.
"""

from __future__ import annotations

from typing import Literal

import torch
from torch import Tensor, nn
from torch.func import functional_call

from mfdnn.gan.losses import (
    critic_loss,
    discriminator_loss,
    generator_loss,
    gradient_penalty,
    wasserstein_generator_loss,
)

Kind = Literal["gan", "wgan-gp"]


class GAN(nn.Module):
    """A generator G: R^k -> data and a discriminator D: data -> logit (or critic score)."""

    def __init__(self, generator: nn.Module, discriminator: nn.Module, latent_dim: int):
        super().__init__()
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = latent_dim

    def latent(self, n: int, device: torch.device | None = None) -> Tensor:
        device = device or next(self.parameters()).device
        return torch.randn(n, self.latent_dim, device=device)

    @torch.no_grad()
    def sample(self, n: int) -> Tensor:
        return self.generator(self.latent(n))


class _Losses:
    def __init__(self, kind: Kind = "gan", saturating: bool = False, weight: float = 1.0,
                 gp_weight: float = 10.0):
        if kind not in ("gan", "wgan-gp"):
            raise ValueError(f"kind must be 'gan' or 'wgan-gp', not {kind!r}")
        self.kind, self.saturating = kind, saturating
        self.weight, self.gp_weight = weight, gp_weight
        self.d_losses: list[float] = []

    def d_loss(self, discriminator: nn.Module, real: Tensor, fake: Tensor) -> Tensor:
        real_out, fake_out = discriminator(real), discriminator(fake)
        if self.kind == "gan":
            return discriminator_loss(real_out, fake_out, self.weight)
        return (critic_loss(real_out, fake_out)
                + self.gp_weight * gradient_penalty(discriminator, real, fake))

    def g_loss(self, fake_out: Tensor) -> Tensor:
        if self.kind == "gan":
            return generator_loss(fake_out, self.saturating)
        return wasserstein_generator_loss(fake_out)

    def pop_d_loss(self) -> float:
        """Mean discriminator loss since the last call (e.g. over an epoch)."""
        value = sum(self.d_losses) / max(len(self.d_losses), 1)
        self.d_losses.clear()
        return value


class AlternatingStep(_Losses):
    """``loss_fn(gan, x)`` for ``fit``: n_dis discriminator steps, then the generator's loss.

    ``d_optimizer`` owns the discriminator's parameters; pass ``fit`` an optimizer over the
    generator's. The n_dis steps reuse the batch x with fresh z each time.
    """

    def __init__(self, d_optimizer: torch.optim.Optimizer, kind: Kind = "gan",
                 saturating: bool = False, n_dis: int = 1, weight: float = 1.0,
                 gp_weight: float = 10.0):
        super().__init__(kind, saturating, weight, gp_weight)
        self.d_optimizer, self.n_dis = d_optimizer, n_dis

    def __call__(self, gan: GAN, x: Tensor) -> Tensor:
        for _ in range(self.n_dis):
            with torch.no_grad():
                fake = gan.generator(gan.latent(len(x), x.device))
            loss = self.d_loss(gan.discriminator, x, fake)
            self.d_optimizer.zero_grad(set_to_none=True)
            loss.backward()
            self.d_optimizer.step()  # ascent on the discriminator's objective
            self.d_losses.append(loss.item())
        fake = gan.generator(gan.latent(len(x), x.device))  # a fresh z'
        return self.g_loss(gan.discriminator(fake))


class SimultaneousStep(_Losses):
    """``loss_fn(gan, x)`` for ``fit`` with one optimizer over G and D: simultaneous GDA."""

    def __call__(self, gan: GAN, x: Tensor) -> Tensor:
        fake = gan.generator(gan.latent(len(x), x.device))
        d_loss = self.d_loss(gan.discriminator, x, fake.detach())  # sg(theta)
        frozen = {name: p.detach() for name, p in gan.discriminator.named_parameters()}
        frozen.update(dict(gan.discriminator.named_buffers()))
        g_loss = self.g_loss(functional_call(gan.discriminator, frozen, (fake,)))  # sg(phi)
        self.d_losses.append(d_loss.item())
        return g_loss + d_loss
