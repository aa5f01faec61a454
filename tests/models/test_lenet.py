"""LeNet-5: parameter counts against the hand formula; the masked C3 equals the sparse one."""

import copy

import pytest
import torch

from mfdnn.models.lenet import (
    C3_TABLE,
    LeNet5,
    MaskedC3,
    SparseC3,
    c3_mask,
    c3_param_count,
    count_parameters,
    lenet5_param_count,
)


def test_connection_table_is_the_papers():
    sizes = [len(t) for t in C3_TABLE]
    assert sizes == [3] * 6 + [4] * 9 + [6]
    assert c3_mask().sum() == 60  # 6*3 + 9*4 + 6 connections


@pytest.mark.parametrize("c3, total, c3_params", [
    ("sparse", 60806, 1516), ("masked", 60806, 1516), ("full", 61706, 2416)])
def test_parameter_counts(c3, total, c3_params):
    model = LeNet5(c3)
    assert count_parameters(model) == lenet5_param_count(c3) == total
    assert c3_param_count(c3) == c3_params
    if c3 != "masked":
        assert sum(p.numel() for p in model.parameters()) == total
        assert sum(p.numel() for p in model.c3.parameters()) == c3_params


def test_sparse_c3_saves_900_parameters():
    assert c3_param_count("full") - c3_param_count("sparse") == 900


def test_masked_c3_is_the_sparse_c3():
    torch.manual_seed(0)
    sparse = SparseC3()
    masked = MaskedC3.from_sparse(sparse)
    x = torch.randn(4, 6, 14, 14)
    torch.testing.assert_close(masked(x), sparse(x), rtol=1e-5, atol=1e-6)
    # masked gradients stay zero off the table, so training keeps the sparsity
    masked(x).sum().backward()
    off = masked.mask.expand_as(masked.weight) == 0
    assert masked.weight.grad[off].abs().max() == 0


@pytest.mark.parametrize("c3", ["sparse", "masked", "full"])
def test_output_shape_and_a_few_steps_reduce_the_loss(c3):
    torch.manual_seed(0)
    model = LeNet5(c3)
    x, y = torch.rand(16, 1, 28, 28), torch.randint(0, 10, (16,))
    assert model(x).shape == (16, 10)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    first = torch.nn.functional.cross_entropy(model(x), y).item()
    for _ in range(20):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    assert torch.nn.functional.cross_entropy(model(x), y).item() < first


def test_fast_lenet_has_the_course_structure_and_61728_parameters():
    from mfdnn.models.lenet_fast import LeNet5Fast

    model = LeNet5Fast()
    # C1 6*25, BN 2*6, C3 16*150, BN 2*16, C5 400*120+120, F6 120*84+84, out 84*10+10
    assert count_parameters(model) == 150 + 12 + 2400 + 32 + 48120 + 10164 + 850 == 61728
    assert model(torch.zeros(3, 1, 28, 28)).shape == (3, 10)
    assert LeNet5Fast(3, image_size=32)(torch.zeros(2, 3, 32, 32)).shape == (2, 10)


def test_training_the_masked_copy_of_the_sparse_c3_trains_the_sparse_c3():
    """hw4-lenet-original's fast path: the same SGD steps, up to float rounding."""
    torch.manual_seed(0)
    sparse = LeNet5("sparse")
    masked = copy.deepcopy(sparse)
    masked.c3 = MaskedC3.from_sparse(masked.c3)
    x, y = torch.rand(50, 1, 28, 28), torch.randint(0, 10, (50,))
    for model in (sparse, masked):
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for _ in range(5):
            loss = torch.nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
    torch.testing.assert_close(masked(x), sparse(x), rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(MaskedC3.from_sparse(sparse.c3).weight, masked.c3.weight)
    assert (masked.c3.weight * (1 - masked.c3.mask)).abs().max() == 0  # off-table stays 0
