"""The doctor's journal checks: may it be written, is it whole, how old is its queue.

The journal is read through a read-only SQLite connection of the doctor's own,
not opened as the terminal opens it (JournalFile migrates an older journal,
switches it to WAL and tightens its mode): a diagnosis must not change the
file it looks at, perhaps while the counter has it open.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from datetime import datetime
from pathlib import Path

from terminal.app.doctor import Check, Context, Finding, failed, ok, warning
from terminal.offline.schema import SCHEMA_VERSION
from terminal.offline.states import OUTSTANDING
from terminal.offline.store import read_only
from terminal.settings import Settings, journal_path

CHECK_TIMEOUT_S = 20.0
# The share of offline.max_queue_age_h from which the oldest queued sale is worth a warning, as the
# status bar's queue light turns amber (terminal/app/status.py).
WARN_SHARE = 0.8


def _settings(context: Context) -> Settings:
    assert context.settings is not None  # run_check gives these checks settings, or does not run them
    return context.settings


def _writable(path: Path) -> str | None:
    """Why this user may not write path (a file, or a folder to make files in), or None when it may.

    Root writes past missing write bits, but a file or folder someone made read-only is treated as
    read-only all the same (as the simulated service treats its database): the counter user cannot
    write it, and someone meant it not to be.
    """
    st = path.stat()
    kind = "folder" if stat.S_ISDIR(st.st_mode) else "file"
    if os.statvfs(path).f_flag & os.ST_RDONLY:
        return f"the {kind} {path} is on a read-only disk"
    wanted = os.W_OK | (os.X_OK if kind == "folder" else 0)
    if not st.st_mode & stat.S_IWUSR or not os.access(path, wanted):
        return f"the {kind} {path} is read-only (mode {stat.filemode(st.st_mode)})"
    return None


def check_permissions(context: Context) -> list[Finding]:
    path = journal_path(_settings(context))
    name = "journal.permissions"
    if path.exists() and not path.is_file():
        return [failed(name, f"{path} is not a file.", "set offline.journal to a file, or remove what is there.")]
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # a missing state folder is made at first start, in the first that exists
    problems = [p for p in ((_writable(path) if path.exists() else None), _writable(folder)) if p]
    if problems:
        return [failed(name, f"The journal cannot be written: {'; '.join(problems)}.",
                       f"make {path} and its folder writable for the counter user "
                       f"(chown it to that user, chmod u+rw the file and u+rwx the folder), or remount the disk "
                       "read-write.")]
    if not path.exists():
        return [ok(name, f"the folder {folder} may be written, so the journal can be created there.")]
    return [ok(name, f"{path} and its folder may be written by this user.")]


def check_integrity(context: Context) -> list[Finding]:
    path = journal_path(_settings(context))
    name = "journal.integrity"
    if not path.exists():
        # A journal's write-ahead log or rollback file left behind means one was there and is gone (moved or
        # deleted with its sales); with neither, this is a counter that has not sold yet: a fresh install.
        leftovers = [p.name for p in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-journal"))
                     if p.exists()]
        if leftovers:
            return [failed(name, f"there is no journal at {path}, but its {' and '.join(leftovers)} is there: "
                                 "the journal was moved or deleted.",
                           "stop selling and call IT: put the journal back (it holds the sales), or check that "
                           "offline.journal and terminal.state_dir point where it is.")]
        return [ok(name, f"no journal at {path} yet: this counter has not sold; it is created at first start.")]
    try:
        with read_only(path) as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            tables = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if version == 0 and tables:
                return [failed(name, f"{path} is an SQLite file of another program, not a journal.",
                               "set offline.journal to this counter's journal.")]
            if version > SCHEMA_VERSION:
                return [failed(name, f"{path} was written by a newer version of the terminal (schema {version}, "
                                     f"this one knows {SCHEMA_VERSION}).", "install that version again.")]
            problems = [str(r[0]) for r in conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:
        return [failed(name, f"{path} cannot be read as a journal: {exc}.",
                       "stop selling and call IT; do not delete the file (it holds the sales).")]
    if problems != ["ok"]:
        return [failed(name, f"{path} is damaged: {'; '.join(problems[:3])}.",
                       "stop selling and call IT; do not delete the file (it holds the sales).")]
    later = "" if version == SCHEMA_VERSION else f" (schema {version}: brought up to date at the next start)"
    return [ok(name, f"{path} is whole{later}.")]


def _age_words(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours:.1f} h" if hours >= 1 else f"{seconds / 60:.0f} min"


def check_queue(context: Context) -> list[Finding]:
    settings = _settings(context)
    path = journal_path(settings)
    name = "journal.queue"
    if not path.exists():
        return [ok(name, "no sales queued (no journal yet).")]
    marks = ",".join("?" * len(OUTSTANDING))
    with read_only(path) as conn:
        has_txn = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='txn'").fetchone()
        if not has_txn:
            return [ok(name, "no sales queued (the journal is empty).")]
        count, oldest = conn.execute(f"SELECT COUNT(*), MIN(sale_time) FROM txn WHERE state IN ({marks})",
                                     tuple(s.value for s in OUTSTANDING)).fetchone()
    if not count:
        return [ok(name, "no sales queued for the service.")]
    age = max(0.0, time.time() - datetime.strptime(str(oldest), "%Y-%m-%d %H:%M:%S").timestamp())
    limit_s = settings.offline.max_queue_age_h * 3600
    found = (f"{count} sale(s) queued for the service, the oldest from {oldest} ({_age_words(age)} old; "
             f"the limit, offline.max_queue_age_h, is {settings.offline.max_queue_age_h:g} h)")
    todo = ("get the counter back online so the queue is forwarded (`python -m terminal forward --db "
            f"{path} --service URL --once` forwards it now); `queue --db {path} list` shows the sales.")
    if age >= limit_s:
        return [failed(name, f"{found}: no sale may go offline until it is forwarded.", todo)]
    if age >= WARN_SHARE * limit_s:
        return [warning(name, f"{found}: close to the limit.", todo)]
    return [ok(name, f"{found}.")]


JOURNAL_CHECKS = [
    Check(("journal.integrity",), check_integrity, CHECK_TIMEOUT_S),
    Check(("journal.permissions",), check_permissions, 5.0),
    Check(("journal.queue",), check_queue, CHECK_TIMEOUT_S),
]
