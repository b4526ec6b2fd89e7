"""The pharmacy sale through the journal: online, offline within the limits, and on a failing disk."""

from __future__ import annotations

import dataclasses
import time
from decimal import Decimal
from pathlib import Path

import pytest
from fs_helpers import fill, remount_read_only, tiny_filesystem
from offline_helpers import CHEAP, basket, card_buyer, service_settlements, till, till_settings
from service_helpers import AMOXICILLIN, IBUPROFEN, PERSONS, Raw, psn, voucher

from terminal.client import ServiceRefused
from terminal.offline.checkout import Buyer, NoOfflineCatalog, OfflineRefused
from terminal.offline.estimate import OfflineLimitReached
from terminal.offline.states import State
from terminal.offline.store import JournalUnusable
from terminal.sim.processes import ServiceProcess, free_loopback_port
from terminal.voucher import VoucherExpired

DOWN = f"http://127.0.0.1:{free_loopback_port()}"  # nothing listens: connection refused


def test_an_online_sale_is_journaled_at_every_step(tmp_path: Path, settlement_service: ServiceProcess) -> None:
    with till(tmp_path / "j.db", settlement_service.url) as (journal, checkout):
        row = checkout.sell(card_buyer(13), basket(AMOXICILLIN, "2"))
        history = journal.run(lambda t: t.history(row.local_id))
    assert row.state is State.SETTLED and row.receipt_no
    assert [h["new_state"] for h in history] == ["draft", "pre-settled", "sending", "settled"]
    assert history[2]["msgid"] == row.msgid  # written, with its msgid, before 2102 left
    assert row.estimate and row.estimate["psn_cash_pay"] == "0.00" and row.actual
    assert row.actual["psn_no"] == psn(13) and row.cash_collected == Decimal(row.actual["psn_cash_pay"])
    assert row.psn_no == psn(13) and row.sale_time == row.request["data"]["fee_ocur_time"]


def test_a_refused_sale_leaves_its_reason_and_no_settlement(tmp_path: Path,
                                                            settlement_service: ServiceProcess) -> None:
    raw = Raw(settlement_service.url)
    with till(tmp_path / "j.db", settlement_service.url) as (journal, checkout):
        with pytest.raises(ServiceRefused, match="suspended"):
            checkout.sell(card_buyer(7), CHEAP)
        rows = journal.run(lambda t: t.where("1"))
    assert [(r.state, bool(r.last_error)) for r in rows] == [(State.DRAFT, True)]
    assert service_settlements(raw) == []
    raw.close()


def learn(tmp_path: Path, url: str, *persons: int) -> None:
    """Sell online once so the journal has the catalog and these persons (as a till that was online)."""
    with till(tmp_path / "j.db", url) as (_journal, checkout):
        for n in persons:
            checkout.sell(card_buyer(n), CHEAP)


def test_offline_the_estimate_never_lets_the_patient_pay_too_little(tmp_path: Path,
                                                                     settlement_service: ServiceProcess) -> None:
    learn(tmp_path, settlement_service.url, 13, 9)
    with till(tmp_path / "j.db", DOWN) as (_journal, checkout):
        employee = checkout.sell(card_buyer(13), basket(AMOXICILLIN, "2"))
        retiree = checkout.sell(card_buyer(9), basket(IBUPROFEN, "1"))
    for row in (employee, retiree):
        assert row.state is State.OFFLINE_QUEUED and row.msgid and row.receipt_no
        assert row.estimate is not None and row.estimate["estimate"] is True
        # No deductible met, no account, no mutual aid: the whole bill is the cash part here.
        assert row.estimate["acct_pay"] == "0.00" and row.estimate["acct_mulaid_pay"] == "0.00"
        assert row.cash_collected == Decimal(row.estimate["psn_cash_pay"]) == row.medfee_sumamt
        assert row.actual is None and "offline" in (row.last_error or "")
    assert employee.estimate and employee.estimate["act_pay_dedc"] == "17.00"
    assert employee.psn_no == psn(13) and employee.insutype == "310"


def test_offline_without_a_price_list_copy_nothing_is_sold_on_insurance(tmp_path: Path) -> None:
    with till(tmp_path / "j.db", DOWN) as (_journal, checkout), pytest.raises(NoOfflineCatalog):
        checkout.sell(card_buyer(13), CHEAP)


