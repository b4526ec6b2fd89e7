"""The simulated service when its storage fails: a full disk is an environment error, never a bug report.

In process, a full disk is SQLite's own SQLITE_FULL, produced by capping the database's page count;
end to end, the service process runs on a tiny tmpfs that the test fills (skipped where mounting
is not allowed). Either way the answer is infcode -1 with a sentence that says what happened,
nothing is half stored, and the same msgid settles once when space is back.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from fs_helpers import fill, tiny_filesystem
from service_helpers import PARACETAMOL, Raw, card, lines, new_msgid, sale_input

from terminal.sim.processes import plain_catalog_file, start_settlement_service
from terminal.sim.settlement.server import ServiceFiles, service_factory
from terminal.sim.settlement.service import SettlementService


def call(service: SettlementService, infno: str, input_: object, msgid: str) -> dict[str, object]:
    body = json.dumps(Raw.envelope(infno, input_, msgid), ensure_ascii=False).encode("utf-8")
    return service.handle_call(body, Raw.headers())


def balance(service: SettlementService, n: int) -> Decimal:
    answer = call(service, "1101", {"data": {**card(n), "psn_cert_type": "", "certno": "", "psn_name": ""}},
                  new_msgid())
    assert answer["infcode"] == 0, answer
    return Decimal(answer["output"]["insuinfo"][0]["balc"])  # type: ignore[index]


def test_a_full_database_is_refused_with_a_sentence_and_nothing_half_stored(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    service = service_factory(ServiceFiles(db=tmp_path / "service.db", catalog=plain_catalog_file(tmp_path)))()
    try:
        last_balc = balance(service, 13)
        pages = service.store.conn.execute("PRAGMA page_count").fetchone()[0]
        service.store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # room for a message or two
        sale = sale_input(13, card(13), lines((PARACETAMOL, "5")))
        answer: dict[str, object] = {}
        with caplog.at_level(logging.ERROR):
            for _ in range(100):  # the free pages run out after a few messages
                msgid = new_msgid()
                answer = call(service, "2102", sale, msgid)
                if answer["infcode"] != 0:
                    break
                last_balc = Decimal(answer["output"]["setlinfo"]["balc"])  # type: ignore[index]
        assert answer["infcode"] == -1
        assert "full" in str(answer["err_msg"]) and "same msgid" in str(answer["err_msg"])
        assert "internal error" not in str(answer["err_msg"])
        assert "Traceback" not in caplog.text
        service.store.conn.execute("PRAGMA max_page_count = 1073741823")
        assert balance(service, 13) == last_balc  # the refused sale left nothing behind
        settled = call(service, "2102", sale, msgid)
        assert settled["infcode"] == 0, settled["err_msg"]
        assert call(service, "2102", sale, msgid) == settled
        assert balance(service, 13) == Decimal(settled["output"]["setlinfo"]["balc"]) < last_balc  # type: ignore[index]
    finally:
        service.store.close()


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    with tiny_filesystem(tmp_path / "tiny") as folder:
        yield folder


def test_a_full_disk_under_the_running_service(tiny_disk: Path, tmp_path: Path) -> None:
    # The plain catalog lives outside the tiny disk, which only the database may fill.
    service = start_settlement_service(tiny_disk / "service.db", "--catalog", str(plain_catalog_file(tmp_path)),
                                       log=tmp_path / "service.log")
    raw = Raw(service.url)
    try:
        before = raw.balance(13)
        filler = fill(tiny_disk)
        sale = sale_input(13, card(13), lines((PARACETAMOL, "5")))
        msgid = new_msgid()
        refused = []
        for _ in range(40):  # SQLite's free pages may take a few messages to run out
            answer = raw.call("2102", sale, msgid)
            if answer["infcode"] == 0:
                msgid = new_msgid()
                continue
            refused.append(answer["err_msg"])
            break
        assert refused and "full" in refused[0] and "internal error" not in refused[0]
        filler.unlink()
        settled = raw.call("2102", sale, msgid)
        assert settled["infcode"] == 0, settled["err_msg"]
        assert raw.call("2102", sale, msgid) == settled
        assert raw.balance(13) < before
        assert "Traceback" not in (tmp_path / "service.log").read_text(errors="replace")
    finally:
        raw.close()
        service.stop()
