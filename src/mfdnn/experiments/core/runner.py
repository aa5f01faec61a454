"""Running one experiment: config, seeding, the output folder, ``metrics.json``,
``claims.json`` and ``manifest.json``.

The output folder holds one run. Before a run starts, what an earlier run wrote there
(metrics, claims, manifest, figures; the checkpoints too, unless ``--resume``) is removed;
a folder that holds anything else is refused. ``metrics.json``, ``claims.json`` and
``manifest.json`` are written only when the run succeeds, each atomically, and a run that
fails removes the figures it wrote, so a folder never holds half a file or the results of
another run.
"""

from __future__ import annotations

import json
import math
import platform
import re
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import torch

import mfdnn
from mfdnn.data.files import write_text_atomic
from mfdnn.errors import ConfigError
from mfdnn.experiments.core.claims import check_claims, verdict_line
from mfdnn.experiments.core.config import apply_overrides, config_dict
from mfdnn.experiments.core.context import RunContext, seed_everything
from mfdnn.experiments.core.registry import get_experiment
from mfdnn.train import distributed
from mfdnn.train.device import resolve_device
from mfdnn.train.settings import TrainSettings, use

# snake_case; a capital letter may name a matrix, as in the fixed key ``grad_A0`` (HW5)
_KEY = re.compile(r"^[a-z][a-zA-Z0-9_]*$")


MARKER = ".mfdnn-run"  # marks a folder as an mfdnn run's output folder
OUTPUTS = ("metrics.json", "claims.json", "manifest.json")


@dataclass
class RunRecord:
    name: str
    out: Path
    metrics: dict[str, Any]
    manifest: dict[str, Any]
    claims: list[dict[str, Any]] = field(default_factory=list)


