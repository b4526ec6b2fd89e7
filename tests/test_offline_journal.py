"""The journal file: states and steps, durability settings, permissions, migrations, and a damaged file."""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import stat
from decimal import Decimal
from pathlib import Path

import pytest

from terminal.errors import ConfigError, EnvironmentFault
from terminal.offline.journal import Journal
from terminal.offline.schema import MIGRATIONS, SCHEMA_VERSION
from terminal.offline.states import TRANSITIONS, IllegalTransition, Kind, State, check_transition
from terminal.offline.store import JournalFile, JournalUnusable
from terminal.offline.transactions import Transactions

REQUEST = {"data": {"psn_no": "P1", "mdtrt_cert_type": "03", "mdtrt_cert_no": "T10234560", "card_sn": "SN"},
           "drugdetail": []}


def new_sale(t: Transactions, **extra: object) -> str:
    return t.create(Kind.PHARMACY_SALE, sale_time="2026-11-30 10:00:00", operator="0001", request=REQUEST,
                    medfee=Decimal("17.00"), psn_no="P1", **extra).local_id  # type: ignore[arg-type]


def test_the_state_names_are_the_ones_the_issue_spells() -> None:
    assert [s.value for s in State] == [
        "draft", "pre-settled", "sending", "settled", "offline-queued", "forwarding", "forwarded-settled",
        "forward-declined", "reversal-pending", "reversed", "needs-attention"]
    # Every state is reachable from draft, and reversed is the only state without a way on.
    reachable, frontier = {State.DRAFT}, [State.DRAFT]
    while frontier:
        for nxt in TRANSITIONS[frontier.pop()]:
            if nxt not in reachable:
                reachable.add(nxt)
                frontier.append(nxt)
    assert reachable == set(State)
    assert [s for s in State if not TRANSITIONS[s] - {s}] == [State.REVERSED]


@pytest.mark.parametrize(("old", "new"), [
    (State.DRAFT, State.SETTLED),  # settled without ever sending
    (State.SETTLED, State.OFFLINE_QUEUED),  # a settled sale sold again offline
    (State.SENDING, State.FORWARDED_SETTLED),
    (State.OFFLINE_QUEUED, State.SETTLED),
    (State.FORWARDED_SETTLED, State.FORWARDING),
    (State.REVERSED, State.SETTLED),
])
def test_an_illegal_step_is_a_bug_and_raises(tmp_path: Path, old: State, new: State) -> None:
    with pytest.raises(IllegalTransition):
        check_transition("X", old, new)
    with Journal(tmp_path / "j.db", till="T1") as journal:
        local_id = journal.run(new_sale)
        path = {State.SETTLED: [State.SENDING, State.SETTLED], State.SENDING: [State.SENDING],
                State.OFFLINE_QUEUED: [State.OFFLINE_QUEUED], State.FORWARDED_SETTLED: [
                    State.OFFLINE_QUEUED, State.FORWARDING, State.FORWARDED_SETTLED],
                State.REVERSED: [State.SENDING, State.SETTLED, State.REVERSAL_PENDING, State.REVERSED],
                State.DRAFT: []}[old]
        for step in path:
            journal.run(lambda t, s=step: t.step(local_id, s))
        with pytest.raises(IllegalTransition):
            journal.run(lambda t: t.step(local_id, new))
        assert journal.run(lambda t: t.get(local_id)).state is old  # nothing was written


