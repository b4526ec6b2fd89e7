"""The settlement protocol's envelope: paths, signatures, msgids, times.

Shared by the client and the simulated service so both sides agree byte for byte.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from terminal.faults import state_folder_fault

SERVICE_PATH = "/fsi/api/rsfComIfsService/callService"
EC_QUERY_PATH = "/localcfc/api/hsecfc/localQrCodeQuery"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
DATE_FORMAT = "%Y-%m-%d"
MSGID_TIME_FORMAT = "%Y%m%d%H%M%S"
MSGID_LENGTH = 30
FIXMEDINS_CODE_LENGTH = 12
SIGNATURE_WINDOW_S = 300
INFVER = "V1.0"

HEADER_PAASID = "x-tif-paasid"
HEADER_TIMESTAMP = "x-tif-timestamp"
HEADER_NONCE = "x-tif-nonce"
HEADER_SIGNATURE = "x-tif-signature"


def signature(timestamp: str, token: str, nonce: str) -> str:
    """Lowercase hex SHA-256 of timestamp + token + nonce + timestamp."""
    return hashlib.sha256(f"{timestamp}{token}{nonce}{timestamp}".encode()).hexdigest()


def signature_matches(given: str, timestamp: str, token: str, nonce: str) -> bool:
    return hmac.compare_digest(given.lower().encode(), signature(timestamp, token, nonce).encode())


def signed_headers(paasid: str, token: str, now: int, nonce: str | None = None) -> dict[str, str]:
    """Fresh headers for one request: every attempt gets its own nonce."""
    timestamp = str(now)
    nonce = nonce or secrets.token_hex(16)
    return {
        HEADER_PAASID: paasid,
        HEADER_TIMESTAMP: timestamp,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: signature(timestamp, token, nonce),
    }


def fmt_time(moment: datetime) -> str:
    return moment.strftime(TIME_FORMAT)


def parse_time(text: str) -> datetime:
    """Parse `yyyy-MM-dd HH:mm:ss`; raises ValueError on anything else."""
    # strptime takes any Unicode digit ("２０２６"); the platform's times are ASCII.
    if len(text) != 19 or not text.isascii():
        raise ValueError(f"time {text[:30]!r} is not yyyy-MM-dd HH:mm:ss")
    return datetime.strptime(text, TIME_FORMAT)


def msgid_is_wellformed(msgid: str, fixmedins_code: str | None = None) -> bool:
    if len(msgid) != MSGID_LENGTH or not msgid.isascii():
        return False
    code, stamp, seq = msgid[:12], msgid[12:26], msgid[26:]
    if fixmedins_code is not None and code != fixmedins_code:
        return False
    return stamp.isdigit() and seq.isdigit()


# The 4-digit sequence of a msgid is a 2-digit block and a 2-digit counter. Each till of an
# institution owns its own block (terminal.msgid_block), so two tills selling in the same second
# can never make the same msgid: uniqueness by construction, not by luck. A till makes at most
# MSGID_BLOCK_SIZE msgids a second; the next one takes the next second's stamp.
MSGID_BLOCK_SIZE = 100
MSGID_BLOCKS = 10_000 // MSGID_BLOCK_SIZE


def msgid_block(msgid: str) -> int:
    """The block of a well-formed msgid (which till of the institution made it)."""
    return int(msgid[26:]) // MSGID_BLOCK_SIZE


class MemorySequence:
    """Counters unique per msgid timestamp, within one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stamp = ""
        self._seq = -1

    def take(self, stamp: str) -> tuple[str, int]:
        with self._lock:
            self._stamp, self._seq = next_slot(self._stamp, self._seq, stamp)
            return self._stamp, self._seq


class FileSequence:
    """Counters unique across every process of this till.

    Two command-line runs in the same second must not share a msgid (the service
    would refuse the second), so the last slot used is kept in a small file under
    an exclusive lock. The record has a fixed length and is overwritten in place
    by one write, then synced: a process killed at any moment leaves the old or
    the new record, never an empty or half-written one.
    """

    RECORD = 19  # "yyyyMMddHHmmss NNNN"

    def __init__(self, path: Path) -> None:
        self.path = path

    def take(self, stamp: str) -> tuple[str, int]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                slot = next_slot(*_last_slot(os.pread(fd, 64, 0).decode("ascii", "replace")), stamp)
                os.pwrite(fd, f"{slot[0]} {slot[1]:04d}".encode("ascii"), 0)
                os.fsync(fd)
                return slot
            finally:
                os.close(fd)
        except OSError as exc:
            raise state_folder_fault(exc, self.path) from None


# A sequence file that cannot be read (damaged outside the terminal) may hide msgids issued a moment
# ago, whose stamps may run ahead of the clock when a till makes more than a block's worth a second:
# the next msgid is stamped well past them.
UNREADABLE_SKIP_S = 120


def _last_slot(text: str) -> tuple[str, int]:
    """The slot a sequence file records."""
    last_stamp, _, last_seq = text.strip().partition(" ")
    if len(last_stamp) == 14 and last_stamp.isdigit() and last_seq.isdigit() and len(last_seq) <= 4:
        return last_stamp, min(int(last_seq), MSGID_BLOCK_SIZE - 1)
    if not text:
        return "", -1  # a new till
    later = datetime.now() + timedelta(seconds=UNREADABLE_SKIP_S)
    return later.strftime(MSGID_TIME_FORMAT), MSGID_BLOCK_SIZE - 1


def next_slot(last_stamp: str, last_seq: int, stamp: str) -> tuple[str, int]:
    """The slot after (last_stamp, last_seq) for a message stamped `stamp`.

    A new second starts again at 0; within a second (or if the clock went back)
    the counter goes on, and after the block's last counter the stamp moves one
    second ahead, so a slot is never handed out twice and a counter never leaves
    its block.
    """
    if stamp > last_stamp:
        return stamp, 0
    if last_seq < MSGID_BLOCK_SIZE - 1:
        return last_stamp, last_seq + 1
    later = datetime.strptime(last_stamp, MSGID_TIME_FORMAT) + timedelta(seconds=1)
    return later.strftime(MSGID_TIME_FORMAT), 0


class Sequence(Protocol):
    def take(self, stamp: str) -> tuple[str, int]: ...


@dataclass
class MsgIdFactory:
    """msgid = fixmedins_code (12) + yyyyMMddHHmmss + this till's block (2) + a counter (2)."""

    fixmedins_code: str
    block: int
    clock: Callable[[], datetime] = datetime.now
    sequence: Sequence = field(default_factory=MemorySequence)

    def __post_init__(self) -> None:
        if len(self.fixmedins_code) != FIXMEDINS_CODE_LENGTH:
            raise ValueError("fixmedins_code must be 12 characters")
        if not 0 <= self.block < MSGID_BLOCKS:
            raise ValueError(f"a msgid block is 0..{MSGID_BLOCKS - 1}")

    def __call__(self) -> str:
        stamp, counter = self.sequence.take(self.clock().strftime(MSGID_TIME_FORMAT))
        return f"{self.fixmedins_code}{stamp}{self.block * MSGID_BLOCK_SIZE + counter:04d}"
