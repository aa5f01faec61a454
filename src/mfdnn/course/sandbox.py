"""The grader's worker: runs one submission's checks inside a sandbox.

``mfdnn.course.grader`` starts ``python -I -m mfdnn.course.sandbox SPEC.json`` once per
submission, in the submission's temporary working directory, with resource limits (memory,
CPU time, file size, open files) and, where the machine allows it, inside fresh network,
mount and PID namespaces (``unshare``): no network, the course folder (reference solutions)
and the other submissions hidden under empty mounts, and every process of the submission
killed with it.

Inside, before any student code runs, the worker imports what the checks need and then
installs an audit hook (PEP 578) that cannot be removed. It refuses:

* starting processes (``fork``, ``exec``, ``subprocess``, ``os.system``, ``posix_spawn``),
  and sending signals to other processes;
* sockets (connect, bind, send, name look-ups);
* ``ctypes`` (loading libraries, calling raw functions);
* writing, creating, renaming or deleting anything outside the working directory;
* reading anything but the working directory and the Python installation (the standard
  library and installed packages), and in particular the course folder.

The student's ``print`` output goes to a buffer that keeps the first 64 KiB and counts the
rest. Results stream, one JSON line per event, to a file the student cannot open.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

_BLOCKED_EVENTS = {
    "os.fork": "starting a process (fork)", "os.forkpty": "starting a process (forkpty)",
    "os.exec": "running a program (exec)", "os.spawn": "running a program (spawn)",
    "os.posix_spawn": "running a program (posix_spawn)", "os.system": "running a shell command",
    "subprocess.Popen": "running a program (subprocess)", "os.startfile": "running a program",
    "os.kill": "sending a signal", "os.killpg": "sending a signal",
    "signal.pthread_kill": "sending a signal",
    "socket.connect": "network access", "socket.bind": "network access",
    "socket.sendto": "network access", "socket.sendmsg": "network access",
    "socket.getaddrinfo": "network access", "socket.gethostbyname": "network access",
    "socket.__new__": "network access", "urllib.Request": "network access",
    "ctypes.dlsym": "loading native code (ctypes)",
    "ctypes.call_function": "calling native code (ctypes)", "ctypes.cdata": "ctypes",
    "ctypes.addressof": "ctypes", "ctypes.string_at": "ctypes", "ctypes.wstring_at": "ctypes",
    "sys.remote_exec": "attaching to a process", "mmap.__new__": "memory-mapping a file",
}
# events whose first argument is a path that the submission may only touch inside its folder
_WRITE_EVENTS = {"os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.symlink", "os.link",
                 "os.truncate", "os.chmod", "os.chown", "os.utime", "shutil.rmtree",
                 "shutil.copyfile", "shutil.copytree", "shutil.move", "os.chflags",
                 "os.lchmod", "os.lchown", "os.setxattr", "os.removexattr"}
_READ_EVENTS = {"os.listdir", "os.scandir", "glob.glob", "os.chdir", "os.walk", "os.fwalk",
                "glob.glob/2", "pathlib.Path.glob", "pathlib.Path.rglob", "os.getxattr",
                "os.listxattr"}


class CappedStream:
    """A text stream that keeps the first ``limit`` characters and counts the rest."""

    def __init__(self, limit: int) -> None:
        self.limit, self.kept, self.total = limit, [], 0
        self._size = 0

    def write(self, text: str) -> int:
        text = str(text)
        self.total += len(text)
        if self._size < self.limit:
            part = text[: self.limit - self._size]
            self.kept.append(part)
            self._size += len(part)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def getvalue(self) -> str:
        return "".join(self.kept)


def _under(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def make_hook(workdir: str, read_roots: tuple[str, ...], deny_roots: tuple[str, ...],
              notices: list[str]):
    """The audit hook: ``workdir`` read-write, ``read_roots`` read-only, the rest refused."""

    def resolve(arg: Any) -> str | None:
        if isinstance(arg, int):
            return None  # an already-open file descriptor
        try:
            return os.path.realpath(os.fsdecode(arg))
        except (TypeError, ValueError):
            return None

    def refuse(what: str) -> None:
        message = f"sandbox: {what} is not allowed"
        if len(notices) < 20:
            notices.append(message)
        raise PermissionError(message)

    def hook(event: str, args: tuple) -> None:
        if event in _BLOCKED_EVENTS:
            refuse(_BLOCKED_EVENTS[event])
        elif event == "open":
            path = resolve(args[0])
            if path is None:
                return
            mode = args[1] if len(args) > 1 and isinstance(args[1], str) else "r"
            flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
            writing = any(c in mode for c in "wax+") or flags & (os.O_WRONLY | os.O_RDWR
                                                                 | os.O_CREAT | os.O_TRUNC)
            if _under(path, deny_roots):
                refuse(f"opening {path}")
            if writing and not _under(path, (workdir,)):
                refuse(f"writing {path} (outside the submission's folder)")
            if not writing and not _under(path, (workdir, *read_roots)):
                refuse(f"reading {path} (outside the submission's folder)")
        elif event == "ctypes.dlopen":
            # installed packages (torch) load their own libraries this way; nothing else may
            path = resolve(args[0]) if args and args[0] else None
            if path is None or not os.path.isabs(os.fsdecode(args[0])) or not _under(
                    path, read_roots):
                refuse(f"loading native code ({args[0] if args else None!r}) with ctypes")
        elif event in _WRITE_EVENTS:
            for arg in args[:2]:
                path = resolve(arg)
                if path is not None and not _under(path, (workdir,)):
                    refuse(f"{event} on {path} (outside the submission's folder)")
        elif event in _READ_EVENTS:
            path = resolve(args[0]) if args else None
            if path is not None and (_under(path, deny_roots)
                                     or not _under(path, (workdir, *read_roots))):
                refuse(f"{event} on {path} (outside the submission's folder)")
        elif event == "sys.addaudithook":
            refuse("adding an audit hook")

    return hook


def python_roots() -> tuple[str, ...]:
    """Folders the submission may read: the Python installation and installed packages."""
    import site
    import sysconfig

    import mfdnn

    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             *site.getsitepackages(), os.path.dirname(os.path.dirname(mfdnn.__file__))}
    roots |= {p for p in sysconfig.get_paths().values() if p}
    roots |= {"/dev/null", "/dev/urandom", "/dev/random", "/proc/self", "/proc/cpuinfo",
              "/proc/meminfo", "/sys/devices/system/cpu", "/usr/share/fonts", "/etc/localtime",
              "/usr/share/zoneinfo"}
    return tuple(sorted(os.path.realpath(r) for r in roots))


def hide_paths(paths: list[str]) -> list[str]:
    """Mount an empty read-only tmpfs over each path (only in our own mount namespace)."""
    import subprocess

    hidden = []
    for path in paths:
        if os.path.isdir(path):
            done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k,mode=0555,ro",
                                   "tmpfs", path], capture_output=True, timeout=10)
            if done.returncode == 0:
                hidden.append(path)
    return hidden


def main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    results = os.open(spec["results"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def emit(event: dict[str, Any]) -> None:
        os.write(results, (json.dumps(event) + "\n").encode())

    hidden = hide_paths(spec["deny"]) if spec.get("namespaces") else []
    emit({"event": "sandbox", "hidden": hidden, "namespaces": bool(spec.get("namespaces"))})

    # What the checks need is imported before the hook; a package the student imports
    # later may load its own libraries (torch does, by ctypes) from the installation only.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.font_manager  # noqa: F401 - builds its font cache now
    import matplotlib.pyplot  # noqa: F401
    import numpy  # noqa: F401

    from mfdnn.course.checker import homework_checks, run_checks

    homework_checks(spec["homework"])  # imports the check module and what it imports
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)

    workdir = os.path.realpath(spec["workdir"])
    os.chdir(workdir)
    stdout, stderr = CappedStream(spec["output_limit"]), CappedStream(spec["output_limit"])
    notices: list[str] = []
    deny = tuple(os.path.realpath(p) for p in spec["deny"]) + (
        os.path.realpath(spec["results"]), os.path.realpath(spec_path))
    sys.addaudithook(make_hook(workdir, python_roots(), deny, notices))
    sys.stdout, sys.stderr = stdout, stderr
    sys.stdin = open(os.devnull)  # noqa: SIM115
    try:
        run_checks(spec["homework"], [Path(workdir) / f for f in spec["files"]],
                   label="submission", report=emit, time_scale=spec.get("time_scale", 1.0))
    finally:
        emit({"event": "done", "stdout": stdout.getvalue(), "stderr": stderr.getvalue(),
              "printed": stdout.total + stderr.total, "notices": notices})
    os._exit(0)  # skip interpreter shutdown: student objects' __del__ must not run late


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: python -m mfdnn.course.sandbox SPEC.json", file=sys.stderr)
        raise SystemExit(2)
    raise SystemExit(main(sys.argv[1]))