def test_each_step_is_recorded_with_its_msgid(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.db", till="T1") as journal:
        local_id = journal.run(new_sale)
        journal.run(lambda t: t.step(local_id, State.PRE_SETTLED, estimate={"psn_cash_pay": "1.00"}))
        journal.run(lambda t: t.step(local_id, State.SENDING, msgid="M1", attempted=True))
        done = journal.run(lambda t: t.step(local_id, State.SETTLED, answer={"setlinfo": {"setl_id": "S1"}},
                                            receipt=True))
        history = journal.run(lambda t: t.history(local_id))
    assert [(h["old_state"], h["new_state"], h["msgid"]) for h in history] == [
        (None, "draft", None), ("draft", "pre-settled", None), ("pre-settled", "sending", "M1"),
        ("sending", "settled", "M1")]
    assert done.attempts == 1 and done.receipt_no and done.actual == {"setl_id": "S1"}
    assert local_id.startswith("T1-") and done.receipt_no.startswith("T1-R")


def _sell_many(path: str, count: int, out: multiprocessing.Queue[list[str]]) -> None:
    receipts = []
    with Journal(path, till="T1") as journal:
        for _ in range(count):
            local_id = journal.run(new_sale)
            receipts.append(journal.run(lambda t, i=local_id: t.step(i, State.OFFLINE_QUEUED, receipt=True)
                                        ).receipt_no or "")
    out.put(receipts)


def test_two_processes_on_one_journal_never_share_a_receipt_number(tmp_path: Path) -> None:
    path = str(tmp_path / "j.db")
    Journal(path, till="T1").start().close()
    context = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue[list[str]] = context.Queue()
    workers = [context.Process(target=_sell_many, args=(path, 40, out)) for _ in range(2)]
    for w in workers:
        w.start()
    receipts = out.get(timeout=120) + out.get(timeout=120)
    for w in workers:
        w.join(60)
    assert len(receipts) == 80 and len(set(receipts)) == 80


def test_durable_settings_and_owner_only_files(tmp_path: Path) -> None:
    os.umask(0o022)
    with Journal(tmp_path / "state" / "j.db", till="T1") as journal:
        journal.run(new_sale)
        modes = journal.run(lambda t: (t.file.conn.execute("PRAGMA journal_mode").fetchone()[0],
                                       t.file.conn.execute("PRAGMA synchronous").fetchone()[0]))
        files = [tmp_path / "state" / name for name in ("j.db", "j.db-wal", "j.db-shm")]
        assert all(f.exists() for f in files)
        for f in files:
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    assert modes == ("wal", 2)  # 2 = FULL
    assert stat.S_IMODE((tmp_path / "state").stat().st_mode) == 0o700


def test_a_journal_from_the_first_schema_opens_with_its_sales(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0])
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO txn(local_id, kind, state, msgid, sale_time, operator, request, medfee_sumamt, "
                 "created_at, updated_at, psn_no) VALUES ('OLD-1', 'pharmacy-sale', 'offline-queued', 'M-OLD', "
                 "'2026-11-01 09:00:00', '0001', ?, '12.00', 1, 1, 'P9')", (json.dumps(REQUEST),))
    conn.commit()
    conn.close()
    with Journal(path, till="T1") as journal:
        kept = journal.run(lambda t: t.pending())
        version = journal.run(lambda t: t.file.conn.execute("PRAGMA user_version").fetchone()[0])
        local_id = journal.run(new_sale)
    assert version == SCHEMA_VERSION > 1
    assert [(t.local_id, t.state, t.msgid, t.medfee_sumamt) for t in kept] == [
        ("OLD-1", State.OFFLINE_QUEUED, "M-OLD", Decimal("12.00"))]
    assert local_id != "OLD-1"


@pytest.mark.parametrize("damage", ["random bytes", "torn page", "other program", "newer journal", "folder"])
def test_a_file_that_is_not_a_sound_journal_is_refused_and_never_recreated(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "j.db"
    if damage == "random bytes":
        path.write_bytes(os.urandom(8192))
    elif damage == "torn page":
        with Journal(path, till="T1") as journal:
            for _ in range(300):
                journal.run(new_sale)
        data = bytearray(path.read_bytes())
        for offset in range(4096 * 3, len(data), 4096):  # scribble over every page after the schema
            data[offset + 100:offset + 400] = os.urandom(300)
        path.write_bytes(bytes(data))
    elif damage == "other program":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE invoices (id INTEGER)")
        conn.commit()
        conn.close()
    elif damage == "newer journal":
        conn = sqlite3.connect(path)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.commit()
        conn.close()
    else:
        path.mkdir()
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises((JournalUnusable, ConfigError, EnvironmentFault)) as caught:
        Journal(path, till="T1").start()
    assert caught.value.cashier_message.endswith(".") and str(path) in caught.value.cashier_message
    if before is not None:
        assert path.read_bytes() == before  # not repaired, not recreated


def test_a_full_journal_stops_new_sales_with_a_sentence_and_loses_nothing(tmp_path: Path) -> None:
    file = JournalFile(tmp_path / "j.db")
    try:
        t = Transactions(file, "T1")
        kept = new_sale(t)
        pages = file.conn.execute("PRAGMA page_count").fetchone()[0]
        file.conn.execute(f"PRAGMA max_page_count = {pages}")  # a full disk, as SQLite reports it
        with pytest.raises(JournalUnusable, match="is full"):
            for _ in range(1000):
                new_sale(t)
        assert t.get(kept).state is State.DRAFT
    finally:
        file.close()
