"""Data-parallel training under ``torchrun`` (DistributedDataParallel).

``torchrun --nproc_per_node=N -m mfdnn run NAME`` starts N processes with ``RANK``,
``WORLD_SIZE`` and ``LOCAL_RANK`` set. The runner calls :func:`init_from_env`; ``fit`` then
wraps the model in DDP and gives rank r the samples ``r, r+N, r+2N, ...`` of every global
batch (every rank draws the same index order from the same seed). DDP averages the
gradients, so a step sees the whole global batch. Rank 0 alone writes files.
"""

from __future__ import annotations

import os
from typing import Any

import torch
import torch.distributed as dist

from mfdnn.errors import ConfigError

BACKENDS = ("nccl", "gloo", "mpi")


def rank() -> int:
    return dist.get_rank() if dist.is_available() and dist.is_initialized() else 0


def world_size() -> int:
    return dist.get_world_size() if dist.is_available() and dist.is_initialized() else 1


def is_main() -> bool:
    return rank() == 0


def from_main(value: Any) -> Any:
    """Rank 0's ``value`` on every rank: a decision the ranks must share (e.g. "train this
    model now", which needs every rank in DDP)."""
    if world_size() == 1:
        return value
    box = [value]
    dist.broadcast_object_list(box, src=0)
    return box[0]


def init_from_env(device: torch.device) -> torch.device:
    """Join the process group torchrun describes (if any); return this rank's device.

    On CUDA, local rank r takes GPU ``r mod (number of GPUs)`` and the backend is NCCL; on
    the CPU it is gloo. ``MFDNN_DIST_BACKEND=gloo`` lets several ranks share one GPU (NCCL
    refuses two ranks on the same GPU), e.g. to try data-parallel code on a one-GPU machine.
    """
    if int(os.environ.get("WORLD_SIZE", "1")) <= 1 or dist.is_initialized():
        return device
    if device.type == "cuda":
        local = int(os.environ.get("LOCAL_RANK", "0")) % torch.cuda.device_count()
        torch.cuda.set_device(local)
        device = torch.device("cuda", local)
    backend = os.environ.get("MFDNN_DIST_BACKEND") or ("nccl" if device.type == "cuda"
                                                        else "gloo")
    if backend not in BACKENDS:
        raise ConfigError(f"MFDNN_DIST_BACKEND={backend}: choose from {', '.join(BACKENDS)}")
    dist.init_process_group(backend=backend)
    return device


def shutdown() -> None:
    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()
