"""A failing network between the till and the service (the fault proxy): every fault ends in the right
journal state, and no sale is ever settled twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from offline_helpers import CHEAP, card_buyer, client, service_settlements, till, till_settings
from service_helpers import Raw, psn

from terminal.client import NetworkUnreachable, OutcomeUnknown
from terminal.offline.forwarder import Forwarder
from terminal.offline.journal import Journal
from terminal.offline.states import State
from terminal.sim.processes import ServiceProcess
from terminal.sim.proxy import FaultProxy, Faults


@pytest.fixture
def proxy(settlement_service: ServiceProcess) -> Iterator[FaultProxy]:
    fault_proxy = FaultProxy(settlement_service.url, seed=7).start()
    yield fault_proxy
    fault_proxy.stop()


@pytest.fixture
def raw(settlement_service: ServiceProcess) -> Iterator[Raw]:
    r = Raw(settlement_service.url)
    yield r
    r.close()


def settled_once(raw: Raw, rows: list[object]) -> None:
    """The service holds exactly one settlement per journaled sale that says settled, none twice."""
    detail = service_settlements(raw)
    msgids = Counter(row["medins_setl_id"] for row in detail if row["refd_setl_flag"] == "0")
    assert all(count == 1 for count in msgids.values()), msgids
    journaled = {r.msgid for r in rows if r.state in (State.SETTLED, State.FORWARDED_SETTLED)}  # type: ignore[attr-defined]
    assert set(msgids) == journaled


def forward_all(journal_path: Path, url: str) -> None:
    journal = Journal(journal_path, till="CT-0001").start()
    c = client(url)
    forwarder = Forwarder(journal, c, till_settings().offline)
    try:
        forwarder.run_once(now=True)  # as `forward --once` does
    finally:
        forwarder.close()
        journal.close()
        c.close()


def all_rows(path: Path) -> list[object]:
    with Journal(path, till="CT-0001") as journal:
        return journal.run(lambda t: t.where("1 ORDER BY local_id"))


@pytest.mark.parametrize("fault", ["timeout-before=1x@2102", "timeout-after=1x@2102", "cut=1x@2102",
                                   "http-502=1x@2102", "slow=1x:2s@2102"])
def test_a_settlement_whose_answer_goes_missing_once_is_resolved_by_the_same_msgid(
        tmp_path: Path, proxy: FaultProxy, raw: Raw, fault: str) -> None:
    proxy.set_faults(fault)
    with till(tmp_path / "j.db", proxy.url) as (journal, checkout):
        row = checkout.sell(card_buyer(13), CHEAP)
        history = journal.run(lambda t: t.history(row.local_id))
    assert row.state is State.SETTLED
    assert {h["msgid"] for h in history if h["new_state"] in ("sending", "settled")} == {row.msgid}
    assert [h["new_state"] for h in history].count("sending") == 2  # sent, in doubt, sent again
    assert proxy.counts[Faults.parse(fault).items[0].kind] == 1
    settled_once(raw, all_rows(tmp_path / "j.db"))


@pytest.mark.parametrize("fault", ["timeout-before=2x@2102", "timeout-after=2x@2102", "cut=2x@2102"])
def test_an_outcome_still_unknown_is_never_sold_again_and_the_forwarder_resolves_it(
        tmp_path: Path, proxy: FaultProxy, raw: Raw, fault: str) -> None:
    proxy.set_faults(fault)
    with till(tmp_path / "j.db", proxy.url) as (journal, checkout):
        with pytest.raises(OutcomeUnknown):
            checkout.sell(card_buyer(13), CHEAP)
        doubt = journal.run(lambda t: t.where("1"))
    assert [r.state for r in doubt] == [State.SENDING] and doubt[0].msgid  # type: ignore[attr-defined]
    forward_all(tmp_path / "j.db", proxy.url)  # the faults are used up: the same msgid gets through
    rows = all_rows(tmp_path / "j.db")
    assert [r.state for r in rows] == [State.SETTLED]  # type: ignore[attr-defined]
    assert rows[0].msgid == doubt[0].msgid  # type: ignore[attr-defined]
    settled_once(raw, rows)


def test_refused_connections_send_the_sale_offline_and_forwarding_settles_it_once(
        tmp_path: Path, proxy: FaultProxy, raw: Raw) -> None:
    with till(tmp_path / "j.db", proxy.url) as (_journal, checkout):
        checkout.sell(card_buyer(13), CHEAP)  # online: the catalog and the person are now known
        proxy.set_faults("refuse")
        offline = checkout.sell(card_buyer(13), CHEAP)
    assert offline.state is State.OFFLINE_QUEUED
    forward_all(tmp_path / "j.db", proxy.url)  # still refused: nothing changes, nothing is lost
    assert all_rows(tmp_path / "j.db")[1].state is State.OFFLINE_QUEUED  # type: ignore[attr-defined]
    proxy.set_faults("")
    forward_all(tmp_path / "j.db", proxy.url)
    rows = all_rows(tmp_path / "j.db")
    assert [r.state for r in rows] == [State.SETTLED, State.FORWARDED_SETTLED]  # type: ignore[attr-defined]
    assert rows[1].msgid == offline.msgid  # type: ignore[attr-defined]
    settled_once(raw, rows)


def test_a_refused_connection_is_network_unreachable_and_a_cut_answer_is_unknown(proxy: FaultProxy) -> None:
    c = client(proxy.url)
    try:
        proxy.set_faults("refuse")
        with pytest.raises(NetworkUnreachable):
            c.call("1301", {"data": {"ver": ""}})
        proxy.set_faults("cut@1301")
        with pytest.raises(OutcomeUnknown):
            c.call("1301", {"data": {"ver": ""}})
        proxy.set_faults("http-502@1101")
        with pytest.raises(OutcomeUnknown):
            c.person_info({"mdtrt_cert_type": "02", "mdtrt_cert_no": "x", "card_sn": ""})
    finally:
        c.close()


def test_faults_while_forwarding_end_in_the_right_state(tmp_path: Path, proxy: FaultProxy, raw: Raw) -> None:
    with till(tmp_path / "j.db", proxy.url) as (_journal, checkout):
        checkout.sell(card_buyer(13), CHEAP)
        checkout.sell(card_buyer(9), CHEAP)
        proxy.set_faults("refuse")
        for n in (13, 9, 13):
            checkout.sell(card_buyer(n), CHEAP)
    proxy.set_faults("timeout-after=1x@2102,http-502=1x@2102")
    forward_all(tmp_path / "j.db", proxy.url)
    rows = all_rows(tmp_path / "j.db")
    # Both first sales met a fault and are in doubt; the second sale of 013 waits behind the first.
    assert Counter(r.state for r in rows) == {State.SETTLED: 2, State.FORWARDING: 2,  # type: ignore[attr-defined]
                                              State.OFFLINE_QUEUED: 1}
    forward_all(tmp_path / "j.db", proxy.url)  # what stayed in doubt is resolved by its msgid
    rows = all_rows(tmp_path / "j.db")
    assert Counter(r.state for r in rows) == {State.SETTLED: 2, State.FORWARDED_SETTLED: 3}  # type: ignore[attr-defined]
    settled_once(raw, rows)
    assert {r.psn_no for r in rows} == {psn(13), psn(9)}  # type: ignore[attr-defined]
