"""The forwarder: each person's sales in sale order, backoff, the circuit, one forwarder per journal."""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import pytest
from offline_helpers import CHEAP, basket, card_buyer, client, till, till_settings
from service_helpers import IBUPROFEN, Raw, psn

from terminal.offline.forwarder import Forwarder, ForwarderBusy, Progress, backoff_s
from terminal.offline.journal import Journal
from terminal.offline.states import State
from terminal.sim.processes import ServiceProcess, free_loopback_port
from terminal.sim.proxy import FaultProxy

DOWN = f"http://127.0.0.1:{free_loopback_port()}"


def queue_offline(tmp_path: Path, url: str, sales: list[tuple[int, list[dict[str, str]]]]) -> list[str]:
    """Learn the catalog and persons online, then sell these offline; their local ids, in sale order."""
    with till(tmp_path / "j.db", url) as (_journal, checkout):
        for n in {n for n, _ in sales}:
            checkout.sell(card_buyer(n), CHEAP)
    ids = []
    with till(tmp_path / "j.db", DOWN) as (_journal, checkout):
        for n, items in sales:
            ids.append(checkout.sell(card_buyer(n), items).local_id)
            time.sleep(1.05)  # sale times a second apart: the order is the sale time's
    return ids


def test_a_persons_sales_are_forwarded_in_sale_order(tmp_path: Path, settlement_service: ServiceProcess) -> None:
    # 008 is a resident with nothing used this year (deductible 200.00); the online sale that taught
    # the till 008 used 3.20 of it. Offline: 158.00, then 31.60, then 15.80. In sale order the first is
    # all deductible (38.80 left), the second too (7.20 left), the third uses the last 7.20; any other
    # order gives other figures.
    ids = queue_offline(tmp_path, settlement_service.url,
                        [(8, basket(IBUPROFEN, "10")), (8, basket(IBUPROFEN, "2")), (8, basket(IBUPROFEN, "1"))])
    journal = Journal(tmp_path / "j.db", till="CT-0001").start()
    c = client(settlement_service.url)
    forwarder = Forwarder(journal, c, till_settings().offline, batch=2)
    try:
        result = forwarder.run_once()
        rows = [journal.run(lambda t, i=i: t.get(i)) for i in ids]
    finally:
        forwarder.close()
        journal.close()
        c.close()
    assert [r.state for r in rows] == [State.FORWARDED_SETTLED] * 3 and len(result.settled) == 3
    assert [r.actual["act_pay_dedc"] for r in rows if r.actual] == ["158.00", "31.60", "7.20"]
    assert rows[2].actual and rows[2].actual["hifp_pay"] == "4.30"  # round((15.80 - 7.20) x 0.5)


def test_backoff_grows_with_jitter_and_a_cap() -> None:
    limits = till_settings(retry_min_s=1.0, retry_max_s=60.0).offline
    rng = random.Random(3)
    waits = [[backoff_s(n, limits, rng) for _ in range(200)] for n in range(10)]
    for n, seen in enumerate(waits):
        step = min(60.0, 2.0 ** n)
        assert all(0.5 * step <= w <= min(60.0, 1.5 * step) for w in seen), n
        assert max(seen) - min(seen) > 0.2 * step or step == 60.0  # jitter spreads tills apart
    assert max(waits[9]) == pytest.approx(60.0, abs=1e-9) or max(waits[9]) <= 60.0


def test_offline_the_forwarder_probes_without_sending_and_without_spinning(
        tmp_path: Path, settlement_service: ServiceProcess) -> None:
    queue_offline(tmp_path, settlement_service.url, [(13, CHEAP)])
    proxy = FaultProxy(settlement_service.url).start()
    proxy.set_faults("refuse")
    journal = Journal(tmp_path / "j.db", till="CT-0001").start()
    c = client(proxy.url)
    probes = []
    real_probe = c.probe
    c.probe = lambda timeout_s=2.0: probes.append(time.monotonic()) or real_probe(timeout_s)  # type: ignore[method-assign]
    seen: list[Progress] = []
    settled = threading.Event()

    def progress(p: Progress) -> None:
        seen.append(p)
        if p.state == "idle" and p.left == 0:
            settled.set()

    forwarder = Forwarder(journal, c, till_settings(probe_interval_s=0.3).offline, on_progress=progress)
    try:
        started = time.process_time()
        forwarder.start()
        time.sleep(2.0)
        cpu = time.process_time() - started
        assert any(p.state == "offline" for p in seen)
        assert 3 <= len(probes) <= 10  # one probe per interval, not a loop
        assert cpu < 1.0
        proxy.set_faults("")
        assert settled.wait(10), seen[-3:]
        rows = journal.run(lambda t: t.where("1 ORDER BY local_id"))
    finally:
        forwarder.close()
        journal.close()
        c.close()
        proxy.stop()
    assert [r.state for r in rows] == [State.SETTLED, State.FORWARDED_SETTLED]
    assert seen[-1].state == "stopped" and seen[-1].done == 1 and seen[-1].last_success_at


def test_only_one_forwarder_works_on_a_journal_and_the_other_says_so(
        tmp_path: Path, settlement_service: ServiceProcess) -> None:
    queue_offline(tmp_path, settlement_service.url, [(13, CHEAP)])
    first_journal = Journal(tmp_path / "j.db", till="CT-0001").start()
    second_journal = Journal(tmp_path / "j.db", till="CT-0001").start()
    c1, c2 = client(settlement_service.url), client(settlement_service.url)
    first = Forwarder(first_journal, c1, till_settings().offline)
    second = Forwarder(second_journal, c2, till_settings().offline)
    try:
        first.run_once()
        with pytest.raises(ForwarderBusy, match="Another forwarder") as caught:
            second.run_once()
        assert first.owner in caught.value.cashier_message and second.progress.state == "busy"
        first.close()  # it lets go: now the other may work
        second.run_once()
    finally:
        first.close()
        second.close()
        first_journal.close()
        second_journal.close()
        c1.close()
        c2.close()


def test_a_declined_forward_keeps_the_reason_and_the_amount_to_collect(
        tmp_path: Path, settlement_service: ServiceProcess) -> None:
    raw = Raw(settlement_service.url)
    ids = queue_offline(tmp_path, settlement_service.url, [(13, basket(IBUPROFEN, "2"))])
    with Journal(tmp_path / "j.db", till="CT-0001") as journal:
        # The card was blocked meanwhile: the forwarded sale is declined, never dropped.
        journal.run(lambda t: t.file.conn.execute("UPDATE txn SET request = replace(request, ?, ?) "
                                                  "WHERE local_id = ?", (psn(13), psn(7), ids[0])))
        c = client(settlement_service.url)
        forwarder = Forwarder(journal, c, till_settings().offline)
        try:
            result = forwarder.run_once()
        finally:
            forwarder.close()
            c.close()
        row = journal.run(lambda t: t.get(ids[0]))
    raw.close()
    assert [t.local_id for t in result.declined] == ids and row.state is State.FORWARD_DECLINED
    assert row.last_error and row.cash_collected is not None
    assert row.amount_due == row.medfee_sumamt - row.cash_collected
    assert row.to_json()["amount_owed"] == f"{row.amount_due:.2f}"
