"""The one device model: DeviceThread's lifecycle and events, and EventLog."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest
from device_helpers import wait_state

from terminal.devices.device import DeviceState, DeviceThread, EventLog, StateChanged

WAIT_S = 10.0  # generous bound for anything to happen; never a timing assertion


@dataclass(frozen=True)
class Tick:
    n: int


class Ticker(DeviceThread[Tick]):
    """A device whose "port" is a counter: READY at once, a Tick per request."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("ticker", **kwargs)  # type: ignore[arg-type]
        self.requests = threading.Semaphore(0)
        self.woken = 0

    def _run(self) -> None:
        self._set_state(DeviceState.READY)
        n = 0
        while not self._closing.is_set():
            if self.requests.acquire(timeout=0.01):
                n += 1
                self._emit(Tick(n))

    def _wake(self) -> None:
        self.woken += 1

    def tick(self) -> None:
        self.requests.release()

    def report(self, state: DeviceState, reason: str | None = None) -> None:
        self._set_state(state, reason)


class Broken(DeviceThread[Tick]):
    def _run(self) -> None:
        raise ZeroDivisionError("a bug in the driver")


def states(events: list[object]) -> list[DeviceState]:
    return [e.state for e in events if isinstance(e, StateChanged)]


def test_lifecycle_start_twice_close_twice_start_after_close() -> None:
    log: EventLog[StateChanged | Tick] = EventLog()
    ticker = Ticker(on_event=log)
    assert ticker.state is DeviceState.CLOSED and not ticker.running
    ticker.start()
    ticker.start()  # idempotent: still one owner thread
    wait_state(log, DeviceState.READY)
    ticker.tick()
    assert log.next(WAIT_S, Tick) == Tick(1)
    ticker.close()
    ticker.close()
    assert not ticker.running
    assert ticker.state is DeviceState.CLOSED
    with pytest.raises(RuntimeError, match="closed"):
        ticker.start()
    assert states(log.drain()) == [DeviceState.CLOSED]
    assert [t.name for t in threading.enumerate() if t.name == "ticker owner"] == []


def test_close_before_start_emits_nothing_and_start_then_raises() -> None:
    log: EventLog[object] = EventLog()
    ticker = Ticker(on_event=log)
    ticker.close()
    assert ticker.state is DeviceState.CLOSED
    with pytest.raises(RuntimeError):
        ticker.start()
    assert log.drain() == []


def test_state_changes_are_emitted_only_when_state_or_reason_change() -> None:
    log: EventLog[object] = EventLog()
    with Ticker(on_event=log) as ticker:
        assert ticker.status.state in (DeviceState.CONNECTING, DeviceState.READY)
        assert wait_state(log, DeviceState.READY).reason is None
        ticker.report(DeviceState.LOST, "Plug it back in.")
        ticker.report(DeviceState.LOST, "Plug it back in.")  # the same: not repeated
        ticker.report(DeviceState.LOST, "Check the cable.")  # another reason: reported
        assert ticker.status.reason == "Check the cable."
    events = log.drain()
    assert [(e.state, e.reason) for e in events if isinstance(e, StateChanged)] == [
        (DeviceState.LOST, "Plug it back in."),
        (DeviceState.LOST, "Check the cable."),
        (DeviceState.CLOSED, None),
    ]
    assert all(e.device == "ticker" for e in events if isinstance(e, StateChanged))
    stamps = [e.at for e in events if isinstance(e, StateChanged)]
    assert stamps == sorted(stamps)


def test_one_subscriber_only() -> None:
    ticker = Ticker(on_event=print)
    with pytest.raises(RuntimeError, match="already has a subscriber"):
        ticker.subscribe(print)
    plain = Ticker()
    log: EventLog[object] = EventLog()
    plain.subscribe(log)
    with pytest.raises(RuntimeError):
        plain.subscribe(log)


