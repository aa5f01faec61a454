"""HW1 P5: the operator objects against the dense banded matrix and the adjoint identity."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mfdnn.nn.conv1d import Convolution1d, circulant_convolution_matrix, dense_convolution_matrix


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 6), st.integers(0, 14), st.integers(0, 2**31 - 1))
def test_operator_equals_dense_matrix_and_transpose(r, extra, seed):
    n = r + extra
    rng = np.random.RandomState(seed)
    k, x, v = rng.randn(r), rng.randn(n), rng.randn(n - r + 1)
    A, D = Convolution1d(k, n), dense_convolution_matrix(k, n)
    np.testing.assert_allclose(A @ x, D @ x, atol=1e-12)
    np.testing.assert_allclose(A.T @ v, D.T @ v, atol=1e-12)
    assert abs(v @ (A @ x) - (A.T @ v) @ x) < 1e-12 * (1 + abs(v @ (A @ x)))
    np.testing.assert_array_equal(circulant_convolution_matrix(k, n), D)


def test_matches_numpy_correlate_and_convolve():
    rng = np.random.RandomState(0)
    k, x, v = rng.randn(3), rng.randn(20), rng.randn(18)
    A = Convolution1d(k, 20)
    np.testing.assert_allclose(A @ x, np.correlate(x, k, mode="valid"))
    np.testing.assert_allclose(A.T @ v, np.convolve(v, k, mode="full"))
    assert A.shape == (18, 20) and A.T.shape == (20, 18) and A.T.T.shape == (18, 20)
