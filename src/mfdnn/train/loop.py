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
  history) is written atomically to the :class:`~mfdnn.train.checkpoint.Checkpoint`;
  ``resume`` continues from it, and on the CPU the result is bitwise the result of an
  uninterrupted run;
* a NaN or infinite loss stops training with :class:`TrainingDiverged` naming the step;
* under ``torchrun`` the model is wrapped in DistributedDataParallel and each rank trains
  on its share of every global batch (see ``distributed.py``).

Mixed precision (bf16 autocast on a GPU or a CPU with native bf16), ``torch.compile`` and
progress output are the run-wide settings of ``settings.py``.
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
from mfdnn.train.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from mfdnn.train.device import bf16_autocast_supported
from mfdnn.train.sampling import batches, loader_order

EvalHook = Callable[[nn.Module, float], dict[str, Any]]  # (model, epoch) -> numbers
StopRule = Callable[[list[dict[str, Any]]], bool]  # history -> stop now?


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
    """Steps between reads of the loss on the host (see ``_Training.read_losses``)."""
    return 1 if device.type == "cpu" else 50


def fit(
    model: nn.Module,
    loss_fn: Callable[..., Tensor],
    optimizer: torch.optim.Optimizer,
    data: Sequence[Tensor],
    *,
    epochs: int,
    batch_size: int,
    shuffle: bool = True,
    transform: Callable[[Tensor], Tensor] | None = None,
    scheduler: Any = None,
    evaluate: EvalHook | None = None,
    eval_every: int | None = None,
    stop_when: StopRule | None = None,
    train_mode_every_epoch: bool = True,
    checkpoint: Checkpoint | None = None,
    desc: str = "train",
) -> FitResult:
    """Train ``model`` by minibatches of ``data`` for ``epochs`` epochs.

    ``data`` is a tuple of tensors of equal length already on the model's device
    (e.g. ``(X, Y)``); a batch is ``loss_fn(model, *[t[idx] for t in data])``, its order
    drawn as a ``DataLoader`` with ``shuffle`` draws it. ``transform`` (data augmentation,
    dequantisation noise) maps the first tensor of a batch. ``scheduler`` is stepped after
    every optimizer step (a schedule in epochs counts ``ceil(len(data[0]) / batch_size)``
    steps an epoch).

    After every epoch, ``evaluate(model, epoch)`` runs in eval mode and its numbers join
    the epoch's record (with ``loss``, the mean training loss since the previous record),
    then ``stop_when(history)`` may end training (early stopping, a target accuracy, a time
    budget). ``eval_every`` (steps) also records, evaluates and asks ``stop_when`` inside
    an epoch, after every that many steps: such a record has a fractional ``epoch`` (epochs
    done) and its ``step`` (time-to-accuracy runs). ``train_mode_every_epoch=False``
    reproduces programs that call ``model.train()`` only once, before the first epoch (so
    an eval-mode ``evaluate`` leaves dropout off after it).

    ``checkpoint`` keeps the whole state after each epoch and when training stops, and
    continues from it when ``checkpoint.resume``. ``desc`` labels the progress output.
    """
    if any(len(t) != len(data[0]) for t in data):
        raise ValueError("all tensors in data must have the same length")
    training = _Training(model=model, loss_fn=loss_fn, optimizer=optimizer, data=data,
                         epochs=epochs, batch_size=batch_size, shuffle=shuffle,
                         transform=transform, scheduler=scheduler, evaluate=evaluate,
                         eval_every=eval_every, stop_when=stop_when,
                         train_mode_every_epoch=train_mode_every_epoch, checkpoint=checkpoint,
                         desc=desc)
    if checkpoint is not None and checkpoint.resume and Path(checkpoint.path).exists():
        training.restore()
    history = training.result.history
    if training.start_epoch >= epochs or (history and stop_when and stop_when(history)):
        return training.result
    return training.run()


