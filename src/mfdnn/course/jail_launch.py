"""Start one jail: the small step between the grader and bubblewrap (standard library only).

Run by the grader as ``python -I -S -B jail_launch.py SPEC.json``, in a fresh process, so that
nothing of the grader's threads or state is inherited. In order, it

1. moves the answer pipe and the file descriptors that carry the student's files to the
   numbers the jail expects (3, 4, ...) and closes every other descriptor;
2. as root, enters a private mount namespace and bind-mounts, read-only, each folder the jail
   needs (the Python installation, site-packages, the probes) onto a small tmpfs that an
   unprivileged user can traverse: bubblewrap then binds them from there, although they may
   sit below folders such as /root that the unprivileged user cannot enter;
3. joins the jail's cgroups (memory, pids, cpu) where the grader made them;
4. sets the resource limits (address space, CPU time, file size, open files, processes);
5. drops to the jail's unprivileged uid and gid with no supplementary groups, and checks that
   it cannot get root back;
6. executes bubblewrap, which makes the user, mount, PID, network, IPC and UTS namespaces.

Any failure prints one line on stderr and exits with status 125: the jail never starts
half-made.
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import os
import resource
import sys

CLONE_NEWNS = 0x00020000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
BIND_ROOT = "/tmp/mfdnn-jail"


class LaunchError(Exception):
    pass


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _call(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise LaunchError(f"{what}: {os.strerror(err)}")


def remap_fds(fds: list[int]) -> None:
    """Descriptor ``fds[i]`` becomes ``3 + i``; all others above 2 are closed."""
    start = max(fds, default=2) + 1  # above every target 3 .. 2 + len(fds)
    moved = [fcntl.fcntl(fd, fcntl.F_DUPFD, start) for fd in fds]
    for fd in fds:
        os.close(fd)
    for i, fd in enumerate(moved):
        os.dup2(fd, 3 + i)
    os.closerange(3 + len(moved), 1 << 16)


def bind_sources(sources: list[str]) -> None:
    """Bind each source read-only onto ``BIND_ROOT/<i>`` in a private mount namespace."""
    libc = _libc()
    libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong,
                           ctypes.c_char_p]
    _call(libc.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)")
    _call(libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "making mounts private")
    paths = [os.open(path, os.O_PATH | os.O_CLOEXEC) for path in sources]  # before the tmpfs
    os.makedirs(BIND_ROOT, exist_ok=True)
    _call(libc.mount(b"tmpfs", BIND_ROOT.encode(), b"tmpfs", MS_NOSUID | MS_NODEV,
                     b"mode=0755,size=1m"), "mounting the bind tmpfs")
    for i, fd in enumerate(paths):
        target = f"{BIND_ROOT}/{i}"
        if os.path.isdir(f"/proc/self/fd/{fd}"):
            os.mkdir(target)
        else:
            with open(target, "w"):
                pass
        _call(libc.mount(f"/proc/self/fd/{fd}".encode(), target.encode(), None, MS_BIND, None),
              f"binding {sources[i]}")
        _call(libc.mount(None, target.encode(), None,
                         MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, None),
              f"making {sources[i]} read-only")
        os.close(fd)


def join_cgroups(dirs: list[str]) -> None:
    for folder in dirs:
        with open(os.path.join(folder, "cgroup.procs"), "w") as f:
            f.write(str(os.getpid()))


def set_limits(limits: dict[str, int]) -> None:
    for name, value in limits.items():
        key = getattr(resource, f"RLIMIT_{name.upper()}")
        resource.setrlimit(key, (value, value))


def drop_privileges(uid: int, gid: int) -> None:
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    if os.getresuid() != (uid, uid, uid) or os.getresgid() != (gid, gid, gid) or os.getgroups():
        raise LaunchError("could not drop to the jail's uid")
    try:
        os.setuid(0)
    except PermissionError:
        return
    raise LaunchError("root is still reachable after dropping privileges")


def main(spec: dict) -> None:
    remap_fds(spec["fds"])
    if spec.get("bind_sources"):
        bind_sources(spec["bind_sources"])
    join_cgroups(spec.get("cgroups", []))
    set_limits(spec.get("rlimits", {}))
    if spec.get("uid") is not None:
        drop_privileges(spec["uid"], spec["gid"])
    if spec.get("cwd"):
        os.chdir(spec["cwd"])
    argv = spec["argv"]
    os.execve(argv[0], argv, spec.get("env", {}))


if __name__ == "__main__":
    try:
        main(json.loads(sys.argv[1]))
    except (LaunchError, OSError, ValueError, KeyError) as exc:
        print(f"jail: {exc}", file=sys.stderr)
        raise SystemExit(125) from None
