"""One submission's grading session: the judge's side of the jail's channel.

For each check the session sends the probe's request (with a fresh nonce) on the jail's stdin,
waits at most the check's time limit for one answer frame on descriptor 3 and judges it with
the check's verdict (:func:`mfdnn.course.checker.settle`). Meanwhile it drains the student's
stdout and stderr into a capped buffer, so a flood of output neither blocks the jail nor fills
the judge's memory.

Whatever goes wrong costs that check only: a time-out, the process dying (``os._exit``, a
signal, the memory limit), or a frame that is malformed, oversized, for another request or
not valid data. The session then kills the jail (its whole PID namespace and cgroup) and
starts a fresh one for the next check, within the submission's wall-clock budget. Nothing the
jail sends is executed or trusted: frames are bytes, decoded by :func:`wire.decode` and read
by the verdict's strict accessors.
"""

from __future__ import annotations

import os
import selectors
import signal
import time
from dataclasses import dataclass, field

from mfdnn.course.checker import (
    MAX_ANSWER_BYTES,
    Case,
    Check,
    CheckResult,
    Malformed,
    new_result,
    settle,
)
from mfdnn.course.probes import wire
from mfdnn.course.safe_text import clean_line
from mfdnn.course.sandbox import Jail, Limits, Started

HEADER_MAX = 128


class Incident(Exception):
    """The jail did not answer a request: ``kind`` is timeout or crashed (one line)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class Output:
    """The first ``limit`` bytes of what the student printed, and how much it printed."""

    def __init__(self, limit: int) -> None:
        self.limit, self.kept, self.total = limit, bytearray(), 0

    def add(self, data: bytes) -> None:
        self.total += len(data)
        room = self.limit - len(self.kept)
        if room > 0:
            self.kept += data[:room]

    def text(self) -> str:
        return self.kept.decode("utf-8", errors="replace")


def _signal_name(code: int) -> str:
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


class Channel:
    """Requests to and frames from one started jail."""

    def __init__(self, started: Started, output: Output) -> None:
        self.started, self.output = started, output
        self.buffer = bytearray()
        self.selector = selectors.DefaultSelector()
        self.out_fd = started.process.stdout.fileno()
        self.in_fd = started.process.stdin.fileno()
        os.set_blocking(self.in_fd, False)
        self.selector.register(started.answers, selectors.EVENT_READ, "answers")
        self.selector.register(self.out_fd, selectors.EVENT_READ, "output")
        self.answers_open = True

    def close(self, outcome: Outcome | None = None) -> None:
        self.selector.close()
        self.started.kill()
        if outcome is not None and self.started.cpu_seconds is not None:
            outcome.cpu_seconds = (outcome.cpu_seconds or 0.0) + self.started.cpu_seconds

    def _ended(self, limits: Limits) -> str:
        """Why the jail's process is gone (it closed its answer channel)."""
        try:
            code = self.started.process.wait(timeout=2)
        except Exception:  # noqa: BLE001 - still running: it only closed descriptor 3
            return "the answer channel was closed"
        if code is not None and 128 < code < 160:  # bwrap reports its child's signal as 128+n
            code = 128 - code
        if code is not None and code < 0:
            name = _signal_name(code)
            why = {"SIGXCPU": f"the {limits.cpu_seconds} s CPU limit",
                   "SIGKILL": "killed (memory limit?)", "SIGSEGV": "a crash (memory limit?)",
                   "SIGXFSZ": f"the {limits.file_mb} MB file-size limit"}.get(name, name)
            return f"the process ended by {why}"
        return f"the process exited with status {code}"

    def _pump(self, deadline: float, pending: bytearray | None) -> None:
        """Move data until a frame may be complete, ``pending`` is sent, or the deadline."""
        if pending:
            self.selector.register(self.in_fd, selectors.EVENT_WRITE, "requests")
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Incident("timeout", "")
                progressed = False
                for key, _ in self.selector.select(timeout=min(left, 1.0)):
                    if key.data == "requests":
                        try:
                            n = os.write(self.in_fd, pending[:1 << 16])
                        except BlockingIOError:
                            n = 0
                        except OSError:  # the jail is gone: say how it ended
                            raise Incident("crashed", "") from None
                        del pending[:n]
                        if not pending:
                            self.selector.unregister(self.in_fd)
                            return
                    elif key.data == "output":
                        data = os.read(self.out_fd, 1 << 16)
                        if data:
                            self.output.add(data)
                        else:
                            self.selector.unregister(self.out_fd)
                    else:
                        data = os.read(self.started.answers, 1 << 20)
                        if not data:
                            self.selector.unregister(self.started.answers)
                            self.answers_open = False
                            raise Incident("crashed", "")
                        self.buffer += data
                        progressed = True
                if progressed and pending is None:
                    return
        finally:
            if pending and self.in_fd in self.selector.get_map():
                self.selector.unregister(self.in_fd)

    def frame(self, nonce: str, deadline: float, max_bytes: int) -> bytes:
        """The next frame, which must answer ``nonce``."""
        while True:
            head = bytes(self.buffer[:HEADER_MAX])
            if b"\n" in head:
                line, _, _ = head.partition(b"\n")
                parts = line.split(b" ")
                if len(parts) != 3 or parts[0] != b"MFDNN" or not parts[2].isdigit():
                    raise Malformed("a frame that does not start with 'MFDNN <nonce> <length>'")
                if parts[1] != nonce.encode():
                    raise Malformed("an answer to another request (wrong nonce)")
                size = int(parts[2])
                if size > max_bytes:
                    raise Malformed(f"an answer of {size} bytes (at most {max_bytes})")
                start = len(line) + 1
                if len(self.buffer) >= start + size:
                    payload = bytes(self.buffer[start:start + size])
                    del self.buffer[:start + size]
                    return payload
            elif len(head) >= HEADER_MAX:
                raise Malformed("a frame header longer than 128 bytes")
            if not self.answers_open:
                raise Incident("crashed", "")
            self._pump(deadline, None)

    def send(self, data: bytes, deadline: float) -> None:
        self._pump(deadline, bytearray(data))


