"""Verbs ``list``, ``run`` and ``reproduce``."""

from __future__ import annotations

import argparse
import json
import sys

from mfdnn.errors import ConfigError
from mfdnn.experiments.core.registry import PROFILES

_DEVICES = ("auto", "cpu", "cuda", "mps")


def _add_common(p: argparse.ArgumentParser, default_out: str | None) -> None:
    p.add_argument("--profile", choices=PROFILES, default="laptop",
                   help="quick (~1 min, tests), laptop (<= ~15 min on 2 cores; default), "
                        "full (the course's exact settings)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--device", default="auto", help="auto|cpu|cuda|mps (default auto)")
    p.add_argument("--out", default=default_out, help="output folder")
    p.add_argument("--no-progress", dest="progress", action="store_false",
                   help="hide progress bars")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help="list the experiments")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("run", help="run one experiment")
    p.add_argument("name", help="experiment name (see `mfdnn list`)")
    _add_common(p, None)
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   nargs="+", help="override a config field, type-checked (repeatable)")
    p.add_argument("--resume", action="store_true",
                   help="continue from the checkpoints in the output folder")
    p.add_argument("--amp", action="store_true",
                   help="bf16 autocast in training (a GPU, or a CPU with native bf16)")
    p.add_argument("--compile", action="store_true", help="torch.compile models before training")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("reproduce", help="run many experiments and write a report")
    _add_common(p, "runs/reproduce")
    p.add_argument("--only", nargs="+", metavar="GLOB", help="experiment name patterns")
    p.add_argument("--strict", action="store_true",
                   help="exit with status 1 if any claim fails (not only if a run fails)")
    p.add_argument("--recheck", action="store_true",
                   help="run nothing: judge the runs already in --out against today's claims")
    p.set_defaults(func=cmd_reproduce)


def cmd_list(args: argparse.Namespace) -> int:
    from mfdnn.experiments.core import walltimes
    from mfdnn.experiments.core.registry import all_experiments

    registry = all_experiments()
    measured = walltimes.load()
    rows = [
        {"name": e.name, "title": e.title, "group": e.group,
         "profiles": {p: e.note(p) for p in PROFILES}, "metrics": list(e.metrics),
         "claims": len(e.claims),
         "seconds": {p: walltimes.seconds(e.name, p, measured) for p in PROFILES}}
        for e in registry.values()
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        print(f"{r['name']:<{width}}  {r['group']:<6} {r['title']}")
        for profile in PROFILES:
            cost = walltimes.human(r["seconds"][profile])
            cost = f"[{cost}] " if cost else ""
            print(f"{'':<{width}}    {profile:<6} {cost}{r['profiles'][profile]}")
    where = "; ".join(f"{p} times measured {measured[p]['measured']} on {measured[p]['machine']}"
                      for p in PROFILES if p in measured)
    print(f"{len(rows)} experiments; run one with `mfdnn run NAME --profile quick`"
          + (f" ({where})" if where else ""), file=sys.stderr)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from mfdnn.experiments.core.runner import run_experiment
    from mfdnn.train import distributed

    overrides = [pair for group in args.overrides for pair in group]
    try:
        run_experiment(args.name, profile=args.profile, seed=args.seed, device=args.device,
                       out=args.out, overrides=overrides, resume=args.resume,
                       progress=args.progress, amp=args.amp, compile=args.compile)
    finally:
        distributed.shutdown()
    return 0


def cmd_reproduce(args: argparse.Namespace) -> int:
    from mfdnn.experiments.core.reproduce import recheck, reproduce

    if args.recheck:
        if args.only:
            raise ConfigError("--recheck judges every run of the folder; drop --only")
        summary = recheck(args.out)
    else:
        summary = reproduce(profile=args.profile, only=args.only, out=args.out, seed=args.seed,
                            device=args.device, progress=args.progress)
    claims = summary["claims"]
    print(f"reproduce [{summary['profile']}]: {summary['passed']} ok, {summary['failed']} failed "
          f"in "
          f"{summary['seconds']:.0f} s; claims: {claims['pass']} pass, {claims['fail']} fail, "
          f"{claims['not-checked']} not checked -> {args.out}/report.html")
    return 1 if summary["failed"] or (args.strict and claims["fail"]) else 0
