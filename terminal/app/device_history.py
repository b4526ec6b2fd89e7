"""Each device's connect and disconnect history, for the technician's devices panel.

Fed with every StateChanged the station's devices report (on their own threads,
hence the lock), it keeps the newest few per device with the wall-clock time, so
a technician can see when a reader was unplugged, how often a camera was lost,
and the reason each time, without reading the log.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from terminal.devices.device import DeviceState, StateChanged

# A day of a flaky cable is a few dozen changes; older ones are in the log.
HISTORY_PER_DEVICE = 50


@dataclass(frozen=True)
class HistoryEntry:
    device: str
    at: float  # unix seconds (wall clock), for the technician to read
    state: DeviceState
    reason: str | None  # the sentence the cashier saw, None when ready or closed
    detail: str | None  # the port, the OS error

    @property
    def connected(self) -> bool:
        return self.state is DeviceState.READY


class DeviceHistory:
    """Thread-safe, bounded: `record()` from any device thread, `entries()` from any other."""

    def __init__(self, *, per_device: int = HISTORY_PER_DEVICE, wall: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        if per_device < 1:
            raise ValueError("a device history keeps at least one entry")
        self._per_device = per_device
        self._wall = wall
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._entries: dict[str, deque[HistoryEntry]] = {}

    def record(self, change: StateChanged) -> HistoryEntry:
        # StateChanged carries a monotonic time; the technician reads clock time.
        at = self._wall() - max(0.0, self._monotonic() - change.at)
        entry = HistoryEntry(change.device, at, change.state, change.reason, change.detail)
        with self._lock:
            self._entries.setdefault(change.device, deque(maxlen=self._per_device)).append(entry)
        return entry

    def entries(self, device: str | None = None) -> list[HistoryEntry]:
        """One device's entries, or every device's, newest first."""
        with self._lock:
            if device is not None:
                found = list(self._entries.get(device, ()))
            else:
                found = [e for entries in self._entries.values() for e in entries]
        return sorted(found, key=lambda e: e.at, reverse=True)

    def devices(self) -> list[str]:
        with self._lock:
            return list(self._entries)

    def disconnections(self, device: str) -> int:
        """How often the device went from ready to lost (or failed) in the kept history."""
        count, previous = 0, None
        for entry in reversed(self.entries(device)):
            if previous is DeviceState.READY and entry.state in (DeviceState.LOST, DeviceState.FAILED):
                count += 1
            previous = entry.state
        return count
