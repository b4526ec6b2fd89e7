"""End to end: the service's state survives a restart and a SIGKILL in the middle of traffic."""

from __future__ import annotations

import contextlib
import copy
import json
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
import requests
from service_helpers import (
    INSULIN,
    PARACETAMOL,
    PERSONS,
    VITAMIN_C,
    Raw,
    card,
    lines,
    new_msgid,
    now_text,
    psn,
    sale_input,
)

from terminal.client import Institution, NetworkUnreachable, OutcomeUnknown, SettlementClient
from terminal.protocol import SERVICE_PATH
from terminal.settings import Settings
from terminal.sim.processes import ServiceProcess, start_settlement_service


@contextlib.contextmanager
def restarted(service: ServiceProcess) -> Iterator[tuple[ServiceProcess, Raw]]:
    """The service started again on the same database (the old process must be gone)."""
    assert service.process.poll() is not None
    again = start_settlement_service(service.db, plain_catalog=True)
    raw = Raw(again.url)
    try:
        yield again, raw
    finally:
        raw.close()
        again.stop()


def test_state_survives_a_restart(settlement_service: ServiceProcess) -> None:
    raw = Raw(settlement_service.url)
    try:
        sale = raw.envelope("2102", sale_input(11, card(11), lines((INSULIN, "1"))))
        first = raw.send(sale)
        # By hand: 011 has 150.00 of deductible left; acct 272.17, balance 980.00 -> 707.83.
        assert first["infcode"] == 0 and first["output"]["setlinfo"]["balc"] == "707.83"
        mdtrt_id = raw.ok("2201", {"data": {"psn_no": psn(13), **card(13), "med_type": "11",
                                            "ipt_otp_no": "OP-R"}})["data"]["mdtrt_id"]
        headers = raw.headers()
        raw.post(b'{"infno": "1301"}', headers)  # a refused request still uses up its nonce
        totals = raw.totals()
    finally:
        raw.close()
    settlement_service.stop()

    with restarted(settlement_service) as (_, raw):
        assert raw.balance(11) == Decimal("707.83")  # not re-seeded from persons.json
        assert raw.send(copy.deepcopy(sale)) == first  # the msgid's answer persisted
        assert raw.balance(11) == Decimal("707.83")
        # The deductible used persisted: the same sale now has none left to take.
        again = raw.ok("2101", sale_input(11, card(11), lines((INSULIN, "1"))))["setlinfo"]
        assert (again["act_pay_dedc"], again["hifp_pay"]) == ("0.00", "161.33")
        assert raw.totals() == totals
        fee = {**lines((VITAMIN_C, "1"))[0], "mdtrt_id": mdtrt_id, "psn_no": psn(13), "fee_ocur_time": now_text()}
        raw.ok("2204", {"feedetail": [fee]})  # the open visit persisted
        replay = raw.post(b'{"infno": "1301"}', headers)
        assert replay["infcode"] == -1 and "already used" in replay["err_msg"]


HAMMERED = (13, 2, 11)  # persons without family links: a balance drop is exactly their acct_pay


class Hammer(threading.Thread):
    """Settles one small sale after another, each with its own msgid, until the service dies."""

    def __init__(self, url: str) -> None:
        super().__init__(name="hammer", daemon=True)
        self.raw = Raw(url)
        self.envelopes: dict[str, dict[str, Any]] = {}
        self.answers: dict[str, dict[str, Any] | None] = {}  # None: outcome unknown
        self.error: BaseException | None = None
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            for i in range(3000):
                if self.stopping.is_set():
                    return
                n = HAMMERED[i % len(HAMMERED)]
                envelope = self.raw.envelope("2102", sale_input(n, card(n), lines((PARACETAMOL, "1"))))
                msgid = envelope["msgid"]
                self.envelopes[msgid] = envelope
                self.answers[msgid] = None
                try:
                    body = json.dumps(envelope).encode()
                    response = self.raw.session.post(self.raw.url + SERVICE_PATH,
                                                      data=body, headers=self.raw.headers(), timeout=5)
                except requests.RequestException:
                    return  # the service is gone; this msgid's outcome is unknown
                assert response.status_code == 200, response.text
                self.answers[msgid] = response.json()
        except BaseException as exc:  # surfaced by the test
            self.error = exc
        finally:
            self.raw.close()


def settled_entries(raw: Raw) -> list[dict[str, Any]]:
    return [e for e in raw.detail()["detail"] if e["refd_setl_flag"] == "0"]


