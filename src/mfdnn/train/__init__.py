"""The one training loop and its helpers (device choice, batch orders, evaluation)."""

from mfdnn.train.budget import TimeBudget
from mfdnn.train.checkpoint import Checkpoint
from mfdnn.train.device import resolve_device
from mfdnn.train.evaluate import cross_entropy_loss, evaluate_classifier, predict
from mfdnn.train.loop import FitResult, config_fingerprint, fit
from mfdnn.train.sampling import batches, consume_loader_seed, loader_order

__all__ = [
    "Checkpoint", "FitResult", "TimeBudget", "batches", "config_fingerprint",
    "consume_loader_seed", "cross_entropy_loss", "evaluate_classifier", "fit", "loader_order",
    "predict", "resolve_device",
]
