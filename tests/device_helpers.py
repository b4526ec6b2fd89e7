"""Helpers of the device tests: waiting for a state in an EventLog."""

from __future__ import annotations

from typing import Any

from terminal.devices.device import DeviceState, EventLog, StateChanged

WAIT_S = 20.0  # generous bound for a device to get somewhere; never a timing assertion


def wait_state(log: EventLog[Any], state: DeviceState, timeout_s: float = WAIT_S) -> StateChanged:
    """The first StateChanged to `state` in the log, taking the StateChanged events before it."""
    seen: list[str] = []
    while True:
        event = log.next(timeout_s, StateChanged)
        if event is None:
            raise AssertionError(f"no {state.value} state within {timeout_s:g}s, only {seen}")
        if event.state is state:
            return event
        seen.append(f"{event.state.value} ({event.reason})")


def collapsed_states(events: list[object]) -> list[DeviceState]:
    """The states the events went through, a repeated state (another reason) counted once."""
    out: list[DeviceState] = []
    for event in events:
        if isinstance(event, StateChanged) and (not out or out[-1] is not event.state):
            out.append(event.state)
    return out
