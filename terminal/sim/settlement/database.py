"""Opening the service's SQLite file: owner-only, at the current schema version.

The file holds ID numbers, names and card numbers, so it is owner-only (0600). SQLite gives
the -wal and -shm files the main file's mode, so creating the main file owner-only before
SQLite opens it covers all three; a file an earlier version left readable is tightened.

An empty database gets the current schema; one an earlier service made is migrated forward one
version at a time, each step in one transaction (a crash mid-way leaves the version before).
WAL with synchronous=FULL makes a committed answer survive a power cut.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import stat
from pathlib import Path

from terminal.errors import ConfigError
from terminal.sim.settlement.schema import MIGRATIONS, SCHEMA, SCHEMA_VERSION

log = logging.getLogger(__name__)

OWNER_ONLY = 0o600
SIDE_FILES = ("-wal", "-shm")


def open_database(path: Path) -> sqlite3.Connection:
    """A connection to the service's database at `path`, its files owner-only."""
    _create_owner_only(path)
    _tighten(path)
    # isolation_level=None: the store issues BEGIN/COMMIT itself.
    conn = sqlite3.connect(path, isolation_level=None, timeout=10.0)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        _bring_to_current_version(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def _bring_to_current_version(conn: sqlite3.Connection, path: Path) -> None:
    version = _user_version(conn)
    if version > SCHEMA_VERSION:
        raise ConfigError(f"The settlement service database {path} was made by a newer version of the service "
                          f"(schema {version}; this one knows up to {SCHEMA_VERSION}); run that version.")
    if version == 0:
        _in_transaction(conn, SCHEMA, SCHEMA_VERSION)
        return
    while version < SCHEMA_VERSION:
        _in_transaction(conn, MIGRATIONS[version], version + 1)
        log.info("settlement service database %s migrated to schema %d", path, version + 1)
        version = _user_version(conn)


def _user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _in_transaction(conn: sqlite3.Connection, script: str, version: int) -> None:
    try:
        conn.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _create_owner_only(path: Path) -> None:
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY))


def _tighten(path: Path) -> None:
    for file in (path, *(path.with_name(path.name + suffix) for suffix in SIDE_FILES)):
        try:
            current = stat.S_IMODE(file.stat().st_mode)
            if current & 0o077:
                file.chmod(current & 0o700)
        except FileNotFoundError:
            continue
        except PermissionError as exc:  # another user's file: say so, the service can still use it
            log.warning("cannot make %s owner-only: %s", file, exc)
