"""`sim settlement --db` naming a file the service cannot use: one sentence, the right exit code, no traceback.

Exit 1 when the name is wrong (random bytes, a folder, a missing folder, another application's
SQLite file, a newer schema), 3 when the environment is (a read-only file or file system). The
file is checked before the server starts and is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from terminal.sim.processes import REPO, free_loopback_port
from terminal.sim.settlement.server import ServiceFiles, service_factory


def run_service(db: Path) -> subprocess.CompletedProcess[str]:
    """The service's command line; one that starts serving is killed by the timeout and fails the test."""
    return subprocess.run(
        [sys.executable, "-m", "terminal", "sim", "settlement", "--host", "127.0.0.1",
         "--port", str(free_loopback_port()), "--db", str(db)],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False)


def snapshot(path: Path) -> tuple[bytes, int, int] | None:
    if not path.is_file():
        return None
    st = path.stat()
    return path.read_bytes(), st.st_mtime_ns, st.st_mode


def assert_refused(db: Path, exit_code: int, *words: str) -> None:
    before = snapshot(db)
    siblings = sorted(p.name for p in db.parent.iterdir()) if db.parent.is_dir() else None
    result = run_service(db)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == exit_code, (result.returncode, result.stderr)
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    sentence = errors[0].removeprefix("error: ")
    assert sentence.endswith(".") and all(w in sentence for w in words), sentence
    assert "settlement service on http" not in result.stderr  # it never started serving
    assert snapshot(db) == before  # bytes, mtime and mode: untouched
    if siblings is not None:  # no -wal, -shm or journal left behind
        assert sorted(p.name for p in db.parent.iterdir()) == siblings


def make_service_db(db: Path) -> None:
    service_factory(ServiceFiles(db=db))().store.close()


def test_random_bytes(tmp_path: Path) -> None:
    db = tmp_path / "service.db"
    db.write_bytes(os.urandom(4096))
    assert_refused(db, 1, str(db), "not an SQLite database")


def test_a_text_file_that_starts_like_sqlite(tmp_path: Path) -> None:
    db = tmp_path / "service.db"
    db.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84 + os.urandom(4000))
    assert_refused(db, 1, str(db))


def test_a_folder(tmp_path: Path) -> None:
    assert_refused(tmp_path, 1, str(tmp_path), "folder")


def test_a_missing_folder(tmp_path: Path) -> None:
    db = tmp_path / "no-such-folder" / "service.db"
    assert_refused(db, 1, str(db.parent), "does not exist")
    assert not db.parent.exists()


def test_another_applications_sqlite_file(tmp_path: Path) -> None:
    db = tmp_path / "firefox-places.sqlite"
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        conn.execute("INSERT INTO moz_places(url) VALUES ('https://example.com')")
    db.chmod(0o644)
    assert_refused(db, 1, str(db), "another application", "moz_places")


def test_a_database_of_a_newer_service(tmp_path: Path) -> None:
    db = tmp_path / "service.db"
    make_service_db(db)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA user_version = 99")
    assert_refused(db, 1, str(db), "newer version")


def test_a_read_only_file(tmp_path: Path) -> None:
    db = tmp_path / "service.db"
    make_service_db(db)
    db.chmod(0o400)
    assert_refused(db, 3, str(db), "read-only")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs the test fills, then makes read-only with `read_only(path)`."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount_point)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not allowed here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def read_only(mount_point: Path) -> None:
    done = subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        pytest.skip(f"remounting read-only is not allowed here: {done.stderr.strip()}")


def test_a_database_on_a_read_only_file_system(small_disk: Path) -> None:
    db = small_disk / "service.db"
    make_service_db(db)
    read_only(small_disk)
    assert_refused(db, 3, str(db), "read-only")


def test_a_new_database_on_a_read_only_file_system(small_disk: Path) -> None:
    read_only(small_disk)
    db = small_disk / "service.db"
    assert_refused(db, 3, str(db), "read-only")
    assert not db.exists()
