"""The one minibatch training loop.

Every trained model in mfdnn goes through :func:`fit`:

* the whole data set lives as tensors on the device; a batch is ``X[idx]`` for a chunk
  ``idx`` of an index order (no ``Dataset.__getitem__``, no collation, no workers);
* the index order is drawn like the course's ``DataLoader`` (see ``sampling.py``), so a
  seeded run consumes the random generator in the course's order;
* one progress bar shows the epoch, the running loss and the throughput;
* an ``evaluate`` hook runs after every epoch (in eval mode) and its numbers join the
  history;
* after every epoch the whole state (model, optimizer, scheduler, random generators,
  history) is written atomically to ``checkpoint``; ``resume=True`` continues from it, and
  on the CPU the result is bitwise the result of an uninterrupted run;
* a NaN or infinite loss stops training with :class:`TrainingDiverged` naming the step;
* under ``torchrun`` the model is wrapped in DistributedDataParallel and each rank trains
  on its share of every global batch (see ``distributed.py``).

Mixed precision (bf16 autocast on a GPU or a CPU with native bf16), ``torch.compile`` and
progress output default to the run-wide settings of ``settings.py``.
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import Tensor, nn

from mfdnn.errors import MfdnnError, TrainingDiverged
from mfdnn.train import distributed, settings
from mfdnn.train.checkpoint import load_checkpoint, save_checkpoint
from mfdnn.train.device import bf16_autocast_supported
from mfdnn.train.sampling import batches, loader_order

EvalHook = Callable[[nn.Module], dict[str, Any]]


@dataclass
class FitResult:
    """What :func:`fit` returns. ``history[e]`` holds epoch ``e+1``'s numbers."""

    history: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0  # training wall time, summed over resumed pieces
    steps: int = 0
    stopped_early: bool = False

    def last(self, key: str) -> Any:
        return self.history[-1][key]

    def curve(self, key: str) -> list[Any]:
        return [h[key] for h in self.history]


def check_interval(device: torch.device) -> int:
    """Steps between reads of the loss on the host (see ``fit``)."""
    return 1 if device.type == "cpu" else 50


def _progress(total: int, desc: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, disable=not enabled, leave=False, dynamic_ncols=True,
                unit="step", mininterval=0.5)


def _epoch_line(desc: str, epochs: int, record: dict[str, Any]) -> str:
    shown = ", ".join(f"{k} {v:.4g}" for k, v in record.items()
                      if k not in ("epoch", "seconds") and isinstance(v, int | float))
    return f"{desc} epoch {record['epoch']}/{epochs}: {shown} ({record['seconds']:.1f} s)"


