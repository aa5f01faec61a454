"""What bounds a jail beyond its namespaces: cgroups, slot uids and task counts.

* :class:`Cgroups`: one cgroup per jail in each hierarchy this process may write (v1:
  memory, pids, cpu, cpuacct; v2: the unified one where memory and pids are delegated) with
  the jail's memory (no swap), task and one-CPU limits; afterwards its CPU time is read and
  whatever still runs in it is killed.
* :func:`claim_uids`: the unprivileged uids of the parallel slots when the grader is root:
  no account uses them, no process runs as them, and a lock file per uid (in a folder only
  root may write) keeps a second grading run off them.
* :func:`processes_of`, :func:`tasks_of`: what runs as a uid, as RLIMIT_NPROC counts it.
"""

from __future__ import annotations

import os
import pwd
import secrets
import signal
import stat
import time
from pathlib import Path

UID_BASE = 64000  # slots run as the first free uids from UID_BASE on


def under(path: str, root: str) -> bool:
    """Whether ``path`` is ``root`` or inside it (both normalised)."""
    return path == root or path.startswith(root.rstrip("/") + "/")


class Cgroups:
    """A cgroup per jail (memory, pids, cpu) in the hierarchies this process may write."""

    def __init__(self, version: int, bases: dict[str, str], cpu: bool = True) -> None:
        self.version, self.bases, self.cpu = version, bases, cpu
        self.counter = 0

    @staticmethod
    def _mounts() -> list[tuple[str, str, str, set[str]]]:
        rows = []
        with open("/proc/self/mountinfo") as f:
            for line in f:
                left, _, right = line.partition(" - ")
                parts, rparts = left.split(), right.split()
                if len(parts) >= 5 and len(rparts) >= 3:
                    rows.append((parts[3], parts[4], rparts[0], set(rparts[2].split(","))))
        return rows

    @classmethod
    def detect(cls) -> Cgroups | None:
        if os.geteuid() != 0:
            return None
        try:
            own = {}
            with open("/proc/self/cgroup") as f:
                for line in f:
                    _, controllers, path = line.rstrip("\n").split(":", 2)
                    for c in controllers.split(",") if controllers else [""]:
                        own[c] = path
            mounts = cls._mounts()
        except OSError:
            return None

        def base(mount_root: str, point: str, path: str) -> str | None:
            if not under(path, mount_root):
                return None
            rel = os.path.relpath(path, mount_root)
            return os.path.normpath(os.path.join(point, rel))

        v1 = {}
        for root, point, fstype, options in mounts:
            if fstype != "cgroup":
                continue
            for c in ("memory", "pids", "cpu", "cpuacct"):  # cpuacct: CPU time, for the record
                if c in options and c in own and c not in v1:
                    b = base(root, point, own[c])
                    if b and cls._writable(b):
                        v1[c] = b
        if "memory" in v1 and "pids" in v1:
            return cls(1, v1)
        for root, point, fstype, _ in mounts:
            if fstype == "cgroup2" and "" in own:
                b = base(root, point, own[""])
                try:
                    enabled = Path(b, "cgroup.subtree_control").read_text().split() if b else []
                except OSError:
                    enabled = []
                if b and {"memory", "pids"} <= set(enabled) and cls._writable(b):
                    return cls(2, {"unified": b}, cpu="cpu" in enabled)
        return None

    @staticmethod
    def _writable(base: str) -> bool:
        probe = os.path.join(base, f"mfdnn-probe-{os.getpid()}")
        try:
            os.mkdir(probe)
            os.rmdir(probe)
            return True
        except OSError:
            return False

    def describe(self) -> str:
        kinds = [k for k in ("memory", "pids", "cpu")
                 if k in self.bases or (self.version == 2 and (k != "cpu" or self.cpu))]
        return f"cgroup v{self.version} ({', '.join(kinds)})"

    def make(self, memory_mb: int, processes: int) -> list[str]:
        """The folders of a new cgroup (one per hierarchy) with the jail's limits."""
        self.counter += 1
        name = f"mfdnn-{os.getpid()}-{self.counter}-{secrets.token_hex(3)}"
        memory = str(memory_mb << 20)
        if self.version == 1:
            values = {"memory": [("memory.limit_in_bytes", memory),
                                 ("memory.memsw.limit_in_bytes", memory)],
                      "pids": [("pids.max", str(processes))],
                      "cpu": [("cpu.cfs_period_us", "100000"), ("cpu.cfs_quota_us", "100000")],
                      "cpuacct": []}
            dirs = []
            for c, base in self.bases.items():
                d = os.path.join(base, name)
                os.mkdir(d)
                dirs.append(d)
                for key, value in values[c]:
                    if os.path.exists(os.path.join(d, key)):
                        Path(d, key).write_text(value)
            return dirs
        d = os.path.join(self.bases["unified"], name)
        os.mkdir(d)
        settings = [("memory.max", memory), ("memory.swap.max", "0"),
                    ("pids.max", str(processes))]
        if self.cpu:
            settings.append(("cpu.max", "100000 100000"))
        for key, value in settings:
            if os.path.exists(os.path.join(d, key)):
                Path(d, key).write_text(value)
        return [d]

    @staticmethod
    def cpu_seconds(dirs: list[str]) -> float | None:
        """CPU time used by everything that ran in the jail's cgroup (None if unknown)."""
        for d in dirs:
            try:
                if os.path.exists(os.path.join(d, "cpuacct.usage")):
                    return int(Path(d, "cpuacct.usage").read_text()) / 1e9
                if os.path.exists(os.path.join(d, "cpu.stat")):
                    for line in Path(d, "cpu.stat").read_text().splitlines():
                        if line.startswith("usage_usec "):
                            return int(line.split()[1]) / 1e6
            except (OSError, ValueError):
                continue
        return None

    @staticmethod
    def remove(dirs: list[str]) -> None:
        """Kill whatever still runs in ``dirs`` and remove them."""
        for d in dirs:
            if os.path.exists(os.path.join(d, "cgroup.kill")):
                try:
                    Path(d, "cgroup.kill").write_text("1")
                except OSError:
                    pass
        deadline = time.monotonic() + 5
        for d in dirs:
            while True:
                try:
                    pids = [int(p) for p in Path(d, "cgroup.procs").read_text().split()]
                except OSError:
                    break
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                try:
                    os.rmdir(d)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.02)


