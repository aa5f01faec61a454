"""Transposed convolution is the adjoint of convolution; HW8 P1 and P2 hold exactly."""

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from mfdnn.nn.adjoint import (
    adjoint_mismatch,
    avgpool2_adjoint,
    conv2d_adjoint,
    inner,
    nearest_upsampling_as_conv_transpose,
    operator_matrix,
    transposed_conv2d,
)

pytestmark = pytest.mark.hw8


def _randn(g, *shape):
    return torch.randn(*shape, generator=g, dtype=torch.float64)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(4, 9), stride=st.integers(1, 3), padding=st.integers(0, 2),
       kernel=st.integers(1, 4), seed=st.integers(0, 1000))
def test_conv_transpose_is_the_adjoint_of_conv(n, stride, padding, kernel, seed):
    if padding >= kernel:
        return
    g = torch.Generator().manual_seed(seed)
    w = _randn(g, 3, 2, kernel, kernel)
    x = _randn(g, 2, 2, n, n)
    y = _randn(g, *F.conv2d(x, w, stride=stride, padding=padding).shape)
    At_y = conv2d_adjoint(y, w, (n, n), stride, padding)
    assert At_y.shape == x.shape
    gap = adjoint_mismatch(lambda t: F.conv2d(t, w, stride=stride, padding=padding),
                           lambda t: conv2d_adjoint(t, w, (n, n), stride, padding), x, y)
    assert gap < 1e-10 * (1 + abs(inner(x, At_y).item()))


def test_adjoint_mismatch_detects_a_wrong_adjoint():
    g = torch.Generator().manual_seed(0)
    w = _randn(g, 1, 1, 3, 3)
    x, y = _randn(g, 1, 1, 6, 6), _randn(g, 1, 1, 4, 4)
    wrong = adjoint_mismatch(lambda t: F.conv2d(t, w),
                             lambda t: F.conv_transpose2d(t, w.flip(-1, -2)), x, y)
    assert wrong > 1e-3


def test_conv_transpose_matrix_is_the_transpose_of_conv_matrix():
    g = torch.Generator().manual_seed(0)
    w = _randn(g, 2, 3, 3, 3)
    A = operator_matrix(lambda t: F.conv2d(t[None], w, stride=2, padding=1)[0], (3, 6, 6))
    At = operator_matrix(lambda t: conv2d_adjoint(t[None], w, (6, 6), 2, 1)[0], (2, 3, 3))
    assert A.shape == (2 * 3 * 3, 3 * 6 * 6)
    torch.testing.assert_close(At, A.T, rtol=0, atol=1e-12)
    # sparsity duality: input j reaches output i of A iff input i reaches output j of A^T
    assert torch.equal(A != 0, (At != 0).T)


def test_operator_matrix_columns_are_images_of_the_basis():
    M = torch.tensor([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0]], dtype=torch.float64)
    torch.testing.assert_close(operator_matrix(lambda v: M @ v, (3,)), M)


def test_worked_examples_of_the_lecture():
    y = torch.tensor([[[[0.0, 1.0], [2.0, 3.0]]]])
    w = torch.tensor([[[[0.0, 1.0], [2.0, 3.0]]]])
    assert transposed_conv2d(y, w, 1)[0, 0].tolist() == [[0, 0, 1], [0, 4, 6], [4, 12, 9]]
    assert transposed_conv2d(y, w, 2)[0, 0].tolist() == [
        [0, 0, 0, 1], [0, 0, 2, 3], [0, 2, 0, 3], [4, 6, 6, 9]]


@pytest.mark.parametrize("stride, padding", [(1, 0), (2, 0), (2, 1), (3, 2)])
def test_written_out_transposed_conv_equals_torch(stride, padding):
    g = torch.Generator().manual_seed(stride + 10 * padding)
    y, w = _randn(g, 2, 3, 4, 5), _randn(g, 3, 2, 3, 4)
    out = transposed_conv2d(y, w, stride, padding)
    # size (m-1)s + f - 2p
    assert out.shape == (2, 2, 3 * stride + 3 - 2 * padding, 4 * stride + 4 - 2 * padding)
    torch.testing.assert_close(out, F.conv_transpose2d(y, w, stride=stride, padding=padding),
                               rtol=0, atol=1e-12)


@pytest.mark.parametrize("channels", [1, 3, 4])
@pytest.mark.parametrize("scale", [2, 3])
@pytest.mark.parametrize("grouped", [False, True])
def test_nearest_upsampling_is_an_all_ones_transposed_conv(channels, scale, grouped):
    x = torch.randn(2, channels, 5, 7)
    layer = nearest_upsampling_as_conv_transpose(channels, scale, grouped)
    with torch.no_grad():
        out = layer(x)
    assert torch.equal(out, F.interpolate(x, scale_factor=scale, mode="nearest"))  # exact
    assert torch.equal(out, torch.nn.Upsample(scale_factor=scale, mode="nearest")(x))


def test_diagonal_kernel_is_zero_off_the_channel_diagonal():
    w = nearest_upsampling_as_conv_transpose(3, 2).weight
    assert w.shape == (3, 3, 2, 2)
    assert torch.equal(w.sum((2, 3)), 4 * torch.eye(3))


def test_avgpool_adjoint_is_a_quarter_of_nearest_upsampling():
    g = torch.Generator().manual_seed(0)
    X = _randn(g, 2, 3, 6, 8).requires_grad_()
    Y = _randn(g, 2, 3, 3, 4)
    (vjp,) = torch.autograd.grad(F.avg_pool2d(X, 2), X, grad_outputs=Y)
    torch.testing.assert_close(vjp, avgpool2_adjoint(Y), rtol=0, atol=1e-15)
    assert adjoint_mismatch(lambda t: F.avg_pool2d(t, 2), avgpool2_adjoint, X.detach(), Y) < 1e-12
    # each entry copied into its 2 x 2 block, times 1/4
    block = avgpool2_adjoint(torch.tensor([[[[4.0, 8.0]]]]))
    assert block.tolist() == [[[[1, 1, 2, 2], [1, 1, 2, 2]]]]
