"""Normalizing flows of Chapter 5.2: the HW9 1-D flow, NICE, Real NVP and their layers.

Every flow is a :class:`Flow` with ``forward`` (x -> z), ``inverse``, ``log_det``,
``log_prob`` and ``sample``; see :mod:`mfdnn.flows.base`.
"""

from mfdnn.flows.base import Flow, Sequential, StandardLogistic, StandardNormal, bits_per_dim
from mfdnn.flows.coupling import AffineCoupling, channel_mask, checkerboard_mask
from mfdnn.flows.layers import FlowBatchNorm, LogitTransform, Squeeze
from mfdnn.flows.mixture_cdf import MixtureCDFFlow1d
from mfdnn.flows.nice import COURSE_NICE_PARAMETERS, NICE, Coupling, Scaling, nice_parameter_count
from mfdnn.flows.realnvp import RealNVP

__all__ = [
    "COURSE_NICE_PARAMETERS", "NICE", "AffineCoupling", "Coupling", "Flow", "FlowBatchNorm",
    "LogitTransform", "MixtureCDFFlow1d", "RealNVP", "Scaling", "Sequential", "Squeeze",
    "StandardLogistic", "StandardNormal", "channel_mask", "checkerboard_mask",
    "bits_per_dim", "nice_parameter_count",
]