def prepare_output(out: Path, resume: bool) -> None:
    """Make ``out`` an empty run folder, keeping only checkpoints when resuming.

    A folder is taken as an earlier run's if it has the marker, a manifest or checkpoints;
    any other non-empty folder (or a file) is refused, so a typo in ``--out`` cannot delete
    the user's files."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not any(
            (out / known).exists() for known in (MARKER, "manifest.json", "checkpoints")):
        raise ConfigError(f"--out {out} holds files that are not an mfdnn run; choose a new "
                          "or empty folder")
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).touch()
    for stale in (*OUTPUTS, *(p.name for p in out.glob("*.png"))):
        (out / stale).unlink(missing_ok=True)
    if not resume:
        shutil.rmtree(out / "checkpoints", ignore_errors=True)


def _clean(value: Any, where: str) -> Any:
    """Metric values: numbers, strings, booleans or (nested) lists of those; finite floats."""
    if isinstance(value, torch.Tensor):
        value = value.tolist()
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"metric {where} is {value}; report it as a string or a flag")
        return value
    if isinstance(value, list | tuple):
        return [_clean(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: _clean(v, f"{where}.{k}") for k, v in value.items()}
    raise ValueError(f"metric {where} has unsupported type {type(value).__name__}")


def validate_metrics(metrics: dict[str, Any]) -> dict[str, Any]:
    bad = [k for k in metrics if not _KEY.match(k)]
    if bad:
        raise ValueError(f"metric keys must be snake_case: {bad}")
    return {k: _clean(v, k) for k, v in metrics.items()}


def git_commit() -> str | None:
    """The commit of the source tree mfdnn runs from, with ``-dirty`` if it has changes."""
    here = Path(mfdnn.__file__).resolve().parent
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True,
                              text=True, timeout=5)
        if head.returncode != 0:
            return None
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=here, capture_output=True, text=True, timeout=5)
        return head.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


def versions() -> dict[str, str]:
    import matplotlib

    return {
        "mfdnn": mfdnn.__version__,
        "python": platform.python_version(),
        "torch": torch.__version__,
        "numpy": np.__version__,
        "matplotlib": matplotlib.__version__,
        "platform": platform.platform(),
        "cpu_threads": str(torch.get_num_threads()),
    }


def run_experiment(
    name: str,
    *,
    profile: str = "laptop",
    seed: int = 0,
    device: str = "auto",
    out: Path | str | None = None,
    overrides: list[str] | tuple[str, ...] = (),
    resume: bool = False,
    progress: bool = True,
    quiet: bool = False,
    amp: bool = False,
    compile: bool = False,
) -> RunRecord:
    """Run experiment ``name`` and write ``<out>/metrics.json`` and ``<out>/manifest.json``.

    Under ``torchrun`` every rank runs the experiment (training is data-parallel) and rank 0
    alone writes the output folder.
    """
    exp = get_experiment(name)
    cfg = apply_overrides(exp.make_config(profile), list(overrides), name)
    dev = distributed.init_from_env(resolve_device(device))
    main_rank = distributed.is_main()
    out = Path(out) if out is not None else Path("runs") / name
    if main_rank:
        prepare_output(out, resume)
    ctx = RunContext(experiment=name, profile=profile, seed=seed, device=dev, out=out,
                     resume=resume, config=cfg, writes=main_rank)
    train_settings = TrainSettings(amp=amp, compile=compile, progress=progress and main_rank)
    if dev.type == "cuda":
        torch.cuda.reset_peak_memory_stats(dev)
    seed_everything(seed)
    started = datetime.now(timezone.utc)
    tic = time.perf_counter()
    try:
        with use(train_settings):
            metrics = validate_metrics(exp.run(cfg, ctx))
    except BaseException:
        for figure in ctx.figures if main_rank else ():
            (out / figure).unlink(missing_ok=True)  # no figures of a run that has no results
        raise
    wall = time.perf_counter() - tic
    stats = train_settings.stats
    resources = {
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "train_seconds": round(stats.seconds, 3),
        "train_samples": stats.samples,
        "samples_per_second": round(stats.samples_per_second, 1),
        "world_size": distributed.world_size(),
    }
    if dev.type == "cuda":
        resources["max_gpu_memory_mb"] = round(torch.cuda.max_memory_allocated(dev) / 2**20, 1)
    claims = check_claims(exp.claims, metrics, profile, ctx.substitutes)
    record = RunRecord(name, out, metrics, {}, claims)
    if not main_rank:
        return record
    manifest = {
        "experiment": name,
        "title": exp.title,
        "group": exp.group,
        "profile": profile,
        "profile_note": exp.note(profile),
        "config": config_dict(cfg),
        "overrides": list(overrides),
        "seed": seed,
        "device": str(dev),
        "amp": amp,
        "compile": compile,
        "resumed": resume,
        "git_commit": git_commit(),
        "versions": versions(),
        "command": sys.argv,
        "started": started.isoformat(timespec="seconds"),
        "wall_seconds": round(wall, 3),
        **resources,
        "figures": ctx.figures,
        "notes": ctx.notes,
        "substitutes": ctx.substitutes,
        "info": validate_metrics(ctx.info),
    }
    write_text_atomic(out / "metrics.json", json.dumps(metrics, indent=2) + "\n")
    write_text_atomic(out / "claims.json", json.dumps(claims, indent=2) + "\n")
    write_text_atomic(out / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    if not quiet:
        print(summary_line(name, profile, seed, wall, metrics, out))
        for claim in claims:
            print(verdict_line(claim))
    record.manifest = manifest
    return record


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list | dict):
        return f"[{len(value)} values]"
    return str(value)


def summary_line(name: str, profile: str, seed: int, wall: float, metrics: dict[str, Any],
                 out: Path) -> str:
    shown = ", ".join(f"{k}={_short(v)}" for k, v in list(metrics.items())[:6])
    more = f", ... ({len(metrics)} metrics)" if len(metrics) > 6 else ""
    return f"{name} [{profile}, seed {seed}] done in {wall:.1f} s: {shown}{more} -> {out}"
