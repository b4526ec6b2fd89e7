"""One rule per kind of source for sorting low-level failures into the three families.

Every layer meets the same OSError or sqlite3.Error; deciding in each place
whether it is the input's fault or the machine's made the same failure a
BadInput here and an EnvironmentFault there. The rule lives here instead, one
function per kind of source:

- a file the user or the configuration named (`file_fault`): a wrong name
  (missing, a folder, not a regular file, too long) is BadInput; the machine
  refusing (permissions, I/O error, full or read-only disk) is EnvironmentFault;
- a serial port (`serial_fault`): always the environment (cable, driver,
  another program holding the port); a malformed port URL is a ConfigError;
- a socket (`socket_fault`): a host name that does not resolve is BadInput,
  everything else (refused, unreachable, address in use) is the environment;
- SQLite (`sqlite_fault`), sorted as qutebrowser's misc/sql.py does: busy,
  locked, read-only, I/O error, corrupt, full, cannot open and "not a
  database" are the environment, with a sentence a cashier or technician can
  act on; anything else is a bug, and the function returns None so the caller
  re-raises it.
"""

from __future__ import annotations

import errno
import socket
import sqlite3
from pathlib import Path

from terminal.errors import BadInput, ConfigError, EnvironmentFault, TerminalError

# The name is wrong: the same call with a better name will work.
_WRONG_NAME = {errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG, errno.ELOOP, errno.EEXIST,
               errno.EINVAL, errno.ENXIO}


def file_fault(exc: OSError, path: str | Path, what: str, *, config: bool = False,
               creating: bool = False) -> TerminalError:
    """The typed error for an OSError met while using (or `creating`) the file `path` (a `what` file)."""
    bad: type[BadInput] = ConfigError if config else BadInput
    code = exc.errno
    if isinstance(exc, FileNotFoundError) or code == errno.ENOENT:
        if creating:
            return bad(f"The folder for the {what} {path} does not exist; create it or choose another path.",
                       detail=str(exc))
        return bad(f"The {what} file {path} does not exist.", detail=str(exc))
    if isinstance(exc, IsADirectoryError) or code == errno.EISDIR:
        return bad(f"The {what} file {path} is a folder, not a file.", detail=str(exc))
    if isinstance(exc, FileExistsError) or code == errno.EEXIST:
        return bad(f"{path} already exists; choose another name for the {what} file.", detail=str(exc))
    if code in _WRONG_NAME:
        return bad(f"The {what} file {path} cannot be used: check the name.", detail=str(exc))
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return EnvironmentFault(f"The {what} file {path} may not be read or written by this user; "
                                "ask IT to fix its permissions.", detail=str(exc))
    if code == errno.ENOSPC:
        return EnvironmentFault(f"The disk holding the {what} file {path} is full; free some space.",
                                detail=str(exc))
    if code == errno.EROFS:
        return EnvironmentFault(f"The {what} file {path} is on a read-only disk; ask IT to check the disk.",
                                detail=str(exc))
    return EnvironmentFault(f"The {what} file {path} cannot be used: the disk or the system failed.",
                            detail=str(exc))


def state_folder_fault(exc: OSError, path: Path) -> TerminalError:
    """The typed error for the terminal's state folder (or a file in it) that cannot be used."""
    folder = path.parent
    if exc.errno in (errno.EEXIST, errno.ENOTDIR, errno.EISDIR, errno.ENOENT, errno.ENAMETOOLONG):
        return ConfigError(f"The terminal's state folder {folder} cannot be used: a file is in its way. Set "
                           "terminal.state_dir or TERMINAL_STATE_DIR to a folder.", detail=str(exc))
    return file_fault(exc, path, "terminal state")


def not_a_regular_file(path: str | Path, what: str, *, config: bool = False) -> BadInput:
    """A device, FIFO or socket where a file was expected (reading one could block or never end)."""
    bad: type[BadInput] = ConfigError if config else BadInput
    return bad(f"The {what} file {path} is not a regular file.")


