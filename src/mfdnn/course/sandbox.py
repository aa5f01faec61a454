"""The jail: each submission's probes run in bubblewrap, as an unprivileged uid, with limits.

A jail is started as ``python -I -S -B jail_launch.py SPEC`` (:mod:`.jail_launch`), which
joins the jail's cgroups, sets the rlimits, drops to the slot's uid and executes ``bwrap``:

* new user, mount, PID, network, IPC, UTS and cgroup namespaces (``--unshare-all``), no
  nested user namespaces (``--disable-userns``), ``--die-with-parent``, ``--new-session``,
  no_new_privs and no capabilities (bwrap's own), a cleared environment;
* a root holding, read-only, only the Python installation, the system libraries, the
  site-packages folders, the ``mfdnn`` package with its ``course`` folder (checks, probes)
  hidden under an empty tmpfs, and the probes at ``/judge/mfdnn_probes``; a fresh ``/proc``
  and a minimal ``/dev``; no repository, no course folder, no other submission, no network,
  no sockets of the host;
* a fresh tmpfs ``/submission`` holding copies of the student's files only (bwrap copies them
  from memfds), a fresh tmpfs ``/tmp`` (``HOME``, ``MPLCONFIGDIR``) and ``/dev/shm``, each
  size-limited; the root and ``/dev`` read-only;
* rlimits: address space, CPU time, file size, open files and processes (per slot uid when
  the grader runs as root: slot uids are claimed with a lock file, so two grading runs never
  share one); a cgroup per jail for memory, processes and one CPU (and its CPU time) where the
  grader may create cgroups (v1 or v2). Killing bwrap's init kills the whole PID namespace.

As root the launcher first bind-mounts the folders the jail needs onto a traversable tmpfs in
a private mount namespace, since an unprivileged bwrap cannot enter e.g. /root/.pyenv.

The answer channel is descriptor 3 (a pipe to the grader); stdout and stderr are a second
pipe that the grader drains and caps (:mod:`mfdnn.course.session`).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import mfdnn
from mfdnn.course import jail_launch
from mfdnn.course.jail_limits import UID_BASE, Cgroups, claim_uids, processes_of, tasks_of, under
from mfdnn.course.probes import runner as probe_runner

__all__ = ["UID_BASE", "Jail", "Limits", "Runtime", "Started", "find_bwrap", "processes_of"]

JUDGE = "/judge"  # the probes' folder in the jail, as the package mfdnn_probes
WORK = "/submission"  # the student's files in the jail


@dataclass
class Limits:
    wall_seconds: float = 300.0  # one submission, all checks and restarts
    cpu_seconds: int = 600  # RLIMIT_CPU of each process
    memory_mb: int = 3072  # RLIMIT_AS of each process; the jail's cgroup in all
    file_mb: int = 16  # RLIMIT_FSIZE, and each tmpfs
    output_kb: int = 64  # of the student's stdout and stderr kept
    open_files: int = 256
    processes: int = 24  # tasks (threads too) of the jail's uid / cgroup
    check_time_scale: float = 1.0  # multiplies each check's own time limit
    startup_seconds: float = 120.0  # from start to the runner's hello


@dataclass
class Runtime:
    """What the jail mounts read-only to run Python with NumPy and PyTorch."""

    python: str
    binds: list[tuple[str, str]] = field(default_factory=list)  # (source, destination)
    symlinks: list[tuple[str, str]] = field(default_factory=list)  # (target, link)
    hide: list[str] = field(default_factory=list)  # folders covered by an empty tmpfs
    path: list[str] = field(default_factory=list)  # the runner's sys.path additions

    @classmethod
    def current(cls) -> Runtime:
        """The running interpreter's installation, site-packages and the mfdnn package."""
        rt = cls(python=os.path.realpath(sys.executable))

        def bind(path: str) -> None:
            real = os.path.realpath(path)
            if not any(under(real, src) for src, dst in rt.binds if src == dst):
                rt.binds.append((real, real))

        bind(sys.base_prefix)
        for folder in ("/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/local/lib"):
            if os.path.islink(folder):
                rt.symlinks.append((os.readlink(folder), folder))
            elif os.path.isdir(folder):
                bind(folder)
        if os.path.isfile("/etc/ld.so.cache"):
            bind("/etc/ld.so.cache")
        for entry in sys.path:  # site-packages only: not the test runner's or a repo's paths
            if os.path.basename(entry) in ("site-packages", "dist-packages") and os.path.isdir(
                    entry):
                bind(entry)
                rt.path.append(os.path.realpath(entry))
        package = os.path.realpath(os.path.dirname(mfdnn.__file__))
        bind(package)
        rt.path.append(os.path.dirname(package))
        rt.hide.append(os.path.join(package, "course"))  # checks and probes: judge's code
        probes = os.path.realpath(os.path.dirname(probe_runner.__file__))
        rt.binds.append((probes, f"{JUDGE}/mfdnn_probes"))
        rt.path.insert(0, JUDGE)
        return rt

    def exposes(self, path: Path) -> bool:
        """Whether ``path`` (or a folder inside it) would be visible in the jail."""
        real = os.path.realpath(path)
        return any(under(real, src) or under(src, real) for src, _ in self.binds
                   if not any(under(real, h) for h in self.hide))


