"""The service's database file: owner-only, migrated forward, and checked before the service starts.

Owner-only because it holds ID numbers, names and card numbers. A database made by an earlier
schema version is migrated in place, keeping every row it holds working.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import stat
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from service_helpers import (
    AMOXICILLIN,
    PERSONS,
    Raw,
    card,
    in_process,
    line,
    lines,
    new_msgid,
    psn,
    sale_input,
    with_codes,
)

from terminal.catalog import load_catalog
from terminal.sim.boxes import fresh_codes
from terminal.sim.settlement.schema import SCHEMA_VERSION
from terminal.sim.settlement.server import ServiceFiles, service_factory

V1_SCHEMA = (Path(__file__).parent / "service_schema_v1.sql").read_text(encoding="utf-8")


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


# ----- a database made by schema version 1, with a sale in it

V1_MSGID = "P12010100001" + "20240105093000" + "0001"
V1_SETL_ID = "S2024010509300000000001"
V1_ANSWER = {"infcode": 0, "inf_refmsgid": "120000202401050930000000000001", "refmsg_time": "2024-01-05 09:30:00",
             "respond_time": "2024-01-05 09:30:00", "err_msg": "", "warn_msg": "",
             "output": {"setlinfo": {"setl_id": V1_SETL_ID, "psn_no": psn(13), "medfee_sumamt": "17.00",
                                     "acct_pay": "17.00", "balc": "7983.00"}}}


def make_v1_database(db: Path) -> None:
    """What the version-1 service left after one 17.00 account sale of 013 this year and an ec.query."""
    year = datetime.now().year
    setl_time = f"{year}-01-05 09:30:00"
    p = PERSONS[psn(13)]
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.executescript(V1_SCHEMA)
        conn.execute("PRAGMA journal_mode=WAL")
        with conn:
            conn.execute(
                "INSERT INTO person(psn_no, psn_name, certno, psn_cert_type, gend, brdy, insutype, psn_type,"
                " psn_insu_stas, insuplc_admdvs, balc_fen, card_no, card_sn, holder, emp_name, cvlserv_flag)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (p["psn_no"], p["psn_name"], p["certno"], p["psn_cert_type"], p["gend"], p["brdy"], p["insutype"],
                 p["psn_type"], p["psn_insu_stas"], p["insuplc_admdvs"], 798300, p["card_no"], p["card_sn"], None,
                 p["emp_name"], "0"))
            conn.execute("INSERT INTO usage VALUES (?, ?, 'outpatient', 1700, 0)", (psn(13), year))
            conn.execute("INSERT INTO visit(mdtrt_id, psn_no, kind, med_type, insutype, status, begntime, endtime,"
                         " fixmedins_code, mdtrt_cert_type, mdtrt_cert_no, card_sn, created_msgid) VALUES"
                         " ('M1', ?, 'pharmacy', '41', '310', 'settled', ?, ?, 'P12010100001', '03', ?, ?, ?)",
                         (psn(13), setl_time, setl_time, p["card_no"], p["card_sn"], V1_MSGID))
            conn.execute("INSERT INTO settlement VALUES (?, 'M1', ?, '2102', ?, 'P12010100001', ?, '310', '41',"
                         " '120000', ?, 'outpatient', 1700, 0, 1700, 0, 0, 1700, 0, NULL, ?, 'settled', NULL, NULL)",
                         (V1_SETL_ID, psn(13), V1_MSGID, setl_time, year, json.dumps(V1_ANSWER["output"])))
            conn.execute("INSERT INTO message VALUES (?, '2102', 'P12010100001', ?, ?)",
                         (V1_MSGID, json.dumps(V1_ANSWER, ensure_ascii=False), setl_time))
            conn.execute("INSERT INTO ec_token VALUES ('EC-V1-TOKEN', ?, NULL, ?)", (psn(13), int(time.time()) + 3600))
            conn.execute("INSERT INTO counter VALUES ('S', 1), ('M', 1), ('inf_refmsgid', 1)")
        conn.execute("PRAGMA user_version = 1")


def columns(db: Path, table: str) -> set[str]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def user_version(db: Path) -> int:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def balc(answer: dict[str, Any]) -> Decimal:
    assert answer["infcode"] == 0, answer["err_msg"]
    return Decimal(answer["output"]["insuinfo"][0]["balc"])


def test_a_version_1_database_is_migrated_and_keeps_working(tmp_path: Path) -> None:
    db = tmp_path / "service.db"
    make_v1_database(db)
    with in_process(db) as service:
        assert user_version(db) == SCHEMA_VERSION == 3
        assert {"code", "setl_id", "feedetl_sn", "med_list_codg", "status"} <= columns(db, "sold_code")
        assert {"dev_no", "request_digest"} <= columns(db, "message")
        assert {"fixmedins_code", "block", "dev_no"} <= columns(db, "msgid_block")
        assert "voucher_nonce" in columns(db, "settlement") and "voucher_nonce" in columns(db, "ec_token")
        assert balc(service.call("1101", {"data": card(13)})) == Decimal("7983.00")  # the v1 state, kept
        # The v1 answer replays for its msgid (there is no digest to compare); its block is claimed by
        # the till that asks.
        assert service.call("2102", sale_input(13, card(13), lines((AMOXICILLIN, "2"))), V1_MSGID) == V1_ANSWER
        assert "block 00" in service.call("1101", {"data": card(13)}, V1_MSGID[:-4] + "0002",
                                          dev_no="CT-0002")["err_msg"]
        # The v1 settlement can be reversed, giving back its account payment and deductible.
        back = service.call("2103", {"data": {"setl_id": V1_SETL_ID, "psn_no": psn(13)}})
        assert back["infcode"] == 0, back["err_msg"]
        assert balc(service.call("1101", {"data": card(13)})) == Decimal("8000.00")
        # The v1 ecToken still identifies its person (its voucher is unknown, so it is not single-use),
        # and new sales settle.
        token = {"mdtrt_cert_type": "01", "mdtrt_cert_no": "EC-V1-TOKEN", "card_sn": ""}
        for _ in range(2):
            sold = service.call("2102", sale_input(13, token, lines((AMOXICILLIN, "1"))), new_msgid())
            assert sold["infcode"] == 0, sold["err_msg"]
    with in_process(db) as service:  # opening it again changes nothing more
        assert user_version(db) == SCHEMA_VERSION
        assert balc(service.call("1101", {"data": card(13)})) == Decimal("7983.00")


def test_a_version_1_database_migrated_on_the_demo_catalog_sells_codes_once(tmp_path: Path) -> None:
    # The settlement made before version 3 sold no recorded codes: it reverses as before; new sales
    # record theirs.
    db = tmp_path / "service.db"
    make_v1_database(db)
    box = fresh_codes(load_catalog()[AMOXICILLIN], 1)
    sale = sale_input(13, card(13), [with_codes(line(AMOXICILLIN, "1"), box, "RX-1")])
    with in_process(db, plain_catalog=False) as service:
        assert service.call("2103", {"data": {"setl_id": V1_SETL_ID, "psn_no": psn(13)}})["infcode"] == 0
        assert service.call("2102", sale, new_msgid())["infcode"] == 0
    with in_process(db, plain_catalog=False) as service:
        again = service.call("2102", sale, new_msgid())
        assert again["infcode"] == -1 and box[0] in again["err_msg"] and "already sold" in again["err_msg"]
