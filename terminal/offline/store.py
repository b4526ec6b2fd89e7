"""The journal's SQLite file and every read and write of it, on whichever thread owns the connection.

Durability: WAL with synchronous=FULL, so a committed step survives a power cut
(measured in bench/journal.py). Every step is one IMMEDIATE transaction: it
takes the write lock before reading, so two processes on one journal (the app
and a technician's `forward`) serialise instead of deadlocking, and counters
(local ids, receipt numbers) can never be handed out twice.

The file, its WAL and its SHM are owner-only: they hold certificates until a
sale is finished. A file that is not this terminal's journal, or is damaged, is
refused at start-up and never recreated; a journal from a newer terminal too.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from terminal.errors import ConfigError, EnvironmentFault
from terminal.faults import file_fault, sqlite_fault
from terminal.offline.schema import MIGRATIONS, SCHEMA_VERSION

BUSY_TIMEOUT_S = 5.0
T = TypeVar("T")


@contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that cannot write the journal file (a check, the doctor, the schema an upgrade finds)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        yield conn
    finally:
        conn.close()


class JournalUnusable(EnvironmentFault):
    """The journal cannot be opened or written: nothing new may be sold until it is fixed."""


def describe(path: Path) -> str:
    return f"the journal {path}"


class JournalFile:
    """The open SQLite connection of one journal, with its checks and migrations done.

    The full integrity check reads every page (a tenth of a second for a year of sales). With
    `defer_check` it runs on a reader connection of its own while the terminal starts and lists
    its queue; every write waits for its verdict, so nothing is written to a damaged journal.
    A journal that needs migrating is always checked first.
    """

    def __init__(self, path: str | Path, *, check_integrity: bool = True, defer_check: bool = False,
                 clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.clock = clock
        self.integrity: Future[None] = Future()
        self.conn = self._connect()
        self.db = sqlite_utils.Database(self.conn)
        try:
            self._check_and_migrate(check_integrity, defer_check)
        except BaseException:
            self.conn.close()
            raise

    # ----- opening

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not self.path.exists():
                # Owner-only from the first byte; SQLite gives the -wal and -shm the same mode.
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            mode = self.path.stat().st_mode
            if not stat.S_ISREG(mode):
                raise ConfigError(f"The journal {self.path} is not a file; set offline.journal or --db to a file.")
            if mode & 0o077:
                self.path.chmod(0o600)
        except OSError as exc:
            raise file_fault(exc, self.path, "journal") from None
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_S,
                                   check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            raise self.fault(exc) from None
        return conn

    def _check_and_migrate(self, check_integrity: bool, defer_check: bool) -> None:
        try:
            version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
            tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if version == 0 and tables:
                raise ConfigError(f"{self.path} is an SQLite file of another program, not a journal; "
                                  "choose another file.", detail=f"tables {', '.join(sorted(tables))[:200]}")
            if version > SCHEMA_VERSION:
                raise ConfigError(f"The journal {self.path} was written by a newer version of the terminal; "
                                  "install that version again.",
                                  detail=f"schema {version}, this terminal knows {SCHEMA_VERSION}")
            # Only now, the file being ours (or new): switching to WAL writes to its header.
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=FULL")
            if not check_integrity or not version:
                self.integrity.set_result(None)
            elif defer_check and version == SCHEMA_VERSION:
                threading.Thread(target=self._check_in_background, name="journal check", daemon=True).start()
            else:
                self._quick_check(self.conn)
                self.integrity.set_result(None)
            for number in range(version, SCHEMA_VERSION):
                with self.write():
                    for statement in _statements(MIGRATIONS[number]):
                        self.conn.execute(statement)
                    self.conn.execute(f"PRAGMA user_version = {number + 1}")
        except sqlite3.Error as exc:
            raise self.fault(exc) from None

    def _quick_check(self, conn: sqlite3.Connection) -> None:
        problems = [r[0] for r in conn.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise JournalUnusable(f"The journal {self.path} is damaged: stop selling and call IT; do not delete it.",
                                  detail="; ".join(problems[:5]))

    def _check_in_background(self) -> None:
        try:
            with read_only(self.path) as reader:
                self._quick_check(reader)
        except JournalUnusable as exc:
            self.integrity.set_exception(exc)
        except sqlite3.Error as exc:
            sorted_fault = sqlite_fault(exc, describe(self.path))
            self.integrity.set_exception(JournalUnusable(
                sorted_fault.cashier_message if sorted_fault else f"The journal {self.path} cannot be checked.",
                detail=str(exc)))
        else:
            self.integrity.set_result(None)

    def fault(self, exc: sqlite3.Error) -> EnvironmentFault:
        """The sorted error for an SQLite failure; a bug (not the environment's doing) is re-raised."""
        sorted_fault = sqlite_fault(exc, describe(self.path))
        if sorted_fault is None:
            raise exc
        return JournalUnusable(sorted_fault.cashier_message, detail=sorted_fault.detail)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    # ----- transactions

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """One atomic step: IMMEDIATE (the write lock first), committed durably, rolled back on error."""
        self.integrity.result()  # never write to a journal the check found damaged (or before it knows)
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self.fault(exc) from None
        try:
            yield self.db
            self.conn.execute("COMMIT")
        except BaseException as exc:
            if self.conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise self.fault(exc) from None
            raise

    def read(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        try:
            return list(self.conn.execute(sql, params).fetchall())
        except sqlite3.Error as exc:
            raise self.fault(exc) from None

    def reading(self, work: Callable[[], T]) -> T:
        """Run reads that use the connection directly, with SQLite errors sorted."""
        try:
            return work()
        except sqlite3.Error as exc:
            raise self.fault(exc) from None

    def next_value(self, name: str) -> int:
        """The next number of a counter; call inside write() so it commits with what uses it."""
        self.conn.execute("INSERT INTO counter(name, value) VALUES (?, 1) "
                          "ON CONFLICT(name) DO UPDATE SET value = value + 1", (name,))
        return int(self.conn.execute("SELECT value FROM counter WHERE name = ?", (name,)).fetchone()[0])

    # ----- leases: who may act on a transaction, or run the forwarder, right now

    def take_lease(self, name: str, owner: str, seconds: float) -> str | None:
        """Take or renew the named lease; None if taken, else the owner who holds it."""
        now = self.clock()
        with self.write():
            row = self.conn.execute("SELECT owner, until FROM lease WHERE name = ?", (name,)).fetchone()
            if row is not None and row["owner"] != owner and row["until"] > now and owner_alive(row["owner"]):
                return str(row["owner"])
            self.conn.execute("INSERT INTO lease(name, owner, until) VALUES (?, ?, ?) ON CONFLICT(name) DO "
                              "UPDATE SET owner = excluded.owner, until = excluded.until", (name, owner, now + seconds))
        return None

    def drop_lease(self, name: str, owner: str) -> None:
        with self.write():
            self.conn.execute("DELETE FROM lease WHERE name = ? AND owner = ?", (name, owner))


def owner_alive(owner: str) -> bool:
    """Whether the process named by a hold (host:pid:tag) may still be running.

    On this host a missing pid is certainly dead; elsewhere (a journal on a shared disk) only the
    hold's expiry tells.
    """
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _statements(script: str) -> list[str]:
    # executescript() would COMMIT the open transaction first; the statements run one by one instead,
    # so a migration and its new user_version commit together. Migrations hold no ';' in literals.
    return [part.strip() for part in script.split(";") if part.strip()]


def dumps(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