def test_a_card_never_seen_is_estimated_with_the_rule_that_leaves_the_most_to_pay(
        tmp_path: Path, settlement_service: ServiceProcess) -> None:
    learn(tmp_path, settlement_service.url, 13)
    with till(tmp_path / "j.db", DOWN) as (_journal, checkout):
        # 320.00 of ibuprofen: a resident (390, deductible 200, ratio 0.5) would get 60.00 from the fund,
        # an employee (800 deductible) nothing: unknown, the estimate assumes the latter.
        row = checkout.sell(card_buyer(11), basket(IBUPROFEN, "20"))
    assert row.psn_no is None and row.estimate is not None
    assert row.estimate["hifp_pay"] == "0.00" and row.estimate["psn_cash_pay"] == "316.00"


def test_offline_a_person_known_to_be_suspended_is_refused(tmp_path: Path,
                                                           settlement_service: ServiceProcess) -> None:
    with till(tmp_path / "j.db", settlement_service.url) as (journal, checkout):
        checkout.sell(card_buyer(13), CHEAP)
        key = card_buyer(7).person_key(None)
        journal.run(lambda t: t.save_person(key, {"psn_no": psn(7), "insutype": "310", "psn_type": "11",
                                                  "psn_insu_stas": "2", "insuplc_admdvs": "120000"}))
    with till(tmp_path / "j.db", DOWN) as (_journal, checkout), pytest.raises(OfflineRefused, match="suspended"):
        checkout.sell(card_buyer(7), CHEAP)


def test_offline_a_voucher_is_checked_by_signature_and_expiry(tmp_path: Path,
                                                              settlement_service: ServiceProcess) -> None:
    learn(tmp_path, settlement_service.url, 13)
    with till(tmp_path / "j.db", DOWN) as (_journal, checkout):
        row = checkout.sell(Buyer(voucher=voucher(3, holder=1)), CHEAP)
        assert row.state is State.OFFLINE_QUEUED and row.psn_no == psn(3)
        assert row.request["data"]["mdtrt_cert_type"] == "01"  # the voucher text goes to the service later
        with pytest.raises(VoucherExpired):
            checkout.sell(Buyer(voucher=voucher(9, ttl_s=-1)), CHEAP)


@pytest.mark.parametrize(("limits", "sales", "words"), [
    ({"max_sale_amount": Decimal("10.00")}, [basket(AMOXICILLIN, "2")], "17.00 yuan is above the offline limit"),
    ({"max_outstanding_amount": Decimal("20.00")}, [basket(AMOXICILLIN, "2"), basket(AMOXICILLIN, "1")],
     "would come to 25.50 yuan"),
    ({"max_queued_sales": 2}, [CHEAP, CHEAP, CHEAP], "2 sales are already waiting"),
])
def test_beyond_an_offline_limit_the_sale_is_refused_naming_the_limit(
        tmp_path: Path, settlement_service: ServiceProcess, limits: dict[str, object], sales: list[object],
        words: str) -> None:
    learn(tmp_path, settlement_service.url, 13)
    settings = till_settings(**limits)
    with till(tmp_path / "j.db", DOWN, settings) as (journal, checkout):
        for sale in sales[:-1]:
            assert checkout.sell(card_buyer(13), sale).state is State.OFFLINE_QUEUED
        with pytest.raises(OfflineLimitReached, match=words) as caught:
            checkout.sell(card_buyer(13), sales[-1])
        queued = journal.run(lambda t: t.outstanding())
    assert "sell it for cash" in caught.value.cashier_message and caught.value.detail
    assert queued.count == len(sales) - 1


def test_the_age_limit_counts_from_the_oldest_queued_sale(tmp_path: Path,
                                                          settlement_service: ServiceProcess) -> None:
    learn(tmp_path, settlement_service.url, 13)
    with till(tmp_path / "j.db", DOWN) as (journal, checkout):
        first = checkout.sell(card_buyer(13), CHEAP)
        later = time.time() + 73 * 3600
        checkout.clock = lambda: later
        journal.run(lambda t: t.file.conn.execute("UPDATE catalog_copy SET fetched_at = ?", (later,)))
        with pytest.raises(OfflineLimitReached, match="older than 72 hours"):
            checkout.sell(card_buyer(13), CHEAP)
    assert first.state is State.OFFLINE_QUEUED