@dataclass(eq=False)
class _Training:
    """One :func:`fit` call: its arguments, and the state it carries from step to step (the
    result so far, the losses not yet read on the host, the sums since the last record)."""

    model: nn.Module
    loss_fn: Callable[..., Tensor]
    optimizer: torch.optim.Optimizer
    data: Sequence[Tensor]
    epochs: int
    batch_size: int
    shuffle: bool
    transform: Callable[[Tensor], Tensor] | None
    scheduler: Any
    evaluate: EvalHook | None
    eval_every: int | None
    stop_when: StopRule | None
    train_mode_every_epoch: bool
    checkpoint: Checkpoint | None
    desc: str

    def __post_init__(self) -> None:
        self.run_settings = settings.current()
        self.device = self.data[0].device
        self.amp = self.run_settings.amp and bf16_autocast_supported(self.device)
        self.rank, self.world = distributed.rank(), distributed.world_size()
        self.steps_per_epoch = len(batches(torch.arange(len(self.data[0])), self.batch_size))
        self.result = FitResult()
        self.start_epoch = 0
        self.progress = self.run_settings.progress and self.rank == 0
        self.interactive = self.progress and sys.stderr.isatty()
        # losses waiting to be read on the host: (loss, batch size, step, epoch, batch)
        self.pending: list[tuple[Tensor, int, int, int, int]] = []
        self.check_every = check_interval(self.device)

    def run(self) -> FitResult:
        """Train from ``start_epoch`` until ``epochs`` or until ``stop_when`` says stop."""
        if not self.train_mode_every_epoch:
            self.model.train()
        self.forward: nn.Module = self.model
        if self.world > 1:
            self.forward = torch.nn.parallel.DistributedDataParallel(self.model)
        if self.run_settings.compile:
            self.forward = torch.compile(self.forward)
        self.bar = _progress_bar((self.epochs - self.start_epoch) * self.steps_per_epoch,
                                 self.desc, self.interactive)
        try:
            for epoch in range(self.start_epoch, self.epochs):
                if self.train_epoch(epoch):
                    break
        finally:
            self.bar.close()
        return self.result

    # -- one epoch --------------------------------------------------------------------------
    def train_epoch(self, epoch: int) -> bool:
        """Train epoch ``epoch`` (0-based); True when training stops in or after it."""
        self.tic, self.booked, self.loss_sum, self.seen = time.perf_counter(), 0, 0.0, 0
        if self.train_mode_every_epoch:
            self.model.train()
        order = loader_order(len(self.data[0]), self.shuffle).to(self.device)
        for b, idx in enumerate(batches(order, self.batch_size)):
            self.step(epoch, b, idx)
            every = self.eval_every
            if every and (b + 1) % every == 0 and b + 1 < self.steps_per_epoch:
                if self.close_record(epoch, b + 1):
                    self.result.stopped_early = True
                    self.save(epoch)
                    return True
        stop = self.close_record(epoch, self.steps_per_epoch)
        self.save(epoch + 1)
        if stop:
            self.result.stopped_early = epoch + 1 < self.epochs
        return stop

    def step(self, epoch: int, b: int, idx: Tensor) -> None:
        """One optimizer step on batch ``b`` (indices ``idx``) of ``epoch``."""
        if self.world > 1:
            idx = idx[self.rank::self.world]
        batch = [t[idx] for t in self.data]
        if self.transform is not None:
            batch[0] = self.transform(batch[0])
        with torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.amp):
            loss = self.loss_fn(self.forward, *batch)
        self.pending.append((loss.detach(), len(idx), self.result.steps + 1, epoch, b))
        if len(self.pending) >= self.check_every:
            self.loss_sum += self.read_losses()  # before the step on the CPU
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        if self.scheduler is not None:
            self.scheduler.step()
        self.result.steps += 1
        self.seen += len(idx)
        self.bar.update()
        if b % 20 == 0 and self.interactive:
            rate = self.seen / max(time.perf_counter() - self.tic, 1e-9)
            self.bar.set_description(f"{self.desc} {epoch + 1}/{self.epochs}")
            self.bar.set_postfix(loss=f"{loss.item():.4f}", samples_s=f"{rate:,.0f}",
                                 refresh=False)

    def read_losses(self) -> float:
        """The sum of loss * batch size over the pending steps; raises at a bad one.

        Losses are read on the host (NaN/inf guard, sums) after every step on the CPU, where
        reading a number costs nothing, and every 50 steps on an accelerator, where each
        read would stall the device queue. A bad loss is named by its own step either way.
        """
        if not self.pending:
            return 0.0
        values = ([self.pending[0][0].item()] if len(self.pending) == 1
                  else torch.stack([p[0].float() for p in self.pending]).tolist())
        total = 0.0
        for value, (_, size, step, epoch, b) in zip(values, self.pending, strict=True):
            if not math.isfinite(value):
                self.pending.clear()
                where = (f"; last good checkpoint: {self.checkpoint.path}"
                         if self.checkpoint is not None else "")
                raise TrainingDiverged(f"loss is {value} at step {step} (epoch {epoch + 1}, "
                                       f"batch {b + 1}); lower the learning rate{where}")
            total += value * size
        self.pending.clear()
        return total

    # -- records, checkpoints ---------------------------------------------------------------
    def close_record(self, epoch: int, b: int) -> bool:
        """Book the steps since the last record up to step ``b`` of ``epoch`` (training time,
        samples), evaluate and record; True when ``stop_when`` says stop."""
        self.loss_sum += self.read_losses()
        elapsed = time.perf_counter() - self.tic
        end_of_epoch = b == self.steps_per_epoch
        result, run = self.result, self.run_settings
        result.seconds += elapsed
        run.stats.seconds += elapsed
        run.stats.samples += self.seen * self.world
        run.stats.steps += b - self.booked
        done = epoch + 1 if end_of_epoch else round(epoch + b / self.steps_per_epoch, 4)
        record: dict[str, Any] = {"epoch": done, "loss": self.loss_sum / max(self.seen, 1)}
        if not end_of_epoch:
            record["step"] = result.steps
        if self.evaluate is not None:
            was_training = self.model.training
            self.model.eval()
            record.update(self.evaluate(self.model, done))
            # programs that call train() once stay in eval mode after an epoch's evaluation
            self.model.train(was_training and (self.train_mode_every_epoch or not end_of_epoch))
        record["seconds"] = result.seconds
        result.history.append(record)
        if self.progress and not self.interactive:
            print(_epoch_line(self.desc, self.epochs, record), file=sys.stderr, flush=True)
        stop = self.stop_when is not None and self.stop_when(result.history)
        self.tic, self.booked, self.loss_sum, self.seen = time.perf_counter(), b, 0.0, 0
        return stop

    def save(self, epoch: int) -> None:
        """Write the whole state, ``epoch`` epochs done, to the checkpoint (rank 0 only)."""
        if self.checkpoint is None or self.rank != 0:
            return
        result = self.result
        save_checkpoint(Path(self.checkpoint.path), {
            "epoch": epoch,
            "fingerprint": self.checkpoint.fingerprint,
            "model": self.model.state_dict(),
            "model_training": self.model.training,
            "optimizer": self.optimizer.state_dict(),
            "scheduler": self.scheduler.state_dict() if self.scheduler is not None else None,
            "torch_rng": torch.get_rng_state(),
            "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
            "history": result.history,
            "seconds": result.seconds,
            "steps": result.steps,
            "stopped_early": result.stopped_early,
        })

    def restore(self) -> None:
        """Continue from the checkpoint: the state of the epoch it was written after."""
        assert self.checkpoint is not None
        path = Path(self.checkpoint.path)
        state = load_checkpoint(path)
        if state.get("fingerprint") != self.checkpoint.fingerprint:
            raise MfdnnError(f"checkpoint {path} was written with a different configuration; "
                             "run without --resume (or delete it) to start over")
        self.model.load_state_dict(state["model"])
        self.model.train(state["model_training"])
        self.optimizer.load_state_dict(state["optimizer"])
        if self.scheduler is not None and state["scheduler"] is not None:
            self.scheduler.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["torch_rng"])
        if state["cuda_rng"] is not None and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(state["cuda_rng"])
        result = self.result
        result.history, result.seconds = state["history"], state["seconds"]
        result.steps, result.stopped_early = state["steps"], state["stopped_early"]
        self.start_epoch = int(state["epoch"])


def _progress_bar(total: int, desc: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, disable=not enabled, leave=False, dynamic_ncols=True,
                unit="step", mininterval=0.5)


def _epoch_line(desc: str, epochs: int, record: dict[str, Any]) -> str:
    shown = ", ".join(f"{k} {v:.4g}" for k, v in record.items()
                      if k not in ("epoch", "seconds") and isinstance(v, int | float))
    return f"{desc} epoch {record['epoch']}/{epochs}: {shown} ({record['seconds']:.1f} s)"


def config_fingerprint(config: Any) -> str:
    """A stable string of a config (dataclass ``__dict__`` or mapping) for checkpoints."""
    items = config if isinstance(config, dict) else vars(config)
    return json.dumps(items, sort_keys=True, default=str)
