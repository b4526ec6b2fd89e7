"""The operators who may sign in at this counter: numbers, names, roles and PINs.

The operators file (operators.file, docs/operators.md) lists each operator's
number (`opter`, sent on every message to the service), name, role and PIN,
stored only as a salted scrypt hash (terminal.pins).

`OperatorBook.verify(opter, pin)` is what the sign-in and unlock screens call
(on a worker thread: one check takes ~0.1 s). A few wrong PINs in a row lock
the number for a while; the counts survive a restart (terminal.lockouts).
What each role may do is a table (terminal.roles), so the UI asks
`operator.can(action)` or `can(role, action)` and holds no rule of its own.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import math
import os
import re
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from terminal.errors import BadInput, ConfigError
from terminal.faults import file_fault
from terminal.fields import FieldError, Fields
from terminal.files import read_json_file, write_atomically
from terminal.lockouts import FILE_NAME, Lockout, LockoutFile
from terminal.pins import PinHash, check_new_pin
from terminal.roles import ACTION_WORDS, Action, Role, can, roles_for
from terminal.settings import Settings, state_dir

__all__ = ["Action", "NoPinSet", "NotAllowed", "Operator", "OperatorBook", "OperatorLocked", "OperatorStatus", "Role",
           "UnknownOperator", "WrongPin", "can", "read_operators"]

OPTER_PATTERN = r"[0-9A-Za-z]{1,30}"
MAX_FILE_BYTES = 1 << 20
MAX_NAME = 50


@dataclass(frozen=True)
class Operator:
    opter: str
    name: str
    role: Role
    pin: PinHash | None  # None: added to the file, no PIN set yet

    def can(self, action: Action | str) -> bool:
        return can(self.role, action)

    def require(self, action: Action | str) -> None:
        """NotAllowed unless this operator may do `action`."""
        if not self.can(action):
            raise NotAllowed(self, Action(action))


# ------------------------------------------------------------------------------------ errors


class UnknownOperator(BadInput):
    def __init__(self, opter: str) -> None:
        super().__init__(f"There is no operator number {opter}; check the number and try again.")
        self.opter = opter


class WrongPin(BadInput):
    def __init__(self, opter: str, tries_left: int, lock_s: float) -> None:
        tries = "1 try" if tries_left == 1 else f"{tries_left} tries"
        super().__init__(f"The PIN is wrong: {tries} left before number {opter} is locked for {_minutes(lock_s)}.")
        self.opter = opter
        self.tries_left = tries_left


class OperatorLocked(BadInput):
    def __init__(self, opter: str, until: float, now: float) -> None:
        at = datetime.fromtimestamp(until).strftime("%H:%M")
        super().__init__(f"Number {opter} is locked after too many wrong PINs: try again in {_minutes(until - now)} "
                         f"(at {at}) or ask a supervisor to unlock it.")
        self.opter = opter
        self.until = until


class NoPinSet(BadInput):
    def __init__(self, opter: str) -> None:
        super().__init__(f"Operator {opter} has no PIN yet; a supervisor must set one first.")
        self.next_steps = (f"python -m terminal operators set-pin --opter {opter}",)


class NotAllowed(BadInput):
    def __init__(self, operator: Operator, action: Action) -> None:
        who = " or ".join(role.value for role in roles_for(action)) or "supervisor"
        super().__init__(f"{operator.name} ({operator.role.value}) may not {ACTION_WORDS[action]}; ask a {who}.")
        self.action = action


def _minutes(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


# ------------------------------------------------------------------------------- the file


def read_operators(path: Path) -> dict[str, Operator]:
    """The operators of the file `path`, by number; ConfigError naming the file and the operator."""
    return {op.opter: op for op in _parse(path, _raw_entries(path))}


def _raw_entries(path: Path) -> list[Any]:
    return _entries_of(path, read_json_file(path, "operators", config=True, max_bytes=MAX_FILE_BYTES))


def _entries_of(path: Path, data: Any) -> list[Any]:
    entries = data.get("operators") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ConfigError(f'The operators file {path} must hold a JSON object with an "operators" list.')
    return entries


def _parse(path: Path, entries: list[Any]) -> list[Operator]:
    out: list[Operator] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        opter = entry.get("opter") if isinstance(entry, dict) else None
        who = f"operator {opter}" if isinstance(opter, str) and opter else f"entry {index + 1}"
        try:
            f = Fields(entry, "")
            op = _operator(f)
        except FieldError as exc:
            raise ConfigError(f"The operators file {path} has a bad entry for {who}: {exc.cashier_message}.") from None
        if op.opter in seen:
            raise ConfigError(f"The operators file {path} lists operator {op.opter} twice.")
        seen.add(op.opter)
        out.append(op)
    return out


def _rewrite_entry(path: Path, opter: str, change: Callable[[dict[str, Any] | None], dict[str, Any]]) -> None:
    """Replace (or add) one operator's entry, keeping every other entry and key as written.

    Under an exclusive lock on the file, so two rewrites at once cannot lose one of them; the
    new file is checked whole before it replaces the old one, and keeps the old one's mode.
    """
    with _locked(path) as mode:
        data = read_json_file(path, "operators", config=True, max_bytes=MAX_FILE_BYTES)
        entries = _entries_of(path, data)
        index = next((i for i, e in enumerate(entries) if isinstance(e, dict) and e.get("opter") == opter), None)
        if index is None:
            entries.append(change(None))
        else:
            entries[index] = change(dict(entries[index]))
        _parse(path, entries)
        data["operators"] = entries
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        try:
            write_atomically(path, text.encode("utf-8"), mode=mode)
        except OSError as exc:
            raise file_fault(exc, path, "operators", config=True) from None


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[int]:
    """Hold an exclusive lock on the operators file; yields its permission bits."""
    while True:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # a FIFO must not block
        except OSError as exc:
            raise file_fault(exc, path, "operators", config=True) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            held = os.fstat(fd)
            try:
                current = os.stat(path)
            except FileNotFoundError:
                current = None
            if current is not None and (current.st_dev, current.st_ino) == (held.st_dev, held.st_ino):
                yield stat.S_IMODE(held.st_mode)
                return
            # Replaced while we waited: the lock we hold is on the old file.
        finally:
            os.close(fd)


def _operator(f: Fields) -> Operator:
    opter = f.text("opter", max_len=30, pattern=OPTER_PATTERN)
    name = f.text("name", max_len=MAX_NAME)
    role = Role(f.text("role", choices=[r.value for r in Role]))
    raw = f.raw("pin")
    if isinstance(raw, str):
        raise FieldError("the PIN is written in clear text; remove it and set it with "
                         f"`python -m terminal operators set-pin --opter {opter}`")
    return Operator(opter, name, role, None if raw is None else PinHash.from_json(f.obj("pin")))


# -------------------------------------------------------------------------------- the book


@dataclass(frozen=True)
class OperatorStatus:
    """An operator as `operators list` shows it: never the hash."""

    operator: Operator
    lockout: Lockout
    locked_until: float | None

    def to_json(self) -> dict[str, Any]:
        return {"opter": self.operator.opter, "name": self.operator.name, "role": self.operator.role.value,
                "pin_set": self.operator.pin is not None, "wrong_pins": self.lockout.failures,
                "locked_until": None if self.locked_until is None
                else datetime.fromtimestamp(self.locked_until).strftime("%Y-%m-%d %H:%M:%S")}


class OperatorBook:
    """One terminal's operators file and wrong-PIN counts.

    The file is read on every call (a few hundred bytes), so a PIN set from the command line
    counts at once in the running counter app.
    """

    def __init__(self, path: Path, lockouts: LockoutFile, *, max_wrong_pins: int = 5, lock_s: float = 300.0,
                 clock: Callable[[], float] = time.time) -> None:
        if max_wrong_pins < 1 or lock_s <= 0:
            raise ValueError("at least one wrong PIN, and a lock of some time")
        self.path = path
        self.lockouts = lockouts
        self.max_wrong_pins = max_wrong_pins
        self.lock_s = lock_s
        self.clock = clock

    @classmethod
    def from_settings(cls, settings: Settings) -> OperatorBook:
        """The book of a terminal's Settings: operators.file, and the counts in its state folder."""
        ops = settings.operators
        return cls(ops.file_path(), LockoutFile(state_dir(settings) / FILE_NAME),
                   max_wrong_pins=ops.max_wrong_pins, lock_s=ops.lock_minutes * 60)

    def operators(self) -> list[Operator]:
        return list(read_operators(self.path).values())

    def get(self, opter: str) -> Operator:
        found = read_operators(self.path).get(opter.strip())
        if found is None:
            raise UnknownOperator(opter.strip())
        return found

    def statuses(self) -> list[OperatorStatus]:
        counts = self.lockouts.read()
        now = self.clock()
        return [OperatorStatus(op, counts.get(op.opter, Lockout()), self._locked_until(counts.get(op.opter), now))
                for op in self.operators()]

    def verify(self, opter: str, pin: str) -> Operator:
        """The operator, if `pin` is theirs; else UnknownOperator, NoPinSet, OperatorLocked or WrongPin.

        Takes ~0.1 s (scrypt) and writes the counts file: call it off the GUI thread.
        """
        op = self.get(opter)
        if not pin:
            raise BadInput("Type the PIN, then press Enter.")
        if op.pin is None:
            raise NoPinSet(op.opter)
        now = self.clock()
        lockout = self.lockouts.get(op.opter)
        if lockout.locked_at is not None and lockout.locked_at > now:
            # The clock was set back: the lock counts from now, not from a moment still to come.
            lockout = self.lockouts.update(op.opter, lambda old: Lockout(0, now) if old.locked_at else old)
        until = self._locked_until(lockout, now)
        if until is not None:
            raise OperatorLocked(op.opter, until, now)
        if op.pin.matches(pin):
            self.lockouts.update(op.opter, lambda _old: Lockout())
            return op
        after = self.lockouts.update(op.opter, lambda old: self._count_wrong(old, self.clock()))
        if after.locked_at is not None:
            raise OperatorLocked(op.opter, after.locked_at + self.lock_s, now)
        raise WrongPin(op.opter, self.max_wrong_pins - after.failures, self.lock_s)

    def unlock(self, opter: str) -> None:
        """Clear a number's wrong PINs and lock (a supervisor's decision)."""
        self.lockouts.update(self.get(opter).opter, lambda _old: Lockout())

    def set_pin(self, opter: str, pin: str, *, name: str | None = None, role: Role | str | None = None) -> Operator:
        """Store a new PIN for `opter`, rewriting the file atomically and keeping every other entry.

        With `name` and `role` an unknown number is added; without them it is UnknownOperator.
        """
        check_new_pin(pin)
        opter = opter.strip()
        if not re.fullmatch(OPTER_PATTERN, opter):
            raise BadInput(f"{opter!r} is not an operator number: 1 to 30 letters or digits.")
        if name is not None and not 1 <= len(name.strip()) <= MAX_NAME:
            raise BadInput(f"An operator's name is 1 to {MAX_NAME} characters.")
        name = None if name is None else name.strip()
        new_role = None if role is None else Role(role)
        pin_hash = PinHash.make(pin)

        def change(entry: dict[str, Any] | None) -> dict[str, Any]:
            if entry is None:
                if name is None or new_role is None:
                    raise UnknownOperator(opter)
                entry = {"opter": opter, "name": name, "role": new_role.value}
            if name is not None:
                entry["name"] = name
            if new_role is not None:
                entry["role"] = new_role.value
            entry["pin"] = pin_hash.to_json()
            return entry

        _rewrite_entry(self.path, opter, change)
        self.lockouts.update(opter, lambda _old: Lockout())
        return self.get(opter)

    # ------------------------------------------------------------------ counting

    def _count_wrong(self, old: Lockout, now: float) -> Lockout:
        if self._locked_until(old, now) is not None:
            return old  # locked meanwhile by another check
        failures = (0 if old.locked_at is not None else old.failures) + 1
        if failures >= self.max_wrong_pins:
            return Lockout(0, now)
        return Lockout(failures, None)

    def _locked_until(self, lockout: Lockout | None, now: float) -> float | None:
        if lockout is None or lockout.locked_at is None:
            return None
        until = lockout.locked_at + self.lock_s
        return until if now < until else None