def test_sigkill_under_load_loses_nothing_and_settles_nothing_twice(settlement_service: ServiceProcess) -> None:
    hammer = Hammer(settlement_service.url)
    hammer.start()
    try:
        deadline = time.monotonic() + 20
        while sum(a is not None for a in list(hammer.answers.values())) < 30 and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.2)  # in the middle of traffic
        settlement_service.kill()
    finally:
        hammer.stopping.set()
        hammer.join(timeout=15)
    assert not hammer.is_alive()
    if hammer.error is not None:
        raise hammer.error
    answered = {m: a for m, a in hammer.answers.items() if a is not None}
    unknown = [m for m, a in hammer.answers.items() if a is None]
    assert len(answered) >= 30 and all(a["infcode"] == 0 for a in answered.values())

    with restarted(settlement_service) as (again, raw):
        with contextlib.closing(sqlite3.connect(f"file:{again.db}?mode=ro", uri=True)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        before_resend = {e["medins_setl_id"] for e in settled_entries(raw)}
        # Every answer the terminal got is still the answer for that msgid.
        for msgid, answer in answered.items():
            assert msgid in before_resend
            assert raw.send(copy.deepcopy(hammer.envelopes[msgid])) == answer
        # A msgid whose outcome was unknown settles at most once, whether or not it had arrived.
        for msgid in unknown:
            first = raw.send(copy.deepcopy(hammer.envelopes[msgid]))
            assert first["infcode"] == 0
            assert raw.send(copy.deepcopy(hammer.envelopes[msgid])) == first
        entries = settled_entries(raw)
        msgids = [e["medins_setl_id"] for e in entries]
        assert len(msgids) == len(set(msgids)) == len(hammer.envelopes)
        # No half-applied settlement: each person's balance dropped by exactly the acct_pay of
        # the settlements the service lists for them.
        for n in HAMMERED:
            paid = sum((Decimal(e["acct_pay"]) for e in entries if e["psn_no"] == psn(n)), Decimal("0.00"))
            assert Decimal(PERSONS[psn(n)]["balc"]) - raw.balance(n) == paid
        totals = raw.totals()
        assert totals["fixmedins_setl_cnt"] == str(len(hammer.envelopes))
        assert Decimal(totals["medfee_sumamt"]) == Decimal("3.20") * len(hammer.envelopes)


@pytest.mark.parametrize("signal_kind", ["SIGTERM", "SIGKILL"])
def test_a_stopped_service_leaves_a_clean_database(settlement_service: ServiceProcess, signal_kind: str) -> None:
    raw = Raw(settlement_service.url)
    try:
        raw.ok("2102", sale_input(13, card(13), lines((PARACETAMOL, "2"))))
    finally:
        raw.close()
    if signal_kind == "SIGKILL":
        settlement_service.kill()
    else:
        settlement_service.stop()
    with restarted(settlement_service) as (_, raw):
        assert raw.balance(13) == Decimal("7993.60")
        assert raw.totals()["fixmedins_setl_cnt"] == "1"


def test_an_unknown_outcome_is_resolved_by_resending_the_same_msgid(settlement_service: ServiceProcess) -> None:
    # The service is frozen (SIGSTOP) while the client waits: the client cannot know whether the
    # sale settled. Resent with the same msgid after the service thaws, it settles exactly once.
    settings = Settings()
    client = SettlementClient(replace(settings.service, url=settlement_service.url, read_timeout_s=0.5),
                              Institution.from_settings(settings.terminal), msgids=new_msgid)
    sale = sale_input(13, card(13), lines((PARACETAMOL, "5")))
    msgid = new_msgid()
    try:
        settlement_service.process.send_signal(signal.SIGSTOP)
        try:
            with pytest.raises(OutcomeUnknown) as caught:
                client.settlement("2102", sale, "drugdetail", msgid=msgid)
            assert caught.value.msgid == msgid
        finally:
            settlement_service.process.send_signal(signal.SIGCONT)
        _, first = client.settlement("2102", sale, "drugdetail", msgid=msgid)
        _, second = client.settlement("2102", sale, "drugdetail", msgid=msgid)
        assert first.setl_id == second.setl_id and first.setlinfo["balc"] == "7984.00"
    finally:
        client.close()
    raw = Raw(settlement_service.url)
    try:
        assert raw.balance(13) == Decimal("7984.00")
        assert raw.totals()["fixmedins_setl_cnt"] == "1"
    finally:
        raw.close()


def test_a_service_that_is_down_is_network_unreachable(settlement_service: ServiceProcess) -> None:
    settings = Settings()
    settlement_service.kill()
    client = SettlementClient(replace(settings.service, url=settlement_service.url),
                              Institution.from_settings(settings.terminal))
    try:
        with pytest.raises(NetworkUnreachable):
            client.settlement("2102", sale_input(13, card(13), lines((PARACETAMOL, "1"))), "drugdetail")
    finally:
        client.close()