def fit(
    model: nn.Module,
    loss_fn: Callable[..., Tensor],
    optimizer: torch.optim.Optimizer,
    data: Sequence[Tensor],
    *,
    epochs: int,
    batch_size: int,
    shuffle: bool = True,
    generator: torch.Generator | None = None,
    drop_last: bool = False,
    scheduler: Any = None,
    scheduler_per_batch: bool = False,
    transform: Callable[[Tensor], Tensor] | None = None,
    evaluate: EvalHook | None = None,
    stop_when: Callable[[list[dict[str, Any]]], bool] | None = None,
    train_mode_every_epoch: bool = True,
    checkpoint: Path | None = None,
    resume: bool = False,
    fingerprint: str | None = None,
    amp: bool | None = None,
    compile: bool | None = None,
    progress: bool | None = None,
    eval_every: int | None = None,
    desc: str = "train",
) -> FitResult:
    """Train ``model`` by minibatches of ``data`` for ``epochs`` epochs.

    ``data`` is a tuple of tensors of equal length already on the model's device
    (e.g. ``(X, Y)``); a batch is ``loss_fn(model, *[t[idx] for t in data])``.
    ``transform`` (data augmentation) maps the first tensor of a batch.
    ``shuffle`` / ``generator`` mean what they mean to ``DataLoader``.
    ``train_mode_every_epoch=False`` reproduces programs that call ``model.train()`` only
    once, before the first epoch (so an eval-mode ``evaluate`` leaves dropout off after).
    ``fingerprint`` (e.g. the config as JSON) must match the checkpoint's to resume.
    ``stop_when(history)`` ends training after an epoch (early stopping, target accuracy),
    or after any check with ``eval_every``. A record's ``loss`` is the mean training loss
    since the previous record.
    ``amp``, ``compile`` and ``progress`` left at None take the run's settings.
    ``eval_every`` (steps) also evaluates, records and asks ``stop_when`` inside an epoch,
    after every that many steps: such a record has a fractional ``epoch`` (epochs done) and
    its ``step``, and training can stop there (time-to-accuracy runs). Checkpoints are
    written at the end of each epoch and when training stops.
    """
    n = len(data[0])
    if any(len(t) != n for t in data):
        raise ValueError("all tensors in data must have the same length")
    run = settings.current()
    amp = run.amp if amp is None else amp
    progress = run.progress if progress is None else progress
    device = data[0].device
    amp = amp and bf16_autocast_supported(device)
    rank, world = distributed.rank(), distributed.world_size()
    result = FitResult()
    start_epoch = 0
    if resume and checkpoint is not None and Path(checkpoint).exists():
        start_epoch = _restore(checkpoint, fingerprint, model, optimizer, scheduler, generator,
                               result)
    steps_per_epoch = len(batches(torch.arange(n), batch_size, drop_last))
    if start_epoch >= epochs or (result.history and stop_when and stop_when(result.history)):
        return result
    if not train_mode_every_epoch:
        model.train()
    forward = model
    if world > 1:
        forward = torch.nn.parallel.DistributedDataParallel(model)
    if run.compile if compile is None else compile:
        forward = torch.compile(forward)
    interactive = progress and rank == 0 and sys.stderr.isatty()
    bar = _progress((epochs - start_epoch) * steps_per_epoch, desc, interactive)

    def close_record(epoch: int, b: int, booked: int, loss_sum: float, seen: int,
                     elapsed: float) -> bool:
        """Book the steps ``booked..b`` of ``epoch`` (training time, samples), evaluate and
        record; True when ``stop_when`` says stop."""
        end_of_epoch = b == steps_per_epoch
        result.seconds += elapsed
        run.stats.seconds += elapsed
        run.stats.samples += seen * world
        run.stats.steps += b - booked
        done = epoch + b / steps_per_epoch
        record: dict[str, Any] = {"epoch": epoch + 1 if end_of_epoch else round(done, 4),
                                  "loss": loss_sum / max(seen, 1)}
        if not end_of_epoch:
            record["step"] = result.steps
        if evaluate is not None:
            was_training = model.training
            model.eval()
            record.update(evaluate(model))
            # programs that call train() once stay in eval mode after an epoch's evaluation
            model.train(was_training and (train_mode_every_epoch or not end_of_epoch))
        record["seconds"] = result.seconds
        result.history.append(record)
        if progress and rank == 0 and not interactive:
            print(_epoch_line(desc, epochs, record), file=sys.stderr, flush=True)
        return stop_when is not None and stop_when(result.history)

    # Losses are checked (NaN/inf guard) and summed on the host: after every step on the
    # CPU, where reading a number costs nothing, and every 50 steps on an accelerator, where
    # each read would stall the device queue. A bad loss is named by its own step either way.
    check_every = check_interval(device)
    pending: list[tuple[Tensor, int, int, int, int]] = []  # loss, size, step, epoch, batch

    def check_losses() -> float:
        """The sum of loss * batch size over the pending steps; raises at a bad one."""
        if not pending:
            return 0.0
        values = ([pending[0][0].item()] if len(pending) == 1
                  else torch.stack([p[0].float() for p in pending]).tolist())
        total = 0.0
        for value, (_, size, step, e, b) in zip(values, pending, strict=True):
            if not math.isfinite(value):
                pending.clear()
                raise TrainingDiverged(
                    f"loss is {value} at step {step} (epoch {e + 1}, batch "
                    f"{b + 1}); lower the learning rate"
                    + (f"; last good checkpoint: {checkpoint}" if checkpoint else ""))
            total += value * size
        pending.clear()
        return total

    try:
        for epoch in range(start_epoch, epochs):
            tic = time.perf_counter()
            if train_mode_every_epoch:
                model.train()
            order = loader_order(n, shuffle, generator).to(device)
            loss_sum, seen, booked, stop = 0.0, 0, 0, False
            for b, idx in enumerate(batches(order, batch_size, drop_last)):
                if world > 1:
                    idx = idx[rank::world]
                batch = [t[idx] for t in data]
                if transform is not None:
                    batch[0] = transform(batch[0])
                with torch.autocast(device.type, dtype=torch.bfloat16, enabled=amp):
                    loss = loss_fn(forward, *batch)
                pending.append((loss.detach(), len(idx), result.steps + 1, epoch, b))
                if len(pending) >= check_every:
                    loss_sum += check_losses()  # before the step on the CPU
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                if scheduler is not None and scheduler_per_batch:
                    scheduler.step()
                result.steps += 1
                seen += len(idx)
                bar.update()
                if b % 20 == 0 and interactive:
                    rate = seen / max(time.perf_counter() - tic, 1e-9)
                    bar.set_description(f"{desc} {epoch + 1}/{epochs}")
                    bar.set_postfix(loss=f"{loss.item():.4f}", samples_s=f"{rate:,.0f}",
                                    refresh=False)
                if eval_every and (b + 1) % eval_every == 0 and b + 1 < steps_per_epoch:
                    loss_sum += check_losses()
                    stop = close_record(epoch, b + 1, booked, loss_sum, seen,
                                        time.perf_counter() - tic)
                    tic, booked, loss_sum, seen = time.perf_counter(), b + 1, 0.0, 0
                    if stop:
                        break
            if stop:
                result.stopped_early = True
                if checkpoint is not None and rank == 0:
                    _save(checkpoint, fingerprint, model, optimizer, scheduler, generator,
                          result, epoch)
                break
            loss_sum += check_losses()
            if scheduler is not None and not scheduler_per_batch:
                scheduler.step()
            stop = close_record(epoch, steps_per_epoch, booked, loss_sum, seen,
                                time.perf_counter() - tic)
            if checkpoint is not None and rank == 0:
                _save(checkpoint, fingerprint, model, optimizer, scheduler, generator, result,
                      epoch + 1)
            if stop:
                result.stopped_early = epoch + 1 < epochs
                break
    finally:
        bar.close()
    return result


