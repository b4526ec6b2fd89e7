"""A scripted serial port for both serial devices, checked like PyMeasure's expected_protocol.

A script is a list of steps the exchange must go through, in order:

- `Step(expect, replies)`: the host writes exactly `expect`; the port then has
  `replies` to read (bytes at once, or (delay_s, bytes) later);
- `Chunk(data)`: the device sends `data` unasked; one read takes it (or part of it);
- `Silence()`: one read that returns nothing (a read timeout);
- `Fail(exc)`: the next read raises `exc` (the cable is pulled).

Use the `scripted_port` fixture (tests/conftest.py): it makes the ports and, at
teardown, fails the test if any port's script was not used up or any write differed
from the script. A test that leaves a script unfinished on purpose says so with
`partial=True`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

Reply = bytes | tuple[float, bytes]  # bytes now, or (delay in seconds, bytes)


@dataclass(frozen=True)
class Step:
    expect: bytes
    replies: Sequence[Reply] = ()


@dataclass(frozen=True)
class Chunk:
    data: bytes


@dataclass(frozen=True)
class Silence:
    pass


@dataclass(frozen=True)
class Fail:
    error: BaseException


ScriptItem = Step | Chunk | Silence | Fail


@dataclass
class ScriptedPort:
    """The pyserial subset the devices use, playing `script`. `max_read` caps each read
    to exercise split reads; `push()` and `unplug()` act from a test's own thread."""

    script: list[ScriptItem]
    max_read: int = 4096
    timeout: float | None = None
    name: str = "scripted"
    partial: bool = False
    is_open: bool = True
    writes: list[bytes] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._buf = bytearray()
        self._cond = threading.Condition()
        self._pos = 0
        self._rest: bytes | None = None  # what is left of a Chunk partly read
        self._timers: list[threading.Timer] = []
        self.unplugged = False
        self.used_up = threading.Event()  # a read found the script used up and nothing to read

    # pyserial subset -------------------------------------------------------
    @property
    def port(self) -> str:
        return self.name

    @property
    def in_waiting(self) -> int:
        with self._cond:
            self._check()
            if self._buf:
                return min(len(self._buf), self.max_read)
            chunk = self._chunk()
            return min(len(chunk), self.max_read) if chunk is not None else 0

    def read(self, size: int = 1) -> bytes:
        deadline = time.monotonic() + (self.timeout or 0.0)
        with self._cond:
            while True:
                self._check()
                if self._buf:
                    n = min(size, self.max_read, len(self._buf))
                    out = bytes(self._buf[:n])
                    del self._buf[:n]
                    return out
                item = self._current()
                if isinstance(item, Chunk):
                    chunk = self._chunk() or b""
                    n = min(size, self.max_read, len(chunk))
                    self._rest = chunk[n:] or None
                    if self._rest is None:
                        self._pos += 1
                    return chunk[:n]
                if isinstance(item, Silence):
                    self._pos += 1
                    return b""
                if isinstance(item, Fail):
                    self._pos += 1
                    raise item.error
                if item is None:
                    self.used_up.set()
                left = deadline - time.monotonic()
                if left <= 0:
                    return b""
                self._cond.wait(left)

    def write(self, data: bytes, /) -> int:
        with self._cond:
            self._check()
            self.writes.append(bytes(data))
            item = self._current()
            if not isinstance(item, Step):
                self.mismatches.append(f"unexpected write {data.hex()} at step {self._pos + 1} ({item!r})")
                return len(data)
            self._pos += 1
            if data != item.expect:
                self.mismatches.append(f"step {self._pos}: wrote {data.hex()}, expected {item.expect.hex()}")
            for reply in item.replies:
                if isinstance(reply, tuple):
                    timer = threading.Timer(reply[0], self.push, args=(reply[1],))
                    timer.daemon = True
                    self._timers.append(timer)
                    timer.start()
                else:
                    self._buf.extend(reply)
            self._cond.notify_all()
        return len(data)

    def cancel_read(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def open(self) -> None:
        self.is_open = True

    def close(self) -> None:
        self.is_open = False
        self.stop_timers()

    # test controls ---------------------------------------------------------
    def push(self, data: bytes) -> None:
        """Bytes from the device that no write asked for (events, noise)."""
        with self._cond:
            self._buf.extend(data)
            self._cond.notify_all()

    def unplug(self) -> None:
        with self._cond:
            self.unplugged = True
            self._cond.notify_all()

    def wait_used_up(self, timeout_s: float = 10.0) -> None:
        assert self.used_up.wait(timeout_s), f"script not used up: stopped at {self._current()!r}"

    def stop_timers(self) -> None:
        for timer in self._timers:
            timer.cancel()

    def problems(self) -> list[str]:
        """What went against the script: mismatched writes, and steps never reached."""
        with self._cond:
            found = list(self.mismatches)
            if not self.partial and self._pos < len(self.script):
                found.append(f"{self.name}: script stopped at step {self._pos + 1} of {len(self.script)}: "
                             f"{self.script[self._pos]!r} never happened")
            return found

    def assert_done(self) -> None:
        problems = self.problems()
        assert not problems, problems

    def _current(self) -> ScriptItem | None:
        return self.script[self._pos] if self._pos < len(self.script) else None

    def _chunk(self) -> bytes | None:
        item = self._current()
        if not isinstance(item, Chunk):
            return None
        return self._rest if self._rest is not None else item.data

    def _check(self) -> None:
        if self.unplugged:
            raise OSError(5, "Input/output error (unplugged)")
        if not self.is_open:
            raise OSError(9, "the port is closed")
