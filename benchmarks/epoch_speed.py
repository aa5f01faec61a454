"""Training-epoch time of the heaviest homework paths: the course-style loop vs mfdnn's.

    python benchmarks/epoch_speed.py nice            # HW10: the course's NICE, batch 128
    python benchmarks/epoch_speed.py memorization    # HW5 P6: random labels, batch 64
    python benchmarks/epoch_speed.py nice --steps 100

Each variant trains the same model with the course's optimiser and batch size for
``--steps`` steps after a short warm-up, in its own process, and reports seconds per step,
the extrapolated seconds per epoch (60,000 images for NICE, 6,000 for memorisation), the
achieved GFLOP/s (6 flops per forward multiply-add per sample) and its peak memory:

* ``course``: a ``DataLoader`` over a ``TensorDataset`` (images already in one tensor, so a
  generous baseline), per-batch reshaping / noise as the course's script does, float32;
* ``mfdnn``: the project's training loop (:func:`mfdnn.train.fit`, data as tensors,
  batches by index), float32 as the experiments run by default;
* ``mfdnn-cl`` (convolutional models): the same with ``channels_last`` memory;
* ``mfdnn-bf16``: the same with bf16 autocast (``--amp``), on CPUs with native bf16
  (AVX512-BF16 / AMX) or a GPU; skipped where unsupported.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emit, matmul_peak_gflops, run_variant, table  # noqa: E402

BATCH = {"nice": 128, "memorization": 64}
EPOCH_IMAGES = {"nice": 60000, "memorization": 6000}
LR = {"nice": 1e-3, "memorization": 0.1}


def build(task: str, fused: bool = False
          ) -> tuple[torch.nn.Module, torch.optim.Optimizer, tuple[int, ...]]:
    torch.manual_seed(0)
    if task == "nice":
        from mfdnn.flows.nice import NICE

        model = NICE.course()
        return model, torch.optim.Adam(model.parameters(), lr=LR[task], fused=fused), (784,)
    from mfdnn.models.alexnet import alexnet_memorization

    model = alexnet_memorization()
    return model, torch.optim.SGD(model.parameters(), lr=LR[task], fused=fused), (1, 28, 28)


def images(n: int) -> tuple[torch.Tensor, torch.Tensor]:
    from mfdnn import data

    train = data.load("mnist", "train").subset(slice(0, n))
    return train.float01(), torch.randint(0, 10, (n,))


def loss_of(task: str):
    if task == "nice":
        return lambda model, x, y: -model.log_prob(x).mean()
    return lambda model, x, y: F.cross_entropy(model(x), y)


def course(task: str, steps: int, warmup: int) -> float:
    from torch.utils.data import DataLoader, TensorDataset

    model, optimizer, _ = build(task)
    X, Y = images((steps + warmup) * BATCH[task])
    loader = DataLoader(TensorDataset(X, Y), batch_size=BATCH[task], shuffle=True)
    loss_fn = loss_of(task)
    model.train()
    tic = 0.0
    for i, (x, y) in enumerate(loader):
        if i == warmup:
            tic = time.perf_counter()
        if task == "nice":  # the course's script: flatten, then dequantise the batch
            x = x.view(-1, 784)
            x = x + torch.rand_like(x) / 256
        loss = loss_fn(model, x, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return (time.perf_counter() - tic) / steps


def mfdnn_loop(task: str, steps: int, warmup: int, amp: bool, channels_last: bool) -> float:
    from mfdnn.train import fit
    from mfdnn.train.settings import TrainSettings, use

    model, optimizer, shape = build(task, fused=True)  # as the experiments build them
    X, Y = images(steps * BATCH[task])
    X = X.reshape(len(X), *shape)
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
        X = X.contiguous(memory_format=torch.channels_last)
    transform = (lambda x: x + torch.rand_like(x) / 256) if task == "nice" else None
    kwargs = dict(batch_size=BATCH[task], transform=transform)
    with use(TrainSettings(amp=amp, progress=False)):  # what --amp sets for a run
        fit(model, loss_of(task), optimizer,
            (X[:warmup * BATCH[task]], Y[:warmup * BATCH[task]]), epochs=1, **kwargs)
        result = fit(model, loss_of(task), optimizer, (X, Y), epochs=1, **kwargs)
    return result.seconds / steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("task", choices=sorted(BATCH))
    parser.add_argument("--steps", type=int, default=None,
                        help="timed steps per variant (default: 60 for nice, 12 for "
                             "memorization)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    args = parser.parse_args()
    steps = args.steps or {"nice": 60, "memorization": 12}[args.task]
    if args.variant is not None:
        if args.variant == "course":
            seconds = course(args.task, steps, args.warmup)
        else:
            seconds = mfdnn_loop(args.task, steps, args.warmup, amp="bf16" in args.variant,
                                 channels_last="cl" in args.variant)
        emit({"seconds_per_step": seconds})
        return

    from mfdnn.analysis import count_macs
    from mfdnn.train.device import bf16_autocast_supported

    model, _, shape = build(args.task)
    macs = count_macs(model, shape)
    variants = ["course", "mfdnn"]
    if args.task == "memorization":
        variants.append("mfdnn-cl")
    if bf16_autocast_supported(torch.device("cpu")):
        variants += ["mfdnn-bf16", "mfdnn-bf16-cl"] if args.task == "memorization" \
            else ["mfdnn-bf16"]
    else:
        print("bf16 variants skipped: this CPU has no native bf16 arithmetic")
    print(f"{args.task}: {sum(p.numel() for p in model.parameters()):,} parameters, "
          f"{macs / 1e6:.1f} M multiply-adds per image, batch {BATCH[args.task]}, "
          f"{steps} timed steps, {torch.get_num_threads()} threads", flush=True)
    peak32 = matmul_peak_gflops(torch.float32)
    peak16 = matmul_peak_gflops(torch.bfloat16)
    print(f"matrix-multiply peak: float32 {peak32:.0f} GFLOP/s, bf16 {peak16:.0f} GFLOP/s",
          flush=True)
    extra = ["--steps", str(steps), "--warmup", str(args.warmup)]
    results = {}
    for name in variants:
        results[name] = run_variant(__file__, name, [args.task, *extra])
        print(f"  {name}: {1e3 * results[name]['seconds_per_step']:.1f} ms/step",
              file=sys.stderr, flush=True)
    # the peak again after the variants: on a shared machine the higher reading is the truer
    peak32 = max(peak32, matmul_peak_gflops(torch.float32))
    peak16 = max(peak16, matmul_peak_gflops(torch.bfloat16))
    print(f"matrix-multiply peak (higher of two readings): float32 {peak32:.0f} GFLOP/s, "
          f"bf16 {peak16:.0f} GFLOP/s")
    rows, base = [], None
    for name, r in results.items():
        step = r["seconds_per_step"]
        base = base or step
        epoch = step * EPOCH_IMAGES[args.task] / BATCH[args.task]
        gflops = 6 * macs * BATCH[args.task] / step / 1e9
        peak = peak16 if "bf16" in name else peak32
        rows.append([name, f"{1e3 * step:.1f}", f"{epoch:.1f}", f"{base / step:.2f}x",
                     f"{gflops:.0f} ({gflops / peak:.0%})", f"{r['max_rss_mb']:.0f}"])
    print(table(rows, ["variant", "ms/step", "s/epoch", "vs course", "GFLOP/s (of peak)",
                       "max RSS MB"]))


if __name__ == "__main__":
    main()
