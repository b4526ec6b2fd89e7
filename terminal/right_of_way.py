"""The cashier's right of way over the forwarder on one counter's way to the service.

The forwarder has its own thread and its own client, but both reach the same
service, which answers one message at a time: every message the forwarder sends
while the cashier waits for an answer is time the customer stands at the counter,
and after an outage a counter may have hundreds of sales to forward. So the
cashier's client marks each of its calls here, and the forwarder, before each
message, gives way: it waits while a cashier's call is under way or ended less
than `linger_s` ago (the next message of the same sale follows within that, so
the sale is not interleaved with forwarding). It waits at most `max_wait_s` at a
time, so a counter whose cashier never pauses still forwards a message per wait
and its backlog drains.

No Qt: the app's station wires one RightOfWay into the cashier's client and the
forwarder; the fleet benchmark does the same for each simulated counter.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

LINGER_S = 0.25
MAX_WAIT_S = 2.0


class RightOfWay:
    """Thread-safe: the cashier's calls mark it busy, the forwarder's thread waits on it."""

    def __init__(self, *, linger_s: float = LINGER_S, max_wait_s: float = MAX_WAIT_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.linger_s = linger_s
        self.max_wait_s = max_wait_s
        self._clock = clock
        self._cond = threading.Condition()
        self._busy = 0
        self._last_done = float("-inf")
        self._waiting = 0
        self.gave_way = 0  # how many times the forwarder waited for the cashier (the metrics, the benchmark)
        self.waited_s = 0.0

    @contextmanager
    def cashier(self) -> Iterator[None]:
        """Around one of the cashier's calls to the service (nested and concurrent calls count each)."""
        with self._cond:
            self._busy += 1
        try:
            yield
        finally:
            with self._cond:
                self._busy -= 1
                self._last_done = self._clock()
                self._cond.notify_all()

    @property
    def busy(self) -> bool:
        with self._cond:
            return self._busy > 0

    @property
    def waiting(self) -> int:
        """How many threads are giving way now (a test waits for the forwarder to be among them)."""
        with self._cond:
            return self._waiting

    def give_way(self) -> float:
        """Wait until the cashier has been idle for linger_s, at most max_wait_s; the seconds waited."""
        start = self._clock()
        deadline = start + self.max_wait_s
        with self._cond:
            if self._clear(start):
                return 0.0
            self._waiting += 1
            try:
                while True:
                    now = self._clock()
                    if now >= deadline or self._clear(now):
                        break
                    until = deadline if self._busy else min(deadline, self._last_done + self.linger_s)
                    self._cond.wait(max(0.0, until - now))
            finally:
                self._waiting -= 1
            waited = self._clock() - start
            self.gave_way += 1
            self.waited_s += waited
        return waited

    def _clear(self, now: float) -> bool:
        return self._busy == 0 and now >= self._last_done + self.linger_s
