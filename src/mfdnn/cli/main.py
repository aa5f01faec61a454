"""Entry point of the ``mfdnn`` command.

Each verb module (``course``, ``data``, ``experiments``) adds its verbs with its
``register(subparsers)``.
Errors the user can fix (:class:`mfdnn.errors.MfdnnError`, bad arguments) print one line on
stderr and exit with status 2; nothing prints a traceback for them.
"""

from __future__ import annotations

import argparse
import os
import sys

from mfdnn import __version__
from mfdnn.cli import course, data, experiments
from mfdnn.errors import MfdnnError

VERB_MODULES = (course, data, experiments)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and exit status 2), not a usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mfdnn", description="Runnable companion to Mathematical Foundations "
                     "of Deep Neural Networks: homework programs and chapter demos.")
    parser.add_argument("--version", action="version", version=f"mfdnn {__version__}")
    sub = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=_Parser)
    sub.required = True
    for module in VERB_MODULES:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except MfdnnError as exc:
        print(f"mfdnn: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("mfdnn: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `mfdnn list | head`: the reader left; not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
