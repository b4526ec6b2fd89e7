"""The GUI's workers: results come back on the GUI thread, and a closed worker drops late work quietly."""

from __future__ import annotations

import logging
import threading

import pytest
from pytestqt.qtbot import QtBot

from terminal.ui.tasks import MainThread, Worker


def test_a_job_runs_on_the_worker_and_its_result_comes_back_on_the_gui_thread(qtbot: QtBot) -> None:
    main = MainThread()
    worker = Worker("test-worker", main)
    ran_on: list[str] = []
    answered: list[tuple[int, int]] = []

    def job() -> int:
        ran_on.append(threading.current_thread().name)
        return 42

    worker.run(job, lambda n: answered.append((n, threading.get_ident())), lambda exc: answered.append((-1, 0)))
    assert worker.busy == 1
    qtbot.waitUntil(lambda: answered != [])
    assert answered == [(42, main.thread_id)] and ran_on[0].startswith("test-worker") and worker.busy == 0
    worker.close()


def test_a_closed_worker_drops_work_asked_for_after_the_close(qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    """A result reaching the GUI thread while the counter closes may ask for more work (the catalog came, so
    the search index is built): it used to raise "cannot schedule new futures after shutdown" in the event
    loop."""
    main = MainThread()
    worker = Worker("closing-worker", main)
    worker.close()
    called: list[object] = []
    with caplog.at_level(logging.INFO, logger="terminal.ui.tasks"):
        future = worker.run(lambda: called.append("job"), called.append, called.append)
    assert future.cancelled() and worker.busy == 0
    qtbot.wait(50)  # anything queued for the GUI thread has run by now
    assert called == []
    assert "closing-worker: closed, a job asked for after the close was dropped" in caplog.text
