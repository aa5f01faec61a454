"""Draws that leave the random state as it was, so that adding a measurement (samples of an
untrained model, say) does not change what training draws afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch


@contextmanager
def preserved_rng(device: torch.device) -> Iterator[None]:
    """Restore the CPU generator, and ``device``'s where it is an accelerator, on exit."""
    accelerator = device.type != "cpu"
    with torch.random.fork_rng(devices=[device] if accelerator else [],
                               device_type=device.type if accelerator else "cuda"):
        yield
