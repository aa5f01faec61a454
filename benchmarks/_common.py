"""What the benchmarks share: a matrix-multiply peak, isolated runs, a table.

Every variant of a benchmark runs in a fresh Python process (``python SCRIPT --variant
NAME``) so that its peak memory (max RSS) is its own and no variant warms the caches of
the next; the parent prints the table. All variants of one command run one after the
other on the same machine, so their ratios mean something even where absolute times are
noisy (shared machines).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import torch


def matmul_peak_gflops(dtype: torch.dtype = torch.float32, n: int = 2048, reps: int = 8) -> float:
    """Best-of-``reps`` GFLOP/s of an n x n matrix product (2 n^3 flops) on the CPU."""
    a, b = torch.randn(n, n, dtype=dtype), torch.randn(n, n, dtype=dtype)
    for _ in range(2):
        a @ b
    best = float("inf")
    for _ in range(reps):
        tic = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - tic)
    return 2 * n**3 / best / 1e9


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_variant(script: str, variant: str, extra: list[str]) -> dict[str, Any]:
    """Run ``script --variant variant`` in a new process; its last stdout line is JSON."""
    proc = subprocess.run([sys.executable, script, "--variant", variant, *extra],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"variant {variant} failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def emit(result: dict[str, Any]) -> None:
    """A variant's answer to its parent (the last line of stdout)."""
    print(json.dumps(result | {"max_rss_mb": round(max_rss_mb(), 1)}), flush=True)


def timed_steps(step: Callable[[], Any], steps: int, warmup: int = 3) -> float:
    """Seconds per call of ``step`` after ``warmup`` calls."""
    for _ in range(warmup):
        step()
    tic = time.perf_counter()
    for _ in range(steps):
        step()
    return (time.perf_counter() - tic) / steps


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [line.format(*header), line.format(*("-" * w for w in widths))]
    out += [line.format(*map(str, r)) for r in rows]
    return "\n".join(out)
