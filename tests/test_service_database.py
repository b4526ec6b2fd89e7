"""The service's database file: created owner-only, because it holds ID numbers, names and card numbers."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from service_helpers import Raw, card, new_msgid

from terminal.sim.settlement.server import ServiceFiles, service_factory


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_and_its_wal_and_shm_are_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "service.db"
    service = service_factory(ServiceFiles(db=db))()
    try:
        envelope = Raw.envelope("1101", {"data": card(13)}, new_msgid())
        assert service.handle_call(json.dumps(envelope).encode(), Raw.headers())["infcode"] == 0
        files = [db, db.with_name("service.db-wal"), db.with_name("service.db-shm")]
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
    finally:
        service.store.close()


def test_a_database_made_world_readable_is_made_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "service.db"
    service_factory(ServiceFiles(db=db))().store.close()
    db.chmod(0o644)
    service = service_factory(ServiceFiles(db=db))()
    try:
        assert mode(db) == 0o600
    finally:
        service.store.close()
