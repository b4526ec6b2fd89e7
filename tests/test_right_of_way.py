"""The cashier's right of way: the forwarder gives way to the cashier's calls, within a bound.

Real journals and the real simulated service; the order of events is checked, never how long anything took.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from offline_helpers import CHEAP, card_buyer, client, till, till_settings

from terminal.app.station import Station
from terminal.offline.forwarder import PACE_MAX_S, Forwarder, PassResult
from terminal.offline.journal import Journal
from terminal.offline.states import State
from terminal.right_of_way import RightOfWay
from terminal.sim.processes import ServiceProcess, free_loopback_port

DOWN = f"http://127.0.0.1:{free_loopback_port()}"
PERSONS = (13, 1, 2)


def queue_offline(tmp_path: Path, url: str) -> list[str]:
    """The catalog and three persons learnt online, then one sale each sold offline; their local ids."""
    with till(tmp_path / "j.db", url) as (_journal, checkout):
        for n in PERSONS:
            checkout.sell(card_buyer(n), CHEAP)
    with till(tmp_path / "j.db", DOWN) as (_journal, checkout):
        return [checkout.sell(card_buyer(n), CHEAP).local_id for n in PERSONS]


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """A synchronisation, not a measure: generous, and only a hung test ever reaches the deadline."""
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.01)


def states(journal: Journal, ids: list[str]) -> list[State]:
    return [journal.run(lambda t, i=i: t.get(i)).state for i in ids]


def test_the_forwarder_sends_nothing_while_the_cashier_is_busy(tmp_path: Path,
                                                              settlement_service: ServiceProcess) -> None:
    ids = queue_offline(tmp_path, settlement_service.url)
    way = RightOfWay(linger_s=0.0, max_wait_s=600.0)  # a bound no test reaches: only the cashier releases it
    journal = Journal(tmp_path / "j.db", till="CT-0001").start()
    forward_client = client(settlement_service.url)
    forwarder = Forwarder(journal, forward_client, till_settings().offline, right_of_way=way)
    done: list[PassResult] = []
    try:
        with way.cashier():
            runner = threading.Thread(target=lambda: done.append(forwarder.run_once(now=True)))
            runner.start()
            wait_for(lambda: way.waiting == 1, "the forwarder giving way")
            # The cashier's own sale goes through while the forwarder waits: nothing of the backlog left yet.
            with till(tmp_path / "cashier.db", settlement_service.url) as (_other, checkout):
                checkout.client.right_of_way = way
                sold = checkout.sell(card_buyer(11), CHEAP)
            assert sold.state is State.SETTLED
            assert State.FORWARDED_SETTLED not in states(journal, ids)
            assert way.waiting == 1 and not done
        runner.join(60)
        assert not runner.is_alive()
        assert states(journal, ids) == [State.FORWARDED_SETTLED] * 3
        assert len(done[0].settled) == 3 and way.gave_way >= 1
    finally:
        forwarder.close()
        journal.close()
        forward_client.close()


def test_a_cashier_who_never_pauses_still_lets_the_backlog_drain(tmp_path: Path,
                                                                 settlement_service: ServiceProcess) -> None:
    ids = queue_offline(tmp_path, settlement_service.url)
    way = RightOfWay(linger_s=0.0, max_wait_s=0.0)  # the bound reached at once: one message per wait
    journal = Journal(tmp_path / "j.db", till="CT-0001").start()
    forward_client = client(settlement_service.url)
    forwarder = Forwarder(journal, forward_client, till_settings().offline, right_of_way=way)
    try:
        with way.cashier():  # busy for the whole pass
            result = forwarder.run_once(now=True)
            assert way.busy
        assert len(result.settled) == 3 and states(journal, ids) == [State.FORWARDED_SETTLED] * 3
        assert way.gave_way == 3  # it gave way before each message, and went on at the bound
    finally:
        forwarder.close()
        journal.close()
        forward_client.close()


def test_the_cashiers_client_marks_each_call_and_the_forwarders_does_not(
        settlement_service: ServiceProcess) -> None:
    way = RightOfWay()
    cashier, forwarding = client(settlement_service.url), client(settlement_service.url)
    cashier.right_of_way = way
    seen: list[tuple[str, bool]] = []

    def hook(who: str) -> Callable[..., Any]:
        def noted(response: Any, *args: Any, **kwargs: Any) -> Any:
            seen.append((who, way.busy))  # while the answer is read, before the call returns
            return response
        return noted

    cashier.session.hooks["response"].append(hook("cashier"))
    forwarding.session.hooks["response"].append(hook("forwarder"))
    try:
        cashier.download_catalog()
        forwarding.download_catalog()
    finally:
        cashier.close()
        forwarding.close()
    assert seen == [("cashier", True), ("forwarder", False)]
    assert not way.busy


@pytest.mark.parametrize("nested", [False, True])
def test_nested_and_overlapping_calls_count_each(nested: bool) -> None:
    way = RightOfWay(linger_s=0.0, max_wait_s=0.0)
    with way.cashier():
        if nested:
            with way.cashier():
                assert way.busy
        assert way.busy
    assert not way.busy and way.give_way() == 0.0 and way.gave_way == 0  # idle: no wait at all


def test_the_station_wires_one_right_of_way_into_the_cashiers_client_and_the_forwarder(tmp_path: Path) -> None:
    settings = till_settings()
    cashier, forwarding = client(DOWN, settings), client(DOWN, settings)
    station = Station(settings, str(tmp_path / "j.db"), cashier, forwarding)
    try:
        assert cashier.right_of_way is station.right_of_way
        assert station.forwarder.right_of_way is station.right_of_way
        assert forwarding.right_of_way is None  # the forwarder's own calls never hold it up
    finally:
        station.close()


def test_a_cashiers_call_that_gets_through_wakes_a_forwarder_waiting_for_the_network(tmp_path: Path) -> None:
    settings = till_settings()
    cashier, forwarding = client(DOWN, settings), client(DOWN, settings)
    station = Station(settings, str(tmp_path / "j.db"), cashier, forwarding)
    try:
        station.health.unreachable("refused")
        station.forwarder.circuit_open = True
        assert not station.forwarder._wake.is_set()
        station.health.answered(0.01)
        assert station.forwarder._wake.is_set()
    finally:
        station.close()


@pytest.mark.parametrize("pace", [3.0, 0.0])
def test_the_forwarder_paces_itself_by_the_services_answers(tmp_path: Path, settlement_service: ServiceProcess,
                                                           pace: float) -> None:
    ids = queue_offline(tmp_path, settlement_service.url)
    journal = Journal(tmp_path / "j.db", till="CT-0001").start()
    forward_client = client(settlement_service.url)
    forwarder = Forwarder(journal, forward_client, till_settings().offline, pace=pace)
    pauses: list[float] = []
    forwarder._pause = pauses.append  # type: ignore[method-assign]
    try:
        result = forwarder.run_once(now=True)
        assert len(result.settled) == 3 and states(journal, ids) == [State.FORWARDED_SETTLED] * 3
    finally:
        forwarder.close()
        journal.close()
        forward_client.close()
    if pace:
        # Before the second and the third message, never before the first: each a multiple of a message's time.
        assert len(pauses) == 2 and all(0 < p <= PACE_MAX_S for p in pauses)
    else:
        assert pauses == []
