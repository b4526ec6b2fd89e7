"""Opening the service's SQLite file.

The file holds ID numbers, names and card numbers, so it is owner-only (0600). SQLite gives
the -wal and -shm files the main file's mode, so creating the main file owner-only before
SQLite opens it covers all three; a file an earlier version left readable is tightened.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import stat
from pathlib import Path

log = logging.getLogger(__name__)

OWNER_ONLY = 0o600
SIDE_FILES = ("-wal", "-shm")


def open_database(path: Path) -> sqlite3.Connection:
    """A connection to the service's database at `path`, its files owner-only."""
    _create_owner_only(path)
    _tighten(path)
    # isolation_level=None: the store issues BEGIN/COMMIT itself.
    return sqlite3.connect(path, isolation_level=None, timeout=10.0)


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