def serial_fault(exc: BaseException, port: str) -> TerminalError:
    """The typed error for a failure opening or using the serial port `port`.

    pyserial raises SerialException (an OSError) for a missing, busy or vanished
    port, and ValueError for a URL it cannot parse.
    """
    if isinstance(exc, ValueError) and not isinstance(exc, OSError):
        return ConfigError(f"The serial port {port!r} is not a port name or URL this terminal understands.",
                           detail=str(exc))
    if isinstance(exc, OSError) and (exc.errno in (errno.EACCES, errno.EPERM)):
        return EnvironmentFault(f"This user may not open the serial port {port}; ask IT to add it to the "
                                "dialout group.", detail=str(exc))
    if isinstance(exc, OSError) and exc.errno == errno.EBUSY:
        return EnvironmentFault(f"The serial port {port} is in use by another program; close it.",
                                detail=str(exc))
    return EnvironmentFault(f"The serial port {port} cannot be used: check the cable and that the device is "
                            "switched on.", detail=f"{type(exc).__name__}: {exc}")


def socket_fault(exc: OSError, address: str) -> TerminalError:
    """The typed error for a failure connecting to, or listening on, `address`."""
    if isinstance(exc, socket.gaierror):
        return BadInput(f"The host name in {address} is not known; check the address.", detail=str(exc))
    if exc.errno == errno.EADDRINUSE:
        return EnvironmentFault(f"{address} is already in use by another program; choose another port or "
                                "stop that program.", detail=str(exc))
    if exc.errno in (errno.EACCES, errno.EPERM):
        return EnvironmentFault(f"This user may not use {address}; choose a port above 1024.", detail=str(exc))
    return EnvironmentFault(f"{address} cannot be reached; check the network.", detail=str(exc))


# SQLite's primary result codes (the low byte of sqlite_errorcode).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_NOMEM = 7
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_PROTOCOL = 15
SQLITE_NOTADB = 26

_SQLITE_SENTENCES = {
    SQLITE_FULL: "The disk holding {what} is full: free some space; nothing already saved is lost.",
    SQLITE_IOERR: "The disk holding {what} reported an error: call IT to check the disk.",
    SQLITE_READONLY: "{what} cannot be written (read-only file or disk): call IT.",
    SQLITE_BUSY: "{what} is busy in another program: wait a moment and try again.",
    SQLITE_LOCKED: "{what} is busy in another program: wait a moment and try again.",
    SQLITE_CORRUPT: "{what} is damaged: stop and call IT; do not delete it.",
    SQLITE_NOTADB: "{what} is not a database this terminal made: check the file name or call IT.",
    SQLITE_CANTOPEN: "{what} cannot be opened: check that its folder exists and may be written.",
    SQLITE_PROTOCOL: "{what} is busy in another program: wait a moment and try again.",
    SQLITE_NOMEM: "The computer ran out of memory while using {what}: restart the terminal.",
}


def sqlite_primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def sqlite_fault(exc: sqlite3.Error, what: str) -> EnvironmentFault | None:
    """EnvironmentFault for an SQLite error the environment caused; None for a bug (re-raise it).

    `what` names the database for the sentence, e.g. "the journal (/var/lib/.../journal.db)".
    """
    sentence = _SQLITE_SENTENCES.get(sqlite_primary_code(exc) or -1)
    if sentence is None and isinstance(exc, sqlite3.OperationalError):
        # Errors raised before a statement runs carry no code; match SQLite's own words.
        text = str(exc).lower()
        for words, code in (("disk is full", SQLITE_FULL), ("disk i/o", SQLITE_IOERR),
                            ("readonly", SQLITE_READONLY), ("is locked", SQLITE_BUSY),
                            ("unable to open", SQLITE_CANTOPEN), ("out of memory", SQLITE_NOMEM)):
            if words in text:
                sentence = _SQLITE_SENTENCES[code]
                break
    if sentence is None and isinstance(exc, sqlite3.DatabaseError) and "not a database" in str(exc):
        sentence = _SQLITE_SENTENCES[SQLITE_NOTADB]
    if sentence is None:
        return None
    text = sentence.format(what=what)
    return EnvironmentFault(text[0].upper() + text[1:],
                            detail=f"{getattr(exc, 'sqlite_errorname', type(exc).__name__)}: {exc}")
