"""The settlement service's health as the counter sees it: online, degraded or offline.

Every call the till makes (the cashier's and the forwarder's) tells it something:
an answer in good time (online), a slow answer or one whose outcome is unknown
(degraded: it answers, but not as it should), a connection that could not even
be made (offline). The status bar shows the state and the time of the last
success; the colours mean the same everywhere (green, amber, red).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

# An answer slower than this counts as degraded service.
SLOW_S = 3.0
# After this long without any call, the last verdict still stands but is shown as old.


class ServiceState(Enum):
    UNKNOWN = "unknown"  # no call yet
    ONLINE = "online"
    DEGRADED = "degraded"
    OFFLINE = "offline"


@dataclass(frozen=True)
class Health:
    state: ServiceState
    last_success_at: float | None
    detail: str = ""


class ServiceHealth:
    """Thread-safe record of call outcomes; `on_change` hears every change of state."""

    def __init__(self, *, clock: Callable[[], float] = time.time,
                 on_change: Callable[[Health], None] | None = None) -> None:
        self._clock = clock
        self._on_change = on_change
        self._lock = threading.Lock()
        self._health = Health(ServiceState.UNKNOWN, None)

    @property
    def health(self) -> Health:
        with self._lock:
            return self._health

    def answered(self, seconds: float) -> None:
        """The service answered (a result or a refusal: either way it is there)."""
        state = ServiceState.DEGRADED if seconds > SLOW_S else ServiceState.ONLINE
        self._set(Health(state, self._clock(), f"answered in {seconds:.1f} s" if seconds > SLOW_S else ""))

    def unknown(self, detail: str) -> None:
        """Sent, but no usable answer (a timeout, a cut answer, a 5xx)."""
        with self._lock:
            last = self._health.last_success_at
        self._set(Health(ServiceState.DEGRADED, last, detail))

    def unreachable(self, detail: str) -> None:
        with self._lock:
            last = self._health.last_success_at
        self._set(Health(ServiceState.OFFLINE, last, detail))

    def _set(self, health: Health) -> None:
        with self._lock:
            changed = (health.state, health.detail) != (self._health.state, self._health.detail)
            self._health = health
        if changed and self._on_change is not None:
            self._on_change(health)