def _save(path: Path, fingerprint: str | None, model: nn.Module,
          optimizer: torch.optim.Optimizer, scheduler: Any, generator: torch.Generator | None,
          result: FitResult, epoch: int) -> None:
    save_checkpoint(Path(path), {
        "epoch": epoch,
        "fingerprint": fingerprint,
        "model": model.state_dict(),
        "model_training": model.training,
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict() if scheduler is not None else None,
        "torch_rng": torch.get_rng_state(),
        "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
        "generator": generator.get_state() if generator is not None else None,
        "history": result.history,
        "seconds": result.seconds,
        "steps": result.steps,
        "stopped_early": result.stopped_early,
    })


def _restore(path: Path, fingerprint: str | None, model: nn.Module,
             optimizer: torch.optim.Optimizer, scheduler: Any, generator: torch.Generator | None,
             result: FitResult) -> int:
    state = load_checkpoint(Path(path))
    if state.get("fingerprint") != fingerprint:
        raise MfdnnError(f"checkpoint {path} was written with a different configuration; "
                         "run without --resume (or delete it) to start over")
    model.load_state_dict(state["model"])
    model.train(state["model_training"])
    optimizer.load_state_dict(state["optimizer"])
    if scheduler is not None and state["scheduler"] is not None:
        scheduler.load_state_dict(state["scheduler"])
    torch.set_rng_state(state["torch_rng"])
    if state["cuda_rng"] is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda_rng"])
    if generator is not None and state["generator"] is not None:
        generator.set_state(state["generator"])
    result.history = state["history"]
    result.seconds = state["seconds"]
    result.steps = state["steps"]
    result.stopped_early = state["stopped_early"]
    return int(state["epoch"])


def config_fingerprint(config: Any) -> str:
    """A stable string of a config (dataclass ``__dict__`` or mapping) for checkpoints."""
    items = config if isinstance(config, dict) else vars(config)
    return json.dumps(items, sort_keys=True, default=str)
