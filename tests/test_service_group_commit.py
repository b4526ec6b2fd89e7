"""Group commit: requests that waited together share one transaction and one commit, each message still alone.

In process (SettlementService.handle_batch, the database thread's call) for the rules, and through HTTP for
many counters calling at once.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from service_helpers import AMOXICILLIN, PARACETAMOL, InProcess, Raw, card, in_process, lines, new_msgid, sale_input

from terminal.sim.processes import ServiceProcess
from terminal.sim.settlement import service as service_module


@pytest.fixture
def svc(tmp_path: Path) -> Iterator[InProcess]:
    with in_process(tmp_path / "service.db") as made:
        yield made


def request(infno: str, input_: Any, msgid: str | None = None) -> tuple[bool, bytes, dict[str, str]]:
    body = json.dumps(Raw.envelope(infno, input_, msgid)).encode("utf-8")
    return False, body, Raw.headers()


def sale(n: int, code: str = PARACETAMOL) -> dict[str, Any]:
    return sale_input(n, card(n), lines((code, "1")), acct_used="0")


def commits(svc: InProcess) -> list[str]:
    seen: list[str] = []
    svc.service.store.conn.set_trace_callback(lambda sql: seen.append(sql) if sql == "COMMIT" else None)
    return seen


def test_a_group_is_one_commit_and_each_message_is_answered_and_stored(svc: InProcess) -> None:
    msgids = [new_msgid() for _ in range(4)]
    group = [request("2102", sale(n), msgid) for n, msgid in zip((1, 2, 11, 13), msgids, strict=True)]
    seen = commits(svc)
    answers = svc.service.handle_batch(group)
    assert seen == ["COMMIT"]
    assert all(isinstance(a, dict) and a["infcode"] == 0 for a in answers), answers
    settled = [a["output"]["setlinfo"]["psn_no"] for a in answers if isinstance(a, dict)]
    assert settled == [f"120000000000000000{n:02d}" for n in (1, 2, 11, 13)]
    # Stored under their msgids: the same message again is the same answer, not a second settlement.
    for (_ec, body, _h), first in zip(group, answers, strict=True):
        assert svc.service.handle_call(body, Raw.headers()) == first


def test_the_same_msgid_twice_in_a_group_settles_once(svc: InProcess) -> None:
    msgid = new_msgid()
    first, again = svc.service.handle_batch([request("2102", sale(13), msgid), request("2102", sale(13), msgid)])
    assert isinstance(first, dict) and first["infcode"] == 0 and again == first
    count = svc.service.store.one("SELECT count(*) AS n FROM settlement WHERE msgid = ?", (msgid,))
    assert count is not None and count["n"] == 1


def test_a_bug_in_one_message_undoes_only_that_message(svc: InProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    real = service_module.HANDLERS["2102"]
    doomed = new_msgid()

    def buggy(call: Any) -> Any:
        out = real(call)  # its effects written, then the bug: they must not stay
        if call.msgid == doomed:
            raise RuntimeError("a bug")
        return out

    monkeypatch.setitem(service_module.HANDLERS, "2102", buggy)
    good = [new_msgid(), new_msgid()]
    answers = svc.service.handle_batch([request("2102", sale(1), good[0]), request("2102", sale(2), doomed),
                                        request("2102", sale(11), good[1])])
    assert isinstance(answers[1], RuntimeError)
    assert [a["infcode"] for a in (answers[0], answers[2]) if isinstance(a, dict)] == [0, 0]
    stored = {row["msgid"] for row in svc.service.store.all("SELECT msgid FROM settlement")}
    assert set(good) <= stored and doomed not in stored
    assert svc.service.store.answer_for(doomed) is None


def test_a_failed_commit_handles_each_message_again_alone(svc: InProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    store = svc.service.store
    real_execute = store.conn.execute
    failures: list[str] = []

    class FailingOnce:
        """The connection, whose first COMMIT of a group fails as a full disk would make it."""

        def __getattr__(self, name: str) -> Any:
            return getattr(real_conn, name)

        def execute(self, sql: str, *args: Any) -> Any:
            if sql == "COMMIT" and not failures:
                failures.append(sql)
                real_execute("ROLLBACK")
                raise sqlite3.OperationalError("database or disk is full")
            return real_execute(sql, *args)

    real_conn = store.conn
    monkeypatch.setattr(store, "conn", FailingOnce())
    msgids = [new_msgid(), new_msgid()]
    answers = svc.service.handle_batch([request("2102", sale(1), msgids[0]),
                                        request("2102", sale(2, AMOXICILLIN), msgids[1])])
    assert failures == ["COMMIT"]
    assert all(isinstance(a, dict) and a["infcode"] == 0 for a in answers), answers
    rows = store.all("SELECT msgid FROM settlement WHERE msgid IN (?, ?)", tuple(msgids))
    assert sorted(row["msgid"] for row in rows) == sorted(msgids)  # each once, from its own transaction


def test_many_counters_at_once_each_get_their_own_answer(settlement_service: ServiceProcess) -> None:
    persons = (1, 2, 11, 13) * 10
    answers: dict[int, dict[str, Any]] = {}
    start = threading.Barrier(len(persons))

    def sell(k: int, n: int) -> None:
        raw = Raw(settlement_service.url)
        try:
            start.wait()
            answers[k] = raw.call("2102", sale(n))
        finally:
            raw.close()

    threads = [threading.Thread(target=sell, args=(k, n)) for k, n in enumerate(persons)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == len(persons)
    for k, n in enumerate(persons):
        assert answers[k]["infcode"] == 0, answers[k]
        assert answers[k]["output"]["setlinfo"]["psn_no"] == f"120000000000000000{n:02d}"
    setl_ids = {a["output"]["setlinfo"]["setl_id"] for a in answers.values()}
    assert len(setl_ids) == len(persons)
