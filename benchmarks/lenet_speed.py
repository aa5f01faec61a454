"""LeNet-5 to 98.5% on MNIST: the course-style loop against ``perf-lenet``, in one command.

    python benchmarks/lenet_speed.py                 # both, to 98.5%, then the ratio
    python benchmarks/lenet_speed.py --target 0.99   # another target

The baseline is the loop a student writes for the course (HW4): the course's LeNet-5
(tanh, average pooling, the full C3: 61,706 parameters), pixels in [0, 1], cross-entropy,
SGD lr 0.1, a ``DataLoader`` with batch 100 over a ``TensorDataset`` (the images already
in one tensor, so the baseline is generous: no decoding of files or PIL images per
sample), the test accuracy after every epoch through a second ``DataLoader`` (batch 100),
stopping at the first epoch that reaches the target. ``perf-lenet`` is the experiment of
that name (``mfdnn run perf-lenet``), here with a one-epoch schedule (``--compile`` adds
a third run under ``torch.compile``, its compile time counted in its time to target). They
run in fresh processes one after the other; each reports the seconds from its first training step to
the evaluation that reached the target (evaluations included, data loading excluded).

Also printed: the GFLOP/s each achieves while training (6 flops per forward multiply-add
per sample: forward, and backward to inputs and weights) against a float32 matrix-multiply
peak measured in the same run, and the training-step time of the homework's sparse C3 (16
small convolutions) against the same C3 as one masked convolution.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emit, matmul_peak_gflops, run_variant, table, timed_steps  # noqa: E402


def course_loop(target: float, max_epochs: int, seed: int) -> dict:
    from torch.utils.data import DataLoader, TensorDataset

    from mfdnn import data
    from mfdnn.analysis import count_macs
    from mfdnn.models.lenet import LeNet5

    train, test = data.load("mnist", "train"), data.load("mnist", "test")
    train_set = TensorDataset(train.float01(), train.labels)
    test_set = TensorDataset(test.float01(), test.labels)
    torch.manual_seed(seed)
    model = LeNet5("full")
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    train_loader = DataLoader(train_set, batch_size=100, shuffle=True)
    test_loader = DataLoader(test_set, batch_size=100)
    start = time.perf_counter()
    train_seconds, accuracy, epoch = 0.0, 0.0, 0
    while epoch < max_epochs and accuracy < target:
        epoch += 1
        tic = time.perf_counter()
        model.train()
        for images, labels in train_loader:
            loss = F.cross_entropy(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        train_seconds += time.perf_counter() - tic
        model.eval()
        correct = 0
        with torch.no_grad():
            for images, labels in test_loader:
                correct += (model(images).argmax(1) == labels).sum().item()
        accuracy = correct / len(test_set)
        print(f"  course loop epoch {epoch}: test accuracy {accuracy:.4f}, "
              f"{time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - start
    return {"seconds": seconds if accuracy >= target else None, "epochs": epoch,
            "accuracy": accuracy, "train_seconds": train_seconds,
            "samples": epoch * len(train_set), "macs": count_macs(model, (1, 28, 28))}


def perf_lenet(target: float, epochs: int, seed: int, compile: bool = False) -> dict:
    import tempfile

    from mfdnn.analysis import count_macs
    from mfdnn.experiments.core.runner import run_experiment
    from mfdnn.models.lenet_fast import LeNet5Fast

    with tempfile.TemporaryDirectory() as out:
        record = run_experiment("perf-lenet", profile="full", seed=seed, out=out,
                                overrides=[f"target_accuracy={target}", f"epochs={epochs}"],
                                progress=False, quiet=True, compile=compile)
    m = record.metrics
    seconds = m["seconds_to_target"] if m["reached"] else None
    return {"seconds": seconds, "epochs": m["epochs"],
            "accuracy": m["test_accuracy"], "train_seconds": m["train_seconds"],
            "samples": m["epochs"] * 60000, "macs": count_macs(LeNet5Fast(), (1, 28, 28))}


def c3_step_seconds() -> dict:
    from mfdnn.models.lenet import LeNet5, MaskedC3

    torch.manual_seed(0)
    x, y = torch.rand(100, 1, 28, 28), torch.randint(0, 10, (100,))
    out = {}
    for form in ("sparse", "masked"):
        model = LeNet5("sparse")
        if form == "masked":
            model.c3 = MaskedC3.from_sparse(model.c3)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

        def step(model=model, optimizer=optimizer) -> None:
            loss = F.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

        out[form] = timed_steps(step, 60)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", type=float, default=0.985)
    parser.add_argument("--epochs", type=int, default=1, help="perf-lenet's schedule length")
    parser.add_argument("--max-epochs", type=int, default=15, help="the course loop's limit")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--compile", action="store_true",
                        help="also perf-lenet under torch.compile (compile time included)")
    parser.add_argument("--variant", choices=("course", "mfdnn", "mfdnn-compile", "c3"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant == "course":
        emit(course_loop(args.target, args.max_epochs, args.seed))
        return
    if args.variant in ("mfdnn", "mfdnn-compile"):
        emit(perf_lenet(args.target, args.epochs, args.seed, args.variant == "mfdnn-compile"))
        return
    if args.variant == "c3":
        emit(c3_step_seconds())
        return

    extra = ["--target", str(args.target), "--epochs", str(args.epochs), "--max-epochs",
             str(args.max_epochs), "--seed", str(args.seed)]
    print(f"LeNet-5 on MNIST to {args.target:.1%} test accuracy, {torch.get_num_threads()} "
          f"threads, torch {torch.__version__}", flush=True)
    peak = matmul_peak_gflops()
    names = ["course", "mfdnn"] + (["mfdnn-compile"] if args.compile else [])
    results = {name: run_variant(__file__, name, extra) for name in names}
    peak = max(peak, matmul_peak_gflops())  # a second reading: the higher is the truer
    rows = []
    for name, r in results.items():
        flops = 6 * r["macs"] * r["samples"]
        gflops = flops / r["train_seconds"] / 1e9
        label = {"course": "course-style loop", "mfdnn": "perf-lenet",
                 "mfdnn-compile": "perf-lenet --compile"}[name]
        rows.append([label,
                     "not reached" if r["seconds"] is None else f"{r['seconds']:.2f}",
                     f"{r['epochs']}", f"{r['accuracy']:.4f}", f"{r['train_seconds']:.2f}",
                     f"{gflops:.1f} ({gflops / peak:.1%})", f"{r['max_rss_mb']:.0f}"])
    print(f"float32 matrix-multiply peak (higher of two readings): {peak:.0f} GFLOP/s")
    print(table(rows, ["loop", "seconds to target", "epochs", "test acc", "train s",
                       "GFLOP/s (of peak)", "max RSS MB"]))
    base = results["course"]["seconds"]
    for name in names[1:]:
        fast = results[name]["seconds"]
        if base is not None and fast is not None:
            print(f"speed-up to {args.target:.1%}, {name}: {base / fast:.1f}x "
                  f"({base:.2f} s -> {fast:.2f} s)")
        else:
            print(f"speed-up, {name}: n/a (a loop did not reach the target)")
    c3 = run_variant(__file__, "c3", [])
    print(f"C3 training step (batch 100): 16 convolutions {1e3 * c3['sparse']:.2f} ms, one "
          f"masked convolution {1e3 * c3['masked']:.2f} ms "
          f"({c3['sparse'] / c3['masked']:.1f}x)")


if __name__ == "__main__":
    main()
