"""The course's NICE: size, module names, masks, prior, and loading a state dict written by
the course's own code (``flow_inpainting.py``), reproduced here as the reference."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from mfdnn.flows import COURSE_NICE_PARAMETERS, NICE, Coupling, nice_parameter_count

pytestmark = [pytest.mark.hw10, pytest.mark.hw11]


class CourseCoupling(nn.Module):
    """The starter's ``Coupling`` (HW10 ``flow_inpainting.py``), as the reference."""

    def __init__(self, in_out_dim, mid_dim, hidden, mask_config):
        super().__init__()
        self.mask_config = mask_config
        self.in_block = nn.Sequential(nn.Linear(in_out_dim // 2, mid_dim), nn.ReLU())
        self.mid_block = nn.ModuleList([nn.Sequential(nn.Linear(mid_dim, mid_dim), nn.ReLU())
                                        for _ in range(hidden - 1)])
        self.out_block = nn.Linear(mid_dim, in_out_dim // 2)

    def forward(self, x, reverse=False):
        [B, W] = list(x.size())
        x = x.reshape((B, W // 2, 2))
        if self.mask_config:
            on, off = x[:, :, 0], x[:, :, 1]
        else:
            off, on = x[:, :, 0], x[:, :, 1]
        off_ = self.in_block(off)
        for i in range(len(self.mid_block)):
            off_ = self.mid_block[i](off_)
        shift = self.out_block(off_)
        on = on - shift if reverse else on + shift
        x = torch.stack((on, off), dim=2) if self.mask_config else torch.stack((off, on), dim=2)
        return x.reshape((B, W))


class CourseNICE(nn.Module):
    def __init__(self, coupling, in_out_dim, mid_dim, hidden, mask_config):
        super().__init__()
        self.coupling = nn.ModuleList([CourseCoupling(in_out_dim, mid_dim, hidden,
                                                      (mask_config + i) % 2)
                                       for i in range(coupling)])
        self.scaling = nn.Module()
        self.scaling.scale = nn.Parameter(torch.zeros((1, in_out_dim)))

    def forward(self, x):  # the course's forward is the log-likelihood
        for layer in self.coupling:
            x = layer(x)
        z = x * torch.exp(self.scaling.scale)
        log_prior = -(nn.functional.softplus(z) + nn.functional.softplus(-z))
        return log_prior.sum(1) + self.scaling.scale.sum()


def test_course_model_has_19158352_parameters_and_the_hand_count_agrees():
    model = NICE.course()
    assert sum(p.numel() for p in model.parameters()) == COURSE_NICE_PARAMETERS == 19_158_352
    assert nice_parameter_count(784, 4, 1000, 5) == COURSE_NICE_PARAMETERS
    assert nice_parameter_count(10, 3, 7, 2) == sum(
        p.numel() for p in NICE(10, 3, 7, 2).parameters())


def test_state_dict_names_are_the_course_names():
    keys = set(NICE.course().state_dict())
    expected = {"scaling.scale"}
    for i in range(4):
        expected |= {f"coupling.{i}.in_block.0.weight", f"coupling.{i}.in_block.0.bias",
                     f"coupling.{i}.out_block.weight", f"coupling.{i}.out_block.bias"}
        expected |= {f"coupling.{i}.mid_block.{j}.0.{p}" for j in range(4)
                     for p in ("weight", "bias")}
    assert keys == expected


def test_a_state_dict_of_the_course_code_loads_and_gives_the_same_log_likelihood():
    torch.manual_seed(0)
    course = CourseNICE(coupling=4, in_out_dim=16, mid_dim=12, hidden=3, mask_config=1)
    with torch.no_grad():
        course.scaling.scale.normal_()
    ours = NICE(in_out_dim=16, coupling=4, mid_dim=12, hidden=3, mask_config=1)
    ours.load_state_dict(course.state_dict(), strict=True)
    x = torch.rand(5, 16)
    torch.testing.assert_close(ours.log_prob(x), course(x))


def test_same_seed_builds_the_same_weights_as_the_course_code():
    torch.manual_seed(3)
    course = CourseNICE(4, 16, 12, 3, 1)
    torch.manual_seed(3)
    ours = NICE(16, 4, 12, 3, 1)
    for (k1, v1), (k2, v2) in zip(course.state_dict().items(), ours.state_dict().items(),
                                  strict=True):
        assert k1 == k2 and torch.equal(v1, v2)


@pytest.mark.parametrize("mask_config, fixed", [(1, 1), (0, 0)])
def test_mask_config_one_shifts_even_entries(mask_config, fixed):
    coupling = Coupling(8, 5, 2, mask_config)
    with torch.no_grad():
        coupling.out_block.bias.fill_(1.0)
    x = torch.randn(3, 8)
    z = coupling(x)
    assert torch.equal(z[:, fixed::2], x[:, fixed::2])  # the conditioning half is unchanged
    assert not torch.allclose(z[:, 1 - fixed::2], x[:, 1 - fixed::2])


def test_course_masks_alternate_starting_with_one():
    assert [c.mask_config for c in NICE.course().coupling] == [1, 0, 1, 0]


def test_logistic_prior_matches_torch_distributions_and_samples_are_logistic():
    from torch.distributions import SigmoidTransform, TransformedDistribution, Uniform

    model = NICE(in_out_dim=4, coupling=2, mid_dim=3, hidden=2)
    z = torch.randn(6, 4) * 3
    reference = TransformedDistribution(Uniform(torch.zeros(4), torch.ones(4)),
                                        [SigmoidTransform().inv])
    torch.testing.assert_close(model.prior.log_prob(z), reference.log_prob(z).sum(1))
    draws = model.prior.sample(20000, generator=torch.Generator().manual_seed(0))
    # the standard logistic has variance pi^2 / 3
    assert abs(draws.var().item() - torch.pi**2 / 3) < 0.1
    assert torch.isfinite(draws).all()
