"""Verbs ``data list``, ``data fetch NAME [--from DIR]`` and ``data verify [NAME]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mfdnn.data import DATASETS, spec
from mfdnn.data.files import cache_root
from mfdnn.data.sources import check_cache, ensure


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("data", help="list, fetch and verify data sets")
    verbs = p.add_subparsers(dest="data_verb", metavar="ACTION")
    verbs.required = True
    v = verbs.add_parser("list", help="data sets and their cache status")
    v.set_defaults(func=cmd_list)
    v = verbs.add_parser("fetch", help="fetch a data set into the cache, verifying every file")
    v.add_argument("name", help=f"one of {', '.join(DATASETS)}, or 'all'")
    v.add_argument("--from", dest="source", type=Path, metavar="DIR",
                   help="a folder holding the raw files or the official archives")
    v.set_defaults(func=cmd_fetch)
    v = verbs.add_parser("verify", help="check the SHA-256 of every cached file")
    v.add_argument("name", nargs="?", help="one data set (default: all cached)")
    v.set_defaults(func=cmd_verify)


def _status(name: str) -> str:
    states = set(check_cache(DATASETS[name], cache_root() / name).values())
    if states == {"ok"}:
        return "cached, verified"
    if states == {"missing"}:
        return "not cached"
    return "cache damaged: " + ", ".join(sorted(states - {"ok"}))


def cmd_list(args: argparse.Namespace) -> int:
    print(f"cache: {cache_root()}")
    for name, s in DATASETS.items():
        channels = f"; also from {', '.join(s.channels)}" if s.channels else ""
        print(f"{name:<14} {_status(name):<20} {s.description}{channels}")
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    names = list(DATASETS) if args.name == "all" else [spec(args.name).name]
    for name in names:
        folder = ensure(DATASETS[name], args.source, log=lambda m: print(m, file=sys.stderr))
        print(f"{name}: ok ({folder})")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    names = [spec(args.name).name] if args.name else list(DATASETS)
    bad = 0
    for name in names:
        status = check_cache(DATASETS[name], cache_root() / name)
        if set(status.values()) == {"missing"} and not args.name:
            continue
        for file, state in status.items():
            print(f"{name}/{file}: {state}")
            bad += state != "ok"
    if bad:
        print(f"{bad} file(s) failed; `mfdnn data fetch NAME` fetches them again",
              file=sys.stderr)
    return 2 if bad else 0
