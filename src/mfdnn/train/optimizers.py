"""The course's optimisers with PyTorch's fused kernels where they exist.

``torch.optim.Adam(params, lr)`` updates each parameter tensor with a dozen separate
operations (``lerp_``, ``addcmul_``, ``sqrt``, ``div``, ``addcdiv_``, ...); for the 19M
parameters of the course's NICE that was half of a training step on 2 CPU cores. The fused
kernel (``fused=True``, on CPUs and CUDA GPUs since torch 2.4) does the same update in one
pass over memory: the same algorithm and hyper-parameters, results equal up to float
rounding, about twice as fast a NICE step (``benchmarks/epoch_speed.py nice``).
"""

from __future__ import annotations

from collections.abc import Iterable

import torch


def fused_supported(device: torch.device) -> bool:
    return device.type in ("cpu", "cuda")


def adam(parameters: Iterable[torch.nn.Parameter], device: torch.device, **kwargs
         ) -> torch.optim.Adam:
    """``torch.optim.Adam(parameters, **kwargs)``, fused where the device has the kernel."""
    return torch.optim.Adam(parameters, fused=fused_supported(device) or None, **kwargs)


def sgd(parameters: Iterable[torch.nn.Parameter], device: torch.device, **kwargs
        ) -> torch.optim.SGD:
    """``torch.optim.SGD(parameters, **kwargs)``, fused where the device has the kernel."""
    return torch.optim.SGD(parameters, fused=fused_supported(device) or None, **kwargs)