def find_bwrap() -> str | None:
    """bubblewrap's executable: on the PATH, else Debian's /usr/bin/bwrap."""
    return shutil.which("bwrap") or ("/usr/bin/bwrap" if os.path.exists("/usr/bin/bwrap")
                                     else None)


def bwrap_features(bwrap: str) -> set[str]:
    try:
        out = subprocess.run([bwrap, "--help"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return set()
    return {word for word in out.stdout.split() if word.startswith("--")}


@dataclass
class Started:
    """A started runner: its process, pipes and what to clean up."""

    process: subprocess.Popen
    answers: int  # read end of the answer pipe
    hello: str  # the nonce of the hello frame
    cgroups: list[str] = field(default_factory=list)
    uid: int | None = None
    workdir: str | None = None  # --no-jail only
    cpu_seconds: float | None = None  # known after kill(), where a cgroup counted it

    def _children(self) -> list[int]:
        pid = self.process.pid
        try:
            return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except (OSError, ValueError):
            return []

    def kill(self) -> None:
        """Stop the jail and everything in it, then free its cgroups and uid.

        The PID namespace's init (bwrap's child) is killed first, so that the outer bwrap,
        its parent, reaps it at once; had the outer bwrap ended first (killed, or because the
        runner exited), the init would wait for the host's init to reap it, holding the uid."""
        if self.process.poll() is None:
            for child in self._children():
                try:
                    os.kill(child, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            try:
                self.process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                pass
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)  # the launcher / bwrap's session
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        for stream in (self.process.stdin, self.process.stdout):
            try:
                if stream:
                    stream.close()
            except OSError:
                pass
        try:
            os.close(self.answers)
        except OSError:
            pass
        self.cpu_seconds = Cgroups.cpu_seconds(self.cgroups)
        Cgroups.remove(self.cgroups)
        if self.uid is not None:  # a slot's uid is free only when its last process is gone
            deadline = time.monotonic() + 5
            while (pids := processes_of(self.uid)) and time.monotonic() < deadline:
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except (ProcessLookupError, PermissionError):
                        pass
                time.sleep(0.02)
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)


class Jail:
    """Starts the probe runner for one submission: in bubblewrap, or unconfined (--no-jail)."""

    def __init__(self, limits: Limits, jailed: bool = True) -> None:
        self.limits, self.jailed = limits, jailed
        self.runtime = Runtime.current()
        self.as_root = os.geteuid() == 0
        self.cgroups = Cgroups.detect() if jailed else None
        self.uids: list[int] = []
        self.locks: list[int] = []
        self.bind_mode = "private" if self.as_root else "direct"
        self.fontlist: tuple[str, bytes] | None = None
        self.bwrap = find_bwrap()
        self.features = bwrap_features(self.bwrap) if (jailed and self.bwrap) else set()

    def describe(self) -> str:
        if not self.jailed:
            return "no jail (--no-jail): submissions ran unconfined"
        who = f"uid {self.uids[0]}+" if self.uids else f"uid {os.geteuid()}"
        limits = self.cgroups.describe() if self.cgroups else "rlimits only"
        return f"bubblewrap, {who}, {limits}"

    def slots(self, n: int) -> None:
        """Prepare ``n`` parallel slots (one unprivileged uid each, when root)."""
        if self.jailed and self.as_root:
            self.release()
            self.uids, self.locks = claim_uids(n)

    def release(self) -> None:
        """Give the slots' uids back to other grading runs."""
        for fd in self.locks:
            os.close(fd)
        self.uids, self.locks = [], []

    # -- the command --------------------------------------------------------------------------

    def _rlimits(self, uid: int | None) -> dict[str, int]:
        mb = 1 << 20
        limits = {"as": self.limits.memory_mb * mb, "cpu": self.limits.cpu_seconds,
                  "fsize": self.limits.file_mb * mb, "nofile": self.limits.open_files,
                  "core": 0}
        if uid is not None:  # the slot's own uid: the jail's tasks are all it runs
            limits["nproc"] = self.limits.processes
        elif os.geteuid() != 0:  # the grader's uid: its current tasks, plus the jail's
            limits["nproc"] = tasks_of(os.geteuid()) + self.limits.processes
        return limits

    def _env(self) -> dict[str, str]:
        return {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "TMPDIR": "/tmp", "LANG": "C.UTF-8",
                "MPLBACKEND": "Agg", "MPLCONFIGDIR": "/tmp/mpl", "OMP_NUM_THREADS": "1",
                "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "PYTHONHASHSEED": "0",
                "MFDNN_OFFLINE": "1"}

    def _boot(self, path: list[str]) -> str:
        return (f"import sys; sys.path[:0] = {path!r}; "
                "from mfdnn_probes.runner import main; main()")

    def _bwrap_argv(self, config: dict, files: list[str], extra: list[str]) -> list[str]:
        rt, mb = self.runtime, 1 << 20
        size = str(self.limits.file_mb * mb)
        argv = [self.bwrap, "--unshare-all", "--unshare-user", "--die-with-parent",
                "--new-session", "--clearenv", "--hostname", "jail"]
        if "--disable-userns" in self.features:
            argv.append("--disable-userns")
        for key, value in self._env().items():
            argv += ["--setenv", key, value]
        # /tmp first: the binds below may lie under /tmp (a venv or a checkout there), and a
        # tmpfs mounted after them would cover them
        argv += ["--proc", "/proc", "--dev", "/dev", "--size", size, "--tmpfs", "/tmp",
                 "--dir", "/tmp/mpl"]
        for i, (src, dst) in enumerate(rt.binds):
            source = f"{jail_launch.BIND_ROOT}/{i}" if self.bind_mode == "private" else src
            argv += ["--ro-bind", source, dst]
        for target, link in rt.symlinks:
            argv += ["--symlink", target, link]
        for folder in rt.hide:
            argv += ["--tmpfs", folder, "--remount-ro", folder]
        argv += ["--size", size, "--tmpfs", WORK, "--size", size, "--tmpfs", "/dev/shm"]
        fd = 4  # 3 is the answer pipe; the files follow in order (see jail_launch.remap_fds)
        for name in files:
            argv += ["--file", str(fd), f"{WORK}/{name}"]
            fd += 1
        for name in extra:
            argv += ["--file", str(fd), f"/tmp/mpl/{name}"]
            fd += 1
        # read-only root and /dev: every writable place is a size-limited tmpfs
        argv += ["--remount-ro", "/dev", "--remount-ro", "/", "--chdir", WORK, "--", rt.python,
                 "-I", "-S", "-B",
                 "-c", self._boot(rt.path), json.dumps(config)]
        return argv

    # -- starting -----------------------------------------------------------------------------

    def start(self, hw: str, files: dict[str, bytes], slot: int, warmup: bool = False
              ) -> Started:
        """Start a runner for ``hw`` with the student's ``files`` (name -> bytes)."""
        hello = secrets.token_hex(8)
        uid = self.uids[slot] if self.uids else None
        if self.jailed and self.as_root and uid is None:
            raise RuntimeError("a jail started by root needs a slot uid (call slots() first)")
        answer_r, answer_w = os.pipe()
        memfds = []
        names = sorted(files)
        extra = {}
        if self.fontlist and not warmup:
            extra = {self.fontlist[0]: self.fontlist[1]}
        for data in [files[n] for n in names] + list(extra.values()):
            fd = os.memfd_create("mfdnn-file", os.MFD_CLOEXEC)
            os.write(fd, data)
            os.lseek(fd, 0, os.SEEK_SET)
            memfds.append(fd)
        config = {"answer_fd": 3, "homework": hw, "hello": hello, "warmup": warmup}
        cgroups: list[str] = []
        workdir = None
        try:
            if self.jailed:
                config.update(workdir=WORK, files={n: f"{WORK}/{n}" for n in names})
                argv = self._bwrap_argv(config, names, list(extra))
                cgroups = (self.cgroups.make(self.limits.memory_mb, self.limits.processes)
                           if self.cgroups else [])
                spec = {"fds": [answer_w, *memfds], "argv": argv, "cgroups": cgroups,
                        "rlimits": self._rlimits(uid), "env": {}}
                if self.bind_mode == "private":
                    spec["bind_sources"] = [src for src, _ in self.runtime.binds]
                if uid is not None:
                    spec.update(uid=uid, gid=uid)
            else:
                workdir = self._plain_workdir(files)
                config.update(workdir=workdir,
                              files={n: os.path.join(workdir, n) for n in names})
                path = [os.path.join(workdir, ".judge")] + self.runtime.path[1:]
                env = {**self._env(), "HOME": workdir, "TMPDIR": workdir,
                       "MPLCONFIGDIR": os.path.join(workdir, ".mpl")}
                argv = [self.runtime.python, "-I", "-S", "-B", "-c", self._boot(path),
                        json.dumps(config)]
                spec = {"fds": [answer_w], "argv": argv, "rlimits": self._rlimits(None),
                        "env": env, "cwd": workdir}
            command = [sys.executable, "-I", "-S", "-B", jail_launch.__file__, json.dumps(spec)]
            process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, pass_fds=spec["fds"],
                                       start_new_session=True, cwd="/")
        except BaseException:
            os.close(answer_r)
            Cgroups.remove(cgroups)
            if workdir:
                shutil.rmtree(workdir, ignore_errors=True)
            raise
        finally:
            os.close(answer_w)
            for fd in memfds:
                os.close(fd)
        return Started(process, answer_r, hello, cgroups, uid, workdir)

    def _plain_workdir(self, files: dict[str, bytes]) -> str:
        import tempfile

        workdir = tempfile.mkdtemp(prefix="mfdnn-nojail-")
        for name, data in files.items():
            Path(workdir, name).write_bytes(data)
        os.makedirs(os.path.join(workdir, ".judge"))
        os.symlink(os.path.dirname(probe_runner.__file__),
                   os.path.join(workdir, ".judge", "mfdnn_probes"))
        return workdir
