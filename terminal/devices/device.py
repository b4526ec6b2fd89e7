"""One device model for every driver: a lifecycle, a state and one stream of events.

Each driver (card reader, serial scanner, camera scanner) owns its resource from one
owner thread, started by `start()` and ended by `close()`. What it has to say leaves
that thread as events of one union per device, given to ONE subscriber: the
`on_event=` of its constructor, or `subscribe(callback)`. There is no queue inside a
device: a subscriber that wants one passes an `EventLog` (the CLI, tests) or a Qt
adapter that re-emits each event as a signal.

Every device reports the same states, as `StateChanged` events and as `status`:

    CLOSED      before start() and after close()
    CONNECTING  started, not ready yet; failed attempts to open keep it here, with the
                reason (a sentence the cashier can act on)
    READY       the port is open, frames flow
    LOST        it was ready and went away; the device reopens it by itself
    FAILED      it will not recover by itself (a malformed port URL, a video file that
                ended, an unusable configuration); the owner thread stops retrying

A StateChanged is emitted only on a real change (another state, or another reason in
the same state), so a device that retries every second does not repeat itself.

The subscriber is called on a device thread (CONNECTING on the thread that called
start(), CLOSED on the one that called close()). Calls are serialised under one lock per
device, so they never overlap even when a device has a helper thread (the camera's
decode worker), and guarded: an exception in the subscriber is logged, never kills
the thread. CLOSED is the last event a subscriber sees.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Generic, Protocol, Self, TypeVar, overload

log = logging.getLogger(__name__)

E = TypeVar("E")
E_co = TypeVar("E_co", covariant=True)
T = TypeVar("T")

# close() waits this long for the owner thread. A capture stuck in a driver call (an
# unreachable network camera) gives up within a few seconds of its own.
JOIN_TIMEOUT_S = 5.0


class DeviceState(Enum):
    CONNECTING = "connecting"
    READY = "ready"
    LOST = "lost"
    FAILED = "failed"
    CLOSED = "closed"


@dataclass(frozen=True)
class StateChanged:
    device: str
    state: DeviceState
    # One sentence a cashier can act on; None when ready or closed.
    reason: str | None
    # For technicians and logs: the port, the OS error.
    detail: str | None
    at: float  # time.monotonic()


class Device(Protocol[E_co]):
    """What the UI and the CLI rely on, whatever the device (E_co: its event union)."""

    name: str

    def start(self) -> None: ...

    def close(self) -> None: ...

    @property
    def state(self) -> DeviceState: ...

    @property
    def status(self) -> StateChanged: ...

    def subscribe(self, callback: Callable[[E_co], None]) -> None: ...


class DeviceThread(ABC, Generic[E]):
    """The lifecycle of a device, implemented once; subclasses write `_run()`.

    E is the device's own events; its subscriber receives `StateChanged | E`.
    `_run()` runs on the owner thread until `self._closing` is set; it waits with
    `self._closing.wait(...)` and reports with `_set_state()` and `_emit()`.
    `_wake()` interrupts whatever the owner thread blocks on (a serial read).
    """

    def __init__(
        self,
        name: str,
        *,
        on_event: Callable[[StateChanged | E], None] | None = None,
        thread_name: str | None = None,
    ) -> None:
        self.name = name
        self._thread_name = thread_name or f"{name} owner"
        self._subscriber = on_event
        self._closing = threading.Event()
        self._thread: threading.Thread | None = None
        # start() and close() from any thread; re-entrant for a subscriber that closes
        # the device on the CONNECTING event of start().
        self._lifecycle = threading.RLock()
        # Lock order: _emitting, then _state. The subscriber runs under _emitting
        # (re-entrant, so it may call close()), never under _state.
        self._emitting = threading.RLock()
        self._emitting_thread: int | None = None
        self._state = threading.Condition()
        self._status = StateChanged(name, DeviceState.CLOSED, None, None, time.monotonic())
        self._closed = False

    # -------------------------------------------------------------------- lifecycle

    def start(self) -> None:
        """Start the owner thread; a second call does nothing. A closed device stays closed."""
        with self._lifecycle:
            if self._closed:
                raise RuntimeError(f"the {self.name} was closed; make a new one")
            if self._thread is not None:
                return
            thread = threading.Thread(target=self._owner, name=self._thread_name, daemon=True)
            self._thread = thread
            self._set_state(DeviceState.CONNECTING)
            thread.start()

    def close(self) -> None:
        """Stop the owner thread (joined with a bound) and release the device; idempotent."""
        # Every step is idempotent: a second call (say from the main thread, after a
        # subscriber closed the device) still waits for the thread to end.
        with self._lifecycle:
            self._closed = True
            thread = self._thread
        self._closing.set()
        self._wake()
        # From the owner thread, or from the subscriber (which holds the emit lock
        # another device thread may be waiting for), joining would wait for ourselves:
        # the threads see _closing and end on their own.
        if thread is not None and thread.is_alive() and thread is not threading.current_thread() \
                and self._emitting_thread != threading.get_ident():
            thread.join(JOIN_TIMEOUT_S)
            if thread.is_alive():
                log.warning("%s: owner thread did not stop within %.1fs", self.name, JOIN_TIMEOUT_S)
        self._set_state(DeviceState.CLOSED)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def running(self) -> bool:
        """The owner thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    # ------------------------------------------------------------------- the state

    @property
    def state(self) -> DeviceState:
        with self._state:
            return self._status.state

    @property
    def status(self) -> StateChanged:
        """The last StateChanged (CLOSED before start)."""
        with self._state:
            return self._status

    def subscribe(self, callback: Callable[[StateChanged | E], None]) -> None:
        """Give the device its one subscriber (events before this call are not kept)."""
        with self._emitting:
            if self._subscriber is not None:
                raise RuntimeError(f"the {self.name} already has a subscriber; a device has one "
                                   "(fan out in the subscriber)")
            self._subscriber = callback

    def _wait_status(self, done: Callable[[StateChanged], bool], timeout_s: float) -> StateChanged:
        """The status once `done(status)`, or the status when timeout_s ran out."""
        with self._state:
            self._state.wait_for(lambda: done(self._status), max(0.0, timeout_s))
            return self._status

    # ---------------------------------------------------------- for the subclasses

    @abstractmethod
    def _run(self) -> None:
        """The owner thread's work, until `self._closing` is set."""

    def _wake(self) -> None:
        """Interrupt a blocking wait of the owner thread (close() calls it)."""

    def _on_owner_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def _set_state(self, state: DeviceState, reason: str | None = None,
                   detail: str | None = None) -> None:
        """Report the state; emits StateChanged only if state or reason changed."""
        with self._emitting:
            with self._state:
                old = self._status
                if old.state is DeviceState.CLOSED and self._closed:
                    return  # closed for good: a late report from a device thread
                if (old.state, old.reason) == (state, reason):
                    return
                status = StateChanged(self.name, state, reason, detail, time.monotonic())
                self._status = status
            log.info("%s: %s%s", self.name, state.value, f": {reason} ({detail})" if reason else "")
            self._call_subscriber(status)
            # Waiters last: whoever waited for this state finds the subscriber already told of it.
            with self._state:
                self._state.notify_all()

    def _emit(self, event: E) -> None:
        """Hand one event to the subscriber (never after CLOSED)."""
        with self._emitting:
            if self.state is DeviceState.CLOSED:
                return
            self._call_subscriber(event)

    def _call_subscriber(self, event: StateChanged | E) -> None:
        subscriber = self._subscriber
        if subscriber is None:
            return
        outer = self._emitting_thread
        self._emitting_thread = threading.get_ident()
        try:
            subscriber(event)
        except Exception:  # a listener's bug must not kill the device's thread
            log.exception("%s: event subscriber failed on %r", self.name, event)
        finally:
            self._emitting_thread = outer

    def _owner(self) -> None:
        try:
            self._run()
        except Exception as exc:  # a bug in the driver: say so instead of going silent
            log.exception("%s: owner thread failed", self.name)
            self._set_state(DeviceState.FAILED,
                            f"The {self.name} stopped working: restart the checkout, and call the "
                            "technician if it happens again.", f"{type(exc).__name__}: {exc}")


