"""Work off the GUI thread, results back on it (Anki's taskman, Electrum's run_in_thread).

Each resource has its owner: the journal its thread, every device its own, and
the counter's network work one `Worker` (a single thread, so a cashier's steps
reach the service in the order they were taken). A job runs there; its result
or its error comes back to the GUI thread through `MainThread.call`, a queued
signal, so widgets are only ever touched on the thread that owns them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)

T = TypeVar("T")


class MainThread(QObject):
    """Runs callables on the GUI thread, whichever thread asks."""

    _call = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self._call.connect(self._run, Qt.ConnectionType.QueuedConnection)
        self.thread_id = threading.get_ident()

    def call(self, fn: Callable[[], Any]) -> None:
        self._call.emit(fn)

    def when_done(self, future: Future[T], on_done: Callable[[T], None],
                  on_error: Callable[[BaseException], None]) -> None:
        """`on_done(result)` or `on_error(exc)` on the GUI thread once `future` (the journal's, a device's) ends."""
        def finished(done: Future[T]) -> None:
            error = done.exception()
            if error is not None:
                self.call(lambda: on_error(error))
            else:
                result = done.result()
                self.call(lambda: on_done(result))

        future.add_done_callback(finished)

    def _run(self, fn: Callable[[], Any]) -> None:
        try:
            fn()
        except Exception:  # a widget's bug must not stop the event loop
            log.exception("a callback on the GUI thread failed")


class Worker:
    """One named thread that runs jobs in order; results and errors come back on the GUI thread."""

    def __init__(self, name: str, main: MainThread) -> None:
        self.name = name
        self.main = main
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self.busy = 0  # jobs submitted and not yet answered (read on the GUI thread)
        self._closed = False

    def run(self, job: Callable[[], T], on_done: Callable[[T], None],
            on_error: Callable[[BaseException], None]) -> Future[None]:
        if self._closed:
            # A result that reached the GUI thread while the counter was closing asks for more work (the catalog
            # came, so its search index is built): nothing waits for it any more, so it is dropped, not raised.
            log.info("%s: closed, a job asked for after the close was dropped", self.name)
            dropped: Future[None] = Future()
            dropped.cancel()
            return dropped
        self.busy += 1

        def work() -> None:
            try:
                result = job()
            except BaseException as exc:  # typed faults for the cashier, bugs for the log
                error = exc
                self.main.call(lambda: self._finish(lambda: on_error(error)))
                return
            self.main.call(lambda: self._finish(lambda: on_done(result)))

        return self._executor.submit(work)

    def _finish(self, then: Callable[[], None]) -> None:
        self.busy -= 1
        then()

    def close(self, wait: bool = True, *, cancel_pending: bool = True) -> None:
        """Stop taking jobs; `cancel_pending=False` lets the queued ones run first (a sign-out's 9002)."""
        self._closed = True
        self._executor.shutdown(wait=wait, cancel_futures=cancel_pending)
