"""Helpers of the card reader tests: a scripted port and answer builders."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from terminal.devices.cardreader import frames as fr
from terminal.devices.cardreader.record import CardRecord

CARD = CardRecord(
    region_code="120000",
    ssn="120101198204171019",
    card_no="T10234560",
    card_sn="120000D1560000056751A11794535D05",
    name="张伟",
    atr="3B6D000080318065B0872701BC2D7A61AC9000",
    version="3.00",
    issue_date="20180101",
    expiry_date="20280101",
    terminal_no="120101000001",
    device_no="CR00001000",
)


def request(cmd: int, data: bytes = b"") -> bytes:
    return fr.encode_frame(cmd, data)


def answer(cmd: int, status: int = fr.ST_OK, payload: bytes = b"") -> bytes:
    return fr.encode_frame(cmd | fr.ANSWER_BIT, bytes([status]) + payload)


def card_answer(card: CardRecord = CARD) -> bytes:
    return answer(fr.CMD_READ_BASIC, fr.ST_OK, card.to_payload())


Reply = bytes | tuple[float, bytes]  # bytes now, or (delay in seconds, bytes)


@dataclass
class Step:
    expect: bytes
    replies: Sequence[Reply] = ()


@dataclass
class ScriptedPort:
    """A port that checks every host write against a script and plays the replies.

    A write that differs from the next step's `expect`, or a step never reached,
    fails `assert_done()`: the test checks the whole exchange, not call order.
    `max_read` caps each read to exercise split reads.
    """

    script: list[Step]
    max_read: int = 4096
    timeout: float | None = 0.02
    is_open: bool = True
    writes: list[bytes] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._buf = bytearray()
        self._cond = threading.Condition()
        self._pos = 0
        self._timers: list[threading.Timer] = []
        self.unplugged = False

    # pyserial subset -------------------------------------------------------
    @property
    def in_waiting(self) -> int:
        with self._cond:
            self._check()
            return min(len(self._buf), self.max_read)

    def read(self, size: int = 1) -> bytes:
        deadline = time.monotonic() + (self.timeout or 0.0)
        with self._cond:
            while not self._buf:
                self._check()
                left = deadline - time.monotonic()
                if left <= 0:
                    return b""
                self._cond.wait(left)
            self._check()
            n = min(size, self.max_read, len(self._buf))
            out = bytes(self._buf[:n])
            del self._buf[:n]
            return out

    def write(self, data: bytes, /) -> int:
        with self._cond:
            self._check()
            self.writes.append(bytes(data))
            if self._pos >= len(self.script):
                self.mismatches.append(f"unexpected extra write {data.hex()}")
                return len(data)
            step = self.script[self._pos]
            self._pos += 1
            if data != step.expect:
                self.mismatches.append(f"step {self._pos}: wrote {data.hex()}, "
                                       f"expected {step.expect.hex()}")
            for reply in step.replies:
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
        for timer in self._timers:
            timer.cancel()

    # test controls ---------------------------------------------------------
    def push(self, data: bytes) -> None:
        """Bytes from the reader that no write asked for (events, noise)."""
        with self._cond:
            self._buf.extend(data)
            self._cond.notify_all()

    def unplug(self) -> None:
        with self._cond:
            self.unplugged = True
            self._cond.notify_all()

    def _check(self) -> None:
        if self.unplugged:
            raise OSError(5, "Input/output error (unplugged)")

    def assert_done(self) -> None:
        assert not self.mismatches, self.mismatches
        assert self._pos == len(self.script), f"script stopped at step {self._pos}"
