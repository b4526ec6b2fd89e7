"""Wrong-PIN counts per operator number, kept where a restart cannot clear them.

A lock that a restart lifted would invite guessing a PIN five tries per reboot,
so the counts live in a small owner-only JSON file in the terminal's state
folder. Every change is a read-modify-write under an exclusive lock (the counter
app and a command-line user may check PINs at once) and reaches the disk as a
new file renamed over the old one, so a power cut leaves the old counts or the
new ones, never half a file.

A file damaged from outside is read as empty, with a warning: whoever can
damage it can also delete it, and locking every cashier out of a till that
must sell is the worse failure.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from terminal.errors import BadInput
from terminal.faults import state_folder_fault
from terminal.files import read_file_bytes, write_atomically

log = logging.getLogger(__name__)

FILE_NAME = "operator-lockouts.json"
# A few bytes per operator; anything far larger is not this file.
MAX_BYTES = 1 << 20


@dataclass(frozen=True)
class Lockout:
    """One operator number's wrong PINs since its last good one, and when it was locked (unix time)."""

    failures: int = 0
    locked_at: float | None = None

    @property
    def clear(self) -> bool:
        return self.failures == 0 and self.locked_at is None

    def to_json(self) -> dict[str, Any]:
        return {"failures": self.failures, "locked_at": self.locked_at}


def _lockout_from_json(value: object) -> Lockout | None:
    if not isinstance(value, dict):
        return None
    failures, locked_at = value.get("failures"), value.get("locked_at")
    if isinstance(failures, bool) or not isinstance(failures, int) or failures < 0:
        return None
    if locked_at is not None and (isinstance(locked_at, bool) or not isinstance(locked_at, int | float)):
        return None
    return Lockout(failures, None if locked_at is None else float(locked_at))


class LockoutFile:
    """The counts of one terminal (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> dict[str, Lockout]:
        """Every operator number with a count or a lock (an absent file: none)."""
        try:
            data = read_file_bytes(self.path, "operator lockout", max_bytes=MAX_BYTES)
        except BadInput:  # missing (no wrong PIN yet), or something else in its place
            if self.path.exists():
                log.warning("the operator lockout file %s cannot be read; counting wrong PINs from zero", self.path)
            return {}
        try:
            raw = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            log.warning("the operator lockout file %s is damaged; counting wrong PINs from zero", self.path)
            return {}
        out: dict[str, Lockout] = {}
        if isinstance(raw, dict):
            for opter, value in raw.items():
                lockout = _lockout_from_json(value)
                if lockout is None:
                    log.warning("the operator lockout file %s has a damaged entry for %s; ignored", self.path, opter)
                elif not lockout.clear:
                    out[str(opter)] = lockout
        return out

    def get(self, opter: str) -> Lockout:
        return self.read().get(opter, Lockout())

    def update(self, opter: str, change: Callable[[Lockout], Lockout]) -> Lockout:
        """Apply `change` to one number's entry and write the file, atomically; the new entry."""
        with self._exclusive():
            entries = self.read()
            before = entries.get(opter, Lockout())
            after = change(before)
            if after == before:
                return after
            if after.clear:
                entries.pop(opter, None)
            else:
                entries[opter] = after
            self._write(entries)
            return after

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError as exc:
            raise state_folder_fault(exc, lock_path) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _write(self, entries: dict[str, Lockout]) -> None:
        text = json.dumps({k: v.to_json() for k, v in sorted(entries.items())}, indent=1) + "\n"
        try:
            write_atomically(self.path, text.encode("utf-8"), mode=0o600)
        except OSError as exc:
            raise state_folder_fault(exc, self.path) from None