class EventLog(Generic[E]):
    """A bounded recorder of events, usable as a device's subscriber.

    Thread-safe. `next()` takes the oldest event not yet taken (of a type, if given),
    waiting for one; `drain()` takes all. Beyond `maxlen` the oldest are dropped and
    counted in `dropped`, so a log nobody reads cannot grow without bound.
    """

    def __init__(self, maxlen: int = 256) -> None:
        if maxlen < 1:
            raise ValueError("an event log holds at least one event")
        self._events: collections.deque[E] = collections.deque()
        self._maxlen = maxlen
        self._changed = threading.Condition()
        self.dropped = 0

    def __call__(self, event: E) -> None:
        with self._changed:
            if len(self._events) >= self._maxlen:
                self._events.popleft()
                self.dropped += 1
            self._events.append(event)
            self._changed.notify_all()

    def __len__(self) -> int:
        with self._changed:
            return len(self._events)

    @overload
    def next(self, timeout_s: float) -> E | None: ...

    @overload
    def next(self, timeout_s: float, kind: type[T]) -> T | None: ...

    def next(self, timeout_s: float, kind: type[object] | None = None) -> object | None:
        """The oldest event (of type `kind`), waiting up to timeout_s; None if none came.

        Events of other types stay in the log for later calls.
        """
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while True:
                for index, event in enumerate(self._events):
                    if kind is None or isinstance(event, kind):
                        del self._events[index]
                        return event
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._changed.wait(left)

    def drain(self) -> list[E]:
        """Every event not taken yet, oldest first; the log is empty afterwards."""
        with self._changed:
            events = list(self._events)
            self._events.clear()
            return events
