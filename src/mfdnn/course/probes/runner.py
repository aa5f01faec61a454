"""The jail's main loop: read the judge's requests, call the probes, write the answers.

Started by the grader as ``python -I -S -B -c BOOT CONFIG`` inside the jail. ``CONFIG`` (JSON)
names the homework, the student's files and the number of the answer descriptor. The loop:

1. imports NumPy and the homework's probe module (and with it PyTorch where needed), then
   writes a hello frame: the judge starts a check's clock only after it;
2. reads one request per line on stdin: ``{"nonce", "check", "file", "request"}``;
3. imports the student's file on first use (its ``__main__`` block does not run), calls the
   probe and writes one frame ``MFDNN <nonce> <length>\\n<JSON>`` on the answer descriptor:
   ``{"ok": data}`` or ``{"error": {"kind", "message"}}``.

The student's ``print`` goes to stdout and stderr, which the judge reads separately and caps.
Nothing here is trusted: the student's code runs in this process and can rewrite all of it.
The judge treats every frame as a claim and recomputes the verdict itself.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

from . import wire
from ._common import ProbeFailed

HEADER = b"MFDNN"


def load_student_module(path: Path, label: str) -> ModuleType:
    """Import ``path`` as a fresh module (its ``__main__`` block does not run)."""
    name = f"_mfdnn_student_{label}_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path.name}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    folder = str(path.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    spec.loader.exec_module(module)
    return module


def one_line(exc: BaseException, files: dict[str, Path] | None = None) -> str:
    """``TypeError: ... (conv1D.py line 12)``: the exception and the student's line, if any."""
    text = " ".join(str(exc).split())
    if not isinstance(exc, ProbeFailed):
        text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    where = ""
    student = {os.path.realpath(p) for p in (files or {}).values()}
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if os.path.realpath(frame.filename) in student:
            where = f" ({Path(frame.filename).name} line {frame.lineno})"
            break
    return (text[:300] + "...") if len(text) > 300 else text + where


def call_probe(probes: ModuleType, check: str, file: str, request: Any,
               files: dict[str, Path], modules: dict[str, Any], label: str,
               passthrough: tuple[type[BaseException], ...] = ()) -> dict[str, Any]:
    """Run probe ``check`` on the student's ``file``; the reply as plain data. Exceptions
    of the ``passthrough`` types (the self-check's time limit) are raised, not reported."""
    try:
        if file not in modules:
            try:
                modules[file] = load_student_module(files[file], label)
            except BaseException as exc:  # noqa: BLE001 - anything the student's import does
                if isinstance(exc, (KeyboardInterrupt, *passthrough)):
                    raise
                modules[file] = exc
        module = modules[file]
        if isinstance(module, BaseException):
            return {"error": {"kind": "error", "message":
                              f"importing {file} failed: {one_line(module, files)}"}}
        probe = getattr(probes, check)
        return {"ok": probe(module, request)}
    except passthrough:
        raise
    except NotImplementedError as exc:
        return {"error": {"kind": "not-implemented", "message": one_line(exc, files)}}
    except ProbeFailed as exc:
        return {"error": {"kind": "failed", "message": one_line(exc, files)}}
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - anything the student's code raises
        return {"error": {"kind": "error", "message": one_line(exc, files)}}


def reply_bytes(reply: dict[str, Any]) -> bytes:
    try:
        return wire.encode(reply)
    except (TypeError, ValueError, RecursionError) as exc:
        return wire.encode({"error": {"kind": "error",
                                      "message": f"the answer cannot be sent: {exc}"}})


def write_frame(fd: int, nonce: str, payload: bytes) -> None:
    data = HEADER + f" {nonce} {len(payload)}\n".encode() + payload
    while data:
        n = os.write(fd, data)
        data = data[n:]


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001, S110 - the student may have replaced the stream
            pass


def _fontlists() -> dict[str, str]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot  # noqa: F401 - builds the font cache in MPLCONFIGDIR
    except Exception:  # noqa: BLE001 - without matplotlib there is nothing to cache
        return {}
    folder = matplotlib.get_cachedir()
    return {name: Path(folder, name).read_text() for name in sorted(os.listdir(folder))
            if name.startswith("fontlist-") and name.endswith(".json")}


def main() -> None:
    config = json.loads(sys.argv[1])
    answer_fd = int(config["answer_fd"])
    files = {name: Path(path) for name, path in config["files"].items()}
    import numpy  # noqa: F401 - before any student code, as every probe needs it

    probes = importlib.import_module(f"{__package__}.{config['homework']}")
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)
    os.chdir(config["workdir"])
    hello = {"hello": os.getpid(), "uid": os.getuid(), "gid": os.getgid()}
    if config.get("warmup"):  # no student code: build matplotlib's font cache for the others
        hello["fontlist"] = _fontlists()
        write_frame(answer_fd, config["hello"], wire.encode(hello))
        os._exit(0)
    write_frame(answer_fd, config["hello"], wire.encode(hello))
    modules: dict[str, Any] = {}
    requests = sys.stdin.buffer
    while True:
        line = requests.readline()
        if not line:
            break
        message = wire.decode(line, 1 << 30)
        reply = call_probe(probes, message["check"], message["file"], message["request"],
                           files, modules, "submission")
        _flush()
        write_frame(answer_fd, message["nonce"], reply_bytes(reply))
    _flush()
    os._exit(0)  # no interpreter shutdown: student objects' __del__ and atexit do not run
