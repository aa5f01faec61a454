"""The shared flow contract: every flow inherits :class:`FlowContract` and so is checked for

* inverse(forward(x)) = x;
* ``log_det(x)`` = log |det J(x)|, with J the autograd Jacobian of x -> z of one sample;
* ``log_prob`` = base log-density of z plus ``log_det``;
* ``forward_and_log_det`` agreeing with ``forward`` and ``log_det``.

Flows are built in float64, their parameters (zero-initialised ones included) are drawn at
random so that no layer is the identity, and they are checked in eval mode.
A new flow gets all of this by adding a subclass with ``make_flow`` and ``make_input``.
"""

from __future__ import annotations

import pytest
import torch

from mfdnn.flows import (
    NICE,
    AffineCoupling,
    Coupling,
    FlowBatchNorm,
    LogitTransform,
    MixtureCDFFlow1d,
    RealNVP,
    Scaling,
    Sequential,
    Squeeze,
    channel_mask,
    checkerboard_mask,
)
from mfdnn.flows.realnvp import ResNetST

pytestmark = [pytest.mark.hw9, pytest.mark.hw10]


def randomise(flow: torch.nn.Module, seed: int = 0, scale: float = 0.3) -> torch.nn.Module:
    gen = torch.Generator().manual_seed(seed)
    flow.double()
    with torch.no_grad():
        for p in flow.parameters():
            p.copy_(scale * torch.randn(p.shape, generator=gen, dtype=p.dtype))
        for name, b in flow.named_buffers():
            if name.endswith("running_mean"):
                b.copy_(torch.randn(b.shape, generator=gen, dtype=b.dtype))
            elif name.endswith("running_var"):
                b.copy_(0.5 + torch.rand(b.shape, generator=gen, dtype=b.dtype))
    return flow.eval()


class FlowContract:
    """Subclasses provide ``make_flow()`` and ``make_input()`` (a small float64 batch)."""

    inverse_atol = 1e-9

    def make_flow(self):
        raise NotImplementedError

    def make_input(self) -> torch.Tensor:
        raise NotImplementedError

    @pytest.fixture
    def flow(self):
        return randomise(self.make_flow())

    def test_inverse_of_forward_is_identity(self, flow):
        x = self.make_input()
        z = flow(x)
        assert z.shape[0] == x.shape[0]
        torch.testing.assert_close(flow.inverse(z).reshape(x.shape), x,
                                   atol=self.inverse_atol, rtol=0)

    def test_log_det_is_log_abs_det_of_the_jacobian(self, flow):
        x = self.make_input()
        ours = flow.log_det(x)
        assert ours.shape == (len(x),)
        for i in range(2):
            def f(v, shape=x.shape[1:]):
                return flow(v.reshape(1, *shape)).reshape(-1)

            jac = torch.autograd.functional.jacobian(f, x[i].reshape(-1))
            assert jac.shape[0] == jac.shape[1], "a flow keeps the dimension"
            sign, logabsdet = torch.linalg.slogdet(jac)
            assert sign != 0
            torch.testing.assert_close(ours[i], logabsdet, atol=1e-8, rtol=1e-8)

    def test_log_prob_is_base_density_plus_log_det(self, flow):
        x = self.make_input()
        z, log_det = flow.forward_and_log_det(x)
        torch.testing.assert_close(flow.forward(x), z)
        torch.testing.assert_close(flow.log_det(x), log_det)
        if isinstance(flow, MixtureCDFFlow1d):
            base = (-0.5 * z**2 - 0.5 * torch.log(torch.tensor(2 * torch.pi))).sum(1)
        else:
            base = flow.base(z.shape[1:]).log_prob(z)
        torch.testing.assert_close(flow.log_prob(x), base + log_det)


def _images(c: int = 1, h: int = 4, w: int = 4, n: int = 3, seed: int = 1) -> torch.Tensor:
    return torch.rand(n, c, h, w, generator=torch.Generator().manual_seed(seed),
                      dtype=torch.float64)


class TestMixtureCDFFlow1d(FlowContract):
    inverse_atol = 1e-10

    def make_flow(self):
        torch.manual_seed(0)
        return MixtureCDFFlow1d(5, bisection_steps=60)

    def make_input(self):
        return torch.linspace(-2, 2, 12, dtype=torch.float64).reshape(4, 3)


class TestNICECoupling(FlowContract):
    def make_flow(self):
        return Coupling(in_out_dim=8, mid_dim=6, hidden=3, mask_config=1)

    def make_input(self):
        return torch.randn(3, 8, generator=torch.Generator().manual_seed(1), dtype=torch.float64)


class TestNICECouplingOddMask(TestNICECoupling):
    def make_flow(self):
        return Coupling(in_out_dim=8, mid_dim=6, hidden=2, mask_config=0)


class TestScaling(TestNICECoupling):
    def make_flow(self):
        return Scaling(8)


class TestNICE(TestNICECoupling):
    def make_flow(self):
        return NICE(in_out_dim=8, coupling=4, mid_dim=6, hidden=3)


class TestAffineCouplingCheckerboard(FlowContract):
    def make_flow(self):
        return AffineCoupling(checkerboard_mask(4, 4, 1), ResNetST(2, 4, 1), channels=2)

    def make_input(self):
        return _images(c=2)


class TestAffineCouplingChannel(TestAffineCouplingCheckerboard):
    def make_flow(self):
        return AffineCoupling(channel_mask(2, first_half=False), ResNetST(2, 4, 1), channels=2)


class TestAffineCouplingArbitraryIndexSet(FlowContract):
    """HW9 P3: any index set Omega, here {0, 3, 4} of a 6-vector, s and t from an MLP."""

    def make_flow(self):
        mask = torch.tensor([[1.0, 0, 0, 1, 1, 0]])
        net = torch.nn.Sequential(torch.nn.Linear(6, 8), torch.nn.Tanh(), torch.nn.Linear(8, 12))
        return AffineCoupling(mask, net, channels=6)

    def make_input(self):
        return torch.randn(3, 6, generator=torch.Generator().manual_seed(2), dtype=torch.float64)


class TestSqueeze(TestAffineCouplingCheckerboard):
    def make_flow(self):
        return Squeeze()


class TestFlowBatchNorm(TestAffineCouplingCheckerboard):
    def make_flow(self):
        return FlowBatchNorm(2)


class TestLogitTransform(TestAffineCouplingCheckerboard):
    def make_flow(self):
        return LogitTransform(0.05)


class TestRealNVP(FlowContract):
    def make_flow(self):
        return RealNVP(in_shape=(1, 4, 4), levels=2, features=4, n_blocks=1, batch_norm=True)

    def make_input(self):
        return _images()


class TestSequential(TestAffineCouplingCheckerboard):
    def make_flow(self):
        return Sequential(AffineCoupling(checkerboard_mask(4, 4, 0), ResNetST(2, 4, 1), 2),
                          FlowBatchNorm(2), Squeeze(),
                          AffineCoupling(channel_mask(8), ResNetST(8, 4, 1), 8))
