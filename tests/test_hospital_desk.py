"""The hospital desks' core (no Qt) against the real simulated service: every message journaled before it
leaves, fee lists checked whole before anything is uploaded, batches, and unknown outcomes resolved by the
same msgid (the fault proxy), exactly like a pharmacy sale.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from offline_helpers import TILL, card_buyer, till_settings

from terminal.catalog import Catalog
from terminal.client import OutcomeUnknown, client_from_settings
from terminal.config import config_path
from terminal.errors import BadInput
from terminal.fee_list import FeeLine, FeeListError, batches, parse_fee_csv, parse_fee_json, read_fee_file
from terminal.offline.checkout import Checkout
from terminal.offline.forwarder import Forwarder
from terminal.offline.hospital_desk import DeskRefused, HospitalDesk
from terminal.offline.journal import Journal
from terminal.offline.states import Kind, State
from terminal.sim.processes import ServiceProcess
from terminal.sim.proxy import FaultProxy
from terminal.visit_messages import Admission, BadEntry, Registration

CONSULT, BED = "001102000010000", "001109000010000"
SAMPLE = config_path("sample-stay.csv")


@pytest.fixture
def proxy(settlement_service: ServiceProcess) -> Iterator[FaultProxy]:
    fault_proxy = FaultProxy(settlement_service.url, seed=3).start()
    yield fault_proxy
    fault_proxy.stop()


@contextmanager
def desk(tmp_path: Path, url: str, *, batch_size: int = 100) -> Iterator[tuple[Journal, HospitalDesk]]:
    settings = till_settings()
    client = client_from_settings(settings, url=url)
    journal = Journal(tmp_path / "journal.db", till=TILL).start()
    try:
        checkout = Checkout(journal, client, settings)
        yield journal, HospitalDesk(checkout, journal, client, operator="0001", batch_size=batch_size)
    finally:
        journal.close()
        client.close()


def catalog(desk: HospitalDesk) -> Catalog:
    return desk.checkout.prices()[0]


def fees(n: int, code: str = CONSULT, prefix: str = "F") -> list[FeeLine]:
    return [FeeLine(f"{prefix}{i:04d}", code, Decimal("10.00"), Decimal(1)) for i in range(1, n + 1)]


# ----- the fee list


def test_the_sample_stay_reads_and_a_bad_file_names_each_row_and_field(tmp_path: Path,
                                                                       settlement_service: ServiceProcess) -> None:
    with desk(tmp_path, settlement_service.url) as (_journal, d):
        known = catalog(d)
        lines = read_fee_file(SAMPLE, known)
        assert len(lines) == 16 and lines[0].feedetl_sn == "ZY0001" and lines[0].pric == Decimal("40.00")
        bad = ("feedetl_sn,med_list_codg,cnt,pric\nA1,001102000010000,1,\nA1,001102000010000,2,\n"
               "A3,NOT-A-CODE,1,\nA4,001102000010000,zero,\nA5,001102000010000,1,-3\n")
        with pytest.raises(FeeListError) as caught:
            parse_fee_csv(bad, known, source="bad.csv")
        text = caught.value.cashier_message
        assert "row 2, feedetl_sn: A1 is also on row 1" in text
        assert "row 3, med_list_codg: NOT-A-CODE is not in the service's catalog" in text
        assert "row 4, cnt" in text and "row 5, pric" in text and "nothing was uploaded" in text
        with pytest.raises(FeeListError, match="cnnt: is not a column"):
            parse_fee_csv("feedetl_sn,med_list_codg,cnnt\nA1,001102000010000,1\n", known)
        with pytest.raises(FeeListError, match="row 1, fee_ocur_time"):
            parse_fee_json('{"fees": [{"feedetl_sn": "J1", "med_list_codg": "001102000010000", "cnt": "1",'
                           ' "fee_ocur_time": "yesterday"}]}', known)


def test_a_bad_fee_file_uploads_nothing(tmp_path: Path, settlement_service: ServiceProcess) -> None:
    with desk(tmp_path, settlement_service.url) as (journal, d):
        identity, _visits = d.identify(card_buyer(1), "inpatient")
        stay = d.admit(identity, Admission("A03 内科", "3病区", "12", "J18.900 肺炎", "ZY2026001", Decimal("500")))
        bad = tmp_path / "bad.csv"
        bad.write_text("feedetl_sn,med_list_codg,cnt\nB1,001102000010000,1\nB2,001102000010000,x\n",
                       encoding="utf-8")
        with pytest.raises(FeeListError, match="row 2, cnt"):
            d.upload(stay, read_fee_file(bad, catalog(d)))
        assert journal.run(lambda t: t.where("kind = 'fee-upload'")) == []
        assert d.reload(stay).fees == {}


def test_batches_split_in_order() -> None:
    parts = batches(fees(25), 10)
    assert [len(p) for p in parts] == [10, 10, 5]
    assert [line.feedetl_sn for part in parts for line in part] == [f"F{i:04d}" for i in range(1, 26)]


def test_form_entries_are_checked_before_anything_is_sent(tmp_path: Path,
                                                          settlement_service: ServiceProcess) -> None:
    with desk(tmp_path, settlement_service.url) as (journal, d):
        identity, _visits = d.identify(card_buyer(2), "inpatient")
        with pytest.raises(BadEntry, match="Diagnosis: PNEUMONIA is not an ICD-10 code"):
            d.admit(identity, Admission("A03 内科", "3病区", "12", "pneumonia", "ZY1", Decimal(0)))
        with pytest.raises(BadEntry, match="Doctor: fill it in"):
            d.register(identity, Registration("A03 内科", "", "MZ1"))
        assert journal.run(lambda t: t.where("1")) == []


# ----- whole visits


def test_an_outpatient_visit_from_registration_to_settlement_and_back(tmp_path: Path,
                                                                      settlement_service: ServiceProcess) -> None:
    with desk(tmp_path, settlement_service.url) as (journal, d):
        identity, visits = d.identify(card_buyer(1), "outpatient")
        assert visits == []
        visit = d.register(identity, Registration("A03 内科", "D012 李医生", "MZ0001"))
        assert visit.mdtrt_id and visit.root.state is State.SETTLED and visit.root.msgid
        visit, skipped = d.upload(visit, fees(3))
        assert skipped == 0 and visit.unsettled_amount == Decimal("30.00")
        visit, skipped = d.upload(visit, fees(4))  # the same list again, one more: only the new one goes
        assert skipped == 3 and len(visit.fees) == 4
        first = d.presettle(visit, identity, acct_used=False)
        pre = d.presettle(visit, identity)  # again, the account on: the same row quoted again
        assert pre.local_id == first.local_id and pre.request["data"]["acct_used_flag"] == "1"
        assert pre.state is State.PRE_SETTLED and pre.estimate and pre.estimate["medfee_sumamt"] == "40.00"
        done = d.settle(visit, pre)
        assert done.state is State.SETTLED and done.receipt_no and done.actual
        assert done.cash_collected == Decimal(done.actual["psn_cash_pay"])
        visit = d.reload(visit)
        assert not visit.open and visit.settlements == [done]
        with pytest.raises(DeskRefused, match="has a settlement"):
            d.cancel_visit(visit)
        visit = d.cancel_settlement(visit, approved_by="0002", reason="wrong fees")
        assert visit.settlements == [] and len(visit.unsettled) == 4
        assert journal.run(lambda t: t.get(done.local_id)).state is State.REVERSED
        (cancel,) = journal.run(lambda t: t.where("kind = 'reversal'"))
        assert cancel.infno == "2208" and cancel.refers_to == done.local_id and cancel.approved_by == "0002"
        with pytest.raises(DeskRefused, match="fee F0001 is in batch B0001; type B0001"):
            d.cancel_fees(visit, "F0001")
        visit = d.cancel_fees(visit, "B0002")  # the second upload: the one fee added
        assert set(visit.fees) == {"F0001", "F0002", "F0003"}
        visit = d.cancel_fees(visit)
        assert visit.fees == {}
        visit = d.cancel_visit(visit)
        assert visit.cancelled
        kinds = [(row.kind, row.infno) for row in visit.rows]
        assert (Kind.REVERSAL, "2208") in kinds and (Kind.VISIT_STEP, "2205") in kinds
        assert all(row.msgid for row in visit.rows if row.state is State.SETTLED)


def test_a_stay_admitted_with_a_deposit_is_settled_at_discharge_with_the_offset(
        tmp_path: Path, settlement_service: ServiceProcess) -> None:
    with desk(tmp_path, settlement_service.url, batch_size=5) as (_journal, d):
        identity, _visits = d.identify(card_buyer(1), "inpatient")
        stay = d.admit(identity, Admission("A03 内科", "3病区", "12", "J18.900 肺炎", "ZY2026002", Decimal("300")))
        assert stay.deposit == Decimal("300") and stay.details["adm_bed"] == "12"
        seen: list[tuple[int, int]] = []
        stay, _skipped = d.upload(stay, read_fee_file(SAMPLE, catalog(d)), progress=lambda a, b: seen.append((a, b)))
        assert seen == [(5, 16), (10, 16), (15, 16), (16, 16)]
        assert stay.unsettled_amount == Decimal("1492.80")
        with pytest.raises(DeskRefused, match="not discharged"):
            d.presettle(stay, identity)
        stay = d.discharge(stay)
        pre = d.presettle(stay, identity)
        assert pre.estimate is not None
        cash = Decimal(pre.estimate["psn_cash_pay"])
        assert Decimal(pre.estimate["cash_due"]) - Decimal(pre.estimate["refund"]) == cash - Decimal("300")
        done = d.settle(stay, pre)
        assert done.kind is Kind.DISCHARGE_SETTLEMENT and done.cash_collected == cash - Decimal("300")
        assert not d.reload(stay).open
        # The other cancels: the settlement, then the discharge, then (fees first) the admission.
        stay = d.cancel_settlement(d.reload(stay), approved_by="0002", reason="wrong ward")
        stay = d.cancel_discharge(stay)
        with pytest.raises(DeskRefused, match="still has 16 fee"):
            d.cancel_visit(stay)
        stay = d.cancel_fees(stay, "ZY0001")
        assert len(stay.fees) == 15
        stay = d.cancel_visit(d.cancel_fees(stay))
        assert stay.cancelled and not stay.open


def test_online_only_a_desk_does_not_sell_offline(tmp_path: Path, proxy: FaultProxy) -> None:
    with desk(tmp_path, proxy.url) as (_journal, d):
        proxy.set_faults("refuse")
        with pytest.raises(BadInput):
            d.identify(card_buyer(1), "outpatient")


# ----- unknown outcomes


def test_a_lost_answer_to_a_fee_upload_is_resolved_by_the_same_msgid(tmp_path: Path, proxy: FaultProxy) -> None:
    with desk(tmp_path, proxy.url) as (journal, d):
        identity, _visits = d.identify(card_buyer(6), "outpatient")
        visit = d.register(identity, Registration("A03 内科", "D012 李医生", "MZ0002"))
        proxy.set_faults("timeout-after=1x@2204")
        visit, _skipped = d.upload(visit, fees(2))
        uploads = journal.run(lambda t: t.where("kind = 'fee-upload'"))
        assert [u.state for u in uploads] == [State.SETTLED] and len(visit.fees) == 2
        assert len(journal.run(lambda t: t.history(uploads[0].local_id))) >= 4  # draft, sending, again, settled


def test_an_outcome_still_unknown_blocks_the_visit_until_the_forwarder_resolves_it(tmp_path: Path,
                                                                                  proxy: FaultProxy) -> None:
    with desk(tmp_path, proxy.url) as (journal, d):
        identity, _visits = d.identify(card_buyer(9), "inpatient")
        stay = d.admit(identity, Admission("A03 内科", "3病区", "7", "I10 高血压", "ZY2026003", Decimal(0)))
        proxy.set_faults("timeout-after=2x@2301")
        with pytest.raises(OutcomeUnknown):
            d.upload(stay, fees(3))
        stay = d.reload(stay)
        assert [row.state for row in stay.in_doubt] == [State.SENDING] and stay.fees == {}
        msgid = stay.in_doubt[0].msgid
        # The forwarder resolves it the way it resolves a pharmacy sale: the same msgid again.
        forwarder = Forwarder(journal, d.client, till_settings().offline)
        result = forwarder.run_once(now=True)
        forwarder.close()
        assert [row.msgid for row in result.settled] == [msgid]
        stay = d.reload(stay)
        assert stay.in_doubt == [] and len(stay.fees) == 3
        # Uploading the list again sends nothing twice.
        stay, skipped = d.upload(stay, fees(3))
        assert skipped == 3 and len(journal.run(lambda t: t.where("kind = 'fee-upload'"))) == 1


def test_the_desk_resolves_a_settlement_in_doubt_before_anything_else(tmp_path: Path, proxy: FaultProxy) -> None:
    with desk(tmp_path, proxy.url) as (_journal, d):
        identity, _visits = d.identify(card_buyer(13), "outpatient")
        visit = d.register(identity, Registration("A03 内科", "D012 李医生", "MZ0003"))
        visit, _skipped = d.upload(visit, fees(2, BED))
        pre = d.presettle(visit, identity)
        proxy.set_faults("timeout-after=2x@2207")
        with pytest.raises(OutcomeUnknown):
            d.settle(visit, pre)
        visit = d.reload(visit)
        assert visit.in_doubt and visit.in_doubt[0].infno == "2207"
        proxy.set_faults("")
        visit = d.resolve(visit)
        assert visit.in_doubt == [] and len(visit.settlements) == 1 and not visit.open
        assert visit.settlements[0].local_id == pre.local_id and visit.settlements[0].receipt_no


def test_a_message_left_sending_by_a_crash_is_resolved_by_its_msgid_before_anything_else(
        tmp_path: Path, settlement_service: ServiceProcess) -> None:
    import socket

    from terminal.visit_messages import fees_input

    with desk(tmp_path, settlement_service.url) as (journal, d):
        identity, _visits = d.identify(card_buyer(10), "outpatient")
        visit = d.register(identity, Registration("A03 内科", "D012 李医生", "MZ0004"))
        entries = [line.entry(mdtrt_id=visit.mdtrt_id, psn_no=visit.psn_no, fee_time="", chrg_bchno="B1")
                   for line in fees(2)]
        for entry in entries:
            entry.pop("fee_ocur_time")  # the service's time
        row = d.messages.create(Kind.FEE_UPLOAD, "2204", fees_input(entries), psn_no=visit.psn_no,
                                insutype=visit.insutype, refers_to=visit.root.local_id, sale_time="2026-01-01 00:00:00")
        msgid = d.client.next_msgid()
        dead = f"{socket.gethostname()}:999999:crashed"  # a process of this host that is gone
        journal.run(lambda t: t.step(row.local_id, State.SENDING, msgid=msgid, hold=dead, hold_s=3600))
        d.client.call("2204", row.request, msgid=msgid)  # it reached the service; then the power went
        stuck = d.reload(visit)
        assert [r.local_id for r in stuck.in_doubt] == [row.local_id] and stuck.fees == {}
        # The next step on the visit resolves it first (the same msgid: the service's first answer), so the
        # same fees imported again are not sent twice.
        visit, skipped = d.upload(stuck, fees(2))
        assert skipped == 2 and set(visit.fees) == {"F0001", "F0002"} and visit.in_doubt == []
        resolved = journal.run(lambda t: t.get(row.local_id))
        assert resolved.state is State.SETTLED and resolved.msgid == msgid
        pre = d.presettle(visit, identity)
        assert pre.estimate is not None and pre.estimate["medfee_sumamt"] == "20.00"  # the service has two fees


def test_the_day_end_agrees_with_the_service_after_hospital_settlements_and_a_cancel(
        tmp_path: Path, settlement_service: ServiceProcess) -> None:
    from datetime import date

    from terminal.offline.dayend import reconcile_day

    with desk(tmp_path, settlement_service.url) as (_journal, d):
        identity, _visits = d.identify(card_buyer(1), "outpatient")
        visit = d.register(identity, Registration("A03 内科", "D012 李医生", "MZ0005"))
        visit, _skipped = d.upload(visit, fees(3, BED))
        d.settle(visit, d.presettle(visit, identity))
        visit = d.cancel_settlement(d.reload(visit), approved_by="0002", reason="paid twice")
        d.settle(visit, d.presettle(visit, identity, acct_used=False))
        stay_identity, _visits = d.identify(card_buyer(2), "inpatient")
        stay = d.admit(stay_identity, Admission("A03 内科", "3病区", "5", "I10", "ZY5", Decimal("100")))
        stay, _skipped = d.upload(stay, read_fee_file(SAMPLE, catalog(d)))
        stay = d.discharge(stay)
        d.settle(stay, d.presettle(stay, stay_identity))
        report = reconcile_day(d.journal, d.client, date.today().isoformat())
        assert report["agree"] and report["mismatches"] == [], report
        assert report["settlements"] == 4  # three settlements and one reversal


def test_the_visit_command_settles_a_stay_and_refuses_a_bad_fee_list(tmp_path: Path,
                                                                     settlement_service: ServiceProcess) -> None:
    import json
    import os
    import subprocess
    import sys

    from service_helpers import PERSONS, psn

    person = PERSONS[psn(5)]
    base = [sys.executable, "-m", "terminal", "visit", "--db", str(tmp_path / "j.db"), "--service",
            settlement_service.url, "--card-no", person["card_no"], "--card-sn", person["card_sn"]]
    env = {**os.environ, "TERMINAL_STATE_DIR": str(tmp_path / "state")}
    bad = tmp_path / "bad.json"
    bad.write_text('[{"feedetl_sn": "A1", "med_list_codg": "001102000010000", "cnt": "0"}]', encoding="utf-8")
    refused = subprocess.run([*base, "--fees", str(bad)], capture_output=True, text=True, env=env, timeout=90)
    assert refused.returncode == 1 and "row 1, cnt" in refused.stderr and "nothing was uploaded" in refused.stderr
    done = subprocess.run([*base, "--fees", str(SAMPLE), "--inpatient", "--diagnosis", "I10 高血压",
                           "--deposit", "300"], capture_output=True, text=True, env=env, timeout=90)
    assert done.returncode == 0, done.stderr
    row = json.loads(done.stdout)
    assert row["kind"] == "discharge-settlement" and row["state"] == "settled" and row["medfee_sumamt"] == "1492.80"
    assert Decimal(row["cash_collected"]) == Decimal(row["actual"]["psn_cash_pay"]) - 300
