"""Opening the service's SQLite file: checked, owner-only, at the current schema version.

The file `--db` names is checked before anything is written to it: a folder, a missing folder,
random bytes, another application's SQLite file or a newer schema is BadInput (the name is wrong:
exit 1); a read-only file or file system is an EnvironmentFault (exit 3). Either way the file is
left as it was.

The file holds ID numbers, names and card numbers, so it is owner-only (0600). SQLite gives
the -wal and -shm files the main file's mode, so creating the main file owner-only before
SQLite opens it covers all three; a file an earlier version left readable is tightened.

An empty database gets the current schema; one an earlier service made is migrated forward one
version at a time, each step in one transaction (a crash mid-way leaves the version before).
WAL with synchronous=FULL makes a committed answer survive a power cut.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from pathlib import Path

from terminal.errors import BadInput, EnvironmentFault, TerminalError
from terminal.faults import SQLITE_NOTADB, file_fault, not_a_regular_file, sqlite_fault, sqlite_primary_code
from terminal.sim.settlement.schema import MIGRATIONS, OUR_TABLES, SCHEMA, SCHEMA_VERSION

log = logging.getLogger(__name__)

WHAT = "settlement service database"
OWNER_ONLY = 0o600
SIDE_FILES = ("-wal", "-shm")


def open_database(path: Path) -> sqlite3.Connection:
    """A connection to the service's database at `path`, its files owner-only; typed errors otherwise."""
    _check_place(path)
    _create_owner_only(path)
    try:
        # isolation_level=None: the store issues BEGIN/COMMIT itself.
        conn = sqlite3.connect(path, isolation_level=None, timeout=10.0)
    except sqlite3.Error as exc:
        raise _sqlite_failure(exc, path) from None
    try:
        conn.row_factory = sqlite3.Row
        _check_contents(conn, path)  # reads only: nothing is written to a file that is not ours
        _tighten(path)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        _bring_to_current_version(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        raise _sqlite_failure(exc, path) from None
    except BaseException:
        conn.close()
        raise
    return conn


def _check_place(path: Path) -> None:
    """The folder exists, the name is a regular file or free, and the file may be written."""
    folder = path.parent
    if not folder.is_dir():
        raise BadInput(f"The folder {folder} for the {WHAT} does not exist; create it or name another file.")
    try:
        st: os.stat_result | None = path.stat()
    except FileNotFoundError:
        st = None  # a new database
    except OSError as exc:
        raise file_fault(exc, path, WHAT) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise BadInput(f"The {WHAT} file {path} is a folder, not a file; name a file in it.")
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise not_a_regular_file(path, WHAT)
    if os.statvfs(folder).f_flag & os.ST_RDONLY:
        raise EnvironmentFault(f"The {WHAT} file {path} is on a read-only disk; the service must write to it: "
                               "ask IT to check the disk, or name a file on another disk.")
    # Root may write to a file whose write bits are off; the service still treats it as read-only,
    # since someone made it so.
    if st is not None and (not st.st_mode & stat.S_IWUSR or not os.access(path, os.W_OK)):
        raise EnvironmentFault(f"The {WHAT} file {path} is read-only; the service must write to it: make it "
                               "writable for this user, or name another file.")


def _check_contents(conn: sqlite3.Connection, path: Path) -> None:
    version = _user_version(conn)
    tables = {str(row[0]) for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if version > SCHEMA_VERSION:
        raise BadInput(f"The {WHAT} file {path} was made by a newer version of the service (schema {version}; "
                       f"this one knows up to {SCHEMA_VERSION}); run that version or name another file.")
    if (version == 0 and tables) or (version > 0 and not tables >= OUR_TABLES):
        names = ", ".join(sorted(tables)[:5]) or "none"
        raise BadInput(f"The {WHAT} file {path} is another application's SQLite database (tables: {names}); "
                       "name a new file for the service.")


def _sqlite_failure(exc: sqlite3.Error, path: Path) -> TerminalError:
    if sqlite_primary_code(exc) == SQLITE_NOTADB or "not a database" in str(exc):
        return BadInput(f"The {WHAT} file {path} is not an SQLite database; name the service's database "
                        "or a new file.", detail=str(exc))
    fault = sqlite_fault(exc, f"the {WHAT} {path}")
    if fault is None:
        raise exc  # not the file's fault nor the machine's: a bug
    return fault


def _create_owner_only(path: Path) -> None:
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY))
    except FileExistsError:
        return
    except OSError as exc:
        raise file_fault(exc, path, WHAT) from None


def _bring_to_current_version(conn: sqlite3.Connection, path: Path) -> None:
    version = _user_version(conn)
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