def test_a_full_disk_stops_new_sales_before_anything_is_sent(tmp_path: Path,
                                                             settlement_service: ServiceProcess) -> None:
    raw = Raw(settlement_service.url)
    with tiny_filesystem(tmp_path / "disk", "2m") as disk:
        with till(disk / "j.db", settlement_service.url) as (journal, checkout):
            kept = checkout.sell(card_buyer(13), CHEAP)
            before = service_settlements(raw)
            filler = fill(disk)
            with pytest.raises(JournalUnusable, match="is full") as caught:
                for _ in range(200):  # SQLite's free pages may take a few sales to run out
                    checkout.sell(card_buyer(13), CHEAP)
            sold_meanwhile = journal.run(lambda t: t.where("state = 'settled'"))
            assert len(service_settlements(raw)) == len(sold_meanwhile)  # nothing settled that is not journaled
            filler.unlink()
            assert journal.run(lambda t: t.get(kept.local_id)).state is State.SETTLED
        assert "nothing already saved is lost" in caught.value.cashier_message
        assert len(before) == 1
        remount_read_only(disk)
        with pytest.raises(JournalUnusable), till(disk / "j.db", settlement_service.url) as (_journal, checkout):
            checkout.sell(card_buyer(13), CHEAP)
    raw.close()


def test_personal_data_is_masked_once_a_sale_is_long_finished(tmp_path: Path,
                                                              settlement_service: ServiceProcess) -> None:
    with till(tmp_path / "j.db", settlement_service.url) as (journal, checkout):
        row = checkout.sell(card_buyer(13), CHEAP)
        assert journal.run(lambda t: t.mask_personal_data(time.time() - 60)) == 0  # not old enough yet
        assert journal.run(lambda t: t.mask_personal_data(time.time() + 1)) == 1
        masked = journal.run(lambda t: t.get(row.local_id))
    person = PERSONS[psn(13)]
    text = repr(masked)
    assert person["card_no"] not in text and person["certno"] not in text and person["psn_name"] not in text
    assert masked.psn_no == psn(13) and masked.actual and masked.actual["setl_id"]  # a reversal still works


def test_a_journal_row_carries_the_keys_commands_print(tmp_path: Path, settlement_service: ServiceProcess) -> None:
    with till(tmp_path / "j.db", settlement_service.url) as (_journal, checkout):
        row = checkout.sell(card_buyer(13), CHEAP).to_json()
    assert {"local_id", "msgid", "state", "psn_no", "sale_time", "estimate", "actual", "cash_collected",
            "last_error"} <= set(row)
    assert row["state"] == "settled" and row["psn_no"] == psn(13)
    assert "*" in row["actual"]["psn_name"]  # names masked unless asked for
    assert dataclasses.is_dataclass(card_buyer(1))


def test_an_export_masks_a_refusal_that_names_the_person(tmp_path: Path,
                                                         settlement_service: ServiceProcess) -> None:
    with till(tmp_path / "j.db", settlement_service.url) as (journal, checkout):
        with pytest.raises(ServiceRefused):
            checkout.sell(card_buyer(7), CHEAP)  # "the insurance of <name> is suspended"
        row = journal.run(lambda t: t.where("1"))[0]
    suspended = PERSONS[psn(7)]
    assert row.last_error and row.estimate is None
    exported = repr(row.to_json(masked=True))
    assert suspended["card_no"] not in exported and suspended["certno"] not in exported


def test_the_price_list_copy_is_refreshed_on_the_first_sale_of_a_day(tmp_path: Path,
                                                                     settlement_service: ServiceProcess) -> None:
    with till(tmp_path / "j.db", settlement_service.url) as (journal, checkout):
        checkout.sell(card_buyer(13), CHEAP)
        yesterday_late = time.time() - 3600 * 20
        journal.run(lambda t: t.file.conn.execute("UPDATE catalog_copy SET fetched_at = ?", (yesterday_late,)))
        import datetime as dt

        tomorrow_morning = dt.datetime.combine(dt.date.today() + dt.timedelta(days=1), dt.time(8)).timestamp()
        checkout.clock = lambda: tomorrow_morning  # 12 hours after the copy, but another day
        assert checkout.prices()[2] is True  # fetched from the service, not the copy
        fetched = journal.run(lambda t: t.catalog_copy())
    assert fetched is not None and fetched[3] > yesterday_late + 3600  # the copy was written again
