"""GAN losses and the two training schemes (Chapter 5.4), DCGAN shapes."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from mfdnn.gan import (
    GAN,
    AlternatingStep,
    DCGANDiscriminator,
    DCGANGenerator,
    SimultaneousStep,
    discriminator_loss,
    generator_loss,
    gradient_penalty,
)
from mfdnn.gan.losses import critic_loss

pytestmark = pytest.mark.hw12


def test_discriminator_loss_is_the_course_formula_with_a_sigmoid_output():
    real, fake = torch.randn(6), torch.randn(6)
    d_real, d_fake = torch.sigmoid(real), torch.sigmoid(fake)
    course = (-torch.log(d_real) - torch.log(1 - d_fake)).mean()
    torch.testing.assert_close(discriminator_loss(real, fake), course)
    weighted = (-torch.log(d_real)).mean() - 2.0 * torch.log(1 - d_fake).mean()
    torch.testing.assert_close(discriminator_loss(real, fake, weight=2.0), weighted)


def test_generator_losses_and_saturation():
    fake = torch.tensor([-8.0, 0.0, 3.0], requires_grad=True)
    torch.testing.assert_close(generator_loss(fake, saturating=True),
                               torch.log(1 - torch.sigmoid(fake)).mean())
    torch.testing.assert_close(generator_loss(fake, saturating=False),
                               -torch.log(torch.sigmoid(fake)).mean())
    (g_sat,) = torch.autograd.grad(generator_loss(fake, True), fake)
    (g_ns,) = torch.autograd.grad(generator_loss(fake, False), fake)
    # where D rejects the fake confidently (logit -8) the saturating gradient vanishes
    assert abs(g_sat[0]) < 1e-3 < abs(g_ns[0])


def test_gradient_penalty_vanishes_for_a_unit_norm_linear_critic():
    w = torch.tensor([0.6, 0.8])

    def critic(x: torch.Tensor) -> torch.Tensor:
        return x @ w

    real, fake = torch.randn(10, 2), torch.randn(10, 2)
    assert gradient_penalty(critic, real, fake).item() == pytest.approx(0, abs=1e-12)
    assert gradient_penalty(lambda x: 3 * critic(x), real, fake).item() == pytest.approx(4)
    torch.testing.assert_close(critic_loss(critic(real), critic(fake)),
                               critic(fake).mean() - critic(real).mean())


def tiny_gan(seed: int = 0) -> GAN:
    torch.manual_seed(seed)
    return GAN(nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 2)),
               nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1), nn.Flatten(0)), 2)


def test_simultaneous_step_gives_both_players_their_own_gradient_at_the_same_point():
    gan = tiny_gan()
    x = torch.randn(16, 2)
    torch.manual_seed(1)
    loss = SimultaneousStep(kind="gan", saturating=True)(gan, x)
    gan.zero_grad()
    loss.backward()
    got_g = [p.grad.clone() for p in gan.generator.parameters()]
    got_d = [p.grad.clone() for p in gan.discriminator.parameters()]
    torch.manual_seed(1)
    z = gan.latent(16)
    fake = gan.generator(z)
    d_loss = discriminator_loss(gan.discriminator(x), gan.discriminator(fake.detach()))
    g_loss = generator_loss(gan.discriminator(fake), saturating=True)
    want_d = torch.autograd.grad(d_loss, list(gan.discriminator.parameters()))
    want_g = torch.autograd.grad(g_loss, list(gan.generator.parameters()))
    for a, b in zip(got_g + got_d, list(want_g) + list(want_d), strict=True):
        torch.testing.assert_close(a, b)


def test_alternating_step_updates_the_discriminator_before_the_generator_loss():
    gan = tiny_gan()
    d_opt = torch.optim.SGD(gan.discriminator.parameters(), lr=0.1)
    x = torch.randn(16, 2)
    before = [p.clone() for p in gan.discriminator.parameters()]
    step = AlternatingStep(d_opt, kind="gan", n_dis=2)
    torch.manual_seed(3)
    g_loss = step(gan, x)
    assert len(step.d_losses) == 2
    assert any(not torch.equal(a, b) for a, b in zip(before, gan.discriminator.parameters(),
                                                     strict=True))
    # the generator's loss is taken at the updated discriminator, with a third, fresh z
    torch.manual_seed(3)
    gan.latent(16), gan.latent(16)
    fake = gan.generator(gan.latent(16))
    torch.testing.assert_close(g_loss, generator_loss(gan.discriminator(fake), False))


def test_wgan_gp_critic_steps_learn_to_separate_real_from_fake():
    gan = tiny_gan(2)
    d_opt = torch.optim.Adam(gan.discriminator.parameters(), 1e-2, betas=(0.5, 0.9))
    step = AlternatingStep(d_opt, kind="wgan-gp", n_dis=40)
    x = torch.randn(64, 2) * 0.1 + torch.tensor([3.0, -2.0])
    g_loss = step(gan, x)  # 40 critic steps, then the generator's loss -mean C(G(z))
    critic = gan.discriminator
    with torch.no_grad():
        gap = critic(x).mean() - critic(gan.sample(256)).mean()  # estimates W(p, q) > 0
    assert step.d_losses[-1] < step.d_losses[0] and gap > 1.0
    # the generator's loss -mean C(G(z)) decreases by a gradient step at the fixed critic
    z = gan.latent(512)
    loss_before = -critic(gan.generator(z)).mean()
    g_opt = torch.optim.SGD(gan.generator.parameters(), lr=0.05)
    g_opt.zero_grad()
    loss_before.backward()
    g_opt.step()
    assert -critic(gan.generator(z)).mean() < loss_before
    assert g_loss.requires_grad


def test_dcgan_shapes():
    g, d = DCGANGenerator(latent_dim=10, width=8), DCGANDiscriminator(width=8)
    images = g(torch.randn(4, 10))
    assert images.shape == (4, 1, 28, 28)
    assert images.abs().max() <= 1
    assert d(images).shape == (4,)
