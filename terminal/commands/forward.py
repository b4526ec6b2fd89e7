"""`python -m terminal forward [--db PATH] [--service URL] [--once]`: settle the journal's queued sales.

--db and --service default to the configuration's journal and service.url (TERMINAL_CONFIG or --config).

Resolves first what is in doubt (a message whose answer was lost: the same msgid
again), then forwards queued sales, each person's in sale order. With --once,
one pass and a summary JSON (exit 3 if the service could not be reached, 4 if an
outcome stays unknown); without, it keeps going (waiting for the network while
it is down) and prints a JSON line whenever its progress changes, until Ctrl-C.
Only one forwarder works on a journal at a time; a second one says who holds it. Run as a
service with `metrics.port` set, it serves the same Prometheus metrics as a counter (its
journal, its service calls; no devices).
"""

from __future__ import annotations

import argparse
import signal
import threading
from types import FrameType
from typing import Any

from terminal.commands import emit_json
from terminal.commands._journal import (
    add_journal_options,
    add_service_options,
    client_for,
    configured_defaults,
    open_journal,
    settings_for,
)

EXIT_UNREACHABLE = 3
EXIT_UNKNOWN = 4


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("forward", help="forward queued sales and resolve unknown outcomes", description=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    add_journal_options(p, required=False)
    add_service_options(p, required=False)
    p.add_argument("--once", action="store_true", help="one pass, then exit")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from terminal.offline.forwarder import Forwarder, Progress

    configured_defaults(args)
    settings = settings_for(args)
    client = client_for(args, settings)
    journal = open_journal(args, settings)
    try:
        if args.once:
            forwarder = Forwarder(journal, client, settings.offline)
            try:
                result = forwarder.run_once(now=True)
            finally:
                forwarder.close()
            progress = forwarder.progress
            emit_json({"settled": [t.local_id for t in result.settled],
                       "declined": [t.local_id for t in result.declined],
                       "unresolved": [t.local_id for t in result.unresolved],
                       "unreachable": result.unreachable, "left": progress.left,
                       "left_amount": f"{progress.left_amount:.2f}"})
            if result.unreachable:
                return EXIT_UNREACHABLE
            return EXIT_UNKNOWN if result.unresolved else 0
        stop = threading.Event()

        def shown(progress: Progress) -> None:
            emit_json(_progress_json(progress), compact=True)

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, on_signal)
        forwarder = Forwarder(journal, client, settings.offline, on_progress=shown)
        served = _serve_metrics(settings, journal, client, args)
        forwarder.start()
        stop.wait()
        forwarder.close()
        if served is not None:
            served.close()
        return 0
    finally:
        journal.close()
        client.close()


def _progress_json(progress: Any) -> dict[str, Any]:
    return {"state": progress.state, "done": progress.done, "left": progress.left,
            "left_amount": f"{progress.left_amount:.2f}", "last_success_at": progress.last_success_at,
            "last_error": progress.last_error}


def _serve_metrics(settings: Any, journal: Any, client: Any, args: argparse.Namespace) -> Any:
    """The metrics endpoint of a forwarder run as a service (settings.metrics.port), or None."""
    if settings.metrics.port is None:
        return None
    from pathlib import Path

    from terminal.app.metrics import Metrics
    from terminal.offline.health import ServiceHealth

    health = ServiceHealth()
    client.observer = health

    class Forwarding:  # what the collector reads: the journal and the service calls, no devices
        def __init__(self) -> None:
            self.journal = journal

        def health_now(self) -> Any:
            return health.health

        def device_states(self) -> list[Any]:
            return []

        def camera_counts(self) -> None:
            return None

    served = Metrics(Forwarding(), Path(args.db), (client,))
    return served if served.serve(settings.metrics.bind, settings.metrics.port) else None
