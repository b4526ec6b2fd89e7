"""`python -m terminal journal migrate`: what the Debian package's postinst runs on an upgrade."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from old_journal import QUEUED, write_old_journal

from terminal.commands.entry import main
from terminal.offline.schema import SCHEMA_VERSION


def migrate(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["journal", "migrate", *args]) == 0
    answer: dict[str, object] = json.loads(capsys.readouterr().out)
    return answer


def test_an_old_journal_is_migrated_and_keeps_its_queued_sales(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "journal.db"
    write_old_journal(path)
    answer = migrate(capsys, "--db", str(path))
    assert answer == {"journal": str(path), "exists": True, "schema_before": 1, "schema": SCHEMA_VERSION,
                      "pending": len(QUEUED)}
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        rows = conn.execute("SELECT local_id, state, medfee_sumamt FROM txn ORDER BY local_id").fetchall()
    finally:
        conn.close()
    assert rows == [(local_id, "offline-queued", amount) for local_id, _msgid, amount in QUEUED]
    assert migrate(capsys, "--db", str(path))["schema_before"] == SCHEMA_VERSION  # again: nothing to do


def test_the_configured_journal_is_the_one_migrated_and_a_missing_one_is_not_created(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "terminal.json"
    config.write_text(json.dumps({"offline": {"journal": str(tmp_path / "j.db")}}), encoding="utf-8")
    answer = migrate(capsys, "--config", str(config))
    assert answer["exists"] is False and answer["journal"] == str(tmp_path / "j.db")
    assert not (tmp_path / "j.db").exists()
