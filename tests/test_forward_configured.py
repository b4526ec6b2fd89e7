"""`forward` without --db and --service: the configuration's journal and service (counter-forward.service)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from terminal.commands.entry import main


def test_forward_uses_the_configured_journal_and_service(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "terminal.json"
    config.write_text(json.dumps({"service": {"url": "http://127.0.0.1:9"},
                                  "offline": {"journal": str(tmp_path / "journal.db")}}), encoding="utf-8")
    assert main(["forward", "--config", str(config), "--once"]) == 0  # nothing queued: the service is not asked
    assert json.loads(capsys.readouterr().out)["left"] == 0
    assert (tmp_path / "journal.db").is_file()


def test_the_other_journal_commands_still_need_both(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["sale", "--basket", "b.json", "--card-no", "1"])
    assert "--db" in capsys.readouterr().err