@dataclass
class Outcome:
    results: list[CheckResult]
    incidents: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, check, text)
    output: str = ""
    printed: int = 0
    seconds: float = 0.0
    restarts: int = 0
    cpu_seconds: float | None = None  # all the jails together, where cgroups count it


class Session:
    """Grades one submission's ``files`` (name -> bytes) with ``checks`` in ``jail``."""

    def __init__(self, hw: str, checks: list[Check], cases: dict[str, Case], jail: Jail,
                 limits: Limits, slot: int, encoded: dict[str, bytes] | None = None) -> None:
        self.hw, self.checks, self.cases = hw, checks, cases
        self.jail, self.limits, self.slot = jail, limits, slot
        self.encoded = {} if encoded is None else encoded  # shared by the run's sessions

    def request(self, c: Check) -> bytes:
        """The JSON of ``c``'s request, encoded once for all submissions of the run."""
        encoded = self.encoded.get(c.id)
        if encoded is None:
            encoded = self.encoded[c.id] = wire.encode(self.cases[c.id].request)
        return encoded

    def _start(self, files: dict[str, bytes], output: Output, deadline: float) -> Channel:
        channel = Channel(self.jail.start(self.hw, files, self.slot), output)
        try:
            hello = wire.decode(channel.frame(channel.started.hello, deadline, 1 << 16), 1 << 16)
            if type(hello) is not dict or "hello" not in hello:
                raise Malformed("the jail's hello frame is not valid")
        except Incident as exc:
            last = output.text().strip().splitlines()[-1:] if output.total else []
            why = channel._ended(self.limits) if exc.kind == "crashed" else "timed out"
            reason = f"the jail did not start ({why}" + (f": {last[0]}" if last else "") + ")"
            channel.close()
            raise Incident(exc.kind, clean_line(reason, 300)) from None
        except (Malformed, wire.WireError) as exc:
            channel.close()
            raise Incident("crashed", f"malformed hello: {exc}") from None
        return channel

    def run(self, files: dict[str, bytes]) -> Outcome:
        tic = time.monotonic()
        budget = tic + self.limits.wall_seconds
        output = Output(self.limits.output_kb * 1024)
        outcome = Outcome([])
        channel: Channel | None = None
        try:
            for c in self.checks:
                result = new_result(c)
                outcome.results.append(result)
                started = time.monotonic()
                if c.file not in files:
                    result.status, result.message = "missing-file", f"{c.file} not submitted"
                    continue
                if started >= budget:
                    result.status = "timeout"
                    result.message = (f"not run: the {self.limits.wall_seconds:g} s limit of "
                                      "the submission was used up")
                    continue
                limit = c.timeout * self.limits.check_time_scale
                try:
                    if channel is None:
                        startup = min(budget, started + self.limits.startup_seconds)
                        channel = self._start(files, output, startup)
                        outcome.restarts += 1
                    check_start = time.monotonic()
                    deadline = min(budget, check_start + limit)
                    nonce = os.urandom(8).hex()
                    head = wire.encode({"nonce": nonce, "check": c.name, "file": c.file})
                    request = head[:-1] + b',"request":' + self.request(c) + b"}\n"
                    channel.send(request, deadline)
                    payload = channel.frame(nonce, deadline, MAX_ANSWER_BYTES)
                    result.seconds = round(time.monotonic() - check_start, 3)
                    settle(c, self.cases[c.id], wire.decode(payload, MAX_ANSWER_BYTES), result)
                except Incident as exc:
                    result.seconds = round(time.monotonic() - started, 3)
                    if exc.kind == "timeout":
                        text = str(exc) or (f"timed out after {limit:g} s" if
                                            time.monotonic() < budget else
                                            f"timed out (the {self.limits.wall_seconds:g} s "
                                            "limit of the submission)")
                    else:
                        text = str(exc) or channel._ended(self.limits)
                    result.status, result.message = exc.kind, text
                    outcome.incidents.append((exc.kind, c.id, text))
                    if channel is not None:
                        channel.close(outcome)
                    channel = None
                except (Malformed, wire.WireError) as exc:
                    text = f"malformed answer: {exc}"
                    result.status, result.message = "crashed", clean_line(text, 300)
                    outcome.incidents.append(("crashed", c.id, result.message))
                    channel.close(outcome)
                    channel = None
        finally:
            if channel is not None:  # whatever the runner does after its last answer is unread
                channel.close(outcome)
        outcome.output, outcome.printed = output.text(), output.total
        outcome.seconds = round(time.monotonic() - tic, 2)
        return outcome