def test_a_failing_subscriber_is_logged_and_the_thread_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[object] = []

    def subscriber(event: object) -> None:
        seen.append(event)
        if event == Tick(1):
            raise RuntimeError("subscriber bug")

    with Ticker(on_event=subscriber) as ticker:
        ticker.tick()
        ticker.tick()
        deadline = time.monotonic() + WAIT_S
        while Tick(2) not in seen:
            assert time.monotonic() < deadline, "the second tick never came"
            time.sleep(0.01)
    assert "subscriber bug" in caplog.text
    assert isinstance(seen[-1], StateChanged) and seen[-1].state is DeviceState.CLOSED


def test_callbacks_never_overlap_across_threads() -> None:
    inside = 0
    overlaps = 0
    count = 0
    guard = threading.Lock()

    def subscriber(event: object) -> None:
        nonlocal inside, overlaps, count
        with guard:
            inside += 1
            overlaps += inside > 1
        time.sleep(0.0005)
        with guard:
            inside -= 1
            count += 1

    ticker = Ticker(on_event=subscriber)
    # Three threads emit at once, as a capture thread and a decode worker would.
    emitters = [threading.Thread(target=lambda: [ticker._emit(Tick(i)) for i in range(50)])
                for _ in range(3)]
    ticker.start()
    for thread in emitters:
        thread.start()
    for thread in emitters:
        thread.join(WAIT_S)
    ticker.close()
    assert overlaps == 0
    assert count >= 150


def test_close_from_the_subscriber_then_from_outside_joins_the_thread() -> None:
    holder: list[Ticker] = []
    closed_inside = threading.Event()

    def subscriber(event: object) -> None:
        if isinstance(event, Tick):
            holder[0].close()  # on the owner thread: must not wait for itself
            closed_inside.set()

    ticker = Ticker(on_event=subscriber)
    holder.append(ticker)
    ticker.start()
    ticker.tick()
    assert closed_inside.wait(WAIT_S)
    assert ticker.state is DeviceState.CLOSED
    ticker.close()  # from here it waits for the owner thread
    assert not ticker.running


def test_nothing_is_emitted_after_closed() -> None:
    log: EventLog[object] = EventLog()
    ticker = Ticker(on_event=log)
    ticker.start()
    ticker.close()
    ticker._emit(Tick(99))
    ticker.report(DeviceState.READY)
    events = log.drain()
    assert states(events)[-1] is DeviceState.CLOSED
    assert isinstance(events[-1], StateChanged) and Tick(99) not in events


def test_a_bug_in_the_owner_thread_is_failed_not_silent(caplog: pytest.LogCaptureFixture) -> None:
    log: EventLog[object] = EventLog()
    broken = Broken("broken", on_event=log)
    broken.start()
    failed = None
    while failed is None or failed.state is not DeviceState.FAILED:
        failed = log.next(WAIT_S, StateChanged)
        assert failed is not None, "no FAILED state"
    assert failed.reason is not None and failed.reason.endswith(".")
    assert "ZeroDivisionError" in (failed.detail or "")
    assert "a bug in the driver" in caplog.text
    broken.close()
    assert broken.state is DeviceState.CLOSED


def test_close_wakes_the_owner_thread() -> None:
    ticker = Ticker()
    ticker.start()
    ticker.close()
    assert ticker.woken >= 1


# ---------------------------------------------------------------------------- EventLog


def test_event_log_is_bounded_and_counts_what_it_dropped() -> None:
    log: EventLog[int] = EventLog(maxlen=3)
    for n in range(5):
        log(n)
    assert len(log) == 3 and log.dropped == 2
    assert log.drain() == [2, 3, 4]
    assert len(log) == 0
    with pytest.raises(ValueError):
        EventLog(maxlen=0)


def test_event_log_next_by_type_leaves_the_others() -> None:
    log: EventLog[object] = EventLog()
    log("first")
    log(Tick(1))
    log("second")
    assert log.next(0, Tick) == Tick(1)
    assert log.next(0, Tick) is None
    assert log.next(0) == "first"
    assert log.drain() == ["second"]
    assert log.next(0) is None


def test_event_log_next_waits_for_an_event_from_another_thread() -> None:
    log: EventLog[object] = EventLog()
    timer = threading.Timer(0.05, log, args=(Tick(7),))
    timer.start()
    try:
        assert log.next(WAIT_S, Tick) == Tick(7)
    finally:
        timer.cancel()