LOCKS = "/tmp/mfdnn-jail-uids"  # one lock file per uid in use, for concurrent grading runs


def _lock_folder() -> str | None:
    """LOCKS, made and checked as root's own (no link, not writable by others), or None."""
    try:
        os.mkdir(LOCKS, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    st = os.lstat(LOCKS)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != 0 or st.st_mode & 0o022:
        return None
    return LOCKS


def claim_uids(n: int) -> tuple[list[int], list[int]]:
    """``n`` uids from UID_BASE on that no account uses, no process runs as and no other
    grading run holds (an flock on LOCKS/<uid>); returns (uids, lock descriptors to keep)."""
    import fcntl

    folder = _lock_folder()
    uids, locks, uid = [], [], UID_BASE
    while len(uids) < n and uid < UID_BASE + 100_000:
        uid += 1
        try:
            pwd.getpwuid(uid - 1)
            continue
        except KeyError:
            pass
        if processes_of(uid - 1):
            continue
        if folder:
            try:
                fd = os.open(f"{folder}/{uid - 1}", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW
                             | os.O_CLOEXEC, 0o600)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue
            locks.append(fd)
        uids.append(uid - 1)
    return uids, locks


def processes_of(uid: int) -> list[int]:
    """Host pids whose real uid is ``uid``."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/status") as f:
                    for line in f:
                        if line.startswith("Uid:"):
                            if int(line.split()[1]) == uid:
                                pids.append(int(entry))
                            break
            except OSError:
                continue
    return pids


def tasks_of(uid: int) -> int:
    """Threads of all processes whose real uid is ``uid`` (what RLIMIT_NPROC counts)."""
    total = 0
    for pid in processes_of(uid):
        try:
            with open(f"/proc/{pid}/status") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("Threads:"))
        except (OSError, StopIteration, ValueError):
            continue
    return total
