"""The journal's owner thread: one thread holds the SQLite connection, everyone else asks it.

The cashier's worker, the forwarder and the UI submit work (a function of the
Transactions) and get a Future; a worker thread may wait on it (`run`), the GUI
adds a callback instead and never blocks. Opening the file (checks, migrations)
happens on the owner thread too, and `start()` reports its failure as the typed
error it is.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

from terminal.errors import EnvironmentFault
from terminal.offline.record import Txn
from terminal.offline.store import JournalFile
from terminal.offline.transactions import Transactions

log = logging.getLogger(__name__)

T = TypeVar("T")
JOIN_TIMEOUT_S = 10.0


class JournalClosed(EnvironmentFault):
    def __init__(self) -> None:
        super().__init__("The journal is closed: restart the terminal.")


class Journal:
    def __init__(self, path: str | Path, *, till: str, clock: Callable[[], float] = time.time,
                 check_integrity: bool = True, defer_check: bool = False,
                 on_change: Callable[[Txn], None] | None = None) -> None:
        """`defer_check` lets the journal open and answer reads while its full integrity check runs
        (the app's start-up); writes wait for the check either way."""
        self.path = Path(path)
        self.till = till
        self._clock = clock
        self._check_integrity = check_integrity
        self._defer_check = defer_check
        self._on_change = on_change
        self._work: queue.Queue[tuple[Callable[[Transactions], Any], Future[Any]] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._closed = False

    def start(self) -> Journal:
        """Open the journal on its own thread; raises what opening it raised (damaged, full disk...)."""
        if self._thread is not None:
            return self
        opened: Future[None] = Future()
        self._thread = threading.Thread(target=self._run, args=(opened,), name="journal", daemon=True)
        self._thread.start()
        opened.result()
        return self

    def __enter__(self) -> Journal:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._work.put(None)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(JOIN_TIMEOUT_S)

    def submit(self, work: Callable[[Transactions], T]) -> Future[T]:
        future: Future[T] = Future()
        if self._closed:
            future.set_exception(JournalClosed())
        else:
            self._work.put((work, future))
        return future

    def run(self, work: Callable[[Transactions], T], timeout_s: float = 60.0) -> T:
        """Do `work` on the journal's thread and wait for it (from a worker thread, never the GUI)."""
        if threading.current_thread() is self._thread:
            raise RuntimeError("the journal's own thread cannot wait for itself")
        return self.submit(work).result(timeout_s)

    def _run(self, opened: Future[None]) -> None:
        try:
            file = JournalFile(self.path, check_integrity=self._check_integrity, defer_check=self._defer_check,
                               clock=self._clock)
        except BaseException as exc:
            self._closed = True
            opened.set_exception(exc)
            return
        transactions = Transactions(file, self.till, on_change=self._on_change)
        opened.set_result(None)
        try:
            while True:
                item = self._work.get()
                if item is None:
                    break
                work, future = item
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    future.set_result(work(transactions))
                except BaseException as exc:  # typed faults and bugs alike go back to the caller
                    future.set_exception(exc)
        finally:
            file.close()
            self._fail_remaining()

    def _fail_remaining(self) -> None:
        while True:
            try:
                item = self._work.get_nowait()
            except queue.Empty:
                return
            if item is not None and not item[1].done():
                item[1].set_exception(JournalClosed())
