"""Record the wall times of a ``mfdnn reproduce`` run for ``mfdnn list``.

    python benchmarks/record_walltimes.py runs/laptop/summary.json \
        --machine "2 shared Sapphire Rapids cores" --command "mfdnn reproduce --profile laptop"
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from mfdnn.experiments.core import walltimes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("summary", type=Path)
    parser.add_argument("--machine", required=True, help="where it was measured")
    parser.add_argument("--command", required=True, help="the command that was run")
    args = parser.parse_args()
    summary = json.loads(args.summary.read_text())
    walltimes.record(summary, args.machine, args.command)
    print(f"{summary['profile']}: {len(summary['experiments'])} experiments, "
          f"{summary['seconds']:.0f} s in all -> {walltimes.PATH}")


if __name__ == "__main__":
    main()
