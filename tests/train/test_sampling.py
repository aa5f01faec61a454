"""Batch orders are the course's DataLoader's, draw for draw."""

import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

from mfdnn.train.sampling import batches, consume_loader_seed, loader_order


@pytest.mark.parametrize("shuffle", [True, False])
@pytest.mark.parametrize("own_generator", [False, True])
def test_batches_and_generator_state_match_dataloader(shuffle, own_generator):
    n, batch_size = 103, 10
    dataset = TensorDataset(torch.arange(n))

    def make_gen():
        g = torch.Generator()
        g.manual_seed(5)
        return g

    torch.manual_seed(0)
    gen = make_gen() if own_generator else None
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, generator=gen)
    expected = [[b[0].tolist() for b in loader] for _ in range(3)]
    after_loader = (gen or torch.default_generator).get_state()

    torch.manual_seed(0)
    gen = make_gen() if own_generator else None
    ours = [[b.tolist() for b in batches(loader_order(n, shuffle, gen), batch_size)]
            for _ in range(3)]
    assert ours == expected
    assert torch.equal((gen or torch.default_generator).get_state(), after_loader)


def test_an_unshuffled_loader_still_draws_one_seed():
    torch.manual_seed(0)
    for _ in DataLoader(TensorDataset(torch.arange(5)), batch_size=2):
        pass
    expected = torch.rand(1)
    torch.manual_seed(0)
    consume_loader_seed()
    assert torch.equal(torch.rand(1), expected)


def test_drop_last():
    chunks = batches(torch.arange(10), 4, drop_last=True)
    assert [len(c) for c in chunks] == [4, 4]
    assert [len(c) for c in batches(torch.arange(10), 4)] == [4, 4, 2]
